import { cpSync, readdirSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { tempDir } from '../helpers/core.js';
import { FaultyFs, faultCount, type Fault } from '../helpers/faulty-fs.js';
import { watchLog } from '../../main/core/log.js';

/**
 * A fault at every file call of a scenario (open, appends, a snapshot, more appends, close),
 * for each kind of fault: after it, every write the store acknowledged is on disk in the
 * version acknowledged (or a later one that was attempted), and the settings are unchanged.
 */
const defaults = (): DbShape => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] });
const dirs: ReturnType<typeof tempDir>[] = [];
afterAll(() => {
  dirs.forEach((d) => d.remove());
  console.log(
    `fault-injection (store sweep): ${faultCount.injected} faults injected, ${tally.lost} acknowledged writes lost, ${tally.settingsChanged} callback secret/salt changes`,
  );
});

const rec = (number: string): ShipmentRecord =>
  newShipmentRecord({ company: 'yuantong', number, now: '2026-06-01T00:00:00.000Z', autoCom: false, subscription: { status: 'pending' } });

/** Versions written per record id, in order, and the index of the last one acknowledged. */
type History = Map<string, { versions: string[]; acked: number }>;

async function scenario(fs: FaultyFs, dataDir: string, base: ShipmentRecord[]): Promise<History> {
  const history: History = new Map();
  const store = await ShipmentStore.openDir(dataDir, defaults, { fs });
  const write = async (r: ShipmentRecord, note: string): Promise<void> => {
    const h = history.get(r.id) ?? { versions: [], acked: -1 };
    history.set(r.id, h);
    h.versions.push(note);
    try {
      await store.put({ ...r, note });
      h.acked = h.versions.length - 1;
    } catch {
      /* not acknowledged: may or may not be on disk */
    }
  };
  const fresh = [rec('YT8000000000101'), rec('YT8000000000102')];
  for (const r of [...base.slice(0, 2), ...fresh]) await write(r, 'v1');
  await store.snapshot().catch(() => {});
  for (const r of [base[0]!, fresh[0]!]) await write(r, 'v2');
  // As a SIGKILL would leave it: no close, no last snapshot, a failed append not cut back yet.
  cpSync(dataDir, `${dataDir}-crash`, { recursive: true });
  await store.close();
  return history;
}

const tally = { lost: 0, settingsChanged: 0 };

/** Checks one outcome and counts what the suite reports. */
async function check(dataDir: string, history: History, base: ShipmentRecord[], settings: unknown, what: string): Promise<void> {
  const after = await ShipmentStore.openDir(dataDir, defaults);
  await after.close();
  for (const [id, h] of history) {
    if (h.acked < 0) continue;
    const note = after.get(id)?.note;
    if (!h.versions.slice(h.acked).includes(note ?? '')) tally.lost += 1;
    expect(h.versions.slice(h.acked), what).toContain(note);
  }
  for (const r of base) expect(after.get(r.id), what).toBeDefined();
  if (JSON.stringify(after.settings) !== JSON.stringify(settings)) tally.settingsChanged += 1;
  expect(after.settings, what).toEqual(settings);
}

describe('a fault at any file call', () => {
  it('loses no acknowledged write and never changes the settings', async () => {
    // Every fault is logged by the store: counted here, so the test sees it said something.
    let errorsLogged = 0;
    const unwatch = watchLog((l) => {
      if (l.level === 'error') errorsLogged += 1;
    });
    const seed = tempDir('parceltray-sweep-');
    dirs.push(seed);
    const first = await ShipmentStore.openDir(seed.path, defaults);
    const base = [rec('YT8000000000001'), rec('YT8000000000002'), rec('YT8000000000003')];
    await first.putMany(base);
    await first.close();
    const settings = first.settings;

    // How many calls the scenario makes when nothing fails.
    const probeDir = tempDir('parceltray-sweep-');
    dirs.push(probeDir);
    cpSync(seed.path, probeDir.path, { recursive: true });
    const probe = new FaultyFs();
    await scenario(probe, probeDir.path, base);
    rmSync(`${probeDir.path}-crash`, { recursive: true, force: true });
    const calls = probe.calls.length;
    expect(calls).toBeGreaterThan(10);

    let runs = 0;
    for (const fault of ['ENOSPC', 'EIO', 'short'] as Fault[]) {
      for (let index = 0; index < calls; index++) {
        const run = tempDir('parceltray-sweep-');
        dirs.push(run);
        cpSync(seed.path, run.path, { recursive: true });
        const fs = new FaultyFs();
        fs.failAt = { index, fault };
        const history = await scenario(fs, run.path, base);
        const what = `${fault} at call ${index} (${fs.calls[index] ?? 'none'})`;
        await check(run.path, history, base, settings, what);
        await check(`${run.path}-crash`, history, base, settings, `${what}, then SIGKILL`);
        rmSync(`${run.path}-crash`, { recursive: true, force: true });
        expect(readdirSync(run.path).filter((f) => f.endsWith('.tmp')), what).toEqual([]);
        runs += 1;
        run.remove();
      }
    }
    expect(runs).toBe(calls * 3);
    unwatch();
    expect(errorsLogged).toBeGreaterThan(0);
  }, 180_000);
});
