import { join } from 'node:path';
import { STORE_FILE } from '../../main/core/app.js';
import { DurableJSONFile } from '../../main/core/store/durable-json-file.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { ShipmentStore, type StoreOp } from '../../main/core/store/shipment-store.js';
import { WriteAheadLog } from '../../main/core/store/write-ahead-log.js';
import { defaultSettings } from '../../main/core/tracker.js';

/** What is on disk, read the way the app reads it at start: the snapshot, then the log. */
export async function recordsOnDisk(dataDir: string): Promise<ShipmentRecord[]> {
  const store = await ShipmentStore.open(
    new DurableJSONFile<DbShape>(join(dataDir, STORE_FILE)),
    () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }),
    { wal: new WriteAheadLog<StoreOp>(dataDir) },
  );
  return store.list();
}
