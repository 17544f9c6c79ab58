/**
 * Delivered and ended parcels leave the hot store after a while and go to one archive file a
 * month (archive/YYYY-MM.json), so the document rewritten on every push stays small. The
 * archive is written durably before the records leave the store: a crash in between leaves a
 * parcel in both places, never in neither. Search can still reach archived parcels.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { basicStateOf } from '../kuaidi100/states.js';
import { DurableJSONFile } from './durable-json-file.js';
import type { ShipmentRecord } from './schema.js';

type ArchiveFile = Record<string, ShipmentRecord>;

/** Done with: delivered, returned, tracking ended (not a carrier correction), or removed by the seller. */
export function archiveDue(r: ShipmentRecord, now: number, days: number): boolean {
  const basic = basicStateOf(r.state);
  const done = r.removedAt !== null || r.tracking === 'shutdown' || basic === '3' || basic === '4' || (r.tracking === 'abort' && !r.comNew);
  if (!done) return false;
  const since = Date.parse(r.removedAt ?? r.endedAt ?? r.updatedAt);
  return now - since > days * 86_400_000;
}

export class Archive {
  readonly #dir: string;
  #cache: Map<string, ShipmentRecord> | null = null;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #file(month: string): DurableJSONFile<ArchiveFile> {
    return new DurableJSONFile<ArchiveFile>(join(this.#dir, `${month}.json`));
  }

  /** Adds records to their month's file; resolves once they are on disk. */
  async add(records: readonly ShipmentRecord[]): Promise<void> {
    const byMonth = new Map<string, ShipmentRecord[]>();
    for (const r of records) {
      const month = (r.endedAt ?? r.updatedAt).slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
    }
    mkdirSync(this.#dir, { recursive: true });
    for (const [month, recs] of byMonth) {
      const file = this.#file(month);
      const data = (await file.read()) ?? {};
      for (const r of recs) data[r.id] = r;
      await file.write(data);
    }
    if (this.#cache) for (const r of records) this.#cache.set(r.id, r);
  }

  /** Every archived record (loaded once, then kept up to date). */
  async all(): Promise<ShipmentRecord[]> {
    if (!this.#cache) {
      const cache = new Map<string, ShipmentRecord>();
      if (existsSync(this.#dir)) {
        for (const name of readdirSync(this.#dir).filter((n) => /^\d{4}-\d{2}\.json$/.test(n)).sort()) {
          const data = (await new DurableJSONFile<ArchiveFile>(join(this.#dir, name)).read()) ?? {};
          for (const r of Object.values(data)) cache.set(r.id, r);
        }
      }
      this.#cache = cache;
    }
    return [...this.#cache.values()];
  }
}
