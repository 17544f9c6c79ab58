import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMapping, parseMapping, previewImport, type ImportDeps, type ImportRow, type ImportSession } from '../../main/core/import/preview.js';
import { loadSheetJs } from '../../main/core/sheetjs.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/imports', name)));
const deps: ImportDeps = { newId: () => 'imp_test' };

async function preview(bytes: Uint8Array, name: string, d: ImportDeps = deps): Promise<ImportSession> {
  const r = await previewImport(bytes, name, d);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const byLine = (rows: ImportRow[], line: number): ImportRow[] => rows.filter((r) => r.line === line);
const one = (rows: ImportRow[], line: number): ImportRow => {
  const found = byLine(rows, line);
  expect(found, `line ${line}`).toHaveLength(1);
  return found[0]!;
};

describe('拼多多-style CSV (UTF-8 BOM, tab-guarded numbers, rows without waybills)', async () => {
  const { preview: p } = await preview(fixture('pdd.csv'), 'pdd.csv');

  it('reads the encoding, the header and the platform', () => {
    expect(p).toMatchObject({ id: 'imp_test', format: 'csv', encoding: 'utf-8-bom', headerRow: 1, platform: 'pinduoduo' });
    expect(p.mapping).toEqual({ number: 4, company: 5, orderNo: 0, buyer: 6, phone: 7, orderStatus: 2 });
    expect(p.columns[4]).toBe('快递单号');
  });

  it('strips the tab guards from numbers', () => {
    expect(one(p.rows, 2)).toMatchObject({ number: '75123456780001', company: 'zhongtong', status: 'new' });
  });

  it('skips rows without a waybill and counts them, with the order status as the reason', () => {
    const skipped = p.rows.filter((r) => r.status === 'no-waybill');
    expect(skipped.map((r) => r.line)).toEqual([3, 6, 9]);
    expect(one(p.rows, 3).reason).toContain('待付款');
    expect(one(p.rows, 6).reasonEn).toContain('退款成功');
    expect(p.counts.noWaybill).toBe(3);
  });

  it('makes one parcel of a waybill shipped for two orders, with both order numbers', () => {
    const row = one(p.rows, 2);
    expect(row.orderNo).toEqual(['231130-0001', '231130-0007']);
    expect(row.lines).toEqual([2, 8]);
    expect(byLine(p.rows, 8)).toHaveLength(0);
    expect(row.reason).toContain('2 个订单');
  });

  it('makes several parcels of the same order from one cell', () => {
    const rows = byLine(p.rows, 7);
    expect(rows.map((r) => [r.number, r.company, r.orderNo])).toEqual([
      ['YT1234567890123', 'yuantong', ['231130-0006']],
      ['YT1234567890124', 'yuantong', ['231130-0006']],
    ]);
  });

  it('keeps the last 4 digits of a masked phone for SF, and flags SF without a phone', () => {
    expect(one(p.rows, 4)).toMatchObject({ number: 'SF1234567890123', company: 'shunfeng', phone: '3471', status: 'new' });
    expect(one(p.rows, 5)).toMatchObject({ number: 'SF1234567890456', company: 'shunfeng', phone: null, status: 'needs-phone' });
    // Carriers that need no phone get none: the buyer's number is not copied for nothing.
    expect(one(p.rows, 2).phone).toBeNull();
  });

  it('counts every outcome', () => {
    expect(p.counts).toEqual({ rows: 8, parcels: 5, new: 4, duplicate: 0, invalid: 0, needsPhone: 1, noWaybill: 3, summary: 0, blank: 0 });
  });

  it('marks numbers already tracked as duplicates', async () => {
    const { preview: d } = await preview(fixture('pdd.csv'), 'pdd.csv', { ...deps, existing: (n) => n === 'YT1234567890124' });
    expect(d.rows.find((r) => r.number === 'YT1234567890124')).toMatchObject({ status: 'duplicate' });
    expect(d.counts).toMatchObject({ new: 3, duplicate: 1 });
  });
});

describe('淘宝-style GBK CSV (header on line 3, guards, damaged number, 合计 row)', async () => {
  const { preview: p } = await preview(fixture('taobao-gbk.csv'), 'taobao.csv');

  it('decodes GBK and finds the header below the title rows', () => {
    expect(p).toMatchObject({ encoding: 'gb18030', headerRow: 3, platform: 'taobao' });
    expect(p.columns[5]).toBe('物流单号');
    expect(p.mapping).toEqual({ number: 5, company: 6, orderNo: 0, buyer: 3, phone: 4, orderStatus: 2 });
  });

  it('unwraps ="…" in numbers and order numbers', () => {
    expect(one(p.rows, 4)).toMatchObject({ number: '43123456789012', company: 'yunda', orderNo: ['3900000000000001'], buyer: '陈*', status: 'new' });
  });

  it('drops the leading apostrophe', () => {
    expect(one(p.rows, 7)).toMatchObject({ number: 'JT1234567890123', company: 'jtexpress', status: 'new' });
  });

  it('refuses a waybill Excel turned into 7.3E+13, with the reason', () => {
    const row = one(p.rows, 5);
    expect(row).toMatchObject({ number: '7.3E+13', status: 'invalid', company: null });
    expect(row.reason).toContain('科学计数法');
    expect(row.reasonEn).toContain('scientific notation');
  });

  it('splits a 单号-公司 cell', () => {
    expect(one(p.rows, 8)).toMatchObject({ number: '75123456780099', carrierText: '中通快递', company: 'zhongtong', status: 'new' });
  });

  it('ignores the 合计 row and counts it', () => {
    expect(byLine(p.rows, 9)).toHaveLength(0);
    expect(p.counts).toEqual({ rows: 5, parcels: 4, new: 3, duplicate: 0, invalid: 1, needsPhone: 0, noWaybill: 1, summary: 1, blank: 0 });
  });
});

describe('.xlsx (抖店-style)', async () => {
  const { preview: p } = await preview(fixture('douyin.xlsx'), 'orders.xlsx');

  it('reads the workbook and maps 主订单编号, 收件人, 收件人手机号', () => {
    expect(p).toMatchObject({ format: 'xlsx', encoding: 'binary', headerRow: 1, platform: 'douyin' });
    expect(one(p.rows, 2)).toMatchObject({ number: '75123456780101', company: 'zhongtong', orderNo: ['6900000000000000001'], buyer: '刘**' });
  });

  it('takes an intact number cell as its digits', () => {
    expect(one(p.rows, 3)).toMatchObject({ number: '75123456780102', status: 'new' });
  });

  it('refuses a number cell past 15 digits (Excel lost the tail)', () => {
    expect(one(p.rows, 4)).toMatchObject({ status: 'invalid' });
    expect(one(p.rows, 4).reason).toContain('Excel');
  });

  it('reads a carrier written as a code (JD)', () => {
    expect(one(p.rows, 6)).toMatchObject({ number: 'JDVA12345678901', company: 'jd', status: 'new' });
  });
});

describe('.xls (ERP-style, BIFF8)', () => {
  it('is read by its magic bytes even under a .csv name', async () => {
    const { preview: p } = await preview(fixture('erp.xls'), 'export.csv');
    expect(p).toMatchObject({ format: 'xls', platform: 'erp', headerRow: 1 });
    expect(p.rows.map((r) => [r.number, r.company, r.orderNo, r.status])).toEqual([
      ['YT1234567890777', 'yuantong', ['P231130-01'], 'new'],
      ['773123456789012', 'shentong', ['P231130-02'], 'new'],
    ]);
  });
});

describe('an HTML table saved as .xls', () => {
  it('keeps long numbers as text', async () => {
    const html = '<html><body><table><tr><td>订单号</td><td>快递单号</td><td>快递公司</td></tr><tr><td>A1</td><td>75123456780201</td><td>中通快递</td></tr></table></body></html>';
    const { preview: p } = await preview(new TextEncoder().encode(html), 'orders.xls');
    expect(p.format).toBe('html');
    expect(p.rows.map((r) => [r.number, r.company])).toEqual([['75123456780201', 'zhongtong']]);
  });
});

describe('carriers', () => {
  const csv = (rows: string[]): Uint8Array => new TextEncoder().encode(['订单号,快递单号,快递公司', ...rows].join('\n'));

  it('resolves a short name with the number’s pattern, and only offers the guess when the column is empty', async () => {
    const { preview: p } = await preview(csv(['A1,75123456780301,中通', 'A2,YT1234567890301,']), 'a.csv');
    expect(p.rows.map((r) => [r.company, r.companyChoices])).toEqual([['zhongtong', []], [null, ['yuantong']]]);
  });

  it('reads a carrier by its full Chinese name, as 快捷快物流', async () => {
    const { preview: p } = await preview(csv(['A1,KJK123456789,快捷快物流']), 'a.csv');
    expect(p.rows[0]!.company).toBe('gdkjk56');
  });

  it('keeps an unknown carrier for automatic recognition and says so', async () => {
    const { preview: p } = await preview(csv(['A1,ZZ123456789,某某物流']), 'a.csv');
    expect(p.rows[0]).toMatchObject({ company: null, status: 'new', carrierText: '某某物流' });
    expect(p.rows[0]!.reason).toContain('某某物流');
  });

  it('offers the choices when several carriers fit', async () => {
    const { preview: p } = await preview(csv(['A1,431234567890123,']), 'a.csv');
    expect(p.rows[0]).toMatchObject({ company: null, companyChoices: ['yunda', 'shentong'] });
  });

  it('uses the injected resolver (the alias table plugs in here)', async () => {
    const { preview: p } = await preview(csv(['A1,75123456780301,ZTO']), 'a.csv', { resolveCarrier: (name) => (name === 'ZTO' ? { kind: 'code', code: 'zhongtong' } : { kind: 'unknown' }) });
    expect(p.rows[0]!.company).toBe('zhongtong');
  });

  it('refuses numbers the validator refuses', async () => {
    const { preview: p } = await preview(csv(['A1,12345,中通快递', 'A2,751234567803#1,中通快递']), 'a.csv');
    expect(p.rows.map((r) => r.status)).toEqual(['invalid', 'invalid']);
    expect(p.rows[0]!.reason).toContain('6–32');
  });
});

describe('mapping', () => {
  const bytes = new TextEncoder().encode('单号,公司,订单\nP1-75123456780401,中通快递,A1\n');

  it('warns when no waybill column is found and re-runs with the seller’s mapping, keeping the id', async () => {
    const s = await preview(new TextEncoder().encode('编号,包裹,快递公司\nA1,75123456780401,中通快递\n'), 'a.csv');
    expect(s.preview.mapping.number).toBeNull();
    expect(s.preview.rows).toEqual([]);
    expect(s.preview.warnings[0]!.message).toContain('快递单号');
    const r = applyMapping(s, { number: 1, company: 2, orderNo: 0 });
    expect(r.ok && r.value.preview).toMatchObject({ id: 'imp_test', warnings: [], counts: { new: 1 } });
    expect(r.ok && r.value.preview.rows[0]).toMatchObject({ number: '75123456780401', company: 'zhongtong', orderNo: ['A1'] });
  });

  it('uses a remembered mapping for the same header signature', async () => {
    const first = await preview(bytes, 'a.csv');
    const remembered = { number: 0, company: 1, orderNo: 2, buyer: null, phone: null, orderStatus: null };
    const again = await preview(bytes, 'a.csv', { ...deps, rememberedMapping: (sig) => (sig === first.preview.signature ? remembered : null) });
    expect(again.preview.mapping).toEqual(remembered);
  });

  it('ignores a remembered mapping that does not fit the columns', async () => {
    const s = await preview(bytes, 'a.csv', { rememberedMapping: () => ({ number: 9, company: null, orderNo: null, buyer: null, phone: null, orderStatus: null }) });
    expect(s.preview.mapping.number).not.toBe(9);
  });

  it('rejects a mapping with a column out of range or used twice', () => {
    expect(parseMapping({ number: 3 }, 3).ok).toBe(false);
    expect(parseMapping({ number: 1, company: 1 }, 3).ok).toBe(false);
    expect(parseMapping({ number: 1, nonsense: 2 }, 3).ok).toBe(false);
    expect(parseMapping({ number: 1, company: null }, 3)).toEqual({ ok: true, value: { number: 1, company: null, orderNo: null, buyer: null, phone: null, orderStatus: null } });
  });
});

describe('unreadable input', () => {
  it('refuses an empty file in both languages', async () => {
    const r = await previewImport(new Uint8Array(0), 'a.csv');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.messageEn).toContain('Cannot read');
  });

  it('reads a workbook built in memory the same way as a file', async () => {
    const { XLSX } = await loadSheetJs();
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['快递单号', '快递公司'], ['75123456780501', '中通快递']]), 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect((await preview(bytes, 'x.xlsx')).preview.rows[0]).toMatchObject({ number: '75123456780501', status: 'new' });
  });
});
