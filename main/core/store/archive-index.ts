/**
 * The archive's index: one text line per archived parcel (or per parcel taken back out), holding
 * only what search and a list row need, plus where the full record lies in its month file.
 * Pure functions: the line format, and the rules search applies to an entry.
 *
 * Why tab-separated lines and not JSON: 100,000 lines are read at the first archive search, and
 * splitting on tabs is several times cheaper than JSON.parse; a torn last line is recognised
 * (no newline) and a damaged one fails the field count.
 */
import type { StateGroup, SubscriptionStatus, TrackingEventDto, TrackingStatus } from '../../../preload/contract.js';
import { companyByCode } from '../kuaidi100/companies.js';
import { basicStateOf } from '../kuaidi100/states.js';
import { groupOf } from '../state-groups.js';
import type { ShipmentRecord } from './schema.js';
import { newShipmentRecord } from './new-record.js';

/**
 * The index format's version: change it whenever a line's fields or their meaning change (an
 * index with another header is rebuilt from the month files). The state group is stored by
 * name and searched through GROUP_NAMES in archive.ts: adding a group there (say 待处理, "todo")
 * changes the meaning of stored lines, so bump this with it.
 */
export const INDEX_HEADER = 'PTAI\t2';

/** Where one record lies: a gzip member (segment) of a month file, and its line inside it. */
export interface RecordLocation {
  month: string;
  offset: number;
  length: number;
  line: number;
}

export interface ArchiveEntry extends RecordLocation {
  id: string;
  number: string;
  company: string;
  companyName: string | null;
  orderNos: string[];
  buyer: string | null;
  note: string | null;
  state: string | null;
  statusCode: string | null;
  group: Exclude<StateGroup, 'all'>;
  tracking: TrackingStatus | null;
  subscriptionStatus: SubscriptionStatus;
  comNew: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  removed: boolean;
  /** The newest scan, so a list row needs no month decoded. */
  lastTime: string | null;
  lastContext: string | null;
  lastStatus: string | null;
}

export type IndexLine = { kind: 'record'; entry: ArchiveEntry } | { kind: 'taken'; id: string; month: string; offset: number; length: number };

// 待处理 ("todo") since index version 2: an aborted parcel is archived under it (also in archive.ts's GROUP_NAMES).
const GROUPS = new Set(['todo', 'transit', 'delivering', 'delivered', 'exception']);
const RECORD_FIELDS = 25;
const TAKEN_FIELDS = 5;

/** An early draft of issue 13 named the field `orderNo`; archives written then are still read. */
interface DraftOrderField {
  orderNo?: string | readonly string[] | null;
}

/** Order numbers and buyer arrive with the marketplace import (issue 13); absent in older records. */
export function orderNosOf(r: ShipmentRecord): string[] {
  const v = r.orderNos ?? (r as ShipmentRecord & DraftOrderField).orderNo;
  if (!v) return [];
  return typeof v === 'string' ? [v] : v.filter((o): o is string => typeof o === 'string');
}

export function buyerOf(r: ShipmentRecord): string | null {
  return r.buyer ?? null;
}

/** Which month file a record goes to: the month it ended in (or was last updated). */
export function monthOf(r: ShipmentRecord): string {
  return (r.endedAt ?? r.updatedAt).slice(0, 7);
}

export function entryOf(r: ShipmentRecord, at: RecordLocation): ArchiveEntry {
  const last: TrackingEventDto | undefined = r.events[0];
  return {
    ...at,
    id: r.id,
    number: r.number,
    company: r.company,
    companyName: companyByCode(r.company)?.name ?? null,
    orderNos: orderNosOf(r),
    buyer: buyerOf(r),
    note: r.note,
    state: r.state,
    statusCode: r.statusCode,
    group: groupOf(r),
    tracking: r.tracking,
    subscriptionStatus: r.subscription.status,
    comNew: r.comNew,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    endedAt: r.endedAt,
    removed: r.removedAt !== null,
    lastTime: last?.time ?? null,
    lastContext: last?.context ?? null,
    lastStatus: last?.status ?? null,
  };
}

// ---- the line format -----------------------------------------------------------------------

const NULL = '\\-';

function esc(s: string | null): string {
  if (s === null) return NULL;
  return s.replace(/[\\\t\n\r\x1f]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\u'));
}

function unesc(s: string): string | null {
  if (s === NULL) return null;
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'u' ? '\x1f' : c));
}

function req(s: string | null): string {
  if (s === null) throw new Error('missing field');
  return s;
}

function int(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`not a number: ${s}`);
  return Number(s);
}

export function encodeEntry(e: ArchiveEntry): string {
  // Order matters: what the loader keeps comes first, and the searched fields lie side by side
  // (number … note), so search text is one slice of the line.
  return [
    'R',
    esc(e.id),
    e.month,
    String(e.offset),
    String(e.length),
    String(e.line),
    esc(e.updatedAt),
    e.group,
    esc(e.state),
    esc(e.statusCode),
    e.removed ? '1' : '0',
    esc(e.number),
    esc(e.orderNos.map((o) => o.replace(/\x1f/g, ' ')).join('\x1f')),
    esc(e.buyer),
    esc(e.note),
    esc(e.company),
    esc(e.companyName),
    esc(e.tracking),
    esc(e.subscriptionStatus),
    esc(e.comNew),
    esc(e.createdAt),
    esc(e.endedAt),
    esc(e.lastTime),
    esc(e.lastContext === null ? null : clip(e.lastContext)),
    esc(e.lastStatus),
  ].join('\t');
}

/** A list row shows one line of the newest scan; the index keeps that much, not a paragraph. */
export const LAST_CONTEXT_CHARS = 40;
function clip(s: string): string {
  return s.length > LAST_CONTEXT_CHARS ? `${s.slice(0, LAST_CONTEXT_CHARS - 1)}…` : s;
}

export function encodeTaken(id: string, at: Omit<RecordLocation, 'line'>): string {
  return ['T', esc(id), at.month, String(at.offset), String(at.length)].join('\t');
}

/** Parses one index line (without its newline); throws on a damaged one. */
export function decodeLine(line: string): IndexLine {
  const f = line.split('\t');
  if (f[0] === 'T' && f.length === TAKEN_FIELDS) {
    return { kind: 'taken', id: req(unesc(f[1]!)), month: month(f[2]!), offset: int(f[3]!), length: int(f[4]!) };
  }
  if (f[0] !== 'R' || f.length !== RECORD_FIELDS) throw new Error('damaged index line');
  const group = f[7]!;
  if (!GROUPS.has(group)) throw new Error('damaged index line');
  const orders = unesc(f[12]!) ?? '';
  return {
    kind: 'record',
    entry: {
      id: req(unesc(f[1]!)),
      month: month(f[2]!),
      offset: int(f[3]!),
      length: int(f[4]!),
      line: int(f[5]!),
      updatedAt: req(unesc(f[6]!)),
      group: group as ArchiveEntry['group'],
      state: unesc(f[8]!),
      statusCode: unesc(f[9]!),
      removed: f[10] === '1',
      number: req(unesc(f[11]!)),
      orderNos: orders ? orders.split('\x1f') : [],
      buyer: unesc(f[13]!),
      note: unesc(f[14]!),
      company: req(unesc(f[15]!)),
      companyName: unesc(f[16]!),
      tracking: unesc(f[17]!) as TrackingStatus | null,
      subscriptionStatus: req(unesc(f[18]!)) as SubscriptionStatus,
      comNew: unesc(f[19]!),
      createdAt: req(unesc(f[20]!)),
      endedAt: unesc(f[21]!),
      lastTime: unesc(f[22]!),
      lastContext: unesc(f[23]!),
      lastStatus: unesc(f[24]!),
    },
  };
}

/** What the loader keeps of a line: read from the bytes, without building an entry. */
export interface IndexScan {
  kind: 'record' | 'taken';
  id: string;
  month: string;
  /** End of the segment the line points at, in its month file. */
  end: number;
  updated: number;
  group: string;
  state: string | null;
  statusCode: string | null;
  removed: boolean;
  /** Lower-cased number, orders, buyer, note, carrier code and name, separated by U+0001 (stripped from queries). */
  hay: string;
}

const TAB = 9;

/**
 * The loader's fast path: 100,000 lines at the first archive search. Decodes only the fields
 * it keeps, each as a fresh string (a slice of a line string would keep the whole line alive),
 * and checks the field count and numbers so a damaged line still fails.
 */
export function scanIndexLine(buf: Buffer, start: number, end: number): IndexScan {
  const f = buf.toString('utf8', start, end).split('\t');
  // Ids are ASCII and come second: read them straight from the bytes, a string of their own.
  const idEnd = buf.indexOf(TAB, start + 2);
  const id = (): string => {
    const raw = buf.toString('latin1', start + 2, idEnd);
    return raw.includes('\\') ? req(unesc(f[1]!)) : raw;
  };
  if (f[0] === 'T' && f.length === TAKEN_FIELDS) {
    return { kind: 'taken', id: id(), month: month(f[2]!), end: int(f[3]!) + int(f[4]!), updated: 0, group: '', state: null, statusCode: null, removed: true, hay: '' };
  }
  if (f[0] !== 'R' || f.length !== RECORD_FIELDS) throw new Error('damaged index line');
  const group = f[7]!;
  if (!GROUPS.has(group)) throw new Error('damaged index line');
  int(f[5]!);
  const updated = Date.parse(f[6]!);
  if (Number.isNaN(updated)) throw new Error('damaged index line');
  return {
    kind: 'record',
    id: id(),
    month: month(f[2]!),
    end: int(f[3]!) + int(f[4]!),
    updated,
    group,
    state: unesc(f[8]!),
    statusCode: unesc(f[9]!),
    removed: f[10] === '1',
    hay: `${unesc(f[11]!) ?? ''}\x01${unesc(f[12]!) ?? ''}\x01${unesc(f[13]!) ?? ''}\x01${unesc(f[14]!) ?? ''}\x01${unesc(f[15]!) ?? ''}\x01${unesc(f[16]!) ?? ''}`
      .replace(/\x1f/g, '\x01')
      .toLowerCase(),
  };
}

function month(s: string): string {
  if (!/^\d{4}-\d{2}$/.test(s)) throw new Error(`not a month: ${s}`);
  return s;
}

// ---- what search looks at --------------------------------------------------------------------

/** The same rule as the active list (state-groups.ts): a group, or a basic or advanced state code. */
export function matchesState(group: string, state: string | null, statusCode: string | null, wanted: string | undefined): boolean {
  if (!wanted || wanted === 'all') return true;
  if (GROUPS.has(wanted)) return group === wanted;
  return basicStateOf(state) === wanted || statusCode === wanted;
}

/**
 * A record shaped from an index entry, enough for a list row (summary: the newest scan only),
 * so listing archived parcels decodes no month. The detail view opens the real record.
 */
export function summaryRecordOf(e: ArchiveEntry): ShipmentRecord {
  const newest: TrackingEventDto[] =
    e.lastTime !== null
      ? [{ time: e.lastTime, ftime: e.lastTime, context: e.lastContext ?? '', status: e.lastStatus, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null }]
      : [];
  return {
    // A list row needs the state, not the subscription's history (that is in the month file).
    ...newShipmentRecord({ company: e.company, number: e.number, now: e.createdAt, autoCom: false, note: e.note, subscription: { status: e.subscriptionStatus }, orderNos: [...e.orderNos], buyer: e.buyer }),
    id: e.id,
    updatedAt: e.updatedAt,
    tracking: e.tracking,
    state: e.state,
    statusCode: e.statusCode,
    isCheck: e.group === 'delivered',
    events: newest,
    comNew: e.comNew,
    endedAt: e.endedAt,
    removedAt: e.removed ? e.updatedAt : null,
  };
}
