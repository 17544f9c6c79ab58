import { describe, expect, it } from 'vitest';
import { cleanCell, excelDamage, isSummaryRow, phoneForCarrier, splitWaybills } from '../../main/core/import/cell-clean.js';

describe('cell cleaning (issue 13 quirks)', () => {
  it('unwraps the ="…" guard Excel exports use for long numbers', () => {
    expect(cleanCell('="75123456780001"')).toBe('75123456780001');
    expect(cleanCell(' ="SF1234567890123" ')).toBe('SF1234567890123');
  });

  it('drops a leading apostrophe', () => {
    expect(cleanCell("'75123456780001")).toBe('75123456780001');
  });

  it('strips the tab 拼多多 puts after numeric cells, and a lone tab in an empty cell is empty', () => {
    expect(cleanCell('75123456780001\t')).toBe('75123456780001');
    expect(cleanCell('\t75123456780001')).toBe('75123456780001');
    expect(cleanCell('\t')).toBe('');
    expect(cleanCell('\u00a0\ufeff')).toBe('');
  });

  it('recognises a waybill Excel turned into scientific notation', () => {
    expect(excelDamage('7.3E+13')).toMatchObject({ kind: 'scientific' });
    expect(excelDamage('7.51235E+13')).toMatchObject({ kind: 'scientific' });
    expect(excelDamage('75123456780001')).toBeNull();
    expect(excelDamage('SF1234567890123')).toBeNull();
  });

  it('recognises long numbers whose tail Excel filled with zeros', () => {
    // 18 digits: Excel kept 15 significant digits and zero-filled the last 3.
    expect(excelDamage('751234567800012000')).toMatchObject({ kind: 'truncated' });
    expect(excelDamage('751234567800012345')).toBeNull();
  });

  it('splits several waybills in one cell on , ; 、 / and newlines', () => {
    const numbers = (s: string): string[] => splitWaybills(s).map((w) => w.number);
    expect(numbers('75123456780001,75123456780002')).toEqual(['75123456780001', '75123456780002']);
    expect(numbers('75123456780001；75123456780002')).toEqual(['75123456780001', '75123456780002']);
    expect(numbers('75123456780001、75123456780002/75123456780003')).toEqual(['75123456780001', '75123456780002', '75123456780003']);
    expect(numbers('75123456780001\n75123456780002\r\n')).toEqual(['75123456780001', '75123456780002']);
    expect(numbers('75123456780001，75123456780001')).toEqual(['75123456780001']);
  });

  it('reads placeholders of unshipped rows (-, 无, 暂无) as no waybill', () => {
    for (const cell of ['-', '--', '无', '暂无', 'N/A', '\t-\t']) expect(splitWaybills(cell), JSON.stringify(cell)).toEqual([]);
  });

  it('keeps the hyphens of a JD child waybill but splits 单号-公司', () => {
    expect(splitWaybills('JDVA12345678901-1-1')).toEqual([{ number: 'JDVA12345678901-1-1', carrier: null }]);
    expect(splitWaybills('75123456780001-中通快递')).toEqual([{ number: '75123456780001', carrier: '中通快递' }]);
    expect(splitWaybills('中通快递：75123456780001')).toEqual([{ number: '75123456780001', carrier: '中通快递' }]);
    expect(splitWaybills('75123456780001(中通)')).toEqual([{ number: '75123456780001', carrier: '中通' }]);
  });

  it('keeps the last 4 digits of a masked phone, the extension of a virtual number, a full phone whole', () => {
    expect(phoneForCarrier('187****3471')).toBe('3471');
    expect(phoneForCarrier('18700001234-5678')).toBe('5678');
    expect(phoneForCarrier('18700001234转5678')).toBe('5678');
    expect(phoneForCarrier('18700001234\t')).toBe('18700001234');
    expect(phoneForCarrier('+86 187 0000 1234')).toBe('18700001234');
    expect(phoneForCarrier('****')).toBeNull();
    expect(phoneForCarrier('')).toBeNull();
  });

  it('recognises summary rows at the bottom', () => {
    expect(isSummaryRow(['合计', '', '', '1234.00'])).toBe(true);
    expect(isSummaryRow(['', '总计：', '35'])).toBe(true);
    expect(isSummaryRow(['共 35 条记录'])).toBe(true);
    expect(isSummaryRow(['P2311300001', '张三', '合计不是开头'])).toBe(false);
  });
});
