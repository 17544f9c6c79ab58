/**
 * An open snapshot file the histories of its records are read from when first asked for
 * (lazy-history.ts). The file is kept open, not reopened by name: a later snapshot renames a new
 * file over the name (and the old one becomes `.prev`), and the records read from the old one
 * must keep reading the bytes they were read with until the store points them at the new file.
 * Reads are synchronous: a history is a few kilobytes, asked for by a getter.
 *
 * Something else may still write into the open file in place (a backup tool restoring an older
 * copy, a sync tool, a disk cutting it short): then a history is no longer at its offset, and is
 * looked for by its length and CRC-32 in this file and the other open ones of the folder.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { lineFinder, scanOpenFile } from './history-scan.js';
import { logFor } from '../log.js';

const log = logFor('store');

/** Size and modification time: a write in place changes one of them. */
type Stamp = string;

/** Every open snapshot file, to look in for a history its own file no longer has. */
const openFiles = new Set<SnapshotSource>();

export class SnapshotSource {
  readonly path: string;
  /** `dev:ino`: which file it is, whatever is at its name now. */
  readonly fileId: string;
  #fd: number | null;
  readonly #opened: Stamp;
  #doubted = false;
  /** The history lines (scanned at the first look-up), and the file as it was scanned. */
  #lines: { stamp: Stamp; find: (length: number, crc: number) => number | undefined } | null = null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
    const s = fstatSync(fd, { bigint: true });
    this.fileId = `${s.dev}:${s.ino}`;
    this.#opened = this.#stamp();
    openFiles.add(this);
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

  /**
   * The file may no longer hold what it held when opened: written in place since, or a history
   * in it found failing its check. A snapshot then checks each history it takes from here.
   */
  get doubtful(): boolean {
    if (this.#doubted) return true;
    try {
      if (this.#stamp() === this.#opened) return false;
    } catch {
      // A file that cannot even be looked at is as doubtful as one that changed.
    }
    this.doubt();
    return true;
  }

  doubt(): void {
    if (this.#doubted) return;
    this.#doubted = true;
    log.warn(`${this.path} changed under the running app: its histories are checked before use and looked for where they still are`);
  }

  /** Where a history line of this length and CRC-32 starts in the file now, if it has one. */
  locate(length: number, crc: number): number | undefined {
    if (this.#fd === null) return undefined;
    try {
      const stamp = this.#stamp();
      if (this.#lines?.stamp !== stamp) {
        const scanned = scanOpenFile((buf, offset, len, at) => this.readInto(buf, offset, len, at));
        this.#lines = { stamp, find: lineFinder(scanned) };
      }
      return this.#lines.find(length, crc);
    } catch (e) {
      log.error(`could not look for a history in ${this.path}:`, e);
      return undefined;
    }
  }

  /** The other open snapshot files of its folder (the current one, the one before, `.prev`). */
  beside(): SnapshotSource[] {
    const dir = dirname(this.path);
    return [...openFiles].filter((s) => s !== this && dirname(s.path) === dir);
  }

  close(): void {
    openFiles.delete(this);
    this.#lines = null;
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }

  #stamp(): Stamp {
    const s = fstatSync(this.#open());
    return `${s.size}:${s.mtimeMs}`;
  }

  #open(): number {
    if (this.#fd === null) throw new Error(`${this.path} was closed (the store is closed)`);
    return this.#fd;
  }
}
