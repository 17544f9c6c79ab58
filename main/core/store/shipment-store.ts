/**
 * The lowdb document of shipments and settings, with an index by waybill number. Every
 * mutation replaces whole records (never edits them in place), so a failed write can be
 * rolled back in memory and readers never see half an update.
 */
import { Low, type Adapter } from 'lowdb';
import type { Outage } from '../lifecycle.js';
import type { DbShape, Settings, ShipmentRecord } from './schema.js';

export class StorageError extends Error {
  constructor(cause: unknown) {
    super(`could not write the store: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageError';
  }
}

export class ShipmentStore {
  readonly #db: Low<DbShape>;
  readonly #byNumber = new Map<string, Set<string>>();

  private constructor(db: Low<DbShape>) {
    this.#db = db;
    for (const rec of Object.values(db.data.shipments)) this.#index(rec);
  }

  /** Reads the store, filling in what an older or new file lacks from `defaults`. */
  static async open(adapter: Adapter<DbShape>, defaults: () => DbShape): Promise<ShipmentStore> {
    const fresh = defaults();
    const db = new Low<DbShape>(adapter, fresh);
    await db.read();
    const isNew = db.data === fresh;
    db.data = {
      version: 1,
      shipments: db.data.shipments ?? {},
      settings: mergeSettings(fresh.settings, db.data.settings),
      journal: db.data.journal ?? [],
    };
    const store = new ShipmentStore(db);
    // A new install persists its generated secrets at once, so a restart keeps them.
    if (isNew) await store.#write();
    return store;
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
    }
    try {
      await this.#write();
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
    }
    try {
      await this.#write();
    } catch (e) {
      for (const r of gone) {
        shipments[r.id] ??= r;
        this.#index(r);
      }
      throw new StorageError(e);
    }
  }

  async remove(id: string): Promise<boolean> {
    const prev = this.#db.data.shipments[id];
    if (!prev) return false;
    delete this.#db.data.shipments[id];
    this.#unindex(prev);
    try {
      await this.#write();
    } catch (e) {
      if (!this.#db.data.shipments[id]) {
        this.#db.data.shipments[id] = prev;
        this.#index(prev);
      }
      throw new StorageError(e);
    }
    return true;
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
    await this.#write().catch((e: unknown) => {
      throw new StorageError(e);
    });
  }

  async closeOutage(reason: Outage['reason'], to: string): Promise<void> {
    const open = [...this.#db.data.journal].reverse().find((o) => o.reason === reason && o.to === null);
    if (!open) return;
    open.to = to;
    await this.#write().catch((e: unknown) => {
      throw new StorageError(e);
    });
  }

  async updateSettings(next: Settings): Promise<Settings> {
    const prev = this.#db.data.settings;
    this.#db.data.settings = next;
    try {
      await this.#write();
    } catch (e) {
      if (this.#db.data.settings === next) this.#db.data.settings = prev;
      throw new StorageError(e);
    }
    return next;
  }

  #write(): Promise<void> {
    return this.#db.write();
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
}

/**
 * JSON text of the whole store, reusing each unchanged record's text. Records are replaced,
 * never edited in place, so a record object always has the same text: a write of 5,000
 * shipments stringifies only the few that changed instead of megabytes.
 */
const recordText = new WeakMap<ShipmentRecord, string>();
export function serializeDb(db: DbShape): string {
  const parts: string[] = [];
  for (const [id, rec] of Object.entries(db.shipments)) {
    let text = recordText.get(rec);
    if (text === undefined) {
      text = JSON.stringify(rec);
      recordText.set(rec, text);
    }
    parts.push(`${JSON.stringify(id)}:${text}`);
  }
  return `{"version":${db.version},"settings":${JSON.stringify(db.settings)},"journal":${JSON.stringify(db.journal)},"shipments":{${parts.join(',')}}}`;
}

export function normaliseNumber(number: string): string {
  return number.trim().toUpperCase();
}

function mergeSettings(defaults: Settings, stored: Partial<Settings> | undefined): Settings {
  if (!stored) return defaults;
  return {
    ...defaults,
    ...stored,
    tunnel: { ...defaults.tunnel, ...stored.tunnel },
    notify: { ...defaults.notify, ...stored.notify },
    previousSalts: stored.previousSalts ?? [],
    stale: { ...defaults.stale, ...stored.stale },
  };
}
