/**
 * The window's one zustand store, fed by the contract: an initial load, then change events,
 * so a push shows up without a reload. Vanilla (no React) so it is unit-tested directly.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ApiError,
  CarrierDto,
  CarrierQuery,
  ChangeEvent,
  Language,
  NewShipmentInput,
  NotificationDto,
  ParcelTrayApi,
  RepairPlanDto,
  Result,
  SettingsDto,
  SettingsPatch,
  ShipmentDto,
  StateGroup,
  StatusDto,
  TunnelStatusDto,
} from '../../preload/contract.js';
import { parseBatch } from './batch.js';

export type BatchOutcome = 'added' | 'duplicate' | 'rejected';
export interface BatchReportLine {
  line: number;
  number: string;
  outcome: BatchOutcome;
  message: string;
  messageEn: string | null;
}

export interface ParcelState {
  shipments: Record<string, ShipmentDto>;
  status: StatusDto | null;
  settings: SettingsDto | null;
  group: StateGroup;
  query: string;
  selectedId: string | null;
  lang: Language;
  loadError: string | null;
  /** False while only the first screen of parcels is loaded; tab counts then come from the core. */
  complete: boolean;
  /** Search the archive too (delivered or ended long ago). */
  includeArchived: boolean;
  /** Archived parcels matching the current search. */
  archived: Record<string, ShipmentDto>;
  /** Full shipments (every event) for the detail pane; the list holds summaries. */
  details: Record<string, ShipmentDto>;
  loadDetail(id: string): Promise<void>;
  setIncludeArchived(on: boolean): void;
  searchArchive(): Promise<void>;
  /** Recent notifications, newest first (the in-app history). */
  notifications: NotificationDto[];
  /** The last add's error, shown beside the field it concerns. */
  entryError: ApiError | null;
  /** Bumped to ask the entry field to take focus (tray "add waybill", after a dialog closes). */
  focusEntry: number;

  init(): Promise<void>;
  dispose(): void;
  apply(event: ChangeEvent): void;
  setGroup(group: StateGroup): void;
  setQuery(query: string): void;
  select(id: string | null): void;
  add(input: NewShipmentInput): Promise<Result<ShipmentDto>>;
  importBatch(text: string): Promise<BatchReportLine[]>;
  resubscribe(id: string): Promise<Result<ShipmentDto>>;
  remove(id: string): Promise<Result<{ id: string }>>;
  saveSettings(patch: SettingsPatch): Promise<Result<SettingsDto>>;
  checkTunnel(): Promise<Result<TunnelStatusDto>>;
  planRepair(): Promise<Result<RepairPlanDto>>;
  repair(): Promise<Result<RepairPlanDto>>;
  /** Carrier suggestions; null when the core could not be asked. */
  listCarriers(query: CarrierQuery): Promise<CarrierDto[] | null>;
  requestEntryFocus(): void;
}

export type ParcelStore = StoreApi<ParcelState>;

/** How many parcels the first request loads: more than a screen, far fewer than a busy seller has. */
export const FIRST_SCREEN = 200;

/** Adds loaded shipments, keeping a copy that a change event made newer in the meantime. */
function mergeLoaded(current: Record<string, ShipmentDto>, loaded: readonly ShipmentDto[]): Record<string, ShipmentDto> {
  const out = { ...current };
  for (const s of loaded) {
    const mine = out[s.id];
    if (!mine || mine.updatedAt <= s.updatedAt) out[s.id] = s;
  }
  return out;
}

export function createParcelStore(api: ParcelTrayApi): ParcelStore {
  let unsubscribe: (() => void) | null = null;
  /** Removed while a list was loading: the list may still carry them. */
  const removed = new Set<string>();
  const mergeNewer = (current: Record<string, ShipmentDto>, loaded: readonly ShipmentDto[]): Record<string, ShipmentDto> =>
    mergeLoaded(current, loaded.filter((s) => !removed.has(s.id)));

  return createStore<ParcelState>((set, get) => {
    const upsert = (s: ShipmentDto): void => set((st) => ({ shipments: { ...st.shipments, [s.id]: s } }));

    return {
      shipments: {},
      status: null,
      settings: null,
      group: 'all',
      query: '',
      selectedId: null,
      lang: 'zh',
      loadError: null,
      complete: false,
      includeArchived: false,
      archived: {},
      details: {},
      notifications: [],
      entryError: null,
      focusEntry: 0,

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
            upsert(event.shipment);
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
          case 'ui':
            if (event.command === 'focus-entry') get().requestEntryFocus();
            else set({ selectedId: event.id, group: 'all', query: '' });
            return;
        }
      },

      setGroup: (group) => set({ group }),
      async loadDetail(id) {
        const r = await api.getShipment(id);
        // Only the open parcel's history is kept: the detail pane shows one at a time.
        if (r.ok) set({ details: { [id]: r.value } });
      },
      setIncludeArchived: (includeArchived) => set({ includeArchived, archived: includeArchived ? get().archived : {} }),
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
      setQuery: (query) => set({ query }),
      select: (selectedId) => set({ selectedId }),
      requestEntryFocus: () => set((st) => ({ focusEntry: st.focusEntry + 1 })),

      async add(input) {
        const r = await api.addShipment(input);
        if (r.ok) {
          upsert(r.value);
          set({ entryError: null });
        } else {
          set({ entryError: r.error });
        }
        return r;
      },

      async importBatch(text) {
        const report: BatchReportLine[] = [];
        for (const { line, input } of parseBatch(text)) {
          const r = await api.addShipment(input);
          if (r.ok) {
            upsert(r.value);
            report.push({ line, number: input.number, outcome: 'added', message: r.value.subscription.message ?? '', messageEn: r.value.subscription.messageEn });
          } else {
            const outcome = r.error.code === 'duplicate' ? 'duplicate' : 'rejected';
            report.push({ line, number: input.number, outcome, message: r.error.message, messageEn: r.error.messageEn ?? null });
          }
        }
        return report;
      },

      async resubscribe(id) {
        const r = await api.resubscribe(id);
        if (r.ok) upsert(r.value);
        return r;
      },

      async remove(id) {
        const r = await api.removeShipment(id);
        if (r.ok) get().apply({ type: 'shipment-removed', id });
        return r;
      },

      checkTunnel: () => api.checkTunnel(),
      planRepair: () => api.planRepair(),
      repair: () => api.repair(),

      async listCarriers(query) {
        const r = await api.listCarriers(query);
        return r.ok ? r.value : null;
      },

      async saveSettings(patch) {
        const r = await api.updateSettings(patch);
        if (r.ok) set({ settings: r.value, lang: r.value.language });
        return r;
      },
    };
  });
}
