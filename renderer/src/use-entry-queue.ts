/** The window's one entry queue, shared by the entry field (which fills it) and the pending rows (which show it). */
import { useContext, useSyncExternalStore } from 'react';
import { createEntryQueue, type EntryQueue, type QueuedEntry } from './entry-queue.js';
import { StoreContext } from './store-context.js';
import type { ParcelStore } from './store.js';

const queues = new WeakMap<ParcelStore, EntryQueue>();

function queueFor(store: ParcelStore): EntryQueue {
  let q = queues.get(store);
  if (!q) {
    // Through the store's add: the added parcel lands in the list as soon as the core answers.
    q = createEntryQueue((input) => store.getState().add(input));
    queues.set(store, q);
  }
  return q;
}

/** The queue alone, for the field that fills it: no re-render when an entry is queued or settled. */
export function useQueue(): EntryQueue {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext missing');
  return queueFor(store);
}

/** The queue and its entries, for what shows them (re-renders as they change). */
export function useEntryQueue(): { queue: EntryQueue; entries: readonly QueuedEntry[] } {
  const queue = useQueue();
  const entries = useSyncExternalStore(queue.subscribe, queue.entries);
  return { queue, entries };
}
