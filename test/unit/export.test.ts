import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, exportHeaders, type ExportRow } from '../../main/core/export/export-row.js';
import { exportCsv } from '../../main/core/export/csv-export.js';
import { exportXlsx } from '../../main/core/export/xlsx-export.js';
import { loadSheetJs } from '../../main/core/sheetjs.js';

const { XLSX } = await loadSheetJs();

const rows: ExportRow[] = [
  {
    orderNo: ['231130-0001', '231130-0007'], buyer: '张**', carrier: '中通快递', number: '75123456780001', state: '派件',
    latestScan: '【杭州转运中心】快件已发往 "西湖区", 派送员 138xxxx', latestTime: '2026-11-30 10:21:00', elapsed: '2天3小时',
    alert: null, note: '=SUM(A1)',
  },
  {
    orderNo: [], buyer: null, carrier: '顺丰速运', number: '1234567890123456789', state: '疑难', latestScan: '第一行\n第二行',
    latestTime: '2026-11-29 08:00:00', elapsed: '1天', alert: '派件异常', note: null,
  },
];

describe('export columns', () => {
  it('are the issue’s ten, in Chinese or English', () => {
    expect(exportHeaders('zh')).toEqual(['订单号', '买家', '快递公司', '快递单号', '状态', '最新动态', '最新时间', '已用时', '异常/提醒', '备注']);
    expect(exportHeaders('en')).toEqual(['Order no.', 'Buyer', 'Carrier', 'Waybill', 'State', 'Latest scan', 'Latest time', 'Time on the way', 'Exception/Reminder', 'Note']);
    expect(EXPORT_COLUMNS).toHaveLength(10);
  });
});

describe('xlsx export', () => {
  it('reads back with SheetJS with every number intact, as text', async () => {
    const bytes = await exportXlsx(rows, 'zh');
    expect([...bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]);
    const wb = XLSX.read(bytes, { type: 'array' });
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    const back = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: true });
    expect(back[0]).toEqual(exportHeaders('zh'));
    expect(back[1]![0]).toBe('231130-0001, 231130-0007');
    expect(back[1]![3]).toBe('75123456780001');
    expect(back[2]![3]).toBe('1234567890123456789');
    expect(ws['D2']).toMatchObject({ t: 's', v: '75123456780001' });
    expect(ws['D3']).toMatchObject({ t: 's', v: '1234567890123456789' });
    // A note that looks like a formula stays text in a workbook.
    expect(ws['J2']).toMatchObject({ t: 's', v: '=SUM(A1)' });
    expect(ws['J2']!.f).toBeUndefined();
  });

  it('writes English headers for the English UI', async () => {
    const wb = XLSX.read(await exportXlsx([], 'en'), { type: 'array' });
    const back = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
    expect(back).toEqual([exportHeaders('en')]);
  });
});

describe('csv export', () => {
  const bytes = exportCsv(rows, 'zh');
  const text = new TextDecoder().decode(bytes.subarray(3));

  it('starts with a UTF-8 BOM so Excel shows the Chinese', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('quotes every field and ends lines with CRLF', () => {
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(exportHeaders('zh').map((h) => `"${h}"`).join(','));
    expect(lines.at(-1)).toBe('');
    expect(text).toContain('"【杭州转运中心】快件已发往 ""西湖区"", 派送员 138xxxx"');
    expect(text).toContain('"第一行\n第二行"');
  });

  it('guards long numbers with ="…" so Excel keeps every digit', () => {
    expect(text).toContain('"=""75123456780001"""');
    expect(text).toContain('"=""1234567890123456789"""');
  });

  it('neutralises text that Excel would run as a formula', () => {
    expect(text).toContain(`"'=SUM(A1)"`);
  });
});
