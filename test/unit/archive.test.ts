import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingEventDto } from '../../preload/contract.js';
import { decodeLine, encodeEntry, entryOf, summaryRecordOf } from '../../main/core/store/archive-index.js';
import { Archive, archiveDue } from '../../main/core/store/archive.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { ShipmentRecord } from '../../main/core/store/schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'parceltray-archive-'));
  dirs.push(d);
  return join(d, 'archive');
}

function scan(time: string, context: string): TrackingEventDto {
  return { time, ftime: time, context, status: '签收', statusCode: '301', areaCode: null, areaName: '浙江,杭州市', areaCenter: null, location: null, areaPinYin: null };
}

interface Init {
  i: number;
  month?: string;
  day?: number;
  note?: string;
  company?: string;
  state?: string;
  orderNo?: string[];
  buyer?: string;
  removed?: boolean;
  pad?: number;
}

/** An ended parcel as the store keeps it; `pad` makes its history long (to spread segments). */
function rec(init: Init): ShipmentRecord {
  const month = init.month ?? '2026-03';
  const at = `${month}-${String(init.day ?? 1 + (init.i % 27)).padStart(2, '0')}T08:00:${String(init.i % 60).padStart(2, '0')}.000Z`;
  const base = newShipmentRecord({ company: init.company ?? 'zhongtong', number: `ZT${String(7_000_000_000_000 + init.i)}`, now: at, autoCom: false, note: init.note ?? `客户${init.i}`, subscription: { status: 'active' } });
  const events = Array.from({ length: 1 + (init.pad ?? 0) }, (_, k) => scan(at.replace('T', ' ').slice(0, 19), `【杭州市】 已签收，签收人凭取货码签收 第${init.i}件 第${k}站 ${'填充'.repeat(init.pad ? 40 : 0)}`));
  return {
    ...base,
    state: init.state ?? '3',
    statusCode: init.state === '2' ? '2' : '301',
    isCheck: (init.state ?? '3') === '3',
    tracking: 'shutdown',
    events,
    endedAt: at,
    updatedAt: at,
    removedAt: init.removed ? at : null,
    ...(init.orderNo ? { orderNos: init.orderNo } : {}),
    ...(init.buyer ? { buyer: init.buyer } : {}),
  };
}

const monthFile = (dir: string, month: string): string => join(dir, `${month}.jsonl.gz`);
const indexFile = (dir: string): string => join(dir, 'index.tsv');
const numbers = async (a: Archive, q: Parameters<Archive['search']>[0]): Promise<string[]> => (await a.search(q)).entries.map((e) => e.number);

describe('archive: search reads the index only', () => {
  it('finds by number, note, order number, buyer and carrier name; state groups; newest first; pages', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    await a.add([
      rec({ i: 1, note: '红色连衣裙', day: 3 }),
      rec({ i: 2, orderNo: ['250301-123456789', '250301-99'], day: 5 }),
      rec({ i: 3, buyer: '张**', company: 'shunfeng', day: 7 }),
      rec({ i: 4, state: '2', day: 9 }),
      rec({ i: 5, removed: true, day: 11 }),
    ]);
    expect(await numbers(a, { q: '连衣裙' })).toEqual(['ZT7000000000001']);
    expect(await numbers(a, { q: '123456789' })).toEqual(['ZT7000000000002']);
    expect(await numbers(a, { q: '张**' })).toEqual(['ZT7000000000003']);
    expect(await numbers(a, { q: '顺丰' })).toEqual(['ZT7000000000003']);
    expect(await numbers(a, { q: 'zt700000000000' })).toEqual(['ZT7000000000004', 'ZT7000000000003', 'ZT7000000000002', 'ZT7000000000001']);
    // Only what the fields hold: no match on the index's own markers (a null buyer, separators).
    expect(await numbers(a, { q: '-' })).toEqual(['ZT7000000000002']);
    expect(await numbers(a, { q: '\\' })).toEqual([]);
    expect(await numbers(a, { q: '裙\tzh' })).toEqual([]);
    expect(await numbers(a, { q: '裙\x01zh' })).toEqual([]);
    expect(await numbers(a, { state: 'exception' })).toEqual(['ZT7000000000004']);
    expect(await numbers(a, { state: '2' })).toEqual(['ZT7000000000004']);
    expect(await numbers(a, { state: 'delivered' })).toEqual(['ZT7000000000003', 'ZT7000000000002', 'ZT7000000000001']);
    const page = await a.search({ limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => e.number)).toEqual(['ZT7000000000003', 'ZT7000000000002']);
    const e = page.entries[1]!;
    expect(e).toMatchObject({ orderNos: ['250301-123456789', '250301-99'], group: 'delivered', month: '2026-03', lastContext: expect.stringContaining('已签收') });
  });

  it('indexes order numbers and buyer under the records\' field names (orderNos), and the old orderNo', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    const current = { ...rec({ i: 7 }), orderNos: ['260301-555666777'], buyer: '李**' };
    const older = rec({ i: 8, orderNo: ['260301-888'] });
    await a.add([current, older]);
    expect(await numbers(a, { q: '555666777' })).toEqual(['ZT7000000000007']);
    expect(await numbers(a, { q: '李**' })).toEqual(['ZT7000000000007']);
    expect(await numbers(a, { q: '260301-888' })).toEqual(['ZT7000000000008']);
    const [e] = (await a.search({ q: '555666777' })).entries;
    expect(e).toMatchObject({ orderNos: ['260301-555666777'], buyer: '李**' });
    // A list row built from the index carries the field the DTOs read.
    expect(summaryRecordOf(e!)).toMatchObject({ orderNos: ['260301-555666777'], buyer: '李**' });
  });

  it('answers searches with the month files gone, and opens a parcel from its month', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    const records = Array.from({ length: 40 }, (_, i) => rec({ i, pad: 30 }));
    await a.add(records);
    expect(await a.get(records[17]!.id)).toEqual(records[17]);
    // A fresh instance loads the index; then the months leave: search must not need them.
    const b = new Archive(dir, { fsync: false });
    expect((await b.search({ q: '客户1' })).total).toBe(11);
    renameSync(monthFile(dir, '2026-03'), `${monthFile(dir, '2026-03')}.away`);
    expect((await b.search({ q: '客户3' })).entries.map((e) => e.id).sort()).toEqual(records.filter((r) => r.note!.startsWith('客户3')).map((r) => r.id).sort());
    await expect(b.get(records[3]!.id)).rejects.toThrow();
    renameSync(`${monthFile(dir, '2026-03')}.away`, monthFile(dir, '2026-03'));
    expect(await b.get(records[3]!.id)).toEqual(records[3]);
  });

  it('the index line format round-trips tabs, newlines, backslashes and nulls', () => {
    const r = rec({ i: 9, note: 'a\tb\nc\\d\x1fe', orderNo: ['x\ty'], buyer: '李\\四' });
    const e = entryOf(r, { month: '2026-03', offset: 12, length: 34, line: 5 });
    const back = decodeLine(encodeEntry(e));
    expect(back).toEqual({ kind: 'record', entry: e });
    expect(encodeEntry(e)).not.toContain('\n');
    expect(() => decodeLine(encodeEntry(e).split('\t').slice(0, 10).join('\t'))).toThrow();
    // A list row from the index alone has the newest scan and the same tab.
    const long = entryOf({ ...r, events: [scan('2026-03-01 08:00:00', '派'.repeat(300))] }, { month: '2026-03', offset: 0, length: 1, line: 0 });
    const clipped = decodeLine(encodeEntry(long));
    expect(clipped.kind === 'record' && clipped.entry.lastContext!.length).toBe(40);
    const summary = summaryRecordOf(e);
    expect(summary.events).toHaveLength(1);
    expect(summary.events[0]!.context).toBe(r.events[0]!.context);
    expect(summary.note).toBe(r.note);
  });
});

describe('archive: append-only month files', () => {
  it('a second pass appends segments and leaves the month bytes before it untouched; zcat reads the file', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    const first = Array.from({ length: 300 }, (_, i) => rec({ i, pad: 20 }));
    await a.add(first);
    const before = readFileSync(monthFile(dir, '2026-03'));
    const second = Array.from({ length: 10 }, (_, i) => rec({ i: 1000 + i }));
    await a.add(second);
    const after = readFileSync(monthFile(dir, '2026-03'));
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    const lines = gunzipSync(after).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(310);
    // Several segments: opening one parcel decodes one of them, not the month.
    const entries = (await a.search({})).entries;
    expect(new Set(entries.map((e) => e.offset)).size).toBeGreaterThan(2);
    expect(await new Archive(dir, { fsync: false }).get(first[250]!.id)).toEqual(first[250]);
  });

  it('files each parcel under the month it ended in', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    await a.add([rec({ i: 1, month: '2026-01' }), rec({ i: 2, month: '2026-02' })]);
    expect(readdirSync(dir).sort()).toEqual(['2026-01.jsonl.gz', '2026-02.jsonl.gz', 'index.tsv']);
  });
});

describe('archive: a push for an archived parcel takes it back', () => {
  it('findByNumber finds it; take returns the record and removes it, durably, also across an index rebuild', async () => {
    const dir = tempDir();
    const a = new Archive(dir, { fsync: false });
    const r = rec({ i: 42 });
    await a.add([r, rec({ i: 43 })]);
    expect((await a.findByNumber(r.number)).map((e) => e.id)).toEqual([r.id]);
    expect(await a.take(r.id)).toEqual(r);
    expect(await a.findByNumber(r.number)).toEqual([]);
    expect(await a.findByNumber(r.number.slice(0, -1))).toEqual([]);
    expect(await a.get(r.id)).toBeNull();
    expect(await a.take(r.id)).toBeNull();
    expect(await a.count()).toBe(1);
    expect(await new Archive(dir, { fsync: false }).findByNumber(r.number)).toEqual([]);
    unlinkSync(indexFile(dir));
    const rebuilt = new Archive(dir, { fsync: false });
    expect(await rebuilt.findByNumber(r.number)).toEqual([]);
    expect(await rebuilt.count()).toBe(1);
    // Archived again later: it is back.
    await rebuilt.add([{ ...r, updatedAt: '2026-03-20T00:00:00.000Z' }]);
    expect((await rebuilt.findByNumber(r.number)).map((e) => e.updatedAt)).toEqual(['2026-03-20T00:00:00.000Z']);
  });
});

describe('archive: damage and crashes', () => {
  async function seeded(): Promise<{ dir: string; records: ShipmentRecord[] }> {
    const dir = tempDir();
    const records = Array.from({ length: 60 }, (_, i) => rec({ i, pad: 10 }));
    await new Archive(dir, { fsync: false }).add(records);
    return { dir, records };
  }

  it('cuts a torn index tail (half a line) on open and keeps every whole line', async () => {
    const { dir, records } = await seeded();
    const size = statSync(indexFile(dir)).size;
    appendFileSync(indexFile(dir), 'R\tabc\t2026-03\t0\t12');
    const a = new Archive(dir, { fsync: false });
    expect(await a.count()).toBe(60);
    expect(statSync(indexFile(dir)).size).toBe(size);
    await a.add([rec({ i: 500 })]);
    const again = new Archive(dir, { fsync: false });
    expect(await again.count()).toBe(61);
    expect(await again.get(records[5]!.id)).toEqual(records[5]);
  });

  it('rebuilds a damaged index from the month files', async () => {
    const { dir, records } = await seeded();
    const lines = readFileSync(indexFile(dir), 'utf8').split('\n');
    lines[10] = 'R\tgarbage';
    writeFileSync(indexFile(dir), lines.join('\n'));
    const a = new Archive(dir, { fsync: false });
    expect(await a.count()).toBe(60);
    expect((await a.search({ q: '客户1' })).total).toBe(11);
    expect(await a.get(records[59]!.id)).toEqual(records[59]);
  });

  it('rebuilds a missing index, and one that points past the end of a month file', async () => {
    const { dir, records } = await seeded();
    unlinkSync(indexFile(dir));
    expect(await new Archive(dir, { fsync: false }).count()).toBe(60);
    // An index claiming bytes the month does not have (the month lost its tail, a second pass).
    await new Archive(dir, { fsync: false }).add([rec({ i: 800 })]);
    const month = readFileSync(monthFile(dir, '2026-03'));
    const entries = (await new Archive(dir, { fsync: false }).search({})).entries;
    const lastOffset = Math.max(...entries.map((e) => e.offset));
    writeFileSync(monthFile(dir, '2026-03'), month.subarray(0, lastOffset));
    const a = new Archive(dir, { fsync: false });
    const left = await a.count();
    expect(left).toBe(60);
    expect(await a.findByNumber(rec({ i: 800 }).number)).toEqual([]);
    expect(await a.get(records[0]!.id)).toEqual(records[0]);
  });

  it('cuts a torn segment (an append cut short) and appends cleanly after it', async () => {
    const { dir, records } = await seeded();
    const size = statSync(monthFile(dir, '2026-03')).size;
    const torn = gzipSync(Buffer.from(`${JSON.stringify(rec({ i: 900 }))}\n`));
    appendFileSync(monthFile(dir, '2026-03'), torn.subarray(0, torn.length - 5));
    const a = new Archive(dir, { fsync: false });
    expect(await a.count()).toBe(60);
    expect(statSync(monthFile(dir, '2026-03')).size).toBe(size);
    await a.add([rec({ i: 901 })]);
    const again = new Archive(dir, { fsync: false });
    expect(await again.count()).toBe(61);
    expect(await again.get(records[30]!.id)).toEqual(records[30]);
    expect(gunzipSync(readFileSync(monthFile(dir, '2026-03'))).toString().trim().split('\n')).toHaveLength(61);
  });

  it('indexes a whole segment the index never heard of (crash between the month and the index append)', async () => {
    const { dir } = await seeded();
    const size = statSync(indexFile(dir)).size;
    const extra = rec({ i: 700, note: '崩溃之前' });
    await new Archive(dir, { fsync: false }).add([extra]);
    writeFileSync(indexFile(dir), readFileSync(indexFile(dir)).subarray(0, size));
    const a = new Archive(dir, { fsync: false });
    expect((await a.search({ q: '崩溃之前' })).entries.map((e) => e.id)).toEqual([extra.id]);
    expect(await a.get(extra.id)).toEqual(extra);
  });
});

describe('archive: the cached columns (index.cache)', () => {
  it('a large pass writes the cache; a later open uses it plus the index lines after it; a damaged cache is ignored', async () => {
    const dir = tempDir();
    const records = Array.from({ length: 2100 }, (_, i) => rec({ i, month: i % 2 ? '2026-02' : '2026-03', orderNo: [`DD${i}`] }));
    await new Archive(dir, { fsync: false }).add(records);
    expect(existsSync(join(dir, 'index.cache'))).toBe(true);
    const late = rec({ i: 5000, note: '缓存之后' });
    await new Archive(dir, { fsync: false }).add([late]);
    const expectSame = async (a: Archive): Promise<void> => {
      expect(await a.count()).toBe(2101);
      expect((await a.search({ q: 'dd20' })).entries.map((e) => e.orderNos[0]).sort()).toEqual(records.map((r) => r.orderNos![0]!).filter((o) => o.startsWith('DD20')).sort());
      expect((await a.search({ q: '缓存之后' })).entries.map((e) => e.id)).toEqual([late.id]);
      expect((await a.findByNumber(records[1234]!.number)).map((e) => e.id)).toEqual([records[1234]!.id]);
      expect(await a.get(records[2001]!.id)).toEqual(records[2001]);
    };
    await expectSame(new Archive(dir, { fsync: false }));
    const cache = readFileSync(join(dir, 'index.cache'));
    cache[cache.length - 10] = cache[cache.length - 10]! ^ 0xff;
    writeFileSync(join(dir, 'index.cache'), cache);
    await expectSame(new Archive(dir, { fsync: false }));
    // An index rebuilt from the months does not trust a cache written for another index.
    const taken = await new Archive(dir, { fsync: false }).take(records[7]!.id);
    expect(taken).toEqual(records[7]);
    unlinkSync(indexFile(dir));
    const rebuilt = new Archive(dir, { fsync: false });
    expect(await rebuilt.count()).toBe(2100);
    expect(await rebuilt.get(records[7]!.id)).toBeNull();
    expect(await rebuilt.get(records[8]!.id)).toEqual(records[8]);
  });
});

describe('archive: the old layout', () => {
  it('converts plain-JSON month files on first open and removes them', async () => {
    const dir = tempDir();
    const old = Array.from({ length: 5 }, (_, i) => rec({ i, month: '2025-12' }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '2025-12.json'), JSON.stringify(Object.fromEntries(old.map((r) => [r.id, r]))));
    writeFileSync(join(dir, '2026-01.json'), JSON.stringify({ [rec({ i: 9, month: '2026-01' }).id]: rec({ i: 9, month: '2026-01' }) }));
    const a = new Archive(dir, { fsync: false });
    expect(await a.count()).toBe(6);
    expect(await a.get(old[2]!.id)).toEqual(old[2]);
    expect(existsSync(join(dir, '2025-12.json'))).toBe(false);
    expect(existsSync(join(dir, '2026-01.json'))).toBe(false);
    expect(await new Archive(dir, { fsync: false }).count()).toBe(6);
  });
});

describe('archiveDue', () => {
  it('is due only when done with and older than the days', () => {
    const r = rec({ i: 1 });
    expect(archiveDue(r, Date.parse(r.endedAt!) + 31 * 86_400_000, 30)).toBe(true);
    expect(archiveDue(r, Date.parse(r.endedAt!) + 29 * 86_400_000, 30)).toBe(false);
    expect(archiveDue({ ...r, state: '0', tracking: 'polling' }, Date.parse(r.endedAt!) + 90 * 86_400_000, 30)).toBe(false);
  });
});
