/** What the window shows right now: tab, search, selection, language, entry field state. */
import type { ApiError, Language, StateGroup } from '../../../preload/contract.js';
import type { Slice } from './slice.js';

export interface UiSlice {
  group: StateGroup;
  query: string;
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
  select(id: string | null): void;
  setIncludeArchived(on: boolean): void;
  requestEntryFocus(): void;
}

export const createUiSlice = (): Slice<UiSlice> => (set, get) => ({
  group: 'all',
  query: '',
  selectedId: null,
  lang: 'zh',
  includeArchived: false,
  entryError: null,
  focusEntry: 0,
  setGroup: (group) => set({ group }),
  setQuery: (query) => set({ query }),
  select: (selectedId) => set({ selectedId }),
  setIncludeArchived: (includeArchived) => set({ includeArchived, archived: includeArchived ? get().archived : {} }),
  requestEntryFocus: () => set((st) => ({ focusEntry: st.focusEntry + 1 })),
});
