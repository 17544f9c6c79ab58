/**
 * A record's scan history left on disk until something reads it. At 30,000 parcels the histories
 * are 90 % of a 226 MB snapshot; decoding and parsing them took 2 of the 2.7 s a start took, and
 * holding them parsed most of the memory. A record read from the snapshot gets getters for
 * `events`, `destEvents` and `predictedRoute` that read its history from the snapshot file
 * (snapshot-source.ts), check its CRC-32, parse it and become plain fields; walking every
 * parcel (start-up, the list, the tray, search) uses the facts beside it (history-facts.ts).
 *
 * Records are replaced whole, never edited in place, so one object always means the same
 * history: after each snapshot the store points every record it wrote at the new file
 * (`placeHistory`), and a history parsed before is dropped from memory again.
 */
import { crc32 } from 'node:zlib';
import type { TrackingEventDto } from '../../../preload/contract.js';
import { placesOf } from '../../../preload/view-logic.js';
import type { HistoryFacts } from './history-facts.js';
import type { SnapshotSource } from './snapshot-source.js';
import { logFor } from '../log.js';

const log = logFor('store');

/** What the snapshot says about a history (`$h` in its record's line; record-line.ts). */
export interface HistoryLayout {
  /** events.length */
  n: number;
  /** Bytes of `"$p":[…]`, the places, at the start of the history. */
  q: number;
  /** Bytes of the newest event's JSON. */
  k: number;
  /** Bytes of the history, and their CRC-32 (which also find its line: snapshot-reader.ts). */
  b: number;
  c: number;
}

export interface HistoryPlace {
  source: SnapshotSource;
  /** Offset of the history in the file. */
  at: number;
  layout: HistoryLayout;
  /** Made at the first question (most records are never asked). */
  answers?: HistoryFacts;
}

export const HISTORY_KEYS = ['events', 'destEvents', 'predictedRoute'] as const;
/** `{"$p":` before the places, `,"events":[` between them and the newest event. */
const PLACES_AT = 6;
const NEWEST_AFTER_PLACES = 12;

type Obj = Record<string, unknown>;

/** Not enumerable: a spread (a changed copy) or JSON leaves it behind. */
const PLACE = Symbol('history on disk');
export const historyPlaceOf = (rec: object): HistoryPlace | undefined => (rec as { [PLACE]?: HistoryPlace })[PLACE];

let historiesParsed = 0;
let historiesLost = 0;
/** How many histories were parsed since start (tests check that walks stay lazy). */
export const historiesParsedCount = (): number => historiesParsed;
/** Histories that could not be read back when asked for (the file changed or failed under us). */
export const historiesLostCount = (): number => historiesLost;

/** The bytes where the place says, if they still pass its check. */
function readAt(place: HistoryPlace): Buffer | null {
  try {
    const bytes = place.source.read(place.at, place.layout.b);
    return crc32(bytes) === place.layout.c ? bytes : null;
  } catch {
    return null;
  }
}

/**
 * A placed history's bytes, checked. Where its file no longer has them at its offset (written
 * over in place, cut short), the same bytes (the same length and CRC-32) wherever that file or
 * another open snapshot file of the folder still holds them: most histories are copied
 * unchanged from snapshot to snapshot. Null when none does.
 */
export function findHistory(place: HistoryPlace): { place: HistoryPlace; bytes: Buffer } | null {
  const bytes = readAt(place);
  if (bytes) return { place, bytes };
  place.source.doubt();
  for (const source of [place.source, ...place.source.beside()]) {
    const at = source.locate(place.layout.b, place.layout.c);
    if (at === undefined) continue;
    const moved: HistoryPlace = { source, at, layout: place.layout };
    const found = readAt(moved);
    if (found) return { place: moved, bytes: found };
  }
  return null;
}

/** A history a snapshot was copying is not where it was a moment ago: the snapshot is taken again, checking each. */
export class HistoryMovedError extends Error {
  constructor(place: HistoryPlace) {
    super(`the history at ${place.at} in ${place.source.path} changed while a snapshot copied it`);
    this.name = 'HistoryMovedError';
  }
}

/** The bytes a snapshot copies: checked, or it throws HistoryMovedError (never copy what would fail its check at the next start). */
export function copyHistory(place: HistoryPlace): Buffer {
  const bytes = readAt(place);
  if (bytes) return bytes;
  place.source.doubt();
  throw new HistoryMovedError(place);
}

const forget = (rec: object): boolean => delete (rec as { [PLACE]?: HistoryPlace })[PLACE];

function parseHistory(rec: Obj): void {
  const place = historyPlaceOf(rec)!;
  let history: Obj | null = null;
  try {
    const found = findHistory(place);
    if (found) {
      history = JSON.parse(found.bytes.toString('utf8')) as Obj;
      historiesParsed += 1;
    }
  } catch (e) {
    log.error(`the history of ${String(rec.id)} in ${place.source.path} does not parse:`, e);
  }
  if (!history) {
    // Checked at start (snapshot-reader.ts): only a file changed or failing under the running
    // app gets here, and no open snapshot file has the history any more. The record stays with
    // none (snapshots write it so); Kuaidi100's next push carries the whole history again.
    historiesLost += 1;
    log.error(`the history of ${String(rec.id)} could not be read from ${place.source.path} at ${place.at} nor found elsewhere: it is lost`);
    history = { events: [], destEvents: null, predictedRoute: null };
  }
  // Plain fields from now on, which nothing can tell from fields assigned in memory: a snapshot
  // writes them from memory, not the bytes on disk (then points the record back at its file).
  forget(rec);
  for (const key of HISTORY_KEYS) Object.defineProperty(rec, key, { value: history[key] ?? (key === 'events' ? [] : null), writable: true, enumerable: true, configurable: true });
}

/** The same getter objects for every record, so they share V8's hidden classes. */
const LAZY_FIELDS: PropertyDescriptorMap = Object.fromEntries(
  HISTORY_KEYS.map((key) => [
    key,
    {
      enumerable: true,
      configurable: true,
      get(this: Obj): unknown {
        parseHistory(this);
        return this[key];
      },
      set(this: Obj, value: unknown): void {
        parseHistory(this);
        this[key] = value;
      },
    },
  ]),
);

/**
 * From now on the record's history is read from `place` when asked for; a history parsed
 * before is let go (the same bytes are on disk, checked).
 */
export function placeHistory(rec: object, place: HistoryPlace): void {
  Object.defineProperties(rec, LAZY_FIELDS);
  Object.defineProperty(rec, PLACE, { value: place, configurable: true });
}

/** The facts of a history on disk, its newest scan and places read (not the rest) when first asked for. */
export function placedFacts(rec: { events: TrackingEventDto[] }): HistoryFacts | undefined {
  const place = historyPlaceOf(rec);
  if (!place) return undefined;
  if (place.answers) return place.answers;
  const { n, q, k } = place.layout;
  let head: { places: string[]; newest: TrackingEventDto | null } | null = null;
  const read = (): { places: string[]; newest: TrackingEventDto | null } => {
    if (head) return head;
    try {
      // The offsets are the head's word, not checked like the history: never read past it.
      if (q + NEWEST_AFTER_PLACES + k > place.layout.b) throw new Error('the offsets do not fit the history');
      const bytes = place.source.read(place.at, q + NEWEST_AFTER_PLACES + k);
      head = {
        places: JSON.parse(bytes.toString('utf8', PLACES_AT, q + 1)) as string[],
        newest: n ? (JSON.parse(bytes.toString('utf8', q + NEWEST_AFTER_PLACES, q + NEWEST_AFTER_PLACES + k)) as TrackingEventDto) : null,
      };
    } catch {
      // Offsets that no longer fit (a head edited by hand): the whole history, checked, answers.
      const events = rec.events;
      head = { places: placesOf(events), newest: events[0] ?? null };
    }
    return head;
  };
  place.answers = {
    count: n,
    get places(): readonly string[] {
      return read().places;
    },
    get newest(): TrackingEventDto | null {
      return read().newest;
    },
  };
  return place.answers;
}
