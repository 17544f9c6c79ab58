import type { ShipmentRecord } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';

/** What is on disk, read the way the app reads it at start: the snapshot, then the log. */
export async function recordsOnDisk(dataDir: string): Promise<ShipmentRecord[]> {
  return (await openOnDisk(dataDir)).list();
}

/** The store as the app would open it (settings included); closed before it returns. */
export async function openOnDisk(dataDir: string): Promise<ShipmentStore> {
  const store = await ShipmentStore.openDir(dataDir, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }));
  await store.close();
  return store;
}
