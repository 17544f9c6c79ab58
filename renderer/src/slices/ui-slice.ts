/** What the window shows right now: tab, search, order, carrier filter, selection, language, entry field state. */
import type { Language, ShipmentDto, SortDir, SortKey, StateGroup } from '../../../preload/contract.js';
import type { Slice, SliceContext } from './slice.js';

export interface UiSlice {
  group: StateGroup;
  query: string;
  sort: SortKey;
  dir: SortDir;
  /** Only this carrier (code), or '' for every carrier. */
  carrier: string;
  /** Only these parcels (a bulk notification was clicked), or null. */
  onlyIds: string[] | null;
  selectedId: string | null;
  /** Ticked for a bulk action (复制给买家), in the order ticked; may reach beyond the loaded page. */
  checkedIds: string[];
  lang: Language;
  /** Search the archive too (delivered or ended long ago). */
  includeArchived: boolean;
  /** Bumped to ask the entry field to take focus (tray "add waybill", after a dialog closes). */
  focusEntry: number;
  setGroup(group: StateGroup): void;
  setQuery(query: string): void;
  setSort(sort: SortKey, dir: SortDir): void;
  setCarrier(carrier: string): void;
  showOnly(ids: string[] | null): void;
  select(id: string | null): void;
  toggleChecked(id: string): void;
  /** Tick (or untick) these together: a Shift-click range. */
  setChecked(ids: readonly string[], on: boolean): void;
  clearChecked(): void;
  /** The ticked parcels, fetched when the page in memory no longer holds them; gone ones are left out. */
  checkedShipments(): Promise<ShipmentDto[]>;
  setIncludeArchived(on: boolean): void;
  requestEntryFocus(): void;
}

export const createUiSlice = (ctx: SliceContext): Slice<UiSlice> => (set, get) => {
  // Any change of what is listed asks for the first page of the new view.
  const relist = (patch: Partial<UiSlice>): void => {
    set(patch);
    void get().reloadPage(true);
  };
  return {
    group: 'all',
    query: '',
    sort: 'updated',
    dir: 'desc',
    carrier: '',
    onlyIds: null,
    selectedId: null,
    checkedIds: [],
    lang: 'zh',
    includeArchived: false,
    focusEntry: 0,
    setGroup: (group) => relist({ group }),
    setQuery: (query) => relist({ query }),
    setSort: (sort, dir) => relist({ sort, dir }),
    setCarrier: (carrier) => relist({ carrier }),
    showOnly: (onlyIds) => relist({ onlyIds, group: 'all', query: '', carrier: '' }),
    select: (selectedId) => set({ selectedId }),
    toggleChecked: (id) => set((st) => ({ checkedIds: st.checkedIds.includes(id) ? st.checkedIds.filter((x) => x !== id) : [...st.checkedIds, id] })),
    setChecked: (ids, on) =>
      set((st) => {
        const drop = new Set(ids);
        const kept = st.checkedIds.filter((x) => !drop.has(x));
        return { checkedIds: on ? [...kept, ...ids.filter((x, i) => ids.indexOf(x) === i)] : kept };
      }),
    clearChecked: () => set({ checkedIds: [] }),
    checkedShipments: async () => {
      const out: ShipmentDto[] = [];
      for (const id of get().checkedIds) {
        const loaded = get().shipments[id] ?? get().archived[id];
        if (loaded) {
          out.push(loaded);
          continue;
        }
        const r = await ctx.api.getShipment(id);
        if (r.ok) out.push(r.value);
      }
      return out;
    },
    setIncludeArchived: (includeArchived) => set({ includeArchived, archived: includeArchived ? get().archived : {} }),
    requestEntryFocus: () => set((st) => ({ focusEntry: st.focusEntry + 1 })),
  };
};
