/**
 * The server side of the benchmark, one process per run:
 *   core  — the real core (callback server + tracker + durable store), as the app runs it;
 *   naive — a plain node:http handler doing one lowdb write per push on the same store.
 * Prints one JSON line when ready; GET /stats on the stats port reports peak RSS.
 */
import { signPush } from '../main/core/kuaidi100/signature.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { startCore, STORE_FILE } from '../main/core/app.js';
import { MemorySecretStore } from '../test/helpers/memory-secrets.js';
import type { DbShape } from '../main/core/store/schema.js';
import { BENCH_SALT, BENCH_SECRET } from './fixtures.js';

const [mode, dataDir] = process.argv.slice(2) as ['core' | 'naive', string];
const t0 = performance.now();

function statsServer(): Promise<number> {
  const srv = createServer((_req, res) => {
    res.end(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, rss: process.memoryUsage().rss }));
  });
  return new Promise((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as AddressInfo).port)));
}

if (mode === 'core') {
  const core = await startCore({ dataDir, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 }, retryIntervalMs: 3_600_000 });
  const coldStartMs = performance.now() - t0;
  const statsPort = await statsServer();
  console.log(JSON.stringify({ url: core.callbackServer.localUrl, statsPort, coldStartMs, rssAfterLoad: process.memoryUsage().rss, shipments: core.store.size }));
} else {
  const db = new Low<DbShape>(new JSONFile(join(dataDir, STORE_FILE)), { version: 1, shipments: {}, settings: {} as DbShape['settings'], journal: [] });
  await db.read();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const raw = form.get('param') ?? '';
        const sign = signPush(raw, BENCH_SALT);
        if (sign !== form.get('sign')?.toUpperCase()) {
          res.writeHead(403).end();
          return;
        }
        const push = JSON.parse(raw) as { status: string; lastResult: { nu: string; state: string; data: DbShape['shipments'][string]['events'] } };
        const rec = Object.values(db.data.shipments).find((s) => s.number === push.lastResult.nu);
        if (rec) {
          rec.events = push.lastResult.data;
          rec.state = push.lastResult.state;
          rec.tracking = push.status as typeof rec.tracking;
        }
        await db.write();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":true,"returnCode":"200","message":"提交成功"}');
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const statsPort = await statsServer();
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/kuaidi100/callback/${BENCH_SECRET}`, statsPort, coldStartMs: performance.now() - t0, rssAfterLoad: process.memoryUsage().rss, shipments: Object.keys(db.data.shipments).length }));
}
