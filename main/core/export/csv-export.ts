/**
 * The current view as CSV for Excel: UTF-8 with a BOM (without it Excel reads the Chinese as
 * ANSI garbage), CRLF, every field quoted. Long digit strings are written as ="…" so Excel
 * keeps them as text (it would show 7.51235E+13 and drop digits past the 15th); other text
 * starting with = + - @ gets a leading ' so Excel never runs it as a formula.
 */
import type { Language } from '../../../preload/contract.js';
import { exportCells, exportHeaders, type ExportRow } from './export-row.js';

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

function field(v: string): string {
  if (/^\d{11,}$/.test(v)) return quote(`="${v}"`);
  if (/^[=+\-@\t\r]/.test(v)) return quote(`'${v}`);
  return quote(v);
}

export function exportCsv(rows: readonly ExportRow[], lang: Language): Uint8Array {
  const lines = [exportHeaders(lang).map(quote).join(',')];
  for (const row of rows) lines.push(exportCells(row).map(field).join(','));
  const body = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
