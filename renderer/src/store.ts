/**
 * The window's one zustand store, fed by the contract: an initial load, then change events,
 * so a push shows up without a reload. Vanilla (no React) so it is unit-tested directly.
 * Composed of slices by concern, as zustand's slices guide does: entities (what the core
 * knows), UI state (what the window shows), commands (what the seller asks the core to do).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ParcelTrayApi } from '../../preload/contract.js';
import { createChannelsSlice, type ChannelsSlice } from './slices/channels-slice.js';
import { createCommandsSlice, type CommandsSlice } from './slices/commands-slice.js';
import { createEntitiesSlice, type EntitiesSlice } from './slices/entities-slice.js';
import type { SliceContext } from './slices/slice.js';
import { createUiSlice, type UiSlice } from './slices/ui-slice.js';

export type { BatchOutcome, BatchReportLine } from './slices/commands-slice.js';
export { FIRST_SCREEN } from './slices/entities-slice.js';

export type ParcelState = EntitiesSlice & UiSlice & CommandsSlice & ChannelsSlice;
export type ParcelStore = StoreApi<ParcelState>;

export function createParcelStore(api: ParcelTrayApi): ParcelStore {
  const ctx: SliceContext = { api, removed: new Set<string>() };
  return createStore<ParcelState>()((...a) => ({
    ...createEntitiesSlice(ctx)(...a),
    ...createUiSlice(ctx)(...a),
    ...createCommandsSlice(ctx)(...a),
    ...createChannelsSlice(ctx)(...a),
  }));
}
