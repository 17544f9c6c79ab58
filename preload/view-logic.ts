/**
 * How a list of parcels is shown: which tab a parcel is counted under, the search filter and
 * the order. Pure and free of DOM and Node, so the core's queries and status counts and the
 * window's list use the same rules and cannot disagree.
 */
import { STATE_GROUPS, type StateGroup } from './contract.js';

export type TabGroup = Exclude<StateGroup, 'all'>;

/** The tabs of the list, in the order they are shown. */
export const GROUP_TABS: readonly StateGroup[] = STATE_GROUPS;

export function isTabGroup(group: string): group is TabGroup {
  return group === 'todo' || group === 'transit' || group === 'delivering' || group === 'delivered' || group === 'exception';
}

/** What a search looks at: the waybill number, the seller's note, the order numbers and the buyer. */
export interface Searchable {
  number: string;
  note: string | null;
  updatedAt: string;
  /** Optional: stored records from before issue 13 have none. */
  orderNos?: readonly string[];
  buyer?: string | null;
}

/** Does the search text (already trimmed and lower-cased, or empty) match number, note, an order number or the buyer? */
export function matchesText(s: Searchable, needle: string): boolean {
  return (
    !needle ||
    s.number.toLowerCase().includes(needle) ||
    (s.note ?? '').toLowerCase().includes(needle) ||
    (s.orderNos ?? []).some((o) => o.toLowerCase().includes(needle)) ||
    (s.buyer ?? '').toLowerCase().includes(needle)
  );
}

/** Newest update first (ISO times: string order is time order). */
export function byNewestUpdate(a: Searchable, b: Searchable): number {
  return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0;
}

/** Keeps what is in the group and matches the search text, newest update first. */
export function filterAndSort<T extends Searchable>(list: readonly T[], inGroup: (item: T) => boolean, q: string | undefined): T[] {
  const needle = (q ?? '').trim().toLowerCase();
  return list.filter((s) => inGroup(s) && matchesText(s, needle)).sort(byNewestUpdate);
}

/** How many items each tab holds ('all' counts every one). */
export function countByGroup<T>(list: Iterable<T>, groupOf: (item: T) => TabGroup): Record<StateGroup, number> {
  const counts = Object.fromEntries(STATE_GROUPS.map((g) => [g, 0])) as Record<StateGroup, number>;
  for (const item of list) {
    counts.all += 1;
    counts[groupOf(item)] += 1;
  }
  return counts;
}

/** Parcels as the core sends them already carry their group. */
interface Grouped extends Searchable {
  group: TabGroup;
}

export function countGroups(list: readonly Grouped[]): Record<StateGroup, number> {
  return countByGroup(list, (s) => s.group);
}

/** Filter by tab and search text (number or note), newest update first. */
export function visibleShipments<T extends Grouped>(list: readonly T[], group: StateGroup, q: string): T[] {
  return filterAndSort(list, (s) => group === 'all' || s.group === group, q);
}

// ---- the list a seller works from: search text, sort keys ------------------------------------

/** What a scan contributes to search. */
export interface ScanPlaces {
  context: string;
  areaName: string | null;
  location: string | null;
}

/** What search looks at beyond number and note: orders, buyer, carrier, the places in the scans. */
export interface SearchFields {
  number: string;
  note: string | null;
  orderNos?: readonly string[];
  buyer?: string | null;
  company: string;
  companyName: string | null;
  /** The newest scan's text (its context), or null. */
  newestText: string | null;
  /** placesOf(every scan): kept beside a history, so search needs no scan itself. */
  places: readonly string[];
}

/** The places a scan names: Kuaidi100's area and location, and the 【…】 the carrier wrote. */
export function placesOf(events: readonly ScanPlaces[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.areaName) out.add(e.areaName);
    if (e.location) out.add(e.location);
    for (const m of e.context.matchAll(/【([^】]{1,40})】/g)) out.add(m[1]!);
  }
  return [...out];
}

/**
 * One lower-case string a search needle is looked for in (kept per parcel, built once per
 * change, so a search is a walk of short strings instead of a walk of every scan). The newest
 * scan's whole text is in it; older scans contribute their places only, which keeps it small.
 */
export function searchTextOf(s: SearchFields): string {
  const parts = [s.number, s.note ?? '', ...(s.orderNos ?? []), s.buyer ?? '', s.company, s.companyName ?? '', s.newestText ?? '', ...s.places];
  return parts.filter(Boolean).join('\u0001').toLowerCase();
}

/** Order of states in the 'state' sort: what needs the seller first, delivered last. */
export const GROUP_RANK: Readonly<Record<TabGroup, number>> = { todo: 0, exception: 1, delivering: 2, transit: 3, delivered: 4 };

/** The days a parcel has been (or was) on the way: from added until delivered/ended, or until now. */
export function daysOnTheWay(createdAt: string, endedAt: string | null, now: number): number {
  const end = endedAt ? Date.parse(endedAt) : now;
  return Math.max(0, (end - Date.parse(createdAt)) / 86_400_000);
}
