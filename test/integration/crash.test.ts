import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChildren } from '../helpers/child-bundle.js';
import { recordsOnDisk } from '../helpers/disk.js';
import { tempDir } from '../helpers/core.js';
import { freePort } from '../helpers/localtunnel-server.js';
import { item, makePush, postPush } from '../helpers/push.js';

/**
 * Durability under SIGKILL: a child process takes a storm of signed pushes and is killed at a
 * random moment, several rounds in a row. Every push it acknowledged must be in the store
 * after a restart, and the store must always parse.
 */
const ROUNDS = 5;
const CONCURRENCY = 16;
let child = '';
let removeChild = (): void => undefined;
const dir = tempDir('parceltray-crash-');
const snapDir = tempDir('parceltray-crash-snapshot-');

interface Ready {
  url: string;
  salt: string;
  secret: string;
  size: number;
}

async function startChild(port: number, dataDir = dir.path, mode = ''): Promise<{ proc: ChildProcess; ready: Ready }> {
  const proc = spawn(process.execPath, [child, dataDir, String(port), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/**
 * Resolves once `count()` reaches `min` (checked as replies arrive), then a random extra moment
 * later: the kill lands mid-storm however slow the machine is, and every round contributes.
 */
async function afterAcked(count: () => number, min: number, extraMs: number): Promise<void> {
  while (count() < min) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, Math.random() * extraMs));
}

describe('crash safety', () => {
  beforeAll(async () => {
    const bundle = await bundleChildren({ crash: 'test/helpers/crash-child.ts' });
    child = bundle.paths.crash;
    removeChild = bundle.remove;
  }, 60_000);
  afterAll(() => {
    removeChild();
    dir.remove();
    snapDir.remove();
  });

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
      await afterAcked(() => acked.size - before, 12, 300);
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

  it(`keeps every acknowledged push and the callback URL through ${ROUNDS} SIGKILLs while snapshots are written back to back`, async () => {
    const port = await freePort();
    const acked = new Set<string>();
    let identity: { salt: string; secret: string } | null = null;
    let midSnapshot = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { proc, ready } = await startChild(port, snapDir.path, 'snapshot-loop');
      expect(ready.size).toBeGreaterThanOrEqual(acked.size);
      identity ??= { salt: ready.salt, secret: ready.secret };
      expect({ salt: ready.salt, secret: ready.secret }).toEqual(identity);
      let stop = false;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (!stop) {
          const number = `SN${round}X${String(next++).padStart(6, '0')}`;
          try {
            // big pushes make big snapshots: the kill is likely to land inside one
            const res = await postPush(ready.url, makePush(number, 'yuantong', '0', [item('2026-06-01 10:00:00', `事件 ${number} ${'长'.repeat(2000)}`)]), ready.salt);
            if (res.status === 200) acked.add(number);
          } catch {
            return;
          }
        }
      };
      const before = acked.size;
      const workers = Array.from({ length: CONCURRENCY }, () => worker());
      await afterAcked(() => acked.size - before, 6, 500);
      proc.kill('SIGKILL');
      await once(proc, 'exit');
      stop = true;
      await Promise.all(workers);
      if (readdirSync(snapDir.path).includes('.parceltray.json.tmp')) midSnapshot += 1;
    }
    const stored = new Set((await recordsOnDisk(snapDir.path)).map((s) => s.number));
    expect(acked.size).toBeGreaterThan(ROUNDS * 5);
    expect([...acked].filter((n) => !stored.has(n))).toEqual([]);
    console.log(`crash test (snapshot loop): ${ROUNDS} SIGKILLs, ${midSnapshot} of them with a snapshot being written, ${acked.size} acknowledged, 0 lost, callback URL unchanged`);
  }, 120_000);
});
