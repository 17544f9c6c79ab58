/**
 * SheetJS (the 0.20.x republish @e965/xlsx; npm's xlsx@0.18.5 carries CVE-2023-30533 and
 * CVE-2024-22363), loaded once with its codepage tables so that legacy .xls (BIFF5) files
 * written in GBK decode right. Chosen over exceljs because it also reads .xls and HTML "xls".
 *
 * Loaded at the first spreadsheet, not at start: the two modules take over 100 ms to load
 * (the codepage tables alone ~70 ms), a third of an empty store's start, for a feature a seller
 * uses now and then.
 */
import type * as XLSXModule from '@e965/xlsx';

export type XLSX = typeof XLSXModule;

export interface CodepageUtils {
  utils: {
    encode(cp: number, data: string): number[] | Uint8Array | string;
    decode(cp: number, data: number[] | Uint8Array): string;
  };
}

export interface SheetJs {
  XLSX: XLSX;
  /**
   * SheetJS's code page module (936 = GBK), also handy to write GBK test data. Its bundled
   * .d.ts describes the CommonJS shape; under ESM `utils` sits on the module namespace.
   */
  cptable: CodepageUtils;
}

/** The app's own files could not be loaded (a damaged install, a file an antivirus holds): not the seller's file. */
export class SheetJsUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the spreadsheet reader could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SheetJsUnavailableError';
  }
}

let loading: Promise<SheetJs> | null = null;

export function loadSheetJs(): Promise<SheetJs> {
  loading ??= Promise.all([import('@e965/xlsx'), import('@e965/xlsx/dist/cpexcel.full.mjs')]).then(
    ([XLSX, cpexcel]) => {
      XLSX.set_cptable(cpexcel);
      return { XLSX, cptable: cpexcel as unknown as CodepageUtils };
    },
    (e: unknown) => {
      // The next spreadsheet tries again (whatever held the file may have let go).
      loading = null;
      throw new SheetJsUnavailableError(e);
    },
  );
  return loading;
}
