/**
 * A record's lines in the snapshot. The snapshot is one JSON document (lowdb's) in two sections:
 * the records without their scan histories, one a line, then the histories, one a line, in the
 * same order:
 *
 *   {"version":1,"walSeq":7,"settings":{…},"journal":[…],"shipments":{
 *   "s_ab12":{"id":"s_ab12",…,"buyer":null,"$h":{"n":17,"q":212,"k":312,"b":6310,"c":123456789}},
 *   …
 *   },"$histories":[
 *   {"$p":["杭州转运中心",…],"events":[{…newest…},…],"destEvents":null,"predictedRoute":null},
 *   …
 *   ]}
 *
 * A start reads the first section only (a tenth of the bytes) and leaves each history on disk
 * until it is asked for (lazy-history.ts). `$h` says which history line is the record's and what
 * lists and search need from it without reading all of it: n = events.length, q = bytes of
 * `"$p":[…]` (the places the scans name), k = bytes of the newest event, b and c = the history's
 * length and CRC-32, by which the reader finds its line (not by position or offset: a damaged
 * record line, or a file saved with CRLF line ends, moves nothing else). A line without `$h` (a snapshot written
 * before this layout, or edited by hand) carries its history inline and is read whole.
 */
import { crc32 } from 'node:zlib';
import { placesOf } from '../../../preload/view-logic.js';
import { HISTORY_KEYS, type HistoryLayout } from './lazy-history.js';
import type { ShipmentRecord } from './schema.js';

type Obj = Record<string, unknown>;
const COMMA = 0x2c;
const HISTORY = new Set<string>(HISTORY_KEYS);

/** The line that ends the records and opens the histories. */
export const HISTORIES_START = '},"$histories":[';
/** How every history line begins (and no record line does): the histories are found by it when that line is damaged. */
export const HISTORY_START = '{"$p":';

/** A record's history as the snapshot holds it, and its layout (without its offset). */
export function historyBytes(rec: ShipmentRecord): { bytes: Buffer; layout: HistoryLayout } {
  const { events } = rec;
  const places = `"$p":${JSON.stringify(placesOf(events))}`;
  const bytes = Buffer.from(`{${places},${JSON.stringify({ events, destEvents: rec.destEvents ?? null, predictedRoute: rec.predictedRoute ?? null }).slice(1)}`);
  return {
    bytes,
    layout: { n: events.length, q: Buffer.byteLength(places), k: events.length ? Buffer.byteLength(JSON.stringify(events[0])) : 0, b: bytes.length, c: crc32(bytes) },
  };
}

/** `"id":{…record without its history…,"$h":{…}}`, without comma or newline. Reads no history. */
export function headLine(id: string, rec: ShipmentRecord, layout: HistoryLayout): string {
  const head: Obj = {};
  for (const key of Object.keys(rec)) if (!HISTORY.has(key)) head[key] = (rec as unknown as Obj)[key];
  const { n, q, k, b, c } = layout;
  head.$h = { n, q, k, b, c };
  return `${JSON.stringify(id)}:${JSON.stringify(head)}`;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
/** A `$h` read back, or null when it is not one. */
export function layoutOf(v: unknown): HistoryLayout | null {
  if (typeof v !== 'object' || v === null) return null;
  const f = v as Obj;
  return isCount(f.n) && isCount(f.q) && isCount(f.k) && isCount(f.b) && isCount(f.c) ? { n: f.n, q: f.q, k: f.k, b: f.b, c: f.c } : null;
}

export interface HeadValue {
  key: string;
  value: unknown;
  /** Where its history lies (the value has no history fields), or null: the value is whole. */
  layout: HistoryLayout | null;
}

/** The records of one line of the first section (a trailing comma allowed); null when it is not JSON of that shape. */
export function readHeadLine(line: Buffer): HeadValue[] | null {
  const end = line.length > 0 && line[line.length - 1] === COMMA ? line.length - 1 : line.length;
  let parsed: unknown;
  try {
    parsed = JSON.parse(`{${line.toString('utf8', 0, end)}}`);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Obj).map(([key, value]) => {
    if (typeof value !== 'object' || value === null || !('$h' in value)) return { key, value, layout: null };
    const { $h, ...rec } = value as Obj;
    return { key, value: rec, layout: layoutOf($h) };
  });
}
