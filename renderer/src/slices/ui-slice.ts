/** What the window shows right now: tab, search, order, carrier filter, selection, language, entry field state. */
import type { ApiError, Language, SortDir, SortKey, StateGroup } from '../../../preload/contract.js';
import type { Slice } from './slice.js';

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
  lang: Language;
  /** Search the archive too (delivered or ended long ago). */
  includeArchived: boolean;
  /** The last add's error, shown beside the field it concerns. */
  entryError: ApiError | null;
  /** Bumped to ask the entry field to take focus (tray "add waybill", after a dialog closes). */
  focusEntry: number;
  setGroup(group: StateGroup): void;
  setQuery(query: string): void;
  setSort(sort: SortKey, dir: SortDir): void;
  setCarrier(carrier: string): void;
  showOnly(ids: string[] | null): void;
  select(id: string | null): void;
  setIncludeArchived(on: boolean): void;
  requestEntryFocus(): void;
}

export const createUiSlice = (): Slice<UiSlice> => (set, get) => {
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
    lang: 'zh',
    includeArchived: false,
    entryError: null,
    focusEntry: 0,
    setGroup: (group) => relist({ group }),
    setQuery: (query) => relist({ query }),
    setSort: (sort, dir) => relist({ sort, dir }),
    setCarrier: (carrier) => relist({ carrier }),
    showOnly: (onlyIds) => relist({ onlyIds, group: 'all', query: '', carrier: '' }),
    select: (selectedId) => set({ selectedId }),
    setIncludeArchived: (includeArchived) => set({ includeArchived, archived: includeArchived ? get().archived : {} }),
    requestEntryFocus: () => set((st) => ({ focusEntry: st.focusEntry + 1 })),
  };
};
