/**
 * An append-only log of store changes, so that a push costs one small fsynced append instead
 * of rewriting the whole document. Segments are JSON lines (parceltray.wal.<seq>); the lowdb
 * document is the snapshot, and a segment is deleted only once a snapshot that contains it is
 * on disk. Appends that arrive while one is being written share the next write and fsync
 * (group commit); each resolves only when its line is on disk. A line torn by a crash was
 * never acknowledged, so replay skips it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { GroupCommit } from './group-commit.js';

export class WriteAheadLog<Op> {
  readonly #dir: string;
  readonly #base: string;
  readonly #fsync: boolean;
  #seq = 0;
  #fh: FileHandle | null = null;
  readonly #commits = new GroupCommit<string>((queued, more) => queued + more, (text) => this.#write(text));
  /** Bytes in the current segment. */
  size = 0;

  constructor(dir: string, base = 'parceltray', options: { fsync?: boolean } = {}) {
    this.#dir = dir;
    this.#base = base;
    this.#fsync = options.fsync ?? true;
    mkdirSync(dir, { recursive: true });
  }

  #segments(): number[] {
    const re = new RegExp(`^${this.#base}\\.wal\\.(\\d+)$`);
    return readdirSync(this.#dir)
      .map((n) => re.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  #path(seq: number): string {
    return join(this.#dir, `${this.#base}.wal.${seq}`);
  }

  /** Every operation in the log, oldest first; the new segment starts after the last one. */
  replay(): Op[] {
    const ops: Op[] = [];
    const segments = this.#segments();
    for (const seq of segments) {
      for (const line of readFileSync(this.#path(seq), 'utf8').split('\n')) {
        if (!line) continue;
        try {
          ops.push(JSON.parse(line) as Op);
        } catch {
          // a torn last line: the write it belonged to never completed, nor was it acknowledged
        }
      }
    }
    this.#seq = (segments.at(-1) ?? 0) + 1;
    return ops;
  }

  append(ops: readonly Op[]): Promise<void> {
    return this.#commits.submit(ops.map((op) => `${JSON.stringify(op)}\n`).join(''));
  }

  async #write(text: string): Promise<void> {
    if (!this.#fh) {
      if (this.#seq === 0) this.#seq = (this.#segments().at(-1) ?? 0) + 1;
      this.#fh = await open(this.#path(this.#seq), 'a', 0o600);
    }
    const buf = Buffer.from(text, 'utf8');
    await this.#fh.write(buf);
    if (this.#fsync) await this.#fh.datasync();
    this.size += buf.length;
  }

  /** Waits for appends under way. */
  idle(): Promise<void> {
    return this.#commits.idle();
  }

  /**
   * Starts a new segment for what comes next; returns a function that deletes the older ones.
   * Call it before taking a snapshot, and the returned function once the snapshot is durable.
   */
  async rotate(): Promise<() => void> {
    // Re-checked after every wait: a write may start between idle() resolving and this code
    // running. The last check and the swap below run with no await between them.
    while (this.#commits.busy) await this.idle();
    const fh = this.#fh;
    this.#fh = null;
    if (this.#seq === 0) this.#seq = (this.#segments().at(-1) ?? 0) + 1;
    const old = this.#segments().filter((s) => s <= this.#seq);
    this.#seq += 1;
    this.size = 0;
    await fh?.close();
    return () => old.forEach((s) => rmSync(this.#path(s), { force: true }));
  }

  async close(): Promise<void> {
    await this.idle();
    await this.#fh?.close();
    this.#fh = null;
  }
}
