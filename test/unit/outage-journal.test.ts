import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_MS, OutageJournal, outageGapMs } from '../../main/core/outage-journal.js';
import { PUSH_RETRY_WINDOW_MS } from '../../main/core/lifecycle.js';
import { Scheduler } from '../../main/core/scheduler.js';
import { DurableJSONFile } from '../../main/core/store/durable-json-file.js';
import type { DbShape } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/core.js';

const MIN = 60_000;
const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

async function setup() {
  const dir = tempDir();
  dirs.push(dir);
  const clock = new FakeClock();
  const store = await ShipmentStore.open(new DurableJSONFile<DbShape>(join(dir.path, 'db.json')), () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }));
  const heartbeat = join(dir.path, 'heartbeat.json');
  const beatAt = (): number => (JSON.parse(readFileSync(heartbeat, 'utf8')) as { at: number }).at;
  return { clock, store, heartbeat, beatAt, dir };
}

describe('outage journal', () => {
  it('beats on a coarse interval: 31 days cost a few thousand small writes, not one per minute', async () => {
    const { clock, store, heartbeat, beatAt } = await setup();
    const scheduler = new Scheduler(clock);
    const journal = new OutageJournal(store, scheduler, heartbeat);
    await journal.start();
    expect(scheduler.pending()).toEqual(['heartbeat']);
    const start = clock.now();
    clock.advance(HEARTBEAT_MS - 1);
    expect(beatAt()).toBe(start);
    clock.advance(1);
    expect(beatAt()).toBe(start + HEARTBEAT_MS);
    clock.advance(31 * 24 * 60 * MIN);
    expect(beatAt()).toBeGreaterThan(clock.now() - HEARTBEAT_MS - 1);
    expect(HEARTBEAT_MS).toBeGreaterThanOrEqual(5 * MIN);
    journal.stop();
    expect(beatAt()).toBe(clock.now());
    await scheduler.close();
    await store.close();
  });

  it('a crash followed by a long downtime is recorded from the last beat; a short gap is not', async () => {
    const { clock, store, heartbeat } = await setup();
    let scheduler = new Scheduler(clock);
    await new OutageJournal(store, scheduler, heartbeat).start();
    clock.advance(3 * HEARTBEAT_MS + 1000);
    const lastBeat = clock.now() - 1000;
    // crash: no stop(), the timers die with the process
    await scheduler.close();
    clock.advance(3 * 60 * MIN);
    scheduler = new Scheduler(clock);
    const second = new OutageJournal(store, scheduler, heartbeat);
    await second.start();
    expect(store.journal).toEqual([{ from: new Date(lastBeat).toISOString(), to: new Date(clock.now()).toISOString(), reason: 'not-running' }]);
    // a clean stop and a quick restart (shorter than two beats) is no outage
    second.stop();
    await scheduler.close();
    clock.advance(outageGapMs(HEARTBEAT_MS) - 1);
    scheduler = new Scheduler(clock);
    const third = new OutageJournal(store, scheduler, heartbeat);
    await third.start();
    expect(store.journal).toHaveLength(1);
    third.stop();
    await scheduler.close();
    await store.close();
  });

  it('refuses an interval so coarse that an outage losing pushes could go unseen', () => {
    expect(outageGapMs(HEARTBEAT_MS)).toBeLessThan(PUSH_RETRY_WINDOW_MS);
    expect(() => new OutageJournal({} as ShipmentStore, new Scheduler(new FakeClock()), 'x', PUSH_RETRY_WINDOW_MS)).toThrow(/too coarse/);
  });
});
