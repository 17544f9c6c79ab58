/**
 * What the core knows, as the window holds it: the page of parcels in view (never the whole
 * store), the tabs' counts as the core keeps them, archive hits, the open parcel's detail,
 * status, settings, notifications. The virtual list says which rows it shows; the page around
 * them is asked for. A change event updates a parcel in view in place; one that may change
 * the order or the members of the view marks the page stale and it is asked for again, at
 * most every REFETCH_MS however many events arrive.
 */
import type { ChangeEvent, NotificationDto, SettingsDto, ShipmentDto, ShipmentQuery, StatusDto } from '../../../preload/contract.js';
import type { Slice, SliceContext } from './slice.js';

/** How many parcels the first request loads: more than a screen, far fewer than a busy seller has. */
export const FIRST_SCREEN = 200;
/** Rows asked for beyond the visible ones on each side, so scrolling rarely waits. */
export const PAGE_MARGIN = 100;
/** A stale page is asked for again at most this often (a push storm must not become a request storm). */
export const REFETCH_MS = 250;

export interface PageWindow {
  /** Index in the whole (filtered, sorted) list of the first loaded row. */
  offset: number;
  ids: string[];
}

export interface EntitiesSlice {
  /** Parcels of the loaded page (and the open one): a few hundred at most, whatever the store holds. */
  shipments: Record<string, ShipmentDto>;
  page: PageWindow;
  /** How many parcels the current view has in all (the list's scroll height). */
  total: number;
  status: StatusDto | null;
  settings: SettingsDto | null;
  loadError: string | null;
  /** True once the first page of the current view has arrived. */
  complete: boolean;
  /** Archived parcels matching the current search. */
  archived: Record<string, ShipmentDto>;
  /** Full shipments (every event) for the detail pane; the list holds summaries. */
  details: Record<string, ShipmentDto>;
  /** Recent notifications, newest first (the in-app history). */
  notifications: NotificationDto[];
  init(): Promise<void>;
  dispose(): void;
  apply(event: ChangeEvent): void;
  loadDetail(id: string): Promise<void>;
  searchArchive(): Promise<void>;
  /** The virtual list shows rows [start, end): load the page around them when it is not loaded. */
  showRange(start: number, end: number): void;
  /** Asks the core for the page in view again (reset: the view changed, start from the top). */
  reloadPage(reset?: boolean): Promise<void>;
}

export const createEntitiesSlice = ({ api, removed }: SliceContext): Slice<EntitiesSlice> => (set, get) => {
  let unsubscribe: (() => void) | null = null;
  let wanted = { start: 0, end: FIRST_SCREEN };
  let request = 0;
  let refetch: ReturnType<typeof setTimeout> | null = null;

  const viewQuery = (): ShipmentQuery => {
    const st = get();
    return {
      state: st.group === 'all' ? undefined : st.group,
      q: st.query.trim() || undefined,
      sort: st.sort,
      dir: st.dir,
      carrier: st.carrier || undefined,
      ids: st.onlyIds ?? undefined,
    };
  };

  const staleSoon = (): void => {
    // A throttle, not a debounce: 50 events a second must not postpone the refresh for ever.
    refetch ??= setTimeout(() => {
      refetch = null;
      void get().reloadPage(false);
    }, REFETCH_MS);
  };

  const loaded = (page: PageWindow, start: number, end: number, total: number): boolean =>
    start >= page.offset && Math.min(end, total) <= page.offset + page.ids.length;

  return {
    shipments: {},
    page: { offset: 0, ids: [] },
    total: 0,
    status: null,
    settings: null,
    loadError: null,
    complete: false,
    archived: {},
    details: {},
    notifications: [],

    async init() {
      // Subscribe first so that nothing that happens during the load is missed.
      unsubscribe ??= api.onChange((e) => get().apply(e));
      const [status, settings, notifications] = await Promise.all([api.getStatus(), api.getSettings(), api.listNotifications()]);
      set((st) => ({
        status: status.ok ? status.value : null,
        settings: settings.ok ? settings.value : null,
        lang: settings.ok ? settings.value.language : st.lang,
        notifications: notifications.ok ? notifications.value : st.notifications,
      }));
      await get().reloadPage(true);
    },

    dispose() {
      unsubscribe?.();
      unsubscribe = null;
      if (refetch) clearTimeout(refetch);
      refetch = null;
    },

    async reloadPage(reset = false) {
      if (reset) wanted = { start: 0, end: FIRST_SCREEN };
      const offset = Math.max(0, wanted.start - PAGE_MARGIN);
      const limit = wanted.end + PAGE_MARGIN - offset;
      const mine = ++request;
      const r = await api.listPage({ ...viewQuery(), offset, limit });
      // An older answer must not replace a newer view.
      if (mine !== request) return;
      if (!r.ok) {
        // A page that could not be had keeps the one shown; only a first load shows the error.
        if (!get().complete) set({ loadError: r.error.message });
        return;
      }
      const items = r.value.items.filter((s) => !removed.has(s.id));
      set((st) => {
        const shipments: Record<string, ShipmentDto> = {};
        for (const s of items) shipments[s.id] = s;
        // The open parcel stays known even when it scrolls out of the page.
        const open = st.selectedId ? st.shipments[st.selectedId] : undefined;
        if (open && !shipments[open.id]) shipments[open.id] = open;
        return {
          shipments,
          page: { offset: r.value.offset, ids: items.map((s) => s.id) },
          total: r.value.total,
          status: st.status ? { ...st.status, counts: r.value.counts } : st.status,
          complete: true,
          loadError: null,
        };
      });
    },

    showRange(start, end) {
      wanted = { start, end };
      const { page, total } = get();
      if (!loaded(page, start, end, total)) staleSoon();
    },

    apply(event) {
      switch (event.type) {
        case 'shipment': {
          const s = event.shipment;
          removed.delete(s.id);
          const mine = get().shipments[s.id];
          // In view: shown at once (only the page-sized map is copied, never the whole store).
          if (mine) set((st) => ({ shipments: { ...st.shipments, [s.id]: s } }));
          // Its place in the order or its tab may have changed, or it may join the view.
          const keepsPlace = mine && mine.group === s.group && get().sort !== 'updated' && get().sort !== 'state';
          if (!keepsPlace) staleSoon();
          return;
        }
        case 'shipment-removed':
          removed.add(event.id);
          set((st) => {
            const { [event.id]: _gone, ...rest } = st.shipments;
            return { shipments: rest, selectedId: st.selectedId === event.id ? null : st.selectedId, checkedIds: st.checkedIds.filter((x) => x !== event.id) };
          });
          staleSoon();
          return;
        case 'status':
          set({ status: event.status });
          return;
        case 'settings':
          set({ settings: event.settings, lang: event.settings.language });
          return;
        case 'notification':
          set((st) => ({ notifications: [event.notification, ...st.notifications].slice(0, 100) }));
          return;
        case 'channels':
          set({ channels: event.channels });
          return;
        case 'ui':
          if (event.command === 'focus-entry') get().requestEntryFocus();
          else if (event.command === 'show-shipments') get().showOnly(event.ids);
          else if (event.command === 'resync') {
            void get().reloadPage(false);
            void api.getStatus().then((r) => r.ok && set({ status: r.value }));
            void api.listNotifications().then((r) => r.ok && set({ notifications: r.value }));
          }
          else {
            set({ selectedId: event.id, group: 'all', query: '', onlyIds: null });
            void get().loadDetail(event.id);
            void get().reloadPage(true);
          }
          return;
      }
    },

    async loadDetail(id) {
      const r = await api.getShipment(id);
      // Only the open parcel's history is kept: the detail pane shows one at a time.
      if (!r.ok) return;
      set((st) => ({ details: { [id]: r.value }, shipments: st.shipments[id] ? st.shipments : { ...st.shipments, [id]: r.value } }));
    },

    async searchArchive() {
      const { includeArchived, query } = get();
      if (!includeArchived || !query.trim()) {
        set({ archived: {} });
        return;
      }
      const r = await api.listShipments({ q: query.trim(), archived: true });
      if (!r.ok || get().query !== query) return;
      set({ archived: Object.fromEntries(r.value.filter((s) => s.archived).map((s) => [s.id, s])) });
    },
  };
};
