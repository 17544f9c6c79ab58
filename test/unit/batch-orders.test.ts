import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../renderer/src/batch.js';

describe('batch paste with order numbers', () => {
  it('reads "单号 公司 订单号" lines separated by spaces, carrier and order optional and in any order', () => {
    const lines = parseBatch('75123456780001 中通快递 231130-0001\nYT1234567890123 240101123456789\nJT0018181408276 231130-0002 极兔\nSF1400000000001');
    expect(lines.map((l) => l.input)).toEqual([
      { number: '75123456780001', company: '中通快递', orderNo: '231130-0001' },
      { number: 'YT1234567890123', orderNo: '240101123456789' },
      { number: 'JT0018181408276', company: '极兔', orderNo: '231130-0002' },
      { number: 'SF1400000000001' },
    ]);
  });

  it('keeps CSV as number,carrier,phone,note and takes an order number in the third or fifth field', () => {
    const lines = parseBatch('SF1000000002,shunfeng,6621,王五,231130-0009\nYT1000000001,圆通,231130-0003\nZT1000000003,中通,187****3471,备注, 二单');
    expect(lines.map((l) => l.input)).toEqual([
      { number: 'SF1000000002', company: 'shunfeng', phone: '6621', note: '王五', orderNo: '231130-0009' },
      { number: 'YT1000000001', company: '圆通', orderNo: '231130-0003' },
      // "二单" is no order number: it stays in the note, as before
      { number: 'ZT1000000003', company: '中通', phone: '187****3471', note: '备注,二单' },
    ]);
  });
});
