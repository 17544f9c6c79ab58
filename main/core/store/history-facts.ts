/**
 * What the list, the tray, search and the forwarders need from a parcel's scan history — the
 * newest scan, how many there are, the places they name — without reading the history itself.
 * A record loaded from the snapshot leaves its history on disk until something reads `events`
 * (lazy-history.ts); its line says how many scans there are and where the newest one and the
 * places lie, so walking every parcel (start-up, the list, the tray) never parses thousands of
 * histories. Any other record (a push just merged, a new waybill, a history read) has its events
 * in memory: the facts are worked out from them once and kept by identity — records are replaced
 * whole, never edited in place.
 */
import type { TrackingEventDto } from '../../../preload/contract.js';
import { placesOf } from '../../../preload/view-logic.js';
import { placedFacts } from './lazy-history.js';
import type { ShipmentRecord } from './schema.js';

export interface HistoryFacts {
  /** events.length */
  readonly count: number;
  /** events[0] (Kuaidi100 sends the newest first), or null. */
  readonly newest: TrackingEventDto | null;
  /** placesOf(events): what a search for a city or a depot finds. */
  readonly places: readonly string[];
}

/** Facts worked out from histories in memory (a snapshot's records carry theirs). */
const known = new WeakMap<ShipmentRecord, HistoryFacts>();

export function historyFacts(rec: ShipmentRecord): HistoryFacts {
  let facts = placedFacts(rec) ?? known.get(rec);
  if (!facts) {
    const events = rec.events;
    facts = { count: events.length, newest: events[0] ?? null, places: placesOf(events) };
    known.set(rec, facts);
  }
  return facts;
}

export const newestEvent = (rec: ShipmentRecord): TrackingEventDto | null => historyFacts(rec).newest;
