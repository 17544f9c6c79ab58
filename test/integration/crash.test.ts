import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOnDisk } from '../helpers/disk.js';
import { tempDir, waitFor } from '../helpers/core.js';
import { freePort } from '../helpers/localtunnel-server.js';
import { item, makePush, postPush } from '../helpers/push.js';

/**
 * Durability under SIGKILL: a child process takes a storm of signed pushes and is killed at a
 * random moment, several rounds in a row. Every push it acknowledged must be in the store
 * after a restart, and the store must always parse.
 */
const ROUNDS = 5;
const CONCURRENCY = 16;
const child = join(process.cwd(), '.tmp', 'crash-child.mjs');
const dir = tempDir('parceltray-crash-');

interface Ready {
  url: string;
  salt: string;
  size: number;
}

async function startChild(port: number): Promise<{ proc: ChildProcess; ready: Ready }> {
  const proc = spawn(process.execPath, [child, dir.path, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve(JSON.parse(line) as Ready);
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
  return { proc, ready };
}

describe('crash safety', () => {
  beforeAll(async () => {
    mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
    await build({ entryPoints: ['test/helpers/crash-child.ts'], outfile: child, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  });
  afterAll(() => dir.remove());

  it(`keeps every acknowledged push through ${ROUNDS} SIGKILLs under a push storm`, async () => {
    const port = await freePort();
    const acked = new Set<string>();
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { proc, ready } = await startChild(port);
      // the store parsed and holds everything acknowledged so far
      expect(ready.size).toBeGreaterThanOrEqual(acked.size);
      let stop = false;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (!stop) {
          const number = `CR${round}X${String(next++).padStart(6, '0')}`;
          sent += 1;
          try {
            const res = await postPush(ready.url, makePush(number, 'yuantong', '0', [item('2026-06-01 10:00:00', `事件 ${number}`)]), ready.salt);
            if (res.status === 200) acked.add(number);
          } catch {
            return; // the server is gone
          }
        }
      };
      const before = acked.size;
      const workers = Array.from({ length: CONCURRENCY }, () => worker());
      // Kill mid-storm, at a random moment once this round has had pushes acknowledged: how
      // long that takes depends on the machine's load, not on a fixed sleep.
      await waitFor(() => acked.size - before >= 12, 60_000, 'pushes acknowledged this round');
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      proc.kill('SIGKILL');
      await once(proc, 'exit');
      stop = true;
      await Promise.all(workers);
    }
    const stored = new Set((await recordsOnDisk(dir.path)).map((s) => s.number));
    const missing = [...acked].filter((n) => !stored.has(n));
    expect(acked.size).toBeGreaterThan(ROUNDS * 10);
    expect(missing).toEqual([]);
    expect(readdirSync(dir.path).filter((f) => f.includes('corrupt'))).toEqual([]);
    console.log(`crash test: ${ROUNDS} SIGKILLs, ${sent} pushes sent, ${acked.size} acknowledged, ${stored.size} stored, 0 lost`);
  }, 120_000);
});
