/**
 * `node .tmp/bench/list-query.mjs [N]`: the core's list at N parcels (default 30,000), in one
 * process, no HTTP: the first page after start (builds the sorted order once), a later page,
 * a tab, a search, /api/status, and one change followed by a page (the cost per change).
 * Medians of 20 (and the max), so a loaded machine's outliers show but do not decide.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShipmentStore } from '../main/core/store/shipment-store.js';
import { defaultSettings, Tracker } from '../main/core/tracker.js';
import { makeStore } from './fixtures.js';

const n = Number(process.argv[2] ?? 30_000);
const dir = mkdtempSync(join(tmpdir(), 'parceltray-bench-list-'));
try {
  makeStore(dir, n);
  const store = await ShipmentStore.openDir(dir, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }), { fsync: false });
  const off = { mode: 'none', state: 'off', url: null, error: null, since: new Date().toISOString() } as const;
  let t = performance.now();
  const tracker = new Tracker({
    store,
    secrets: { get: () => null, set: () => undefined, protection: 'file-0600' } as never,
    callback: { local: () => 'http://127.0.0.1:9/cb', public: () => null },
    tunnelStatus: () => off,
    checkTunnel: async () => off,
    sandboxUrl: () => null,
  });
  const trackerMs = performance.now() - t;
  // The list's part of it: the index built again from the same records.
  const { ShipmentListIndex } = await import('../main/core/shipment-list-index.js');
  t = performance.now();
  new ShipmentListIndex({ now: () => Date.now(), pickupHours: () => 24 }).reset(store.list());
  const indexMs = performance.now() - t;
  const time = async (f: () => Promise<unknown>): Promise<number> => {
    const s = performance.now();
    await f();
    return performance.now() - s;
  };
  t = performance.now();
  await tracker.listPage({ offset: 0, limit: 300 });
  const firstPageMs = performance.now() - t;
  const runs: Record<string, number[]> = { page: [], tab: [], search: [], status: [], changeThenPage: [] };
  const recs = store.list();
  for (let i = 0; i < 20; i++) {
    runs.page!.push(await time(() => tracker.listPage({ offset: 5000 + i * 100, limit: 300 })));
    runs.tab!.push(await time(() => tracker.listPage({ state: 'transit', sort: 'added', dir: 'asc', offset: 0, limit: 300 })));
    runs.search!.push(await time(() => tracker.listPage({ q: `订单 ${100_000 + i * 997}`, offset: 0, limit: 300 })));
    runs.status!.push(await time(() => tracker.getStatus()));
    const r = recs[(i * 7919) % recs.length]!;
    runs.changeThenPage!.push(await time(async () => {
      await store.put({ ...r, updatedAt: new Date().toISOString() });
      await tracker.listPage({ offset: 0, limit: 300 });
    }));
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, number> = { parcels: n, trackerMs, indexBuildMs: indexMs, firstPageMs };
  for (const [k, xs] of Object.entries(runs)) {
    out[`${k}MedianMs`] = med(xs);
    out[`${k}MaxMs`] = Math.max(...xs);
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]! * 10) / 10;
  console.log(`BENCH_LIST ${JSON.stringify(out)}`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
