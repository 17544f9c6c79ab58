/** Committing an import preview through the tracker: what each row becomes, duplicates re-checked at commit. */
import { describe, expect, it } from 'vitest';
import { memoryTracker } from '../helpers/memory-tracker.js';

const csv = (lines: string[]): Uint8Array => new TextEncoder().encode(['订单号,收货人,手机,快递单号,快递公司', ...lines].join('\n'));
const LINES = [
  'A1,张**,187****3471,SF1234567890123,顺丰速运',
  'A2,李**,,75123456780001,中通快递',
  'A3,王**,,431234567890123,',
  'A4,赵**,,,',
  'A5,钱**,,7.3E+13,中通快递',
  'A6,孙**,,SF1234567890999,顺丰速运',
];

async function previewed() {
  const tracker = await memoryTracker();
  const p = await tracker.t.previewImport({ filename: 'a.csv', bytes: csv(LINES) });
  if (!p.ok) throw new Error(p.error.message);
  return { ...tracker, id: p.value.id };
}

describe('import commit', () => {
  it('adds the new rows only, with their carrier, phone, orders and buyer', async () => {
    const { t, store, id } = await previewed();
    const c = await t.commitImport(id);
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'added'], [3, 'added'], [4, 'added'], [5, 'no-waybill'], [6, 'invalid'], [7, 'needs-phone'],
    ]);
    expect(c.value).toMatchObject({ added: 3, skipped: 2, failed: 0, needsPhone: 1 });
    const stored = store.list().map((r) => ({ number: r.number, company: r.company, phone: r.phone, autoCom: r.autoCom, orderNos: r.orderNos, buyer: r.buyer }));
    expect(stored).toEqual([
      { number: 'SF1234567890123', company: 'shunfeng', phone: '3471', autoCom: false, orderNos: ['A1'], buyer: '张**' },
      { number: '75123456780001', company: 'zhongtong', phone: null, autoCom: false, orderNos: ['A2'], buyer: '李**' },
      // No name and several carriers fit: the intake takes the most likely (carrier-decision.ts).
      { number: '431234567890123', company: 'yunda', phone: null, autoCom: false, orderNos: ['A3'], buyer: '王**' },
    ]);
  });

  it('re-checks duplicates at commit time (a parcel added since the preview)', async () => {
    const { t, store, id } = await previewed();
    expect((await t.addShipment({ number: '75123456780001', company: 'zhongtong', orderNo: 'A2' })).ok).toBe(true);
    const c = await t.commitImport(id);
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.rows.filter((r) => r.outcome === 'added').map((r) => r.number)).toEqual(['SF1234567890123', '431234567890123']);
    expect(c.value.rows.find((r) => r.number === '75123456780001')?.outcome).toBe('duplicate');
    expect(store.list().filter((r) => r.number === '75123456780001')).toHaveLength(1);
  });
});
