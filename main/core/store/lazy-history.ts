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
/** How many histories were parsed since start (tests and the bench check that walks stay lazy). */
export const historiesParsedCount = (): number => historiesParsed;
/** Histories that could not be read back when asked for (the file changed or failed under us). */
export const historiesLostCount = (): number => historiesLost;

function readHistory(place: HistoryPlace): Obj {
  const bytes = place.source.read(place.at, place.layout.b);
  if (crc32(bytes) !== place.layout.c) throw new Error('its CRC-32 does not match');
  return JSON.parse(bytes.toString('utf8')) as Obj;
}

function parseHistory(rec: Obj): void {
  const place = historyPlaceOf(rec)!;
  let history: Obj;
  try {
    history = readHistory(place);
    historiesParsed += 1;
  } catch (e) {
    // Checked at start (snapshot-reader.ts): only a file changed or failing under the running
    // app gets here. The record stays; Kuaidi100's next push carries the whole history again.
    historiesLost += 1;
    log.error(`the history of ${String(rec.id)} could not be read from ${place.source.path} at ${place.at}:`, e);
    history = { events: [], destEvents: null, predictedRoute: null };
  }
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
