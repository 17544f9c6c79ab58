/** A tracker on a store in memory (no disk, no network, fake time), whose writes can be made to fail. */
import type { Adapter } from 'lowdb';
import type { ChangeEvent } from '../../preload/contract.js';
import type { DbShape } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings, Tracker } from '../../main/core/tracker.js';
import { FakeClock } from './fake-clock.js';
import { MemorySecretStore } from './memory-secrets.js';

async function memoryStore(): Promise<{ store: ShipmentStore; failWrites(on: boolean): void }> {
  let data: DbShape | null = null;
  let fail = false;
  const adapter: Adapter<DbShape> = {
    read: async () => data,
    write: async (d) => {
      if (fail) throw new Error('disk full');
      data = structuredClone(d);
    },
  };
  const store = await ShipmentStore.open(adapter, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }));
  return { store, failWrites: (on) => (fail = on) };
}

export async function memoryTracker() {
  const clock = new FakeClock();
  const secrets = new MemorySecretStore();
  const { store, failWrites } = await memoryStore();
  const t = new Tracker({
    store,
    secrets,
    clock,
    callback: { local: () => 'http://127.0.0.1:9/cb', public: () => null },
    tunnelStatus: () => ({ mode: 'none', state: 'off', url: null, error: null, since: '2026-06-01T00:00:00.000Z' }),
    checkTunnel: async () => ({ mode: 'none', state: 'off', url: null, error: null, since: '2026-06-01T00:00:00.000Z' }),
    sandboxUrl: () => null,
  });
  const events: ChangeEvent[] = [];
  t.onChange((e) => events.push(e));
  return { t, clock, secrets, store, failWrites, events };
}
