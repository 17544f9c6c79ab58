import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// What a module graph loads: each library below records itself when something imports it.
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('@e965/xlsx', async (original) => {
  loaded.add('@e965/xlsx');
  return original();
});
vi.mock('@e965/xlsx/dist/cpexcel.full.mjs', async (original) => {
  loaded.add('cpexcel');
  return original();
});
vi.mock('nodemailer', async (original) => {
  loaded.add('nodemailer');
  return original();
});

const required = (pkg: string): string[] => Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes(`${sep}${pkg}${sep}`));

describe('the headless start', () => {
  it('loads neither SheetJS, nodemailer nor the localtunnel client before they are used', async () => {
    await import('../../main/web/headless.js');
    expect([...loaded]).toEqual([]);
    expect(required('localtunnel')).toEqual([]);
  });

  it('loads SheetJS with its code pages at the first spreadsheet', async () => {
    const { loadSheetJs } = await import('../../main/core/sheetjs.js');
    const { cptable } = await loadSheetJs();
    expect(loaded).toContain('@e965/xlsx');
    expect(loaded).toContain('cpexcel');
    expect(cptable.utils.decode(936, [0xc4, 0xe3])).toBe('你');
  });
});
