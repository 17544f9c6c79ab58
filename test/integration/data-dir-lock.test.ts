import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../../main/core/app.js';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../main/core/data-dir-lock.js';
import { bundleChildren } from '../helpers/child-bundle.js';
import { tempDir } from '../helpers/core.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';

/**
 * Finding 4 of issue 10: two processes on one data dir lost each other's pushes. Now the
 * second is refused with the holder's PID, and a lock left by a SIGKILL is taken over.
 */
let coreChild = '';
let serveChild = '';
let lockChild = '';
let removeChildren = (): void => undefined;
const dirs: ReturnType<typeof tempDir>[] = [];
const cores: Core[] = [];
const procs: ChildProcess[] = [];

const start = (dataDir: string): Promise<Core> =>
  startCore({ dataDir, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } }).then((c) => (cores.push(c), c));

function newDir(): string {
  const d = tempDir('parceltray-lock-');
  dirs.push(d);
  return d.path;
}

/** A core in a child process; resolves once it has started (it printed its callback URL). */
async function childCore(dataDir: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [coreChild, dataDir, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
  return proc;
}

beforeAll(async () => {
  const bundle = await bundleChildren({ core: 'test/helpers/crash-child.ts', serve: 'main/web/serve.ts', lock: 'test/helpers/lock-child.ts' });
  ({ core: coreChild, serve: serveChild, lock: lockChild } = bundle.paths);
  removeChildren = bundle.remove;
}, 60_000);

afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const c of cores.splice(0)) await c.close();
  dirs.splice(0).forEach((d) => d.remove());
});
afterAll(() => removeChildren());

describe('one process per data dir', () => {
  it('a second core on the same dir is refused with the holder PID; after close it starts', async () => {
    const dir = newDir();
    const first = await start(dir);
    const second = start(dir);
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(`另一个 ParcelTray（PID ${process.pid}）正在使用 ${dir}`);
    await second.catch((e: DataDirLockedError) => expect(e.messageEn).toContain(`another ParcelTray (PID ${process.pid}) is using ${dir}`));
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(typeof holder.startedAt).toBe('number');
    expect(typeof holder.shell).toBe('string');
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await start(dir);
  });

  it('a core in another process keeps us out; after kill -9 its stale lock is taken over', async () => {
    const dir = newDir();
    const child = await childCore(dir);
    await expect(start(dir)).rejects.toThrow(`另一个 ParcelTray（PID ${child.pid}）正在使用 ${dir}`);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    const core = await start(dir);
    expect(core.store.settings.callbackSecret).toBeTruthy();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
  }, 60_000);

  it('headless mode: a second `serve` prints both languages and exits non-zero', async () => {
    const dir = newDir();
    await start(dir);
    const proc = spawn(process.execPath, [serveChild, '--data-dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(proc);
    let err = '';
    proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const [code] = (await once(proc, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect(err).toContain(`另一个 ParcelTray（PID ${process.pid}）正在使用 ${dir}`);
    expect(err).toContain(`another ParcelTray (PID ${process.pid}) is using ${dir}`);
  }, 60_000);

  it('several newcomers racing for one stale lock: exactly one gets it', async () => {
    const dir = newDir();
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone.pid, startedAt: Date.now(), hostname: hostname(), shell: 'headless' }));
    const racers = Array.from({ length: 4 }, () => {
      const p = spawn(process.execPath, [lockChild, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
      procs.push(p);
      let out = '';
      p.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      return new Promise<string>((resolve) => {
        const check = (): void => void (out.includes('\n') ? resolve(out.trim()) : setTimeout(check, 10));
        check();
      });
    });
    const answers = await Promise.all(racers);
    expect(answers.filter((a) => a === 'got')).toHaveLength(1);
    expect(answers.filter((a) => a === 'refused')).toHaveLength(3);
    for (const p of procs) p.stdin?.end();
  }, 60_000);

  it('a lock that is torn (crash between create and write) or from before the last boot is stale', () => {
    const dir = newDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    const lock = acquireDataDirLock(dir, { tornAfterMs: 0 });
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, startedAt: 0, hostname: hostname(), shell: 'headless' }));
    const again = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    again.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
