/** What every slice of the window's store shares: the contract it talks to and the full state's type. */
import type { StateCreator } from 'zustand/vanilla';
import type { ParcelTrayApi, ShipmentDto } from '../../../preload/contract.js';
import type { ParcelState } from '../store.js';

export interface SliceContext {
  api: ParcelTrayApi;
  /** Removed while a list was loading: the list may still carry them. */
  removed: Set<string>;
}

/** A slice sees (and may set) the whole state, as zustand's slices pattern has it. */
export type Slice<T> = StateCreator<ParcelState, [], [], T>;

/** The state with one shipment added or replaced. */
export const withShipment = (st: Pick<ParcelState, 'shipments'>, s: ShipmentDto): Pick<ParcelState, 'shipments'> => ({
  shipments: { ...st.shipments, [s.id]: s },
});
