/**
 * What a file is, from its first bytes: sellers rename exports, and several platforms write
 * an HTML table or tab-separated text under a .xls name.
 */
export type FileKind = 'xlsx' | 'xls' | 'html' | 'csv';

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function detectFileKind(bytes: Uint8Array, _filename = ''): FileKind {
  if (startsWith(bytes, ZIP)) return 'xlsx';
  if (startsWith(bytes, CFB)) return 'xls';
  // Markup (an HTML table or SpreadsheetML 2003) shows as '<' after an optional BOM and spaces.
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && i < 512 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x3c) return 'html';
  return 'csv';
}
