/**
 * 待揽收超时 is announced once per parcel, restarts included: a parcel that turned late while the
 * app was closed is announced at start (the seller opening the app in the morning must hear of
 * it), one that was late before the app stopped was announced then and is not again at its next
 * change. The heartbeat file says when the app was last running (outage-journal.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../main/core/app.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { serializeDb } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { tempDir } from '../helpers/core.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 5, 1, 2, 0, 0); // 2026-06-01 10:00 China time

/** Added `hoursAgo` hours before NOW, subscribed, no scan yet (not picked up). */
function added(id: string, hoursAgo: number): ShipmentRecord {
  const at = new Date(NOW - hoursAgo * HOUR).toISOString();
  return { ...newShipmentRecord({ company: 'zhongtong', number: `ZT${id}`, now: at, autoCom: false, subscription: { status: 'active', lastAttemptAt: at } }), id };
}

let open: { core: Core; remove(): void } | null = null;
afterEach(async () => {
  await open?.core.close();
  open?.remove();
  open = null;
});

async function startAfterAway(records: ShipmentRecord[], lastAliveHoursAgo: number): Promise<{ core: Core; clock: FakeClock }> {
  const dir = tempDir();
  const data: DbShape = { version: 1, walSeq: 0, shipments: Object.fromEntries(records.map((r) => [r.id, r])), settings: { ...defaultSettings(), pickupHours: 24 }, journal: [] };
  writeFileSync(join(dir.path, 'parceltray.json'), Buffer.concat([...serializeDb(data)]));
  writeFileSync(join(dir.path, 'heartbeat.json'), JSON.stringify({ at: NOW - lastAliveHoursAgo * HOUR }).padEnd(32, ' '));
  const clock = new FakeClock(NOW);
  const core = await startCore({ dataDir: dir.path, clock, secrets: new MemorySecretStore() });
  open = { core, remove: dir.remove };
  return { core, clock };
}

async function pickupNotices(core: Core): Promise<string[]> {
  const r = await core.tracker.listNotifications();
  if (!r.ok) throw new Error('no notifications');
  return r.value.filter((n) => n.title.includes('待揽收超时')).map((n) => n.title);
}

describe('待揽收超时 across a restart', () => {
  it('announces at start the parcel that turned late while the app was closed, and only that one', async () => {
    // Closed 10 h ago. 'away' turned late 6 h ago (added 30 h ago), 'before' 16 h ago (added 40 h ago).
    const { core, clock } = await startAfterAway([added('away', 30), added('before', 40), added('fresh', 2)], 10);
    clock.advance(2000); // the notifier folds a burst for 1.5 s
    await core.tracker.settled();
    expect(await pickupNotices(core)).toEqual([expect.stringContaining('ZTaway')]);

    // 'before' changes (a note): it was late before the app stopped, and is not news now.
    expect((await core.tracker.updateShipment('before', { note: '催一下' })).ok).toBe(true);
    clock.advance(2000);
    await core.tracker.settled();
    expect(await pickupNotices(core)).toHaveLength(1);

    // 'fresh' turns late while the app runs: announced as before.
    clock.advance(23 * HOUR);
    await core.tracker.settled();
    expect(await pickupNotices(core)).toEqual([expect.stringContaining('ZTfresh'), expect.stringContaining('ZTaway')]);
  });
});
