/**
 * A lowdb adapter that means it when it says "written": like steno it writes a temp file and
 * renames it over the old one (a crash leaves the old or the new file, never half of one),
 * and unlike steno it checks that every byte reached the disk, fsyncs the file before the
 * rename and the folder after it, so an acknowledged write survives a power cut too. A write
 * that fails anywhere (short write, ENOSPC, EIO, fsync) never replaces the good file.
 *
 * With `keepPrevious` the file being replaced stays as `<name>.prev` (a hard link, so it costs
 * no disk space): the fallback when the current one is found damaged. Only the file this
 * adapter wrote (or found at its name when made), unchanged: one another program put there or
 * wrote into since (a sync or backup tool restoring an older copy) would replace a good
 * fallback with one that lacks what the log after it was trimmed of.
 *
 * Group commit: writes that arrive while one is in flight share the next one. The data is
 * serialised when that write starts, so it holds every change made before it, and every
 * caller waiting on it is resolved only once it is on disk.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { isMissing, nodeFs, syncDir, writeAll, type FsPort } from './fs-port.js';
import { GroupCommit } from './group-commit.js';
import { logFor } from '../log.js';

const log = logFor('store');

export interface DurableJSONFileOptions<T = unknown> {
  /** fsync file and folder (default true). Off only for throwaway stores. */
  fsync?: boolean;
  /** Indentation of the JSON text; 0 keeps large stores small and fast to write. */
  indent?: number;
  /** Turns the data into JSON text, in pieces (text or its UTF-8 bytes): a large store is written without one giant string. */
  serialize?: (data: T) => Iterable<string | Uint8Array>;
  /** Reads the file back (the store reads its snapshot line by line); null when it does not exist. */
  read?: (filename: string) => Promise<T | null>;
  /** Keep the replaced file as `<name>.prev`. */
  keepPrevious?: boolean;
  fs?: FsPort;
}

export const previousOf = (filename: string): string => `${filename}.prev`;

export class DurableJSONFile<T> implements Adapter<T> {
  readonly filename: string;
  readonly #temp: string;
  readonly #fsync: boolean;
  readonly #indent: number;
  readonly #serialize: ((data: T) => Iterable<string | Uint8Array>) | undefined;
  readonly #read: ((filename: string) => Promise<T | null>) | undefined;
  readonly #keepPrevious: boolean;
  readonly #fs: FsPort;
  /** The stamp of the file at the name as this adapter left it: the one it found there when made, then each it wrote. */
  #own: Promise<string | null>;
  /** Writes that arrive during one share the next: only the newest data needs writing. */
  readonly #commits = new GroupCommit<T>((_queued, newest) => newest, (data) => this.#writeNow(data));
  /** Writes that reached the disk (the group-commit test counts them). */
  writes = 0;
  /** Size of the file last written, in bytes. */
  bytes = 0;
  /**
   * The last write was to keep the file it replaced as `.prev` and did not (a full disk, or no
   * file to replace): `.prev`, if there is one, is older than the file replaced.
   */
  previousStale = false;

  constructor(filename: string, options: DurableJSONFileOptions<T> = {}) {
    this.filename = filename;
    this.#temp = join(dirname(filename), `.${basename(filename)}.tmp`);
    this.#fsync = options.fsync ?? true;
    this.#indent = options.indent ?? 0;
    this.#serialize = options.serialize;
    this.#read = options.read;
    this.#keepPrevious = options.keepPrevious ?? false;
    this.#fs = options.fs ?? nodeFs;
    mkdirSync(dirname(filename), { recursive: true });
    this.#own = this.#stamp();
  }

  async read(): Promise<T | null> {
    if (this.#read) return this.#read(this.filename);
    let text: string;
    try {
      text = (await this.#fs.readFile(this.filename)).toString('utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    return this.#commits.submit(data);
  }

  async #writeNow(data: T): Promise<void> {
    const fs = this.#fs;
    const pieces = this.#serialize ? this.#serialize(data) : [JSON.stringify(data, null, this.#indent || undefined)];
    let written = 0;
    try {
      const fh = await fs.open(this.#temp, 'w', 0o600);
      try {
        // Pieces go out in chunks of about 1 MiB: few writes, and never the whole text at once.
        let buffered: (string | Uint8Array)[] = [];
        let size = 0;
        written = 0;
        const flush = async (): Promise<void> => {
          const buf = Buffer.concat(buffered.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
          written += buf.length;
          await writeAll(fh, buf, this.#temp);
          buffered = [];
          size = 0;
        };
        for (const piece of pieces) {
          buffered.push(piece);
          size += piece.length;
          if (size >= 1 << 20) await flush();
        }
        await flush();
        if (this.#fsync) await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      // Half a file must not linger (it takes the space a retry needs) nor ever be renamed.
      await fs.unlink(this.#temp).catch(() => {});
      throw e;
    }
    const stale = this.#keepPrevious && !(await this.#keepAsPrevious());
    try {
      await fs.rename(this.#temp, this.filename);
    } catch (e) {
      await fs.unlink(this.#temp).catch(() => {});
      throw e;
    }
    this.#own = this.#stamp();
    if (this.#fsync) await syncDir(fs, dirname(this.filename));
    this.writes += 1;
    this.bytes = written;
    this.previousStale = stale;
  }

  /** Null also when it cannot be told: then no file is taken for this adapter's own. */
  #stamp(): Promise<string | null> {
    return this.#fs.stamp(this.filename).catch(() => null);
  }

  /** The current file becomes `.prev` (atomically replacing the older one) without a copy; false when it did not. */
  async #keepAsPrevious(): Promise<boolean> {
    const fs = this.#fs;
    const prev = previousOf(this.filename);
    const linkTemp = `${prev}.tmp`;
    const [own, now] = await Promise.all([this.#own, this.#stamp()]);
    if (now !== own) {
      if (now !== null) log.warn(`${this.filename} was replaced or changed by another program: it is not kept as ${prev}`);
      return false;
    }
    try {
      await fs.unlink(linkTemp).catch((e: unknown) => {
        if (!isMissing(e)) throw e;
      });
      await fs.link(this.filename, linkTemp);
      await fs.rename(linkTemp, prev);
      // rename() between two links to one file does nothing (POSIX): the case when the last
      // write failed after this step. The link is then still there and must go.
      await fs.unlink(linkTemp).catch(() => {});
      return true;
    } catch (e) {
      await fs.unlink(linkTemp).catch(() => {});
      // No current file yet (first write) is normal; anything else only costs the fallback.
      if (!isMissing(e)) log.error(`could not keep ${prev}:`, e);
      return false;
    }
  }
}
