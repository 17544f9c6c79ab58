import { describe, expect, it } from 'vitest';
import { planCommit } from '../../main/core/import/commit-plan.js';
import { previewImport } from '../../main/core/import/preview.js';

const csv = (lines: string[]): Uint8Array => new TextEncoder().encode(['订单号,收货人,手机,快递单号,快递公司', ...lines].join('\n'));

async function sessionOf(lines: string[]) {
  const r = await previewImport(csv(lines), 'a.csv', { newId: () => 'imp_1' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('import commit plan', async () => {
  const session = await sessionOf([
    'A1,张**,187****3471,SF1234567890123,顺丰速运',
    'A2,李**,,75123456780001,中通快递',
    'A3,王**,,431234567890123,',
    'A4,赵**,,,',
    'A5,钱**,,7.3E+13,中通快递',
    'A6,孙**,,SF1234567890999,顺丰速运',
  ]);

  it('adds the new rows only, with their carrier, phone, orders and buyer', () => {
    const plan = planCommit(session.preview, () => false);
    expect(plan.toAdd.map((a) => [a.line, a.input])).toEqual([
      [2, { number: 'SF1234567890123', company: 'shunfeng', phone: '3471', autoCom: false, orderNo: ['A1'], buyer: '张**' }],
      [3, { number: '75123456780001', company: 'zhongtong', autoCom: false, orderNo: ['A2'], buyer: '李**' }],
      // Several carriers fit: Kuaidi100's automatic recognition decides.
      [4, { number: '431234567890123', autoCom: true, orderNo: ['A3'], buyer: '王**' }],
    ]);
    expect(plan.skipped).toEqual({ duplicate: 0, invalid: 1, needsPhone: 1, noWaybill: 1 });
  });

  it('re-checks duplicates at commit time (a parcel added since the preview)', () => {
    const plan = planCommit(session.preview, (n) => n === '75123456780001');
    expect(plan.toAdd.map((a) => a.input.number)).toEqual(['SF1234567890123', '431234567890123']);
    expect(plan.skipped.duplicate).toBe(1);
  });
});
