/**
 * Delivered and ended parcels leave the hot store after a while and go to the archive, so the
 * document rewritten on every push stays small. The archive is searched, never loaded:
 *
 *   archive/YYYY-MM.jsonl.gz  one file a month, a chain of gzip members ("segments") of about
 *                             512 KiB of JSON lines each; the monthly pass appends segments,
 *                             it never rewrites a month (gzip members concatenate: zcat reads it)
 *   archive/index.tsv         one line per archived parcel with what search and a list row need
 *                             and where its record lies (month, segment offset and length, line)
 *
 * Search reads only the index (loaded once into compact columns); opening an archived parcel
 * decodes the one segment that holds it (a few recently used segments are kept, no more).
 * Month files are the truth and the index a cache of them: a parcel taken back out (a push for
 * it arrived) is noted in its month file too, so a lost or damaged index is rebuilt from them.
 *
 * Durability, as the store's: segments are appended and fsynced before the index lines that
 * point at them, each append checked for short writes. On open, a torn index tail is cut; bytes
 * of a month file that the index does not cover are indexed if they are whole segments and cut
 * if torn; an index that does not parse, or points past a month file's end, is rebuilt.
 * The old layout (archive/YYYY-MM.json, one JSON object a month) is converted on first open.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { open, readFile, rename, stat, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, gunzip, gzip, inflateRawSync } from 'node:zlib';
import { basicStateOf } from '../kuaidi100/states.js';
import {
  decodeLine,
  encodeEntry,
  encodeTaken,
  entryOf,
  INDEX_HEADER,
  matchesState,
  monthOf,
  scanIndexLine,
  type ArchiveEntry,
  type IndexScan,
  type IndexLine,
  type RecordLocation,
} from './archive-index.js';
import { isMissing, nodeFs, syncDir } from './fs-port.js';
import type { ShipmentRecord } from './schema.js';
import { normaliseNumber } from './shipment-store.js';

export type { ArchiveEntry } from './archive-index.js';
export { summaryRecordOf } from './archive-index.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const INDEX_FILE = 'index.tsv';
const CACHE_FILE = 'index.cache';
/** Index lines read one by one past which the columns are cached (a monthly pass is thousands). */
const CACHE_AFTER_LINES = 2000;
const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl\.gz$/;
const OLD_MONTH_FILE = /^(\d{4}-\d{2})\.json$/;
/** Decoded size of one segment: opening one parcel decodes about this much. */
const SEGMENT_BYTES = 512 * 1024;
/** gzip level 4: about 10 % larger than the default 6 and over twice as fast (measured on a year of parcels). */
const GZIP_LEVEL = 4;
/** Segments kept decoded after opening a parcel: a few, so memory stays flat. */
const SEGMENT_CACHE = 4;

/** Done with: delivered, returned, tracking ended (not a carrier correction), or removed by the seller. */
export function archiveDue(r: ShipmentRecord, now: number, days: number): boolean {
  const basic = basicStateOf(r.state);
  const done = r.removedAt !== null || r.tracking === 'shutdown' || basic === '3' || basic === '4' || (r.tracking === 'abort' && !r.comNew);
  if (!done) return false;
  const since = Date.parse(r.removedAt ?? r.endedAt ?? r.updatedAt);
  return now - since > days * 86_400_000;
}

export interface ArchiveSearch {
  /** Substring of number, order number, buyer, note, carrier code or name (case-insensitive). */
  q?: string;
  /** A state group or a basic/advanced state code, as the active list takes it. */
  state?: string;
  limit?: number;
  offset?: number;
}

export interface ArchivePage {
  /** How many archived parcels match (for paging). */
  total: number;
  /** The requested page, newest update first. */
  entries: ArchiveEntry[];
}

export interface ArchiveOptions {
  /** fsync files and folder (default true). Off only for throwaway archives. */
  fsync?: boolean;
}

/** A `{"$taken": id}` line in a segment: the parcel went back to the hot store. */
interface TakenLine {
  $taken: string;
}

// Stored as an index into this list in index.cache: a new group (待处理, "todo") goes at the end, with INDEX_HEADER bumped.
const GROUP_NAMES = ['transit', 'delivering', 'delivered', 'exception', 'todo'];

/**
 * The index in memory: columns, not objects, so 100,000 entries stay a few tens of MB. The
 * search text of every entry is one long string (entries end with \0): one indexOf over it is
 * far cheaper than 100,000 includes, and a hit maps back to its entry by binary search.
 */
class Columns {
  size = 0;
  ids: string[] = [];
  states: (string | null)[] = [];
  codes: (string | null)[] = [];
  groups = new Uint8Array(1024);
  updated = new Float64Array(1024);
  alive = new Uint8Array(1024);
  removed = new Uint8Array(1024);
  /** Where the slot's line lies in index.tsv: a page of results reads just those lines. */
  lineAt = new Float64Array(1024);
  lineLen = new Uint32Array(1024);
  hayStart = new Float64Array(1024);
  #hay = '';
  #hayPending: string[] = [];
  #hayLength = 0;

  push(e: IndexScan, at: number, len: number): number {
    const slot = this.size++;
    if (slot >= this.updated.length) this.#grow();
    this.ids.push(e.id);
    this.states.push(e.state);
    this.codes.push(e.statusCode);
    this.groups[slot] = GROUP_NAMES.indexOf(e.group);
    this.updated[slot] = e.updated;
    this.alive[slot] = 1;
    this.removed[slot] = e.removed ? 1 : 0;
    this.lineAt[slot] = at;
    this.lineLen[slot] = len;
    this.hayStart[slot] = this.#hayLength;
    this.#hayPending.push(e.hay);
    this.#hayLength += e.hay.length + 1;
    return slot;
  }

  /** All search text, entries separated by \0. */
  hay(): string {
    if (this.#hayPending.length) {
      this.#hay += `${this.#hayPending.join('\0')}\0`;
      this.#hayPending = [];
    }
    return this.#hay;
  }

  /** The columns as bytes (index.cache): the next start reads them instead of every index line. */
  toBlocks(): Buffer[] {
    const n = this.size;
    const bytes = (a: Float64Array | Uint32Array | Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    const text = (xs: readonly (string | null)[]): Buffer => Buffer.from(xs.map((x) => x ?? '\x02').join('\n'));
    return [bytes(this.updated), bytes(this.lineAt), bytes(this.hayStart), bytes(this.lineLen), bytes(this.groups), bytes(this.alive), bytes(this.removed), Buffer.from(this.hay()), text(this.ids), text(this.states), text(this.codes)];
  }

  static fromBlocks(n: number, blocks: readonly Buffer[]): Columns {
    const c = new Columns();
    let cap = 1024;
    while (cap < n + 1) cap *= 2;
    const fill = <T extends Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(a: T, b: Buffer): T => {
      if (b.length !== n * a.BYTES_PER_ELEMENT) throw new Error('archive cache: wrong block size');
      new Uint8Array(a.buffer).set(b);
      return a;
    };
    const [updated, lineAt, hayStart, lineLen, groups, alive, removed, hay, ids, states, codes] = blocks;
    c.updated = fill(new Float64Array(cap), updated!);
    c.lineAt = fill(new Float64Array(cap), lineAt!);
    c.hayStart = fill(new Float64Array(cap), hayStart!);
    c.lineLen = fill(new Uint32Array(cap), lineLen!);
    c.groups = fill(new Uint8Array(cap), groups!);
    c.alive = fill(new Uint8Array(cap), alive!);
    c.removed = fill(new Uint8Array(cap), removed!);
    c.#hay = hay!.toString('utf8');
    c.#hayLength = c.#hay.length;
    const list = (b: Buffer): (string | null)[] => (n ? b.toString('utf8').split('\n').map((x) => (x === '\x02' ? null : x)) : []);
    c.ids = list(ids!) as string[];
    c.states = list(states!);
    c.codes = list(codes!);
    if (c.ids.length !== n || c.states.length !== n || c.codes.length !== n) throw new Error('archive cache: wrong entry count');
    c.size = n;
    return c;
  }

  /** The entry whose search text holds position `pos`. */
  slotAt(pos: number): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.hayStart[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  hayEnd(slot: number): number {
    return slot + 1 < this.size ? this.hayStart[slot + 1]! : this.#hayLength;
  }

  #grow(): void {
    const n = this.updated.length * 2;
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const u32 = new Uint32Array(n);
    u32.set(this.lineLen);
    this.updated = f64(this.updated);
    this.lineAt = f64(this.lineAt);
    this.hayStart = f64(this.hayStart);
    this.groups = u8(this.groups);
    this.alive = u8(this.alive);
    this.removed = u8(this.removed);
    this.lineLen = u32;
  }
}

interface CacheHeader {
  v: 1;
  indexSize: number;
  /** CRC-32 of the last bytes of index.tsv it covers: an index rebuilt or cut since does not match. */
  indexTail: number;
  size: number;
  monthEnd: Record<string, number>;
  blocks: number[];
  crc: number;
}

interface Loaded {
  cols: Columns;
  bySlot: Map<string, number>;
  /** Bytes of each month file the index accounts for. */
  monthEnd: Map<string, number>;
  indexSize: number;
  /** Index lines read one by one at open (the cache did not cover them). */
  scanned: number;
  /** Slots alive, newest update first; rebuilt after a change, on the next search. */
  order: Int32Array | null;
}

export class Archive {
  readonly #dir: string;
  readonly #fsync: boolean;
  #loaded: Promise<Loaded> | null = null;
  /** Changes go one at a time: offsets are taken from the file ends they append to. */
  #chain: Promise<unknown> = Promise.resolve();
  readonly #segments = new Map<string, string[]>();

  constructor(dir: string, options: ArchiveOptions = {}) {
    this.#dir = dir;
    this.#fsync = options.fsync ?? true;
  }

  get #indexPath(): string {
    return join(this.#dir, INDEX_FILE);
  }

  get #cachePath(): string {
    return join(this.#dir, CACHE_FILE);
  }

  #monthPath(month: string): string {
    return join(this.#dir, `${month}.jsonl.gz`);
  }

  /** Opens (or converts, or repairs) the archive once; every call waits for it. */
  #load(): Promise<Loaded> {
    this.#loaded ??= this.#serial(() => this.#open());
    return this.#loaded;
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(job, job);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  // ---- public API ------------------------------------------------------------------------

  /** Appends records to their months (bulk: a whole monthly pass at once); resolves once durable. */
  async add(records: readonly ShipmentRecord[]): Promise<void> {
    if (!records.length) return;
    const state = await this.#load();
    await this.#serial(() => this.#append(state, records));
  }

  /** Archived parcels matching a query, newest update first, a page at a time; reads no month. */
  async search(query: ArchiveSearch = {}): Promise<ArchivePage> {
    const state = await this.#load();
    const { cols } = state;
    const q = (query.q ?? '').replace(/[\0\x01]/g, '').trim().toLowerCase();
    const offset = Math.max(0, query.offset ?? 0);
    const limit = query.limit ?? Infinity;
    const wanted = (slot: number): boolean => cols.alive[slot] === 1 && cols.removed[slot] === 0 && matchesState(GROUP_NAMES[cols.groups[slot]!]!, cols.states[slot]!, cols.codes[slot]!, query.state);
    let matched: ArrayLike<number>;
    if (!q) {
      matched = (state.order ??= orderOf(cols));
    } else {
      const hay = cols.hay();
      const hits: number[] = [];
      for (let pos = hay.indexOf(q); pos >= 0; ) {
        const slot = cols.slotAt(pos);
        hits.push(slot);
        pos = hay.indexOf(q, cols.hayEnd(slot));
      }
      hits.sort((a, b) => cols.updated[b]! - cols.updated[a]!);
      matched = hits;
    }
    const page: number[] = [];
    let total = 0;
    for (let i = 0; i < matched.length; i++) {
      const slot = matched[i]!;
      if (!wanted(slot)) continue;
      if (total >= offset && page.length < limit) page.push(slot);
      total += 1;
    }
    return { total, entries: await this.#entries(page) };
  }

  /** The index entry of an archived parcel, or null. */
  async entry(id: string): Promise<ArchiveEntry | null> {
    const state = await this.#load();
    const slot = state.bySlot.get(id);
    return slot === undefined ? null : ((await this.#entries([slot]))[0] ?? null);
  }

  /** The full record of an archived parcel: decodes the one segment that holds it. */
  async get(id: string): Promise<ShipmentRecord | null> {
    const found = await this.entry(id);
    return found ? this.#read(found) : null;
  }

  /** Archived parcels with this waybill number (a push for one of them rejoins it), newest first. */
  async findByNumber(number: string): Promise<ArchiveEntry[]> {
    const { cols } = await this.#load();
    // The number leads each entry's search text: find it there, then check the entry itself.
    const key = `${number.toLowerCase()}\x01`;
    const hay = cols.hay();
    const slots: number[] = [];
    for (let pos = hay.indexOf(key); pos >= 0; ) {
      const slot = cols.slotAt(pos);
      if (cols.alive[slot] && cols.hayStart[slot] === pos) slots.push(slot);
      pos = hay.indexOf(key, cols.hayEnd(slot));
    }
    slots.sort((a, b) => cols.updated[b]! - cols.updated[a]!);
    const wanted = normaliseNumber(number);
    return (await this.#entries(slots)).filter((e) => normaliseNumber(e.number) === wanted);
  }

  /**
   * Takes a parcel out of the archive (it goes back to the hot store): the month file and the
   * index note it, durably, before the record is handed back. Null when it is not archived.
   * For "never in neither", store the record in the hot store first (from `get`), then take it:
   * a crash in between leaves it in both, and the hot copy wins.
   */
  async take(id: string): Promise<ShipmentRecord | null> {
    const state = await this.#load();
    return this.#serial(async () => {
      const slot = state.bySlot.get(id);
      if (slot === undefined) return null;
      const [found] = await this.#entries([slot]);
      const record = await this.#read(found!);
      const taken: TakenLine = { $taken: id };
      const segment = await gzipAsync(Buffer.from(`${JSON.stringify(taken)}\n`), { level: GZIP_LEVEL });
      const offset = await this.#appendFile(this.#monthPath(found!.month), segment, state.monthEnd.get(found!.month) ?? 0);
      state.monthEnd.set(found!.month, offset + segment.length);
      await this.#appendIndex(state, [{ kind: 'taken', id, month: found!.month, offset, length: segment.length }]);
      return record;
    });
  }

  /** The index has been opened (by a search, a lookup or a pass). */
  get opened(): boolean {
    return this.#loaded !== null;
  }

  /** Archived parcels (by id) that `held` says are also elsewhere: one pass over the ids in memory. */
  async alsoIn(held: (id: string) => boolean): Promise<string[]> {
    const { bySlot } = await this.#load();
    return [...bySlot.keys()].filter(held);
  }

  /** Archived parcels (taken-out ones excluded). */
  async count(): Promise<number> {
    return (await this.#load()).bySlot.size;
  }

  // ---- reading ---------------------------------------------------------------------------

  async #entries(slots: readonly number[]): Promise<ArchiveEntry[]> {
    if (!slots.length) return [];
    const { cols } = await this.#load();
    // A page is a few hundred short reads of a file in the page cache: synchronous preads take
    // about a millisecond, where as many trips through the thread pool take far longer.
    const fd = openSync(this.#indexPath, 'r');
    try {
      const out: ArchiveEntry[] = [];
      for (const slot of slots) {
        const buf = Buffer.alloc(cols.lineLen[slot]!);
        if (readSync(fd, buf, 0, buf.length, cols.lineAt[slot]!) !== buf.length) throw new Error('archive index shorter than expected');
        const line = decodeLine(buf.toString('utf8'));
        if (line.kind === 'record') out.push(line.entry);
      }
      return out;
    } finally {
      closeSync(fd);
    }
  }

  async #read(at: RecordLocation): Promise<ShipmentRecord> {
    const key = `${at.month}:${at.offset}`;
    let lines = this.#segments.get(key);
    if (lines) {
      this.#segments.delete(key);
    } else {
      const buf = Buffer.alloc(at.length);
      const fh = await open(this.#monthPath(at.month), 'r');
      try {
        await readFully(fh, buf, at.offset);
      } finally {
        await fh.close();
      }
      lines = (await gunzipAsync(buf)).toString('utf8').split('\n');
    }
    this.#segments.set(key, lines);
    while (this.#segments.size > SEGMENT_CACHE) this.#segments.delete(this.#segments.keys().next().value!);
    return JSON.parse(lines[at.line]!) as ShipmentRecord;
  }

  // ---- writing ---------------------------------------------------------------------------

  async #append(state: Loaded, records: readonly ShipmentRecord[]): Promise<void> {
    const byMonth = new Map<string, ShipmentRecord[]>();
    for (const r of records) {
      const m = monthOf(r);
      let list = byMonth.get(m);
      if (!list) byMonth.set(m, (list = []));
      list.push(r);
    }
    const lines: IndexLine[] = [];
    for (const [month, recs] of byMonth) {
      // Segments are compressed on the thread pool: a monthly pass does not stall pushes.
      const parts: Buffer[] = [];
      const pending: { recs: ShipmentRecord[]; lengths: number }[] = [];
      let texts: string[] = [];
      let group: ShipmentRecord[] = [];
      let size = 0;
      const cut = async (): Promise<void> => {
        if (!group.length) return;
        const gz = await gzipAsync(Buffer.from(`${texts.join('\n')}\n`), { level: GZIP_LEVEL });
        parts.push(gz);
        pending.push({ recs: group, lengths: gz.length });
        texts = [];
        group = [];
        size = 0;
      };
      for (const r of recs) {
        const text = JSON.stringify(r);
        texts.push(text);
        group.push(r);
        size += text.length * 2;
        if (size >= SEGMENT_BYTES) await cut();
      }
      await cut();
      const data = Buffer.concat(parts);
      let offset = await this.#appendFile(this.#monthPath(month), data, state.monthEnd.get(month) ?? 0);
      state.monthEnd.set(month, offset + data.length);
      for (const seg of pending) {
        seg.recs.forEach((r, line) => lines.push({ kind: 'record', entry: entryOf(r, { month, offset, length: seg.lengths, line }) }));
        offset += seg.lengths;
      }
    }
    await this.#appendIndex(state, lines);
    state.scanned += lines.length;
    if (state.scanned > CACHE_AFTER_LINES) await this.#writeCache(state);
  }

  /** Appends to a month file at `expectedEnd` (cutting any stray tail first); returns the offset. */
  async #appendFile(path: string, data: Buffer, expectedEnd: number): Promise<number> {
    const isNew = !existsSync(path);
    const fh = await open(path, isNew ? 'w' : 'r+', 0o600);
    try {
      const { size } = await fh.stat();
      // A failed earlier append may have left bytes the index never pointed at.
      if (size !== expectedEnd) await fh.truncate(expectedEnd);
      await writeFully(fh, data, expectedEnd);
      if (this.#fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    if (isNew && this.#fsync) await syncDir(nodeFs, this.#dir);
    return expectedEnd;
  }

  async #appendIndex(state: Loaded, lines: readonly IndexLine[]): Promise<void> {
    const texts = lines.map((l) => (l.kind === 'record' ? encodeEntry(l.entry) : encodeTaken(l.id, l)));
    const buf = Buffer.from(texts.map((t) => `${t}\n`).join(''));
    const fh = await open(this.#indexPath, 'r+');
    try {
      // A failed earlier append may have left half a line: write over it.
      await fh.truncate(state.indexSize);
      await writeFully(fh, buf, state.indexSize);
      if (this.#fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    let at = state.indexSize;
    for (const text of texts) {
      const bytes = Buffer.from(text);
      apply(state, scanIndexLine(bytes, 0, bytes.length), at, bytes.length);
      at += bytes.length + 1;
    }
    state.indexSize = at;
    state.order = null;
  }

  // ---- opening, repair, conversion ----------------------------------------------------------

  async #open(): Promise<Loaded> {
    mkdirSync(this.#dir, { recursive: true });
    let state = await this.#readIndex();
    if (!state || !(await this.#coversMonths(state))) state = await this.#rebuild();
    await this.#convertOld(state);
    if (state.scanned > CACHE_AFTER_LINES) await this.#writeCache(state);
    return state;
  }

  /**
   * index.cache: the in-memory columns as written after the last big change, for the index
   * up to a size and CRC it names. A cache that does not match (or is damaged) is ignored:
   * it is only ever a faster way to read index.tsv.
   */
  async #readCache(index: FileHandle, indexSize: number): Promise<Loaded | null> {
    let buf: Buffer;
    try {
      buf = await readFile(this.#cachePath);
    } catch {
      return null;
    }
    try {
      const nl = buf.indexOf(10);
      const head = JSON.parse(buf.toString('utf8', 0, nl)) as CacheHeader;
      if (head.v !== 1 || head.indexSize > indexSize || crc32(buf.subarray(nl + 1)) !== head.crc) return null;
      if ((await tailCrc(index, head.indexSize)) !== head.indexTail) return null;
      const blocks: Buffer[] = [];
      let at = nl + 1;
      for (const len of head.blocks) {
        blocks.push(buf.subarray(at, at + len));
        at += len;
      }
      const cols = Columns.fromBlocks(head.size, blocks);
      const bySlot = new Map<string, number>();
      for (let slot = 0; slot < cols.size; slot++) if (cols.alive[slot]) bySlot.set(cols.ids[slot]!, slot);
      return { cols, bySlot, monthEnd: new Map(Object.entries(head.monthEnd)), indexSize: head.indexSize, scanned: 0, order: null };
    } catch {
      return null;
    }
  }

  async #writeCache(state: Loaded): Promise<void> {
    const blocks = state.cols.toBlocks();
    const body = Buffer.concat(blocks);
    const fh = await open(this.#indexPath, 'r');
    let indexTail: number;
    try {
      indexTail = await tailCrc(fh, state.indexSize);
    } finally {
      await fh.close();
    }
    const head: CacheHeader = { v: 1, indexSize: state.indexSize, indexTail, size: state.cols.size, monthEnd: Object.fromEntries(state.monthEnd), blocks: blocks.map((b) => b.length), crc: crc32(body) };
    const temp = `${this.#cachePath}.tmp`;
    // No fsync: a cache lost in a crash is rebuilt from index.tsv at the next open.
    await writeFile(temp, Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), body]), { mode: 0o600 });
    await rename(temp, this.#cachePath);
    state.scanned = 0;
  }

  /** The index as it stands; null when missing or damaged (then it is rebuilt). */
  async #readIndex(): Promise<Loaded | null> {
    let fh: FileHandle;
    try {
      fh = await open(this.#indexPath, 'r');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    try {
      const { size } = await fh.stat();
      const head = `${INDEX_HEADER}\n`;
      if (size < head.length) return null;
      const headBuf = Buffer.alloc(head.length);
      await readFully(fh, headBuf, 0);
      if (headBuf.toString('utf8') !== head) return null;
      // With a cache, only the lines appended after it are read.
      const cached = await this.#readCache(fh, size);
      const state = cached ?? emptyState();
      const base = cached ? cached.indexSize : head.length;
      const buf = Buffer.alloc(size - base);
      await readFully(fh, buf, base);
      let start = 0;
      try {
        for (let nl = buf.indexOf(10, start); nl >= 0; start = nl + 1, nl = buf.indexOf(10, start)) {
          apply(state, scanIndexLine(buf, start, nl), base + start, nl - start);
          state.scanned += 1;
        }
      } catch {
        return null;
      }
      state.indexSize = base + start;
      // A torn last line (no newline): the append it belonged to never completed.
      if (state.indexSize < size) await truncate(this.#indexPath, state.indexSize);
      return state;
    } finally {
      await fh.close();
    }
  }

  /**
   * Checks the index against the month files: bytes it does not cover are indexed when they
   * are whole segments and cut when torn. False when it points at bytes that are not there.
   */
  async #coversMonths(state: Loaded): Promise<boolean> {
    const months = this.#months();
    for (const m of state.monthEnd.keys()) if (!months.includes(m)) return false;
    for (const month of months) {
      const path = this.#monthPath(month);
      const end = state.monthEnd.get(month) ?? 0;
      const { size } = await stat(path);
      if (size < end) return false;
      if (size === end) continue;
      const tail = Buffer.alloc(size - end);
      const fh = await open(path, 'r');
      try {
        await readFully(fh, tail, end);
      } finally {
        await fh.close();
      }
      const { lines, whole } = scanSegments(tail, month, end);
      if (whole < tail.length) await this.#cut(path, end + whole);
      if (lines.length) {
        state.monthEnd.set(month, end + whole);
        await this.#appendIndex(state, lines);
      }
    }
    return true;
  }

  /** A new index from the month files (the truth), written aside and renamed into place. */
  async #rebuild(): Promise<Loaded> {
    // The cache describes the old index: it goes before the new index comes.
    await unlink(this.#cachePath).catch(() => undefined);
    const texts: string[] = [INDEX_HEADER];
    for (const month of this.#months()) {
      const path = this.#monthPath(month);
      const buf = await readFile(path);
      const { lines, whole } = scanSegments(buf, month, 0);
      if (whole < buf.length) await this.#cut(path, whole);
      for (const l of lines) texts.push(l.kind === 'record' ? encodeEntry(l.entry) : encodeTaken(l.id, l));
    }
    const temp = `${this.#indexPath}.tmp`;
    const fh = await open(temp, 'w', 0o600);
    try {
      await writeFully(fh, Buffer.from(texts.map((t) => `${t}\n`).join('')), 0);
      if (this.#fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, this.#indexPath);
    if (this.#fsync) await syncDir(nodeFs, this.#dir);
    return (await this.#readIndex())!;
  }

  async #cut(path: string, size: number): Promise<void> {
    await truncate(path, size);
    if (this.#fsync) {
      const fh = await open(path, 'r+');
      try {
        await fh.datasync();
      } finally {
        await fh.close();
      }
    }
  }

  /** Month files of the old layout (one JSON object per month) move into segments, one by one. */
  async #convertOld(state: Loaded): Promise<void> {
    const names = readdirSync(this.#dir);
    for (const name of names.filter((n) => /^\.\d{4}-\d{2}\.json\.tmp$/.test(n))) await unlink(join(this.#dir, name));
    for (const name of names.filter((n) => OLD_MONTH_FILE.test(n)).sort()) {
      const path = join(this.#dir, name);
      const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, ShipmentRecord>;
      // A crash after the append and before the unlink converts the file again: the index keeps
      // the later copy of each id, so nothing shows twice.
      await this.#append(state, Object.values(data));
      await unlink(path);
      if (this.#fsync) await syncDir(nodeFs, this.#dir);
    }
  }

  #months(): string[] {
    if (!existsSync(this.#dir)) return [];
    return readdirSync(this.#dir)
      .map((n) => MONTH_FILE.exec(n)?.[1])
      .filter((m): m is string => m !== undefined)
      .sort();
  }
}

function emptyState(): Loaded {
  return { cols: new Columns(), bySlot: new Map(), monthEnd: new Map(), indexSize: 0, scanned: 0, order: null };
}

/** One index line into memory; the later line for an id wins. */
function apply(state: Loaded, line: IndexScan, at: number, len: number): void {
  if (line.end > (state.monthEnd.get(line.month) ?? 0)) state.monthEnd.set(line.month, line.end);
  const old = state.bySlot.get(line.id);
  if (old !== undefined) {
    state.cols.alive[old] = 0;
    state.bySlot.delete(line.id);
  }
  if (line.kind === 'record') state.bySlot.set(line.id, state.cols.push(line, at, len));
}

function orderOf(cols: Columns): Int32Array {
  const slots: number[] = [];
  for (let s = 0; s < cols.size; s++) if (cols.alive[s]) slots.push(s);
  slots.sort((a, b) => cols.updated[b]! - cols.updated[a]!);
  return Int32Array.from(slots);
}

/**
 * Walks gzip members from the start of `buf` (at `base` in its month file): the index lines
 * of the whole ones, and how many bytes they span. A member that is cut short or fails its
 * checksum ends the walk: it and what follows is a torn append.
 */
function scanSegments(buf: Buffer, month: string, base: number): { lines: IndexLine[]; whole: number } {
  const lines: IndexLine[] = [];
  let pos = 0;
  while (pos < buf.length) {
    // node's gzip writes a plain 10-byte header (no name, no extra): anything else is not ours.
    if (buf.length - pos < 18 || buf[pos] !== 0x1f || buf[pos + 1] !== 0x8b || buf[pos + 2] !== 8 || buf[pos + 3] !== 0) break;
    let text: Buffer;
    let length: number;
    try {
      const r = inflateRawSync(buf.subarray(pos + 10), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      text = r.buffer;
      length = 10 + r.engine.bytesWritten + 8;
    } catch {
      break;
    }
    if (pos + length > buf.length) break;
    if (buf.readUInt32LE(pos + length - 8) !== crc32(text) || buf.readUInt32LE(pos + length - 4) !== (text.length >>> 0)) break;
    const at = { month, offset: base + pos, length };
    let ok = true;
    const found: IndexLine[] = [];
    text
      .toString('utf8')
      .split('\n')
      .forEach((t, line) => {
        if (!t || !ok) return;
        try {
          const v = JSON.parse(t) as ShipmentRecord | TakenLine;
          if ('$taken' in v) found.push({ kind: 'taken', id: v.$taken, ...at });
          else found.push({ kind: 'record', entry: entryOf(v, { ...at, line }) });
        } catch {
          ok = false;
        }
      });
    if (!ok) break;
    lines.push(...found);
    pos += length;
  }
  return { lines, whole: pos };
}

/** CRC-32 of the (up to) 4 KiB of the index before `end`. */
async function tailCrc(fh: FileHandle, end: number): Promise<number> {
  const buf = Buffer.alloc(Math.min(end, 4096));
  await readFully(fh, buf, end - buf.length);
  return crc32(buf);
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error('archive file shorter than its index says');
    done += bytesRead;
  }
}

/** Writes all of `buf` (a short write is continued, not taken as done). */
async function writeFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    if (bytesWritten <= 0) throw new Error('archive write made no progress');
    done += bytesWritten;
  }
}

