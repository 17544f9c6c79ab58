/**
 * One record's line in the snapshot, written so that reading it back does not parse its scan
 * history. At 30,000 parcels the histories are 90 % of a 226 MB snapshot, and decoding and
 * parsing them took 2 of the 2.7 s a start took; a start only needs the rest of each record.
 *
 * The line is still plain JSON inside lowdb's document, the history last, after a small `$h`
 * object that says where its parts lie and how to check them, and the places the scans name
 * (`$p`, for search; history-facts.ts):
 *
 *   "s_ab12":{"id":"s_ab12",…,"buyer":null,"$h":{"n":17,"q":212,"k":312,"b":6310,"c":123456789},"$p":["杭州转运中心",…],"events":[{…newest…},…],"destEvents":null,"predictedRoute":null},
 *
 * n = events.length, q = bytes of `"$p":[…]`, k = bytes of the newest event's JSON, b and c =
 * length and CRC-32 of the history's bytes (from `"$p"` to the record's closing brace).
 * `,"$h":{` and `,"$p":[` cannot occur inside a JSON string (a quote in a string is escaped),
 * so their first occurrences are the fields. The reader parses the head only, checks
 * the length and the CRC-32 of the history bytes — a history that fails is damaged, and its line
 * is refused like any damaged line (recover.ts then looks in `.prev` and the log), where a
 * parse alone would have taken a flipped byte inside a text for a replacement character — and
 * keeps those bytes: `events`, `destEvents` and
 * `predictedRoute` are getters that parse them at the first read and become plain fields. A
 * snapshot writes an unchanged record's bytes back as they were read (records are replaced
 * whole, never edited in place, so the same object means the same bytes).
 *
 * A line without `$h` (an older snapshot, or one edited by hand) is parsed whole as before, so
 * old snapshots still load and are rewritten in this form.
 */
import { crc32 } from 'node:zlib';
import type { TrackingEventDto } from '../../../preload/contract.js';
import { placesOf } from '../../../preload/view-logic.js';
import type { HistoryFacts } from './history-facts.js';
import type { ShipmentRecord } from './schema.js';

type Obj = Record<string, unknown>;

const HISTORY_KEYS = ['events', 'destEvents', 'predictedRoute'] as const;
const FACTS_MARK = Buffer.from(',"$h":{');
const HISTORY_MARK = Buffer.from(',"$p":[');
/** `"$p":` */
const PLACES_AT = 5;
/** `,"events":[` after the places: the newest event starts this many bytes after them. */
const NEWEST_AFTER_PLACES = 11;
const COMMA = 0x2c;

interface Raw {
  /** The record's JSON, `{` to `}`. */
  bytes: Buffer;
  /** Where the history (`"$p"`) starts in it. */
  historyAt: number;
  facts: Facts;
  /** Made at the first question (most records are never asked). */
  answers?: HistoryFacts;
}

/**
 * A record read from a snapshot carries the bytes it was read from under this key: not
 * enumerable, so a spread (a changed copy) or JSON leaves it behind. (A WeakMap of 30,000
 * entries cost the garbage collector more than the whole read of the heads.)
 */
const RAW = Symbol('snapshot bytes');
const rawOf = (rec: object): Raw | undefined => (rec as { [RAW]?: Raw })[RAW];
let historiesParsed = 0;

/** How many histories were parsed since start (tests and the bench check walks stay lazy). */
export const historiesParsedCount = (): number => historiesParsed;

function parseHistory(rec: Obj): void {
  const raw = rawOf(rec)!;
  // The places come along (`$p`) and are left out.
  const tail = JSON.parse(`{${raw.bytes.toString('utf8', raw.historyAt)}`) as Obj;
  historiesParsed += 1;
  for (const key of HISTORY_KEYS) Object.defineProperty(rec, key, { value: tail[key], writable: true, enumerable: true, configurable: true });
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

interface Facts {
  n: number;
  q: number;
  k: number;
  b: number;
  c: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isFacts = (v: unknown): v is Facts => {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Obj;
  return isCount(f.n) && isCount(f.q) && isCount(f.k) && isCount(f.b) && isCount(f.c);
};

/** A record's snapshot line after `"id":`, without the comma and newline. */
export function recordBytes(rec: ShipmentRecord): Buffer[] {
  const raw = rawOf(rec);
  if (raw) return [raw.bytes];
  const { events, destEvents, predictedRoute, ...head } = rec;
  const places = `"$p":${JSON.stringify(placesOf(events))}`;
  const history = Buffer.from(`${places},${JSON.stringify({ events, destEvents: destEvents ?? null, predictedRoute: predictedRoute ?? null }).slice(1)}`);
  const facts: Facts = {
    n: events.length,
    q: Buffer.byteLength(places),
    k: events.length ? Buffer.byteLength(JSON.stringify(events[0])) : 0,
    b: history.length,
    c: crc32(history),
  };
  const headText = JSON.stringify(head);
  return [Buffer.from(`${headText.slice(0, -1)},"$h":${JSON.stringify(facts)},`), history];
}

export type LineValue = { key: string; value: unknown; historyChecked: boolean };

/**
 * The keys and records of one `"id":{…}` line (a trailing comma allowed). `historyChecked`:
 * the history was checked against its length and CRC-32 and is left unparsed. Null when the
 * line is not JSON of that shape.
 */
export function readRecordLine(line: Buffer): LineValue[] | null {
  const end = line.length > 0 && line[line.length - 1] === COMMA ? line.length - 1 : line.length;
  const factsAt = line.indexOf(FACTS_MARK);
  if (factsAt < 0) return readWhole(line, end);
  const lazy = readLazily(line, factsAt, end);
  return lazy && [lazy];
}

function readLazily(line: Buffer, factsAt: number, end: number): LineValue | null {
  const historyComma = line.indexOf(HISTORY_MARK, factsAt);
  const keyEnd = line.indexOf('":{');
  if (historyComma < 0 || keyEnd < 0 || keyEnd > factsAt) return null;
  const start = keyEnd + 2;
  const historyAt = historyComma + 1;
  let key: unknown;
  let head: unknown;
  try {
    key = JSON.parse(line.toString('utf8', 0, keyEnd + 1));
    head = JSON.parse(`${line.toString('utf8', start, historyComma)}}`);
  } catch {
    return null;
  }
  if (typeof key !== 'string' || typeof head !== 'object' || head === null || Array.isArray(head)) return null;
  const { $h: facts, ...rec } = head as Obj;
  if (!isFacts(facts) || historyAt + facts.b !== end || facts.q + NEWEST_AFTER_PLACES + facts.k > facts.b) return null;
  const bytes = line.subarray(start, end);
  if (crc32(bytes.subarray(historyAt - start)) !== facts.c) return null;
  Object.defineProperties(rec, LAZY_FIELDS);
  const raw: Raw = { bytes, historyAt: historyAt - start, facts };
  Object.defineProperty(rec, RAW, { value: raw });
  return { key, value: rec, historyChecked: true };
}

/** The facts of a history read from a snapshot, without parsing it; undefined for any other record. */
export function snapshotFacts(rec: ShipmentRecord): HistoryFacts | undefined {
  const raw = rawOf(rec);
  if (!raw) return undefined;
  raw.answers ??= lazyFacts(rec, raw.bytes, raw.historyAt, raw.facts);
  return raw.answers;
}

/** A part of the checked history, parsed when first asked for. */
function part<T>(bytes: Buffer, from: number, to: number, orElse: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    if (!value) {
      try {
        value = { v: JSON.parse(bytes.toString('utf8', from, to)) as T };
      } catch {
        // A head edited by hand (its offsets no longer fit): the history itself passed its check.
        value = { v: orElse() };
      }
    }
    return value.v;
  };
}

function lazyFacts(rec: ShipmentRecord, bytes: Buffer, historyAt: number, f: Facts): HistoryFacts {
  const placesAt = historyAt + PLACES_AT;
  const newestAt = historyAt + f.q + NEWEST_AFTER_PLACES;
  const places = part(bytes, placesAt, historyAt + f.q, () => placesOf(rec.events));
  const newest = f.n ? part<TrackingEventDto | null>(bytes, newestAt, newestAt + f.k, () => rec.events[0] ?? null) : () => null;
  return {
    count: f.n,
    get places(): readonly string[] {
      return places();
    },
    get newest(): TrackingEventDto | null {
      return newest();
    },
  };
}

function readWhole(line: Buffer, end: number): LineValue[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`{${line.toString('utf8', 0, end)}}`);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Obj).map(([key, value]) => ({ key, value, historyChecked: false }));
}
