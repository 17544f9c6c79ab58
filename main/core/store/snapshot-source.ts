/**
 * An open snapshot file the histories of its records are read from when first asked for
 * (lazy-history.ts). The file is kept open, not reopened by name: a later snapshot renames a new
 * file over the name (and the old one becomes `.prev`), and the records read from the old one
 * must keep reading the bytes they were read with until the store points them at the new file.
 * Reads are synchronous: a history is a few kilobytes, asked for by a getter.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class SnapshotSource {
  readonly path: string;
  #fd: number | null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Opens the file for reading; null when it does not exist. */
  static open(path: string): SnapshotSource | null {
    try {
      return new SnapshotSource(path, openSync(path, 'r'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  get size(): number {
    return fstatSync(this.#open()).size;
  }

  /** Exactly `length` bytes at `at`, or throws (a short file is an error, not a short answer). */
  read(at: number, length: number): Buffer {
    const fd = this.#open();
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, at + done);
      if (n === 0) throw new Error(`${this.path}: ${length} bytes at ${at} lie past its end`);
      done += n;
    }
    return buf;
  }

  /** Reads into `buf` from `at`; how many bytes it got (0 at the end). */
  readInto(buf: Buffer, offset: number, length: number, at: number): number {
    return readSync(this.#open(), buf, offset, length, at);
  }

  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }

  #open(): number {
    if (this.#fd === null) throw new Error(`${this.path} was closed (the store is closed)`);
    return this.#fd;
  }
}
