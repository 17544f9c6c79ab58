import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, type DataDirLock } from '../../main/core/data-dir-lock.js';
import { LOCK_WATCH_MS, startCore } from '../../main/core/app.js';
import { tempDir } from '../helpers/core.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';

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
  // A plain file cannot keep out a process that starts in the very moment it is missing; the
  // holder re-asserts it (every LOCK_WATCH_MS in a running core), so the window is seconds.
  it('the holder writes it again, and a second process is then kept out', () => {
    const dir = newDir();
    const first = acquireDataDirLock(dir, { shell: 'first' });
    locks.push(first);
    expect(first.reassert()).toBe('held');
    rmSync(join(dir, LOCK_FILE));
    expect(first.reassert()).toBe('restored');
    expect(() => locks.push(acquireDataDirLock(dir, { shell: 'second' }))).toThrow(DataDirLockedError);
  });

  it('a running core puts it back on its own within LOCK_WATCH_MS (fake clock)', async () => {
    const dir = newDir();
    const clock = new FakeClock();
    const core = await startCore({ dataDir: dir, clock, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
    try {
      rmSync(join(dir, LOCK_FILE));
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      clock.advance(LOCK_WATCH_MS);
      await core.scheduler.idle();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
      await expect(startCore({ dataDir: dir, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await core.close();
    }
  });

  it('the lock given back by another process taking over is reported, not silently kept', () => {
    const dir = newDir();
    const first = acquireDataDirLock(dir, { shell: 'first' });
    locks.push(first);
    writeLock(dir, process.pid, Date.now() + 1);
    expect(first.reassert()).toBe('taken');
  });
});

describe('leftovers of a killed process', () => {
  it('temp files a SIGKILL left mid-write are removed at start (they hold the space the log needs)', async () => {
    const dir = newDir();
    const leftover = join(dir, 'heartbeat.json.tmp');
    writeFileSync(leftover, 'x'.repeat(64 * 1024));
    const core = await startCore({ dataDir: dir, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
    try {
      expect(existsSync(leftover)).toBe(false);
    } finally {
      await core.close();
    }
  });
});

describe.skipIf(process.platform !== 'linux')('a holder that died but is not reaped yet (a zombie)', () => {
  it('counts as gone: the restart right after a crash is not refused', async () => {
    const dir = newDir();
    // python3 forks a node child, SIGKILLs it and keeps it unreaped: kill(pid, 0) still succeeds.
    const parent = spawn('python3', ['-c', [
      'import os,signal,sys,time',
      "pid=os.fork()",
      "if pid==0: os.execvp('node',['node','-e','setInterval(()=>{},1000)'])",
      'time.sleep(0.3); os.kill(pid, signal.SIGKILL); time.sleep(0.2)',
      'print(pid); sys.stdout.flush(); time.sleep(30)',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'ignore'] });
    procs.push(parent);
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      parent.once('error', reject);
    });
    // written by the child after it started, as a real holder does
    writeLock(dir, pid, Date.now());
    const lock = acquireDataDirLock(dir, { shell: 'test' });
    locks.push(lock);
    expect(lock.holder.pid).toBe(process.pid);
  });
});
