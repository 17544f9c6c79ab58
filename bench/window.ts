/**
 * `node dist/bench/window.js [N…]`: the window at N parcels (default 9,000 and 30,000) under 50
 * signed pushes a second, as issue 15 measures it. Parcels are written straight into a store
 * file in the app's own format (bench/fixtures.ts), then the headless app serves them.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_SALT, BENCH_SECRET, makeStore } from './fixtures.js';
import { measureWindowLongestTask } from './window-longtask.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

for (const n of sizes.length ? sizes : [9000, 30000]) {
  const dir = mkdtempSync(join(tmpdir(), 'parceltray-bench-window-'));
  const records = makeStore(dir, n);
  const callbackPort = await freePort();
  const proc = spawn(process.execPath, ['dist/main/serve.js', '--data-dir', dir, '--port', '0', '--callback-port', String(callbackPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /UI: (\S+)/.exec(out);
        if (m && /Callback \(local\)/.test(out)) resolve(m[1]!);
      });
      proc.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
    });
    const callback = `http://127.0.0.1:${callbackPort}/kuaidi100/callback/${BENCH_SECRET}`;
    let clock = Date.now();
    const emit = async (k: number): Promise<void> => {
      const r = records[(k * 7919) % records.length]!;
      const time = new Date((clock += 1000) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      const data = [{ ...r.events[0]!, time, ftime: time, context: `【杭州市】 快件已到达【杭州转运中心】（第 ${k} 次）` }, ...r.events];
      const raw = JSON.stringify({ status: 'polling', billstatus: 'got', message: '', lastResult: { message: 'ok', nu: r.number, ischeck: '0', com: r.company, status: '200', state: '0', condition: '00', data } });
      const body = new URLSearchParams({ param: raw, sign: createHash('md5').update(raw + BENCH_SALT).digest('hex').toUpperCase() }).toString();
      await (await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).text();
    };
    const ms = await measureWindowLongestTask({ url, eventsPerSecond: 50, seconds: 10, emit });
    console.log(`BENCH_WINDOW ${JSON.stringify({ activeCount: n, windowLongestTaskMs: Math.round(ms) })}`);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
