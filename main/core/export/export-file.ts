/** The view as a file to download: rows in the UI's language, written as .xlsx or .csv. */
import type { ExportFileDto, ExportFormat, Language, ShipmentDto } from '../../../preload/contract.js';
import { exportCsv } from './csv-export.js';
import { exportFileName } from './export-row.js';
import { toExportRow } from './export-view.js';
import { exportXlsx } from './xlsx-export.js';

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export async function exportFile(list: readonly ShipmentDto[], format: ExportFormat, lang: Language, now: number): Promise<ExportFileDto> {
  const rows = list.map((s) => toExportRow(s, lang, now));
  return {
    filename: exportFileName(format, lang, now),
    contentType: EXPORT_CONTENT_TYPES[format],
    bytes: format === 'xlsx' ? await exportXlsx(rows, lang) : exportCsv(rows, lang),
  };
}
