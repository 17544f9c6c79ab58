/**
 * `node dist/bench/window.js [N…]`: the window at N parcels (default 9,000 and 30,000) under 50
 * signed pushes a second, as issue 15 measures it. Parcels are written straight into a store
 * file in the app's own format (bench/fixtures.ts), then the headless app serves them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_SECRET, makeStore, pushBody } from './fixtures.js';
import { freePort, startServe, stopServe } from './serve-app.js';
import { measureWindow } from './window-longtask.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

for (const n of sizes.length ? sizes : [9000, 30000]) {
  const dir = mkdtempSync(join(tmpdir(), 'parceltray-bench-window-'));
  const records = makeStore(dir, n);
  const callbackPort = await freePort();
  const app = await startServe(dir, { callbackPort, waitForCallback: true });
  try {
    const callback = `http://127.0.0.1:${callbackPort}/kuaidi100/callback/${BENCH_SECRET}`;
    let clock = Date.now();
    const emit = async (k: number): Promise<void> => {
      const r = records[(k * 7919) % records.length]!;
      const time = new Date((clock += 1000) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      const data = [{ ...r.events[0]!, time, ftime: time, context: `【杭州市】 快件已到达【杭州转运中心】（第 ${k} 次）` }, ...r.events];
      await (await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: pushBody(r.number, r.company, data) })).text();
    };
    const { longestTaskMs } = await measureWindow({ url: app.ui, eventsPerSecond: 50, seconds: 10, emit, settleMs: 1500 });
    console.log(`BENCH_WINDOW ${JSON.stringify({ activeCount: n, windowLongestTaskMs: Math.round(longestTaskMs) })}`);
  } finally {
    await stopServe(app);
    rmSync(dir, { recursive: true, force: true });
  }
}
