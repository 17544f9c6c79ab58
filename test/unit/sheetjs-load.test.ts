/**
 * SheetJS loads at the first spreadsheet (sheetjs.ts). A load that fails (a damaged install, a
 * file locked by an antivirus) says so in both languages rather than blaming the seller's file,
 * and the next spreadsheet tries again rather than failing for the rest of the session.
 */
import { describe, expect, it, vi } from 'vitest';

const fail = vi.hoisted(() => ({ next: true }));
vi.mock('@e965/xlsx/dist/cpexcel.full.mjs', async (original) => {
  if (fail.next) {
    fail.next = false;
    throw new Error('EACCES: permission denied, open cpexcel.full.mjs');
  }
  return original();
});

describe('SheetJS that fails to load', () => {
  it('is reported as the app’s trouble, not the file’s, and is tried again at the next spreadsheet', async () => {
    const { readSheet } = await import('../../main/core/import/sheet-read.js');
    const { loadSheetJs } = await import('../../main/core/sheetjs.js');
    // A minimal .xls signature is enough to need SheetJS.
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const first = await readSheet(xls, 'orders.xls');
    expect(first).toEqual({ ok: false, error: expect.objectContaining({ code: 'internal', message: expect.stringContaining('表格组件'), messageEn: expect.stringContaining('spreadsheet reader') }) });
    vi.resetModules();
    const { cptable } = await loadSheetJs();
    expect(cptable.utils.decode(936, [0xc4, 0xe3])).toBe('你');
  });
});
