import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, type DataDirLock } from '../../main/core/data-dir-lock.js';
import { tempDir } from '../helpers/core.js';

/**
 * Found by the breaker (issue 10, finding 4): a lock naming a PID that is alive but is no
 * ParcelTray (a reused PID after a container restart, or any program) kept the app out for
 * good, telling the seller "another ParcelTray (PID n) is using DIR" with no way out.
 */
const dirs: ReturnType<typeof tempDir>[] = [];
const procs: ChildProcess[] = [];
const locks: DataDirLock[] = [];
afterEach(() => {
  locks.splice(0).forEach((l) => l.release());
  procs.splice(0).forEach((p) => p.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => d.remove());
});
const newDir = (): string => {
  const d = tempDir('parceltray-breaker-lock-');
  dirs.push(d);
  return d.path;
};

async function live(command: string, args: string[]): Promise<number> {
  const p = spawn(command, args, { stdio: 'ignore' });
  procs.push(p);
  await new Promise((resolve, reject) => p.once('spawn', resolve).once('error', reject));
  return p.pid!;
}

const writeLock = (dir: string, pid: number, startedAt: number): void =>
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, startedAt, hostname: hostname(), shell: 'headless' }));

describe.skipIf(process.platform !== 'linux')('breaker: a lock naming a live PID that is not ParcelTray', () => {
  it('a program that is no node or electron (sleep): the lock is stale and taken over', async () => {
    const dir = newDir();
    writeLock(dir, await live('sleep', ['60']), Date.now());
    const lock = acquireDataDirLock(dir, { shell: 'test' });
    locks.push(lock);
    expect(lock.holder.pid).toBe(process.pid);
  });

  it('a node process that started after the lock was written (the PID was reused): taken over', async () => {
    const dir = newDir();
    const pid = await live(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    writeLock(dir, pid, Date.now() - 60_000);
    const lock = acquireDataDirLock(dir, { shell: 'test' });
    locks.push(lock);
    expect(lock.holder.pid).toBe(process.pid);
  });

  it('a live node process that did start before its lock: still refused, and told how to get out', async () => {
    const dir = newDir();
    const pid = await live(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    writeLock(dir, pid, Date.now() + 10_000);
    const err = (() => {
      try {
        locks.push(acquireDataDirLock(dir, { shell: 'test' }));
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as DataDirLockedError).message).toContain(join(dir, LOCK_FILE));
    expect((err as DataDirLockedError).messageEn).toContain(`delete ${join(dir, LOCK_FILE)}`);
  });
});

describe('breaker: the lock file deleted by hand while the app runs', () => {
  // Not fixed: a plain file cannot tell that its holder is still running once it is gone.
  // Precise fix in the report (the holder keeps re-asserting its lock; the newcomer checks the
  // heartbeat of a live holder before trusting an absent lock).
  it.fails('a second process is still kept out', () => {
    const dir = newDir();
    locks.push(acquireDataDirLock(dir, { shell: 'first' }));
    rmSync(join(dir, LOCK_FILE));
    expect(() => locks.push(acquireDataDirLock(dir, { shell: 'second' }))).toThrow(DataDirLockedError);
  });
});
