/**
 * The list a seller works from, kept ready between requests: each parcel's tab, search text and
 * sort keys are worked out once when it changes (not on every request), the tabs' counts are
 * counters moved on put and drop, and every order the list offers is a sorted array kept in
 * order by binary insertion. A page is then a walk of one ready array, never a sort of the store.
 * Pickup deadlines are kept here too, so a parcel turns late (and moves to 待处理) on a timer.
 */
import type { SortDir, SortKey, StateGroup, TodoReason } from '../../preload/contract.js';
import { countByGroup, daysOnTheWay, GROUP_RANK, isTabGroup, searchTextOf, type TabGroup } from '../../preload/view-logic.js';
import { companyByCode } from './kuaidi100/companies.js';
import { basicStateOf } from './kuaidi100/states.js';
import { epochToKuaidiTime } from './kuaidi100/time.js';
import type { Outage, StaleThresholds } from './lifecycle.js';
import { pickupDueAt } from './pickup-watch.js';
import { staleSince } from './stale-since.js';
import { groupInputOf, matchesGroup, placeOf } from './state-groups.js';
import { historyFacts, newestEvent } from './store/history-facts.js';
import type { ShipmentRecord } from './store/schema.js';

export interface ListEntry {
  rec: ShipmentRecord;
  group: TabGroup;
  todo: TodoReason | null;
  /** Lower-case text a search looks in: made by the first search that needs it, so start-up does not pay for it. */
  text: string | null;
  /** When the pickup deadline passes (epoch ms), or null once picked up. */
  pickupDue: number | null;
  late: boolean;
  /** From when its shown state is in doubt (staleSince), or null. */
  staleAt: number | null;
}

export interface PickupCheck {
  changed: string[];
  next: number | null;
}

export interface ListQuery {
  /** A tab, or a basic/advanced state code. */
  state?: string;
  q?: string;
  carrier?: string;
  ids?: readonly string[];
  sort?: SortKey;
  dir?: SortDir;
  offset?: number;
  limit?: number;
}

export interface ListIndexOptions {
  now(): number;
  pickupHours(): number;
  /** What staleness depends on besides the record (the outage journal and the thresholds). */
  staleRules?(): { journal: readonly Outage[]; thresholds: StaleThresholds };
}

/** Days-on-the-way keys of parcels still under way grow with time: the order is rebuilt this often. */
const DAYS_ORDER_TTL_MS = 3600_000;

type Key = number | string;

export class ShipmentListIndex {
  readonly #o: ListIndexOptions;
  readonly #entries = new Map<string, ListEntry>();
  #counts = countByGroup<ListEntry>([], (e) => e.group);
  #lateCount = 0;
  /** Ascending arrays per sort key (descending pages walk them from the end). */
  readonly #orders = new Map<SortKey, { keys: Map<string, Key>; list: ListEntry[]; builtAt: number }>();
  /** The last filtered walk, reused while nothing changed (scrolling through one search). */
  #lastMatch: { key: string; version: number; list: ListEntry[] } | null = null;
  #version = 0;
  /** Every entry's staleAt, ascending: "how many are in doubt now" is one binary search. */
  #staleTimes: number[] = [];
  #staleRulesKey = '';

  constructor(options: ListIndexOptions) {
    this.#o = options;
  }

  get counts(): Record<StateGroup, number> {
    return { ...this.#counts };
  }

  get pickupLateCount(): number {
    return this.#lateCount;
  }

  /** How many parcels are in doubt ("可能漏推送") at `now`. A changed journal or threshold re-decides every parcel once. */
  staleCount(now: number): number {
    const rules = this.#o.staleRules?.();
    if (!rules) return 0;
    const key = `${rules.journal.length}:${rules.journal.map((o) => `${o.from}/${o.to ?? ''}`).join(',')}:${JSON.stringify(rules.thresholds)}`;
    if (key !== this.#staleRulesKey) {
      this.#staleRulesKey = key;
      this.#staleTimes = [];
      for (const e of this.#entries.values()) {
        e.staleAt = staleSince(e.rec, rules.journal, rules.thresholds);
        if (e.staleAt !== null) this.#staleTimes.push(e.staleAt);
      }
      this.#staleTimes.sort((a, b) => a - b);
    }
    return upperBound(this.#staleTimes, now);
  }

  get(id: string): ListEntry | undefined {
    return this.#entries.get(id);
  }

  /** Every parcel on the list (not removed), in no particular order. */
  entries(): IterableIterator<ListEntry> {
    return this.#entries.values();
  }

  /**
   * 今日签收: delivered parcels whose newest scan is dated today in China. Such a parcel changed
   * today, so the walk goes newest update first and stops at the first one older than today.
   */
  signedToday(now: number): number {
    const today = epochToKuaidiTime(now).slice(0, 10);
    const since = new Date(Date.parse(`${today}T00:00:00+08:00`)).toISOString();
    const order = this.#order('updated');
    let count = 0;
    for (let i = order.length - 1; i >= 0; i--) {
      const e = order[i]!;
      if (e.rec.updatedAt < since) break;
      if (e.group === 'delivered' && newestEvent(e.rec)?.ftime.startsWith(today)) count += 1;
    }
    return count;
  }

  /**
   * Makes the search text of up to `count` parcels that have none yet; true while some remain.
   * Run in slices after start, so the first search does not pay for all of them at once.
   */
  warmSearchText(count: number): boolean {
    let done = 0;
    for (const e of this.#entries.values()) {
      if (e.text !== null) continue;
      if (done++ >= count) return true;
      e.text = textOf(e.rec);
    }
    return false;
  }

  /** Loads every record once (start-up); later changes come through update(). */
  reset(records: Iterable<ShipmentRecord>): void {
    this.#entries.clear();
    this.#orders.clear();
    this.#counts = countByGroup<ListEntry>([], (e) => e.group);
    this.#lateCount = 0;
    this.#staleTimes = [];
    this.#staleRulesKey = '';
    for (const r of records) if (!r.removedAt) this.#add(this.#entryOf(r, this.#o.now()));
    this.#version += 1;
  }

  /** A record changed (or is gone: null). Removed (tombstoned) records leave the list. */
  update(id: string, rec: ShipmentRecord | null | undefined): void {
    const prev = this.#entries.get(id);
    if (prev && prev.rec === rec) return;
    if (prev) this.#remove(prev);
    if (rec && !rec.removedAt) this.#add(this.#entryOf(rec, this.#o.now()));
    this.#version += 1;
  }

  /**
   * Re-decides lateness for parcels whose deadline passed (or moved): the ids that changed, and
   * the earliest deadline still ahead (for the one timer that watches them), in one walk.
   */
  checkPickups(now: number): PickupCheck {
    const changed: string[] = [];
    let next: number | null = null;
    const ahead = (due: number | null): void => {
      if (due !== null && due > now && (next === null || due < next)) next = due;
    };
    for (const e of this.#entries.values()) {
      const late = e.pickupDue !== null && now >= e.pickupDue;
      if (late === e.late) ahead(e.pickupDue);
      else changed.push(e.rec.id);
    }
    for (const id of changed) {
      const e = this.#entries.get(id)!;
      this.#remove(e);
      const fresh = this.#entryOf(e.rec, now);
      this.#add(fresh);
      ahead(fresh.pickupDue);
    }
    if (changed.length) this.#version += 1;
    return { changed, next };
  }

  /** The hours setting changed: every deadline moves. */
  repriceDeadlines(): PickupCheck {
    const now = this.#o.now();
    const hours = this.#o.pickupHours();
    for (const e of this.#entries.values()) e.pickupDue = pickupDueAt(e.rec, hours);
    return this.checkPickups(now);
  }

  /** Parcels late now whose deadline passed after `t` (while the app was closed, at start). */
  lateSince(t: number): ListEntry[] {
    const out: ListEntry[] = [];
    for (const e of this.#entries.values()) if (e.late && e.pickupDue !== null && e.pickupDue > t) out.push(e);
    return out;
  }

  /** One page in the asked order, the number of matches, and the tabs' counts. */
  page(query: ListQuery): { items: ListEntry[]; total: number } {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = query.limit ?? Infinity;
    const desc = (query.dir ?? 'desc') === 'desc';
    const order = this.#order(query.sort ?? 'updated');
    const needle = (query.q ?? '').trim().toLowerCase();
    const ids = query.ids ? new Set(query.ids) : null;
    const state = query.state && query.state !== 'all' ? query.state : undefined;
    const keep = (e: ListEntry): boolean =>
      (!state || (isTabGroup(state) ? e.group === state : matchesGroup(e.rec, state))) &&
      (!query.carrier || e.rec.company === query.carrier) &&
      (!ids || ids.has(e.rec.id)) &&
      (!needle || (e.text ??= textOf(e.rec)).includes(needle));

    if (!needle && !query.carrier && !ids && (!state || isTabGroup(state))) {
      // Only a tab: the counters give the total, and the walk stops at the page's end.
      const total = state ? this.#counts[state as TabGroup] : this.#counts.all;
      const items: ListEntry[] = [];
      let skipped = 0;
      for (let i = 0; i < order.length && items.length < limit; i++) {
        const e = order[desc ? order.length - 1 - i : i]!;
        if (!keep(e)) continue;
        if (skipped++ < offset) continue;
        items.push(e);
      }
      return { items, total };
    }
    const key = JSON.stringify([query.sort ?? 'updated', desc, state, query.carrier, needle, query.ids]);
    let matches = this.#lastMatch?.key === key && this.#lastMatch.version === this.#version ? this.#lastMatch.list : null;
    if (!matches) {
      matches = [];
      for (let i = 0; i < order.length; i++) {
        const e = order[desc ? order.length - 1 - i : i]!;
        if (keep(e)) matches.push(e);
      }
      this.#lastMatch = { key, version: this.#version, list: matches };
    }
    return { items: matches.slice(offset, limit === Infinity ? undefined : offset + limit), total: matches.length };
  }

  #entryOf(rec: ShipmentRecord, now: number): ListEntry {
    const pickupDue = pickupDueAt(rec, this.#o.pickupHours());
    const late = pickupDue !== null && now >= pickupDue;
    const { group, todo } = placeOf(groupInputOf(rec, late));
    // Until the rules are first asked for (staleCount), the walk there decides every parcel.
    const rules = this.#staleRulesKey ? this.#o.staleRules?.() : undefined;
    return {
      rec,
      group,
      todo,
      text: null,
      pickupDue,
      late,
      staleAt: rules ? staleSince(rec, rules.journal, rules.thresholds) : null,
    };
  }

  #add(e: ListEntry): void {
    this.#entries.set(e.rec.id, e);
    this.#counts.all += 1;
    this.#counts[e.group] += 1;
    if (e.late) this.#lateCount += 1;
    if (e.staleAt !== null) this.#staleTimes.splice(upperBound(this.#staleTimes, e.staleAt), 0, e.staleAt);
    for (const [sort, o] of this.#orders) {
      const k = this.#keyOf(sort, e);
      o.keys.set(e.rec.id, k);
      o.list.splice(this.#position(o, k, e.rec.id), 0, e);
    }
  }

  #remove(e: ListEntry): void {
    this.#entries.delete(e.rec.id);
    this.#counts.all -= 1;
    this.#counts[e.group] -= 1;
    if (e.late) this.#lateCount -= 1;
    if (e.staleAt !== null) this.#staleTimes.splice(upperBound(this.#staleTimes, e.staleAt) - 1, 1);
    for (const o of this.#orders.values()) {
      const k = o.keys.get(e.rec.id);
      if (k === undefined) continue;
      const at = this.#position(o, k, e.rec.id);
      if (o.list[at]?.rec.id === e.rec.id) o.list.splice(at, 1);
      else o.list.splice(o.list.findIndex((x) => x.rec.id === e.rec.id), 1);
      o.keys.delete(e.rec.id);
    }
  }

  /** The sorted array of one key, built on first use and kept in order from then on. */
  #order(sort: SortKey): ListEntry[] {
    const now = this.#o.now();
    let o = this.#orders.get(sort);
    if (o && sort === 'days' && now - o.builtAt > DAYS_ORDER_TTL_MS) o = undefined;
    if (!o) {
      const keys = new Map<string, Key>();
      const decorated: [Key, string, ListEntry][] = [];
      for (const e of this.#entries.values()) {
        const k = this.#keyOf(sort, e);
        keys.set(e.rec.id, k);
        decorated.push([k, e.rec.id, e]);
      }
      decorated.sort((a, b) => compareKeys(a[0], a[1], b[0], b[1]));
      o = { keys, list: decorated.map((d) => d[2]), builtAt: now };
      this.#orders.set(sort, o);
    }
    return o.list;
  }

  #keyOf(sort: SortKey, e: ListEntry): Key {
    const r = e.rec;
    switch (sort) {
      case 'updated':
        return r.updatedAt;
      case 'added':
        return r.createdAt;
      case 'state':
        // Tab first (待处理 … 已签收), then the state code within it.
        return GROUP_RANK[e.group] * 1000 + Number(basicStateOf(r.state) ?? -1);
      case 'days': {
        const done = basicStateOf(r.state) === '3' || r.tracking === 'shutdown';
        const ftime = done ? newestEvent(r)?.ftime : undefined;
        return daysOnTheWay(r.createdAt, done ? (ftime ? kuaidiToIso(ftime) : r.updatedAt) : null, this.#o.now());
      }
    }
  }

  #position(o: { keys: Map<string, Key>; list: ListEntry[] }, k: Key, id: string): number {
    let lo = 0;
    let hi = o.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = o.list[mid]!;
      if (compareKeys(o.keys.get(m.rec.id)!, m.rec.id, k, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function textOf(rec: ShipmentRecord): string {
  const { newest, places } = historyFacts(rec);
  return searchTextOf({
    number: rec.number,
    note: rec.note,
    orderNos: rec.orderNos,
    buyer: rec.buyer,
    company: rec.company,
    companyName: companyByCode(rec.company)?.name ?? null,
    newestText: newest?.context ?? null,
    places,
  });
}

/** How many of the ascending `xs` are <= x. */
function upperBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareKeys(a: Key, aId: string, b: Key, bId: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** Kuaidi100 times are China local time ("2026-11-30 10:21:00"). */
function kuaidiToIso(ftime: string): string {
  return `${ftime.replace(' ', 'T')}+08:00`;
}
