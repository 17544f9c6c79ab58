import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';

/**
 * What is on disk, read the way the app reads it at start: the snapshot, then the log. Plain
 * copies, histories read before the store closes (a closed store's records can no longer read
 * theirs from its snapshot file).
 */
export async function recordsOnDisk(dataDir: string): Promise<ShipmentRecord[]> {
  const store = await ShipmentStore.openDir(dataDir, defaults);
  try {
    return store.list().map((r) => ({ ...r }));
  } finally {
    await store.close();
  }
}

/** The store as the app would open it (settings included); closed before it returns, so its records' histories are not readable. */
export async function openOnDisk(dataDir: string): Promise<ShipmentStore> {
  const store = await ShipmentStore.openDir(dataDir, defaults);
  await store.close();
  return store;
}

const defaults = (): DbShape => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] });
