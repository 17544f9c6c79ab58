/**
 * The lowdb document of shipments and settings, with an index by waybill number. Every
 * mutation replaces whole records (never edits them in place), so a failed write can be
 * rolled back in memory and readers never see half an update.
 */
import { join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Outage } from '../lifecycle.js';
import { DurableJSONFile } from './durable-json-file.js';
import { nodeFs, type FsPort } from './fs-port.js';
import { storeOpFlaw } from './record-check.js';
import { assemble, recover } from './recover.js';
import { historyBytes, headLine, HISTORIES_START } from './record-line.js';
import { copyHistory, findHistory, HISTORY_KEYS, HistoryMovedError, historyPlaceOf, placeHistory, type HistoryLayout, type HistoryPlace } from './lazy-history.js';
import { SnapshotSource } from './snapshot-source.js';
import type { RecoveryReport } from './recovery-report.js';
import { WriteAheadLog } from './write-ahead-log.js';
import type { DbShape, Settings, ShipmentRecord } from './schema.js';
import { logFor } from '../log.js';

const log = logFor('store');

/** The files of the store in the data folder. */
export const STORE_FILE = 'parceltray.json';
export const SETTINGS_FILE = 'parceltray.settings.json';

export class StorageError extends Error {
  constructor(cause: unknown) {
    super(`could not write the store: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageError';
  }
}

/** One change, as written to the write-ahead log. Replaying them in order rebuilds the store. */
export type StoreOp =
  | { op: 'put'; rec: ShipmentRecord }
  | { op: 'drop'; ids: string[] }
  | { op: 'settings'; settings: Settings }
  | { op: 'journal'; journal: Outage[] };

export interface StoreOptions {
  /** With a log, a change is one fsynced append; the lowdb document becomes a snapshot. */
  wal?: WriteAheadLog<StoreOp>;
  /** Take a snapshot (and start a new log segment) past this many log bytes. */
  snapshotBytes?: number;
  /**
   * A clean stop takes a snapshot only past this many log bytes; less is replayed at the next
   * start. Default: the same limit a running store snapshots at (see #snapshotLimit).
   */
  closeSnapshotBytes?: number;
  /** Size of the snapshot read at open. */
  storeBytes?: number;
}

export interface OpenDirOptions {
  /** The file layer (tests inject short writes, ENOSPC and EIO here). */
  fs?: FsPort;
  snapshotBytes?: number;
  closeSnapshotBytes?: number;
  /** fsync (default true). Off only for throwaway stores. */
  fsync?: boolean;
}

interface StoreParts extends StoreOptions {
  /** The snapshot files histories are read from, and where the next snapshot puts them. */
  histories?: { sources: SnapshotSource[]; file: string; lastLayout: () => SnapshotLayout | null };
  settingsFile?: DurableJSONFile<Settings>;
  settingsFileStale?: boolean;
  report?: RecoveryReport;
  prevCovers?: number;
}

export class ShipmentStore {
  readonly #db: Low<DbShape>;
  readonly #byNumber = new Map<string, Set<string>>();
  readonly #wal: WriteAheadLog<StoreOp> | undefined;
  readonly #snapshotBytes: number;
  readonly #closeSnapshotBytes: number | undefined;
  /** Bytes of the last snapshot written or read: the log may grow with the store before the next. */
  #storeBytes = 0;
  #snapshotting: Promise<void> | null = null;
  #quietTimer: NodeJS.Timeout | undefined = undefined;
  readonly #settingsFile: DurableJSONFile<Settings> | undefined;
  /** The settings as last written to the settings file (JSON), to write it only when they change. */
  #settingsWritten: string | null = null;
  /** Segments the file that becomes `.prev` at the next snapshot contains: deleted after it. */
  #prevCovers: number;
  /** What opening found damaged and what was done about it (empty issues: all was well). */
  readonly recoveryReport: RecoveryReport;
  readonly #watchers = new Set<(id: string, rec: ShipmentRecord | undefined) => void>();
  readonly #histories: StoreParts['histories'];
  /** Files histories may still be read from: the current snapshot's, and the one before it. */
  #sources: SnapshotSource[];
  #retired: SnapshotSource[] = [];

  private constructor(db: Low<DbShape>, options: StoreParts) {
    this.#histories = options.histories;
    this.#sources = options.histories?.sources ?? [];
    this.#db = db;
    this.#wal = options.wal;
    this.#snapshotBytes = options.snapshotBytes ?? 16 * 1024 * 1024;
    this.#closeSnapshotBytes = options.closeSnapshotBytes;
    this.#storeBytes = options.storeBytes ?? 0;
    this.#settingsFile = options.settingsFile;
    this.#settingsWritten = options.settingsFileStale ? null : JSON.stringify(db.data.settings);
    this.#prevCovers = options.prevCovers ?? 0;
    this.recoveryReport = options.report ?? { issues: [], damagedCopies: [], settingsFrom: 'snapshot' };
    for (const rec of Object.values(db.data.shipments)) this.#index(rec);
  }

  /**
   * Opens the store in a data folder: the snapshot (parceltray.json, falling back to
   * parceltray.json.prev), the log replayed over it, the settings kept also in
   * parceltray.settings.json. Damaged lines are skipped and reported in `recoveryReport`;
   * throws StoreUnrecoverableError if the install's settings cannot be recovered.
   */
  static async openDir(dataDir: string, defaults: () => DbShape, options: OpenDirOptions = {}): Promise<ShipmentStore> {
    const fs = options.fs ?? nodeFs;
    const fsync = options.fsync ?? true;
    const snapshotFile = join(dataDir, STORE_FILE);
    const wal = new WriteAheadLog<StoreOp>(dataDir, 'parceltray', { fs, fsync, check: storeOpFlaw });
    const recovered = await recover(fs, dataDir, snapshotFile, join(dataDir, SETTINGS_FILE), wal, defaults, mergeSettings);
    let lastLayout: SnapshotLayout | null = null;
    const serialize = (data: DbShape): Iterable<Uint8Array> => serializeDb(data, (lastLayout = { placed: new Map() }));
    const adapter = new DurableJSONFile<DbShape>(snapshotFile, { serialize, keepPrevious: true, fs, fsync });
    const db = new Low<DbShape>(adapter, recovered.data);
    const store = new ShipmentStore(db, {
      wal,
      histories: {
        sources: recovered.sources,
        file: snapshotFile,
        // Taken once: the layout holds every record it wrote, which must not outlive it.
        lastLayout: () => {
          const l = lastLayout;
          lastLayout = null;
          return l;
        },
      },
      snapshotBytes: options.snapshotBytes,
      closeSnapshotBytes: options.closeSnapshotBytes,
      storeBytes: (await fs.stat(snapshotFile))?.size ?? 0,
      settingsFile: new DurableJSONFile<Settings>(join(dataDir, SETTINGS_FILE), { keepPrevious: true, fs, fsync }),
      settingsFileStale: recovered.settingsFileStale,
      report: recovered.report,
      prevCovers: recovered.prevCovers,
    });
    // A new install persists its generated secrets at once, so a restart keeps them; a mended
    // store is rewritten clean (its damaged original is in damaged/ by now).
    if (recovered.fresh) await db.write();
    else if (recovered.rewrite) await store.snapshot().catch((e: unknown) => log.error('could not rewrite the mended snapshot:', e));
    await store.#writeSettingsFile().catch((e: unknown) => {
      if (recovered.fresh) throw e;
      log.error('could not write the settings file:', e);
    });
    return store;
  }

  /**
   * Reads the snapshot through any lowdb adapter and replays the log, filling in what an older
   * or new file lacks from `defaults` (tests and custom adapters; the app uses openDir).
   */
  static async open(adapter: Adapter<DbShape>, defaults: () => DbShape, options: StoreOptions = {}): Promise<ShipmentStore> {
    const fresh = defaults();
    const db = new Low<DbShape>(adapter, fresh);
    await db.read();
    const isNew = db.data === fresh;
    const walSeq = db.data.walSeq ?? 0;
    const replay = await options.wal?.replay(walSeq);
    const replayed = replay?.ops ?? [];
    db.data = assemble({ ...db.data, walSeq, shipments: db.data.shipments ?? {} }, replayed, fresh.settings, mergeSettings);
    const store = new ShipmentStore(db, {
      ...options,
      prevCovers: walSeq,
      report: { issues: replay?.issues ?? [], damagedCopies: replay?.damagedCopies ?? [], settingsFrom: isNew ? 'new' : 'snapshot' },
    });
    // A new install persists its generated secrets at once, so a restart keeps them.
    if (isNew && !replayed.length) await db.write();
    return store;
  }

  /** Writes a snapshot now and drops the log segments it contains (also done on close). */
  snapshot(): Promise<void> {
    const wal = this.#wal;
    if (!wal) return this.#db.write();
    this.#snapshotting ??= (async () => {
      try {
        const closed = await wal.rotate();
        this.#db.data.walSeq = closed;
        // A write that fails anywhere leaves the old snapshot in place and the log untouched.
        await this.#db.write().catch((e: unknown) => {
          // A history changed under the copy (its file written in place): its file is doubted
          // now, so the snapshot taken again checks each history it takes from there.
          if (!(e instanceof HistoryMovedError)) throw e;
          log.warn('snapshot taken again:', e.message);
          return this.#db.write();
        });
        if (this.#db.adapter instanceof DurableJSONFile) this.#storeBytes = this.#db.adapter.bytes;
        this.#placeHistories();
        // The file just replaced is now the fallback (.prev): keep the segments it lacks. When it
        // could not become .prev (a full disk), the older .prev is still the fallback, and every
        // segment after it stays.
        const droppable = this.#prevCovers;
        this.#prevCovers = closed;
        if (!(this.#db.adapter instanceof DurableJSONFile && this.#db.adapter.previousStale)) await wal.dropThrough(droppable);
        await this.#writeSettingsFile().catch((e: unknown) => log.error('could not write the settings file:', e));
      } finally {
        this.#snapshotting = null;
      }
    })();
    return this.#snapshotting;
  }

  /** The settings also live in their own small file: the snapshot's head is not their only copy. */
  async #writeSettingsFile(): Promise<void> {
    const settings = this.#db.data.settings;
    const json = JSON.stringify(settings);
    if (!this.#settingsFile || json === this.#settingsWritten) return;
    await this.#settingsFile.write(settings);
    this.#settingsWritten = json;
  }

  /**
   * Waits for writes, then takes a last snapshot if the log is long. If that fails (a full
   * disk) the log still holds every change and is replayed at the next start, so closing does
   * not fail for it.
   */
  async close(): Promise<void> {
    clearTimeout(this.#quietTimer);
    if (!this.#wal) return;
    await this.#wal.idle();
    await this.#snapshotting?.catch(() => {});
    // Replaying a short log at the next start costs less than rewriting the whole store now.
    if (this.#wal.size > (this.#closeSnapshotBytes ?? this.#snapshotLimit())) {
      await this.snapshot().catch((e: unknown) => log.error('no snapshot on close (the log keeps every change):', e));
    }
    // Every append was on disk before it was acknowledged: a failing close of the segment
    // (a full disk reports ENOSPC even there) loses nothing and must not fail the stop.
    await this.#wal.close().catch((e: unknown) => log.error('could not close the log:', e));
    for (const s of [...this.#retired, ...this.#sources]) s.close();
  }

  /**
   * Points every record the snapshot just written holds at its history in that file (unless
   * that history changed in memory since), and lets the histories parsed since go: memory stays
   * the size of the records, not of their scans.
   * The file before it stays open one more snapshot (a caller may still hold one of its records).
   */
  #placeHistories(): void {
    const layout = this.#histories?.lastLayout();
    if (!this.#histories || !layout || !(this.#db.adapter instanceof DurableJSONFile)) return;
    let next: SnapshotSource | null = null;
    try {
      next = SnapshotSource.open(this.#histories.file);
      // Only the file just written (a size that differs means it is not).
      if (!next || next.size !== this.#db.adapter.bytes) {
        next?.close();
        return;
      }
    } catch (e) {
      next?.close();
      log.error('could not reopen the snapshot for its histories (they stay where they are):', e);
      return;
    }
    for (const [rec, p] of layout.placed) if (historyUnchanged(rec, p.written)) placeHistory(rec, { source: next, at: p.at, layout: p.layout });
    for (const s of this.#retired) s.close();
    this.#retired = this.#sources;
    this.#sources = [next];
  }

  /**
   * Called with a record's id and what it is now (undefined: gone) whenever it changes, rolled
   * back included, so an index kept beside the store (the list's) follows it without walking it.
   */
  watch(listener: (id: string, rec: ShipmentRecord | undefined) => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  get settings(): Settings {
    return this.#db.data.settings;
  }

  list(): ShipmentRecord[] {
    return Object.values(this.#db.data.shipments);
  }

  get size(): number {
    return Object.keys(this.#db.data.shipments).length;
  }

  get(id: string): ShipmentRecord | undefined {
    return this.#db.data.shipments[id];
  }

  /** Shipments with this waybill number (several carriers may share a number). */
  byNumber(number: string): ShipmentRecord[] {
    const ids = this.#byNumber.get(normaliseNumber(number));
    return ids ? [...ids].map((id) => this.#db.data.shipments[id]).filter((r): r is ShipmentRecord => !!r) : [];
  }

  /** Inserts or replaces one record; resolves once it is on disk. */
  async put(rec: ShipmentRecord): Promise<void> {
    await this.putMany([rec]);
  }

  async putMany(recs: ShipmentRecord[]): Promise<void> {
    const shipments = this.#db.data.shipments;
    const undo = recs.map((rec) => ({ rec, prev: shipments[rec.id] }));
    for (const rec of recs) {
      const prev = shipments[rec.id];
      if (prev) this.#unindex(prev);
      shipments[rec.id] = rec;
      this.#index(rec);
      this.#changed(rec.id);
    }
    try {
      await this.#write(recs.map((rec) => ({ op: 'put', rec })));
    } catch (e) {
      // Roll back only what nobody has changed since: a later change carries ours along.
      for (const { rec, prev } of undo.reverse()) {
        if (shipments[rec.id] !== rec) continue;
        this.#unindex(rec);
        if (prev) {
          shipments[rec.id] = prev;
          this.#index(prev);
        } else {
          delete shipments[rec.id];
        }
        this.#changed(rec.id);
      }
      throw new StorageError(e);
    }
  }

  /** Removes records for good (they were archived); resolves once that is on disk. */
  async drop(ids: readonly string[]): Promise<void> {
    const shipments = this.#db.data.shipments;
    const gone = ids.map((id) => shipments[id]).filter((r): r is ShipmentRecord => !!r);
    for (const r of gone) {
      delete shipments[r.id];
      this.#unindex(r);
      this.#changed(r.id);
    }
    try {
      await this.#write([{ op: 'drop', ids: gone.map((r) => r.id) }]);
    } catch (e) {
      for (const r of gone) {
        shipments[r.id] ??= r;
        this.#index(r);
        this.#changed(r.id);
      }
      throw new StorageError(e);
    }
  }

  get journal(): readonly Outage[] {
    return this.#db.data.journal;
  }

  /** Opens (to: null) or records an outage; an open one of the same reason is closed by closeOutage. */
  async addOutage(outage: Outage): Promise<void> {
    const journal = this.#db.data.journal;
    journal.push(outage);
    // Old outages no longer matter once their parcels are done; keep the journal small.
    if (journal.length > 200) journal.splice(0, journal.length - 200);
    await this.#write([{ op: 'journal', journal: [...journal] }]).catch((e: unknown) => {
      throw new StorageError(e);
    });
  }

  async closeOutage(reason: Outage['reason'], to: string): Promise<void> {
    const open = [...this.#db.data.journal].reverse().find((o) => o.reason === reason && o.to === null);
    if (!open) return;
    open.to = to;
    await this.#write([{ op: 'journal', journal: [...this.#db.data.journal] }]).catch((e: unknown) => {
      throw new StorageError(e);
    });
  }

  async updateSettings(next: Settings): Promise<Settings> {
    const prev = this.#db.data.settings;
    this.#db.data.settings = next;
    try {
      await this.#write([{ op: 'settings', settings: next }]);
    } catch (e) {
      if (this.#db.data.settings === next) this.#db.data.settings = prev;
      throw new StorageError(e);
    }
    // The log has it; the settings file is the spare copy, retried at the next snapshot.
    await this.#writeSettingsFile().catch((e: unknown) => log.error('could not write the settings file:', e));
    return next;
  }

  /** Makes changes durable: one log append, or (without a log) a rewrite of the document. */
  async #write(ops: StoreOp[]): Promise<void> {
    if (!this.#wal) return this.#db.write();
    await this.#wal.append(ops);
    const limit = this.#snapshotLimit();
    if (this.#wal.size <= limit || this.#snapshotting) return;
    // Wait for a quiet moment (no append for 500 ms), unless the log has grown far past its
    // limit. The pushes waiting on this append are answered now.
    clearTimeout(this.#quietTimer);
    if (this.#wal.size > 4 * limit) void this.#snapshotInBackground();
    else this.#quietTimer = setTimeout(() => void this.#snapshotInBackground(), 500).unref();
  }

  /**
   * Log bytes past which a snapshot is taken. A snapshot rewrites the whole store, so the larger
   * the store, the more log it is worth letting grow first: up to a quarter of the store, which
   * a start replays in about a quarter of the time the snapshot itself takes to read.
   */
  #snapshotLimit(): number {
    return Math.max(this.#snapshotBytes, this.#storeBytes / 4);
  }

  #snapshotInBackground(): Promise<void> {
    return this.snapshot().catch((e: unknown) => log.error('snapshot:', e));
  }

  #index(rec: ShipmentRecord): void {
    const key = normaliseNumber(rec.number);
    let ids = this.#byNumber.get(key);
    if (!ids) this.#byNumber.set(key, (ids = new Set()));
    ids.add(rec.id);
  }

  #unindex(rec: ShipmentRecord): void {
    this.#byNumber.get(normaliseNumber(rec.number))?.delete(rec.id);
  }

  /** Tells the watchers once per record and change, after the record is in its new place. */
  #changed(id: string): void {
    if (!this.#watchers.size) return;
    const now = this.#db.data.shipments[id];
    for (const w of this.#watchers) w(id, now);
  }
}

/** Where a snapshot put each record's history (the store points the records there once it is on disk). */
export interface SnapshotLayout {
  /** `written`: the history fields a history made from memory was made of (null: copied from disk). */
  placed: Map<ShipmentRecord, { at: number; layout: HistoryLayout; written: readonly unknown[] | null }>;
}

const historyFields = (rec: ShipmentRecord): unknown[] => HISTORY_KEYS.map((key) => rec[key]);

/**
 * The record's history is still the one the snapshot wrote, so it may be pointed there. One
 * copied from disk: the record still has its place (a read or an assignment takes it off).
 * One made from memory: the same fields (an assignment since must not be undone).
 */
function historyUnchanged(rec: ShipmentRecord, written: readonly unknown[] | null): boolean {
  if (!written) return historyPlaceOf(rec) !== undefined;
  const now = historyFields(rec);
  return written.every((v, i) => v === now[i]);
}

/**
 * The store as JSON text (record-line.ts has the layout), a record at a time, so that a snapshot
 * of thousands of shipments never builds one string of tens of megabytes. A history already on
 * disk is copied from there, not parsed and written again. The list of records is taken when
 * the write starts; what changes later is in the next log segment and replayed on top.
 */
export function* serializeDb(db: DbShape, layout: SnapshotLayout = { placed: new Map() }): Generator<Uint8Array> {
  const entries = Object.entries(db.shipments);
  // A record's line names its history's size and CRC-32, so its history is settled first: bytes
  // made from memory, or the place on disk to copy them from. Settled once: the record may be
  // read or assigned while the lines are written, and what follows them must be what they name.
  const settled = new Map<ShipmentRecord, { bytes: Buffer; layout: HistoryLayout; written: unknown[] } | HistoryPlace>();
  const doubtful = new Map<SnapshotSource, boolean>();
  const settle = (rec: ShipmentRecord): HistoryLayout => {
    const place = historyPlaceOf(rec);
    if (place) {
      let doubt = doubtful.get(place.source);
      if (doubt === undefined) doubtful.set(place.source, (doubt = place.source.doubtful));
      // Copied below, checked as it is.
      if (!doubt) {
        settled.set(rec, place);
        return place.layout;
      }
      // A file written in place since it was read: each history is found (checked) where it
      // still is before its line names it; one found nowhere is lost (logged).
      const found = findHistory(place);
      if (found) {
        settled.set(rec, found.place);
        return place.layout;
      }
    }
    const h = historyBytes(rec);
    settled.set(rec, { ...h, written: historyFields(rec) });
    return h.layout;
  };
  let at = 0;
  const out = (b: Uint8Array): Uint8Array => {
    at += b.length;
    return b;
  };
  yield out(Buffer.from(`{"version":${db.version},${db.walSeq === undefined ? '' : `"walSeq":${db.walSeq},`}"settings":${JSON.stringify(db.settings)},"journal":${JSON.stringify(db.journal)},"shipments":{\n`));
  for (let i = 0; i < entries.length; i++) {
    const [id, rec] = entries[i]!;
    yield out(Buffer.from(`${headLine(id, rec, settle(rec))}${i < entries.length - 1 ? ',' : ''}\n`));
  }
  yield out(Buffer.from(`${HISTORIES_START}\n`));
  const comma = Buffer.from(',\n');
  const newline = Buffer.from('\n');
  for (let i = 0; i < entries.length; i++) {
    const rec = entries[i]![1];
    const h = settled.get(rec)!;
    // Copied from the file it was read from, not parsed and written again; never bytes that
    // would fail their check at the next start (copyHistory throws, and the snapshot is retried).
    const bytes = 'bytes' in h ? h.bytes : copyHistory(h);
    layout.placed.set(rec, { at, layout: h.layout, written: 'bytes' in h ? h.written : null });
    yield out(bytes);
    yield out(i < entries.length - 1 ? comma : newline);
  }
  yield Buffer.from(']}\n');
}

export function normaliseNumber(number: string): string {
  return number.trim().toUpperCase();
}

export function mergeSettings(defaults: Settings, stored: Partial<Settings> | undefined): Settings {
  if (!stored) return defaults;
  return {
    ...defaults,
    ...stored,
    tunnel: { ...defaults.tunnel, ...stored.tunnel },
    notify: { ...defaults.notify, ...stored.notify },
    previousSalts: stored.previousSalts ?? [],
    stale: { ...defaults.stale, ...stored.stale },
    channels: Array.isArray(stored.channels) ? stored.channels : [],
  };
}
