import { describe, expect, it } from 'vitest';
import { detectFileKind } from '../../main/core/import/file-kind.js';
import { decodeText } from '../../main/core/import/text-decode.js';
import { parseCsv } from '../../main/core/import/csv-parse.js';
import { loadSheetJs } from '../../main/core/sheetjs.js';

const { cptable } = await loadSheetJs();

const gbk = (s: string): Uint8Array => Uint8Array.from(cptable.utils.encode(936, s) as number[]);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decoding bytes', () => {
  it('reads UTF-8 with a BOM and says so', () => {
    const r = decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('快递单号,订单号')]));
    expect(r).toEqual({ text: '快递单号,订单号', encoding: 'utf-8-bom' });
  });

  it('reads UTF-8 without a BOM', () => {
    expect(decodeText(utf8('快递单号,订单号'))).toEqual({ text: '快递单号,订单号', encoding: 'utf-8' });
  });

  it('falls back to GB18030 (GBK superset) when the bytes are not valid UTF-8', () => {
    const r = decodeText(gbk('物流单号,物流公司,中通快递'));
    expect(r).toEqual({ text: '物流单号,物流公司,中通快递', encoding: 'gb18030' });
  });

  it('reads UTF-16LE (Excel "Unicode text")', () => {
    const s = '快递单号\t订单号';
    const bytes = new Uint8Array(2 + s.length * 2);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < s.length; i++) {
      bytes[2 + 2 * i] = s.charCodeAt(i) & 0xff;
      bytes[3 + 2 * i] = s.charCodeAt(i) >> 8;
    }
    expect(decodeText(bytes)).toEqual({ text: s, encoding: 'utf-16le' });
  });

  it('detects xlsx and xls by their magic bytes, not by the name', () => {
    expect(detectFileKind(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'orders.csv')).toBe('xlsx');
    expect(detectFileKind(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'orders.csv')).toBe('xls');
    expect(detectFileKind(utf8('<table><tr><td>快递单号</td></tr></table>'), 'orders.xls')).toBe('html');
    expect(detectFileKind(utf8('快递单号,订单号'), 'orders.xls')).toBe('csv');
  });
});

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes, newlines in quotes and CRLF', () => {
    expect(parseCsv('a,"b,1","c""d"\r\n"x\ny",2,\r\n')).toEqual([
      ['a', 'b,1', 'c"d'],
      ['x\ny', '2', ''],
    ]);
  });

  it('keeps the tab guard inside a field of a comma file', () => {
    expect(parseCsv('快递单号,订单号,手机\n75123456780001\t,231130-1\t,\t\n')).toEqual([
      ['快递单号', '订单号', '手机'],
      ['75123456780001\t', '231130-1\t', '\t'],
    ]);
  });

  it('sniffs a tab-separated file', () => {
    expect(parseCsv('快递单号\t订单号\t备注\n75123456780001\tP1\t红色,大号\n')).toEqual([
      ['快递单号', '订单号', '备注'],
      ['75123456780001', 'P1', '红色,大号'],
    ]);
  });
});
