/**
 * Hostile order files (issue 13, broken on purpose): an .xlsx whose few KB inflate to hundreds of
 * MB, a sheet of millions of rows, a header row pasted twice, direction-override characters.
 * Each used to freeze the headless server's event loop for 17–57 s (and grow it to 1.6 GB),
 * or to show the seller a bogus "invalid" row.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { previewImport, type ImportSession } from '../../main/core/import/preview.js';
import { MAX_IMPORT_ROWS, MAX_UNZIPPED_BYTES } from '../../main/core/import/sheet-read.js';

const deps = { newId: () => 'imp_b2' };
const enc = new TextEncoder();

/** A minimal zip (deflated entries, no CRC: SheetJS does not check it), enough for SheetJS to read. */
function zip(entries: Record<string, Uint8Array>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const packed = deflateRawSync(data, { level: 1 });
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += local.length + n.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
function xlsx(sheet: Uint8Array, shared?: Uint8Array): Uint8Array {
  const parts: Record<string, Uint8Array> = {
    '[Content_Types].xml': enc.encode(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`),
    '_rels/.rels': enc.encode(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': enc.encode(`<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': enc.encode(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${shared ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`),
    'xl/worksheets/sheet1.xml': sheet,
  };
  if (shared) parts['xl/sharedStrings.xml'] = shared;
  return zip(parts);
}

async function refused(bytes: Uint8Array, name: string): Promise<{ message: string; messageEn?: string }> {
  const r = await previewImport(bytes, name, deps);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('accepted');
  return r.error;
}
async function preview(bytes: Uint8Array, name: string): Promise<ImportSession> {
  const r = await previewImport(bytes, name, deps);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('breaker2: spreadsheet bombs are refused before they are unpacked', () => {
  it('an .xlsx whose shared strings inflate past the limit is refused as too large, not "empty"', async () => {
    const head = enc.encode(`<?xml version="1.0"?><sst xmlns="${NS}"><si><t>`);
    const tail = enc.encode('</t></si></sst>');
    const shared = new Uint8Array(MAX_UNZIPPED_BYTES + 1024 * 1024);
    shared.fill(0x41);
    shared.set(head, 0);
    shared.set(tail, shared.length - tail.length);
    const sheet = enc.encode(`<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`);
    const bytes = xlsx(sheet, shared);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    const e = await refused(bytes, 'bomb.xlsx');
    expect(e.message).toContain('太大');
    expect(e.messageEn).toMatch(/too large/i);
  }, 60_000);

  it('an .xlsx of more rows than an import takes is refused with the limit, without reading them all', async () => {
    const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
    const sheet = enc.encode(`<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${row.repeat(MAX_IMPORT_ROWS + 10)}</sheetData></worksheet>`);
    const e = await refused(xlsx(sheet), 'rows.xlsx');
    expect(e.message).toContain(String(MAX_IMPORT_ROWS));
    expect(e.messageEn).toContain(String(MAX_IMPORT_ROWS));
  }, 60_000);

  it('a CSV of more rows than an import takes is refused with the limit', async () => {
    const lines = ['订单号,快递单号,快递公司'];
    for (let i = 0; i < MAX_IMPORT_ROWS + 10; i++) lines.push(`O${i},7512${String(i).padStart(10, '0')},中通快递`);
    const e = await refused(enc.encode(lines.join('\n')), 'rows.csv');
    expect(e.message).toContain(String(MAX_IMPORT_ROWS));
  }, 60_000);

  it('a file of exactly the limit still previews', async () => {
    const lines = ['订单号,快递单号,快递公司'];
    for (let i = 0; i < MAX_IMPORT_ROWS - 1; i++) lines.push(`O${i},7512${String(i).padStart(10, '0')},中通快递`);
    expect((await preview(enc.encode(lines.join('\n')), 'ok.csv')).preview.counts.new).toBe(MAX_IMPORT_ROWS - 1);
  }, 60_000);
});

describe('breaker2: rows a seller did not mean as parcels', () => {
  it('a header row repeated further down (two exports pasted together) is skipped, not an invalid waybill', async () => {
    const csv = '\ufeff订单号,快递单号,快递公司\nO8,75123456780008,中通快递\n订单号,快递单号,快递公司\nO9,75123456780009,中通快递\n';
    const { preview: p } = await preview(enc.encode(csv), 'twice.csv');
    expect(p.counts.invalid).toBe(0);
    expect(p.rows.map((r) => r.number)).toEqual(['75123456780008', '75123456780009']);
  });

  it('direction overrides and marks (U+202E, U+200E, U+2066…) around a waybill are removed, so the number is read', async () => {
    const csv = '\ufeff订单号,快递单号,快递公司,收货人\nO4,\u202e75123456780004\u202c,中通快递,\u202eabc\nO5,\u200e75123456780005\u2069,中通快递,\u2066张三\u2069\n';
    const { preview: p } = await preview(enc.encode(csv), 'rtl.csv');
    expect(p.rows.map((r) => [r.number, r.status, r.buyer])).toEqual([
      ['75123456780004', 'new', 'abc'],
      ['75123456780005', 'new', '张三'],
    ]);
  });
});
