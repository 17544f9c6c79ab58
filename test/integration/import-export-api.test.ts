import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import { loadSheetJs } from '../../main/core/sheetjs.js';
import { startTestApp, type TestApp } from '../helpers/core.js';

type Err = { error: { code: string; message: string; messageEn?: string; field?: string } };
interface PreviewBody {
  id: string;
  platform: string;
  encoding: string;
  headerRow: number;
  columns: string[];
  mapping: Record<string, number | null>;
  rows: { line: number; number: string | null; company: string | null; orderNo: string[]; buyer: string | null; status: string; reason: string | null; reasonEn: string | null }[];
  counts: Record<string, number>;
}
interface CommitBody {
  added: number;
  skipped: number;
  failed: number;
  needsPhone: number;
  rows: { line: number; number: string | null; outcome: string; id?: string }[];
}

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`test/fixtures/imports/${name}`));

describe('import, orders on parcels and export over HTTP', () => {
  let app: TestApp;
  const upload = (bytes: Uint8Array, filename: string, a: TestApp = app) =>
    a.json<PreviewBody & Err>('/api/imports', {
      method: 'POST',
      body: bytes as unknown as BodyInit,
      headers: { 'content-type': 'text/csv', 'x-filename': encodeURIComponent(filename) },
    });
  const commit = (id: string, body: unknown = {}, a: TestApp = app) => a.json<CommitBody & Err>(`/api/imports/${id}/commit`, { method: 'POST', body: JSON.stringify(body) });
  const list = async (a: TestApp = app): Promise<ShipmentDto[]> => (await a.json<ShipmentDto[]>('/api/shipments')).body;
  /** The 拼多多 fixture's parcels, imported once whichever test needs them first (each test runs alone too). */
  const ensurePdd = async (): Promise<void> => {
    if ((await list()).some((s) => s.number === '75123456780001')) return;
    const p = await upload(fixture('pdd.csv'), 'pdd.csv');
    await commit(p.body.id);
  };

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('previews a 拼多多 CSV without storing anything, then commits the new rows with their orders', async () => {
    // An empty list of its own: the preview's statuses must not depend on what other tests added.
    const own = await startTestApp();
    try {
      const p = await upload(fixture('pdd.csv'), '拼多多订单.csv', own);
      expect(p.status).toBe(200);
      expect(p.body).toMatchObject({ platform: 'pinduoduo', encoding: 'utf-8-bom', headerRow: 1 });
      expect(p.body.columns).toContain('快递单号');
      expect(p.body.rows.some((r) => r.status === 'no-waybill')).toBe(true);
      expect(await list(own)).toHaveLength(0);

      const c = await commit(p.body.id, {}, own);
      expect(c.status).toBe(200);
      const newRows = p.body.rows.filter((r) => r.status === 'new');
      expect(c.body.added).toBe(newRows.length);
      expect(c.body.skipped).toBe(p.body.rows.length - newRows.length - c.body.needsPhone);
      const shipments = await list(own);
      expect(shipments).toHaveLength(newRows.length);
      // The same waybill on two orders: one parcel with both order numbers.
      const zto = shipments.find((s) => s.number === '75123456780001')!;
      expect(zto.orderNos).toEqual(['231130-0001', '231130-0007']);
      expect(zto.buyer).toBe('张**');
      expect(zto.company).toBe('zhongtong');
      // committed once: a second commit finds nothing
      expect((await commit(p.body.id, {}, own)).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('a later file with a tracked waybill on another order adds that order to the parcel', async () => {
    await ensurePdd();
    const p = await upload(new TextEncoder().encode('订单号,收货人,快递单号,快递公司\n231201-0042,张**,75123456780001,中通快递\n'), 'later.csv');
    expect(p.body.rows[0]).toMatchObject({ status: 'duplicate', orderNo: ['231201-0042'] });
    const c = await commit(p.body.id);
    expect(c.body).toMatchObject({ added: 0, skipped: 1, rows: [{ outcome: 'merged', number: '75123456780001' }] });
    expect((await list()).find((s) => s.number === '75123456780001')?.orderNos).toEqual(expect.arrayContaining(['231130-0001', '231130-0007', '231201-0042']));
  });

  it('reads a GBK 淘宝 CSV with title rows and refuses the Excel-damaged number', async () => {
    const p = await upload(fixture('taobao-gbk.csv'), 'taobao.csv');
    expect(p.status).toBe(200);
    expect(p.body.encoding).toBe('gb18030');
    expect(p.body.headerRow).toBe(3);
    const damaged = p.body.rows.find((r) => r.status === 'invalid')!;
    expect(damaged.reason).toContain('科学计数法');
    expect(damaged.reasonEn).toContain('scientific notation');
  });

  it('remembers a corrected mapping for the next file with the same headers', async () => {
    const bytes = new TextEncoder().encode('单号,备注单号,客户\nYT9000000000001,ORD-1,甲\n');
    const first = await upload(bytes, 'a.csv');
    expect(first.body.mapping.orderNo).toBeNull();
    const remapped = await app.json<PreviewBody & Err>(`/api/imports/${first.body.id}/mapping`, {
      method: 'POST',
      body: JSON.stringify({ mapping: { number: 0, orderNo: 1, buyer: 2 } }),
    });
    expect(remapped.status).toBe(200);
    expect(remapped.body.rows[0]).toMatchObject({ number: 'YT9000000000001', orderNo: ['ORD-1'], buyer: '甲' });
    const done = await commit(first.body.id, { mapping: { number: 0, orderNo: 1, buyer: 2 } });
    expect(done.body.added).toBe(1);
    const again = await upload(new TextEncoder().encode('单号,备注单号,客户\nYT9000000000002,ORD-2,乙\n'), 'b.csv');
    expect(again.body.mapping).toMatchObject({ number: 0, orderNo: 1, buyer: 2 });
    expect((await app.json<{ importMappings?: unknown }>('/api/settings')).body).not.toHaveProperty('importMappings.x');
  });

  it('refuses a bad mapping, an unknown preview and a body over 20 MB, in both languages', async () => {
    const p = await upload(new TextEncoder().encode('快递单号\nYT9000000000003\n'), 'c.csv');
    const bad = await commit(p.body.id, { mapping: { number: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('mapping');
    expect((await commit('imp_nothere')).status).toBe(404);
    const big = await upload(new Uint8Array(20 * 1024 * 1024 + 1), 'big.csv');
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/20 MB/);
    expect(big.body.error.messageEn).toMatch(/20 MB/);
    const empty = await upload(new Uint8Array(0), 'empty.csv');
    expect(empty.status).toBe(400);
  });

  it('adds order number and buyer on manual entry and merges a second order into the same waybill', async () => {
    const a = await app.json<ShipmentDto & Err>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT9100000000001', orderNo: 'O-1', buyer: '周**' }) });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ orderNos: ['O-1'], buyer: '周**' });
    const b = await app.json<ShipmentDto & Err>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT9100000000001', orderNo: ['O-2', 'O-1'] }) });
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.orderNos).toEqual(['O-1', 'O-2']);
    // the same waybill with no new order is still a duplicate
    const c = await app.json<Err>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT9100000000001', orderNo: 'O-2' }) });
    expect(c.status).toBe(409);
    const bad = await app.json<Err>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT9100000000002', orderNo: [1] }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('orderNo');
    // searchable by order number
    const found = (await app.json<ShipmentDto[]>('/api/shipments?q=O-2')).body;
    expect(found.map((s) => s.number)).toEqual(['YT9100000000001']);
  });

  it('exports the view as .xlsx and .csv with the list query, numbers intact', async () => {
    await ensurePdd();
    const xlsx = await app.api('/api/export?format=xlsx&q=75123456780001');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(xlsx.headers.get('content-disposition') ?? '')).toMatch(/包裹导出-\d{4}-\d\d-\d\d\.xlsx/);
    const { XLSX } = await loadSheetJs();
    const wb = XLSX.read(new Uint8Array(await xlsx.arrayBuffer()), { type: 'array' });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: false });
    expect(rows[0]).toEqual(['订单号', '买家', '快递公司', '快递单号', '状态', '最新动态', '最新时间', '已用时', '异常/提醒', '备注']);
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toMatch(/^231130-0001, 231130-0007/);
    expect(rows[1]![3]).toBe('75123456780001');

    const csv = await app.api('/api/export?format=csv&state=all');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('"=""75123456780001"""');

    const bad = await app.json<Err>('/api/export?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('format');
  });
});
