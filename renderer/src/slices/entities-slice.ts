/**
 * What the core knows, as the window holds it: shipments, archive hits, the open parcel's
 * detail, status, settings, notifications. Loaded once, then kept current by change events.
 */
import type { ChangeEvent, NotificationDto, SettingsDto, ShipmentDto, StatusDto } from '../../../preload/contract.js';
import { withShipment, type Slice, type SliceContext } from './slice.js';

/** How many parcels the first request loads: more than a screen, far fewer than a busy seller has. */
export const FIRST_SCREEN = 200;

export interface EntitiesSlice {
  shipments: Record<string, ShipmentDto>;
  status: StatusDto | null;
  settings: SettingsDto | null;
  loadError: string | null;
  /** False while only the first screen of parcels is loaded; tab counts then come from the core. */
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
}

/** Adds loaded shipments, keeping a copy that a change event made newer in the meantime. */
function mergeLoaded(current: Record<string, ShipmentDto>, loaded: readonly ShipmentDto[]): Record<string, ShipmentDto> {
  const out = { ...current };
  for (const s of loaded) {
    const mine = out[s.id];
    if (!mine || mine.updatedAt <= s.updatedAt) out[s.id] = s;
  }
  return out;
}

export const createEntitiesSlice = ({ api, removed }: SliceContext): Slice<EntitiesSlice> => (set, get) => {
  let unsubscribe: (() => void) | null = null;
  const mergeNewer = (current: Record<string, ShipmentDto>, loaded: readonly ShipmentDto[]): Record<string, ShipmentDto> =>
    mergeLoaded(current, loaded.filter((s) => !removed.has(s.id)));

  return {
    shipments: {},
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
      // The first screen first (newest updates), then everything: thousands of parcels
      // must not keep the window blank.
      const [first, status, settings, notifications] = await Promise.all([
        api.listShipments({ limit: FIRST_SCREEN }),
        api.getStatus(),
        api.getSettings(),
        api.listNotifications(),
      ]);
      if (!first.ok) {
        set({ loadError: first.error.message });
        return;
      }
      set((st) => ({
        shipments: mergeNewer(st.shipments, first.value),
        status: status.ok ? status.value : null,
        settings: settings.ok ? settings.value : null,
        lang: settings.ok ? settings.value.language : st.lang,
        notifications: notifications.ok ? notifications.value : st.notifications,
        complete: first.value.length < FIRST_SCREEN,
        loadError: null,
      }));
      if (first.value.length < FIRST_SCREEN) return;
      const all = await api.listShipments();
      if (all.ok) set((st) => ({ shipments: mergeNewer(st.shipments, all.value), complete: true }));
    },

    dispose() {
      unsubscribe?.();
      unsubscribe = null;
    },

    apply(event) {
      switch (event.type) {
        case 'shipment':
          removed.delete(event.shipment.id);
          set((st) => withShipment(st, event.shipment));
          return;
        case 'shipment-removed':
          removed.add(event.id);
          set((st) => {
            const { [event.id]: _gone, ...rest } = st.shipments;
            return { shipments: rest, selectedId: st.selectedId === event.id ? null : st.selectedId };
          });
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
          else set({ selectedId: event.id, group: 'all', query: '' });
          return;
      }
    },

    async loadDetail(id) {
      const r = await api.getShipment(id);
      // Only the open parcel's history is kept: the detail pane shows one at a time.
      if (r.ok) set({ details: { [id]: r.value } });
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
