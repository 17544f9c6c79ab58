/**
 * One process per data dir. Two processes on one store each append to the same log and each
 * snapshot only their own view on stop, so the second stop silently drops the first one's
 * acknowledged pushes. A lock file created exclusively ('wx') in the data dir keeps the second
 * one out; a lock whose holder is gone (a crash, a reboot) is taken over.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'parceltray.lock';

export interface LockHolder {
  pid: number;
  /** ms since the epoch */
  startedAt: number;
  hostname: string;
  /** 'electron', 'headless', … (what to look for in the task manager) */
  shell: string;
}

export class DataDirLockedError extends Error {
  readonly code = 'data-dir-locked';
  readonly messageEn: string;
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    const otherHost = holder.hostname !== hostname();
    super(
      otherHost
        ? `另一个 ParcelTray（PID ${holder.pid}，主机 ${holder.hostname}）正在使用 ${dir}。如果它已不在运行，请删除 ${join(dir, LOCK_FILE)}`
        : `另一个 ParcelTray（PID ${holder.pid}）正在使用 ${dir}。请先退出它；如果它已不在运行，请删除 ${join(dir, LOCK_FILE)}`,
    );
    this.name = 'DataDirLockedError';
    this.messageEn = otherHost
      ? `another ParcelTray (PID ${holder.pid}, host ${holder.hostname}) is using ${dir}. If it is no longer running, delete ${join(dir, LOCK_FILE)}`
      : `another ParcelTray (PID ${holder.pid}) is using ${dir}. Quit it first; if it is no longer running, delete ${join(dir, LOCK_FILE)}`;
  }
}

export interface DataDirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
  /**
   * Checks the lock file is still there and ours, and writes it again when someone deleted it
   * (by hand, or a cleaner): a plain file cannot stop a second process that starts in the moment
   * it is missing, so the holder keeps re-asserting it. 'taken' means another process now holds
   * it (it judged us dead): the caller says so loudly.
   */
  reassert(): 'held' | 'restored' | 'taken';
}

/** Lock files held by this process: a lock naming our own PID is only live if it is in here. */
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A process killed a moment ago stays a zombie until its parent reaps it: signals still
    // "reach" it, but it holds nothing. Linux says so in /proc (elsewhere the signal is trusted).
    return !isZombie(pid);
  } catch (e) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the name in parentheses (which may itself hold spaces and ')').
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder> | null;
    if (!v || !Number.isInteger(v.pid) || typeof v.startedAt !== 'number' || typeof v.hostname !== 'string') return null;
    return { pid: v.pid!, startedAt: v.startedAt, hostname: v.hostname, shell: typeof v.shell === 'string' ? v.shell : 'unknown' };
  } catch {
    return null;
  }
}

/**
 * Is the holder still there? Another host cannot be asked, so its lock stands (the message
 * says how to remove it). On this host: a PID that is gone, a lock from before the last boot,
 * or our own PID when we hold no such lock (a container restarted with the same PID) is stale.
 */
export function holderAlive(file: string, holder: LockHolder, now = Date.now()): boolean {
  if (holder.hostname !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(file);
  const bootedAt = now - uptime() * 1000;
  if (holder.startedAt < bootedAt - 60_000) return false;
  if (!pidAlive(holder.pid)) return false;
  return !pidReused(holder);
}

/**
 * Linux only (elsewhere: false, the PID is trusted). A PID that is alive may belong to another
 * program now (a container restarted, PIDs wrapped): without this the seller was told
 * "another ParcelTray (PID 7)" about `sleep` or a shell, with no way out but to find the lock
 * file by hand. The real holder started before it wrote the lock, and runs node or electron.
 */
function pidReused(holder: LockHolder): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const cmd = readFileSync(`/proc/${holder.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (cmd.trim() && !/node|electron|parceltray/i.test(cmd)) return true;
    const stat = readFileSync(`/proc/${holder.pid}/stat`, 'utf8');
    // Field 22 (start time, in clock ticks after boot); the name in field 2 may hold spaces and ')'.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !btime) return false;
    // USER_HZ is 100 on every Linux that Node runs on; 5 s of slack for rounding.
    return btime * 1000 + ticks * 10 > holder.startedAt + 5_000;
  } catch {
    return false;
  }
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Reads the current holder; a lock still being written (or torn by a crash) reads as null. */
function readHolder(file: string): LockHolder | null | 'gone' {
  try {
    return parseHolder(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
}

const ageMs = (file: string): number => {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Removes a stale lock. Two newcomers may both find it stale; a second exclusive file makes
 * the check-and-remove atomic, so neither removes the lock the other has just created.
 */
function removeStale(file: string, seen: LockHolder | null): boolean {
  const guard = `${file}.takeover`;
  // A guard left by a crash mid-takeover would block forever; it only lives for microseconds.
  if (ageMs(guard) > 10_000) rmSync(guard, { force: true });
  const fd = (() => {
    try {
      return openSync(guard, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw e;
    }
  })();
  if (fd === null) return false; // someone else is taking over; the caller waits and retries
  try {
    closeSync(fd);
    const now = readHolder(file);
    if (now !== 'gone' && JSON.stringify(now) === JSON.stringify(seen)) {
      // Kept, not deleted: a trace of the crash for whoever looks.
      renameSync(file, `${file}.stale`);
    }
  } finally {
    unlinkSync(guard);
  }
  return true;
}

const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export interface AcquireOptions {
  shell?: string;
  /** How long a lock that does not parse may stay unparsed before it counts as torn. */
  tornAfterMs?: number;
}

/** Takes the data dir's lock or throws DataDirLockedError naming the holder. */
export function acquireDataDirLock(dir: string, options: AcquireOptions = {}): DataDirLock {
  const file = join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, startedAt: Date.now(), hostname: hostname(), shell: options.shell ?? 'core' };
  const tornAfterMs = options.tornAfterMs ?? 2_000;
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, holder)) break;
    const current = readHolder(file);
    if (current === 'gone') continue;
    if (current && holderAlive(file, current)) throw new DataDirLockedError(dir, current);
    // A lock that does not parse is either being written this instant or torn by a crash.
    if (!current && ageMs(file) < tornAfterMs) {
      if (attempt > 1000) throw new DataDirLockedError(dir, { pid: 0, startedAt: 0, hostname: hostname(), shell: 'unknown' });
      pause(5);
      continue;
    }
    if (!removeStale(file, current)) pause(5);
    if (attempt > 1000) throw new Error(`ParcelTray: could not take over the stale lock ${file}`);
  }
  heldHere.add(file);
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      // Only our own lock: never remove one a successor took over after we were presumed dead.
      const current = readHolder(file);
      if (current !== 'gone' && current && current.pid === holder.pid && current.startedAt === holder.startedAt) rmSync(file, { force: true });
    },
    reassert() {
      if (released) return 'held';
      const current = readHolder(file);
      if (current && current !== 'gone') return current.pid === holder.pid && current.startedAt === holder.startedAt ? 'held' : 'taken';
      if (current === 'gone' && tryCreate(file, holder)) return 'restored';
      // Unreadable this instant (being written) or created by someone else just now.
      const again = readHolder(file);
      return again && again !== 'gone' && again.pid === holder.pid && again.startedAt === holder.startedAt ? 'held' : 'taken';
    },
  };
}
