/**
 * SheetJS (the 0.20.x republish @e965/xlsx; npm's xlsx@0.18.5 carries CVE-2023-30533 and
 * CVE-2024-22363), loaded once with its codepage tables so that legacy .xls (BIFF5) files
 * written in GBK decode right. Chosen over exceljs because it also reads .xls and HTML "xls".
 */
import * as XLSX from '@e965/xlsx';
import * as cpexcel from '@e965/xlsx/dist/cpexcel.full.mjs';

XLSX.set_cptable(cpexcel);

export { XLSX };
export interface CodepageUtils {
  utils: {
    encode(cp: number, data: string): number[] | Uint8Array | string;
    decode(cp: number, data: number[] | Uint8Array): string;
  };
}
/**
 * SheetJS's code page module (936 = GBK), also handy to write GBK test data. Its bundled
 * .d.ts describes the CommonJS shape; under ESM `utils` sits on the module namespace.
 */
export const cptable = cpexcel as unknown as CodepageUtils;
