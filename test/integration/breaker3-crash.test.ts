import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushDataItem } from '../../main/core/kuaidi100/wire-types.js';
import { bundleChildren } from '../helpers/child-bundle.js';
import { recordsOnDisk } from '../helpers/disk.js';
import { tempDir } from '../helpers/core.js';
import { freePort } from '../helpers/localtunnel-server.js';
import { item, makePush, postPush } from '../helpers/push.js';

/**
 * SIGKILL while snapshots are written back to back (issue 15): the parcels were loaded lazily
 * (their histories read from the open snapshot file, copied into each new one), and every push
 * carries the parcel's whole, longer history. After each kill, each parcel's stored history is
 * the last one acknowledged (or the one in flight), byte for byte.
 */
const ROUNDS = 4;
const PARCELS = 8;
let child = '';
let removeChild = (): void => undefined;
const dir = tempDir('parceltray-breaker3-crash-');

const numberOf = (p: number): string => `YT78000000000${String(p).padStart(2, '0')}`;
/** Parcel p's whole history once it has k scans, newest first; scans of different lengths move every offset. */
const history = (p: number, k: number): PushDataItem[] =>
  Array.from({ length: k }, (_, i) => k - i).map((j) => item(`2026-06-${String(1 + Math.floor(j / 24)).padStart(2, '0')} ${String(j % 24).padStart(2, '0')}:00:00`, `第 ${j} 次扫描 ${p} ${'长'.repeat((p * 13 + j * 7) % 300)}`));

async function startChild(port: number): Promise<{ proc: ChildProcess; url: string; salt: string }> {
  const proc = spawn(process.execPath, [child, dir.path, String(port), 'snapshot-loop'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) {
        const ready = JSON.parse(line) as { url: string; salt: string };
        resolve({ proc, url: ready.url, salt: ready.salt });
      }
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

describe('SIGKILL during snapshots of a lazily loaded store', () => {
  beforeAll(async () => {
    const bundle = await bundleChildren({ crash: 'test/helpers/crash-child.ts' });
    child = bundle.paths.crash;
    removeChild = bundle.remove;
  }, 60_000);
  afterAll(() => {
    removeChild();
    dir.remove();
  });

  it(`keeps each parcel's last acknowledged history through ${ROUNDS} kills`, async () => {
    const port = await freePort();
    // Per parcel: scans in the last acknowledged push, and in the one sent after it (maybe stored).
    const acked = Array.from({ length: PARCELS }, () => 0);
    const sent = Array.from({ length: PARCELS }, () => 0);
    for (let round = 0; round < ROUNDS; round++) {
      const { proc, url, salt } = await startChild(port);
      let stop = false;
      const pusher = async (p: number): Promise<void> => {
        while (!stop) {
          const k = acked[p]! + 1;
          sent[p] = k;
          try {
            const res = await postPush(url, makePush(numberOf(p), 'yuantong', '0', history(p, k)), salt);
            if (res.status === 200) acked[p] = k;
          } catch {
            return; // the server is gone
          }
        }
      };
      const before = acked.reduce((a, b) => a + b, 0);
      const pushers = Array.from({ length: PARCELS }, (_, p) => pusher(p));
      while (acked.reduce((a, b) => a + b, 0) - before < PARCELS * 3) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      proc.kill('SIGKILL');
      await once(proc, 'exit');
      stop = true;
      await Promise.all(pushers);
      const stored = new Map((await recordsOnDisk(dir.path)).map((r) => [r.number, r]));
      for (let p = 0; p < PARCELS; p++) {
        const events = stored.get(numberOf(p))?.events ?? [];
        expect([acked[p], sent[p]]).toContain(events.length);
        expect(events.map((e) => [e.ftime, e.context])).toEqual(history(p, events.length).map((e) => [e.ftime, e.context]));
      }
    }
    expect(Math.min(...acked)).toBeGreaterThan(ROUNDS);
  }, 120_000);
});
