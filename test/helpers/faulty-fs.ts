/**
 * The store's file layer with faults on demand: a rule makes the n-th matching call (or every
 * one) fail with ENOSPC or EIO, or a write stop short, as a full or failing disk does. Every
 * fault injected is counted, so the suite can say how many it tried.
 */
import { nodeFs, type FileHandlePort, type FsPort } from '../../main/core/store/fs-port.js';

export type FsCall = 'open' | 'write' | 'sync' | 'datasync' | 'truncate' | 'close' | 'rename' | 'unlink' | 'link' | 'copyFile' | 'mkdir';
export type Fault = 'ENOSPC' | 'EIO' | 'short';

export interface FaultRule {
  call: FsCall;
  /** Only calls on files whose path matches. */
  path?: RegExp;
  fault: Fault;
  /** How many matching calls to fail (default: all until removed). */
  times?: number;
  /** Matching calls to let through first. */
  skip?: number;
}

/** Faults injected by every FaultyFs in this process (the suite prints it). */
export const faultCount = { injected: 0 };

export const errnoError = (code: 'ENOSPC' | 'EIO', call: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'i/o error'}, ${call} '${path}'`), { code, syscall: call, path });

export class FaultyFs implements FsPort {
  rules: FaultRule[] = [];
  injected = 0;
  /** Every call, for tests that fault "at any call": `${call} ${path}`. */
  readonly calls: string[] = [];

  constructor(private readonly inner: FsPort = nodeFs) {}

  /** Fail the call with this index in `calls` (a sweep over every call of a scenario). */
  failAt: { index: number; fault: Fault } | null = null;

  /** The fault for this call, if a rule says so (consumes one of its times). */
  #fault(call: FsCall, path: string): Fault | null {
    this.calls.push(`${call} ${path}`);
    if (this.failAt && this.failAt.index === this.calls.length - 1) {
      this.injected += 1;
      faultCount.injected += 1;
      // A short write only exists for write(); elsewhere the disk is simply full.
      return call === 'write' || this.failAt.fault !== 'short' ? this.failAt.fault : 'ENOSPC';
    }
    for (const rule of this.rules) {
      if (rule.call !== call || (rule.path && !rule.path.test(path))) continue;
      if (rule.skip && rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times -= 1;
      }
      this.injected += 1;
      faultCount.injected += 1;
      return rule.fault;
    }
    return null;
  }

  #throwIf(call: FsCall, path: string): void {
    const f = this.#fault(call, path);
    if (f === 'ENOSPC' || f === 'EIO') throw errnoError(f, call, path);
    if (f === 'short') throw errnoError('ENOSPC', call, path);
  }

  async open(path: string, flags: 'w' | 'a' | 'r' | 'r+', mode?: number): Promise<FileHandlePort> {
    this.#throwIf('open', path);
    const fh = await this.inner.open(path, flags, mode);
    const fault = (call: FsCall): Fault | null => this.#fault(call, path);
    const throwIf = (call: FsCall): void => this.#throwIf(call, path);
    return {
      async write(buffer, offset, length) {
        const f = fault('write');
        if (f === 'ENOSPC' || f === 'EIO') throw errnoError(f, 'write', path);
        // A nearly full disk: part of the bytes really land, and the call says so.
        if (f === 'short') return fh.write(buffer, offset, Math.max(1, Math.floor(length / 2)));
        return fh.write(buffer, offset, length);
      },
      async sync() {
        throwIf('sync');
        return fh.sync();
      },
      async datasync() {
        throwIf('datasync');
        return fh.datasync();
      },
      async truncate(len) {
        throwIf('truncate');
        return fh.truncate(len);
      },
      stat: () => fh.stat(),
      async close() {
        const f = fault('close');
        await fh.close();
        if (f === 'ENOSPC' || f === 'EIO') throw errnoError(f, 'close', path);
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    this.#throwIf('rename', to);
    return this.inner.rename(from, to);
  }
  async unlink(path: string): Promise<void> {
    this.#throwIf('unlink', path);
    return this.inner.unlink(path);
  }
  async link(existing: string, newPath: string): Promise<void> {
    this.#throwIf('link', newPath);
    return this.inner.link(existing, newPath);
  }
  async truncate(path: string, length: number): Promise<void> {
    this.#throwIf('truncate', path);
    return this.inner.truncate(path, length);
  }
  readFile = (path: string): Promise<Buffer> => this.inner.readFile(path);
  readdir = (path: string): Promise<string[]> => this.inner.readdir(path);
  stat = (path: string): Promise<{ size: number } | null> => this.inner.stat(path);
  stamp = (path: string): Promise<string | null> => this.inner.stamp(path);
  async mkdir(path: string): Promise<void> {
    this.#throwIf('mkdir', path);
    return this.inner.mkdir(path);
  }
  async copyFile(from: string, to: string): Promise<void> {
    this.#throwIf('copyFile', to);
    return this.inner.copyFile(from, to);
  }
}
