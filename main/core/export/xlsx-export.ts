/**
 * The current view as an .xlsx workbook. Every cell is a text cell (t:'s'): Excel then shows
 * a 15+ digit waybill or order number as written instead of 7.51235E+13, and nothing is ever
 * read as a formula.
 */
import type { Language } from '../../../preload/contract.js';
import type { WorkSheet } from '@e965/xlsx';
import { loadSheetJs } from '../sheetjs.js';
import { EXPORT_COLUMNS, exportCells, exportHeaders, type ExportRow } from './export-row.js';

export async function exportXlsx(rows: readonly ExportRow[], lang: Language): Promise<Uint8Array> {
  const { XLSX } = await loadSheetJs();
  const ws: WorkSheet = {};
  const put = (r: number, cells: readonly string[]): void => {
    cells.forEach((v, c) => {
      ws[XLSX.utils.encode_cell({ r, c })] = { t: 's', v };
    });
  };
  put(0, exportHeaders(lang));
  rows.forEach((row, i) => put(i + 1, exportCells(row)));
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length, c: EXPORT_COLUMNS.length - 1 } });
  ws['!cols'] = EXPORT_COLUMNS.map((c) => ({ wch: c.width }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, lang === 'zh' ? '包裹' : 'Parcels');
  const out = XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
  return new Uint8Array(out);
}
