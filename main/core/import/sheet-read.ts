/**
 * Bytes of an export to a grid of strings, whatever the format: .xlsx and .xls through
 * SheetJS, HTML "xls" through SheetJS too, CSV/TSV through our decoder and parser.
 */
import type { Result } from '../../../preload/contract.js';
import type { CellObject, WorkBook } from '@e965/xlsx';
import { loadSheetJs, SheetJsUnavailableError } from '../sheetjs.js';
import { parseCsv } from './csv-parse.js';
import { detectFileKind, type FileKind } from './file-kind.js';
import { decodeText, type TextEncoding } from './text-decode.js';
import { checkZipSize } from './zip-guard.js';

/**
 * The most rows one import reads. A 10,000-row export previews in about a second; a 20 MB CSV
 * of 84,000 rows took 15 s and a 287 KB .xlsx of 2 million rows 57 s, with the server frozen.
 */
export const MAX_IMPORT_ROWS = 30_000;
/** The most an .xlsx may unpack to (a 10,000-row export is a few MB of XML). */
export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;

export interface SheetData {
  format: FileKind;
  /** How the text was encoded; 'binary' for .xlsx/.xls (their strings carry their own encoding). */
  encoding: TextEncoding | 'binary';
  grid: string[][];
}

/**
 * Text for a number cell. Excel holds 15 significant digits, so an integer of 16 or more
 * digits has already lost some: it is written in scientific form, which the cleaner refuses.
 */
export function numberCellText(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (Number.isInteger(v)) return v.toExponential().toUpperCase();
  return String(v);
}

function cellText(cell: CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n':
      return numberCellText(cell.v as number);
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString() : String(cell.v);
    case 'e':
    case 'z':
      return '';
    default:
      return String(cell.v);
  }
}

function workbookGrid(wb: WorkBook): string[][] {
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    const data = ws?.['!data'];
    if (!data || data.length === 0) continue;
    const grid: string[][] = [];
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      grid.push(row ? Array.from(row, cellText) : []);
    }
    return grid;
  }
  return [];
}

const unreadable = (detail: string): Result<never> => ({
  ok: false,
  error: {
    code: 'invalid',
    message: `无法读取这个文件（${detail}）。请上传平台导出的 .xlsx、.xls 或 .csv 文件`,
    messageEn: `Cannot read this file (${detail}). Upload the .xlsx, .xls or .csv file the platform exported`,
    field: 'file',
  },
});

const tooLarge = (message: string, messageEn: string): Result<never> => ({
  ok: false,
  error: { code: 'invalid', message, messageEn, field: 'file' },
});
const tooManyRows = (): Result<never> =>
  tooLarge(
    `文件超过 ${MAX_IMPORT_ROWS} 行，请按日期分几次导出再导入`,
    `The file has more than ${MAX_IMPORT_ROWS} rows; export it in several parts (by date) and import each`,
  );

const zipTooLarge = (bytes: Uint8Array): boolean => {
  const v = checkZipSize(bytes, MAX_UNZIPPED_BYTES);
  // A malformed zip is SheetJS's to report in its own words.
  return !v.ok && v.reason === 'too-large';
};

/** The grid, unless it holds more rows than an import takes (SheetJS stops at sheetRows). */
function capped(format: FileKind, encoding: TextEncoding | 'binary', grid: string[][]): Result<SheetData> {
  return grid.length > MAX_IMPORT_ROWS ? tooManyRows() : { ok: true, value: { format, encoding, grid } };
}

/** Loads SheetJS only for a workbook or an HTML table: a CSV needs none of it. */
export async function readSheet(bytes: Uint8Array, filename = ''): Promise<Result<SheetData>> {
  if (bytes.length === 0) return unreadable('空文件 / empty file');
  const format = detectFileKind(bytes, filename);
  const sheetRows = MAX_IMPORT_ROWS + 1;
  try {
    if (format === 'xlsx' || format === 'xls') {
      if (format === 'xlsx' && zipTooLarge(bytes)) {
        return tooLarge(
          `文件解压后太大（超过 ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB），不像平台导出的订单表`,
          `The file is too large once unpacked (over ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB); it is not an order export`,
        );
      }
      const { XLSX } = await loadSheetJs();
      const wb = XLSX.read(bytes, { type: 'array', dense: true, sheetRows, cellFormula: false, cellHTML: false, cellText: false, cellDates: false, cellNF: false });
      return capped(format, 'binary', workbookGrid(wb));
    }
    const { text, encoding } = decodeText(bytes);
    if (format === 'html') {
      // raw: keep "75123456780001" as the text it is instead of a number.
      const { XLSX } = await loadSheetJs();
      const wb = XLSX.read(text, { type: 'string', dense: true, sheetRows, raw: true, cellDates: false });
      return capped(format, encoding, workbookGrid(wb));
    }
    return capped(format, encoding, parseCsv(text));
  } catch (e) {
    if (e instanceof SheetJsUnavailableError) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `无法加载表格组件，请重试；仍不行请重新安装包裹提醒（${e.message.slice(0, 120)}）`,
          messageEn: `The spreadsheet reader could not be loaded: try again, and reinstall ParcelTray if it persists (${e.message.slice(0, 120)})`,
        },
      };
    }
    return unreadable(e instanceof Error ? e.message.slice(0, 120) : 'unknown');
  }
}
