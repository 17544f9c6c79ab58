/**
 * An append-only log of store changes, so that a push costs one small fsynced append instead
 * of rewriting the whole document. Segments are JSON lines (parceltray.wal.<seq>); the lowdb
 * document is the snapshot. Appends that arrive while one is being written share the next
 * write and fsync (group commit); each resolves only when its line is wholly on disk.
 *
 * The log always ends on a whole line before anything is appended: a write that failed or
 * stopped short (a full disk) rejects, and the next append first truncates the segment back
 * to its last whole line; on open, a torn tail (a crash mid-write, never acknowledged) is
 * kept in damaged/ and cut off. A line that is not a sound operation is skipped and reported.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFs, writeAll, type FileHandlePort, type FsPort } from './fs-port.js';
import { GroupCommit } from './group-commit.js';
import type { Flaw } from './record-check.js';
import { keepDamagedCopy, type RecoveryIssue } from './recovery-report.js';

export interface WriteAheadLogOptions {
  fsync?: boolean;
  fs?: FsPort;
  /** Checks one parsed line; null when it is a sound operation. */
  check?: (op: unknown) => Flaw | null;
}

export interface Replay<Op> {
  ops: Op[];
  issues: RecoveryIssue[];
  damagedCopies: string[];
}

export class WriteAheadLog<Op> {
  readonly #dir: string;
  readonly #base: string;
  readonly #fsync: boolean;
  readonly #fs: FsPort;
  readonly #check: (op: unknown) => Flaw | null;
  #seq = 0;
  #fh: FileHandlePort | null = null;
  /** Bytes of whole lines in the current segment: where a failed append is cut back to. */
  #whole = 0;
  /** An append failed: the segment may end in part of a line. */
  #torn = false;
  readonly #commits = new GroupCommit<string>((queued, more) => queued + more, (text) => this.#write(text));
  /**
   * Bytes logged since the last snapshot: the current segment, plus the segments replayed at
   * open (a clean stop with a short log leaves them for the next start to replay).
   */
  size = 0;

  constructor(dir: string, base = 'parceltray', options: WriteAheadLogOptions = {}) {
    this.#dir = dir;
    this.#base = base;
    this.#fsync = options.fsync ?? true;
    this.#fs = options.fs ?? nodeFs;
    this.#check = options.check ?? (() => null);
    mkdirSync(dir, { recursive: true });
  }

  async #segments(): Promise<number[]> {
    const re = new RegExp(`^${this.#base}\\.wal\\.(\\d+)$`);
    return (await this.#fs.readdir(this.#dir))
      .map((n) => re.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  path(seq: number): string {
    return join(this.#dir, `${this.#base}.wal.${seq}`);
  }

  /** The oldest segment on disk (null: none). */
  async oldest(): Promise<number | null> {
    return (await this.#segments())[0] ?? null;
  }

  /**
   * Every sound operation in the segments after `afterSeq` (those up to it are in the
   * snapshot), oldest first; the new segment starts after the last one.
   */
  async replay(afterSeq = 0): Promise<Replay<Op>> {
    const out: Replay<Op> = { ops: [], issues: [], damagedCopies: [] };
    const segments = await this.#segments();
    let bytes = 0;
    for (const seq of segments) {
      if (seq <= afterSeq) continue;
      const file = this.path(seq);
      const buf = await this.#fs.readFile(file);
      const end = buf.lastIndexOf(0x0a) + 1;
      bytes += end;
      const lines = buf.subarray(0, end).toString('utf8').split('\n');
      let damaged = false;
      lines.forEach((line, i) => {
        if (!line) return;
        let op: unknown;
        let flaw: Flaw | null;
        try {
          op = JSON.parse(line) as unknown;
          flaw = this.#check(op);
        } catch {
          flaw = { reason: '这一行不是有效的 JSON', reasonEn: 'this line is not valid JSON' };
        }
        if (flaw) {
          damaged = true;
          out.issues.push({ file, line: i + 1, reason: `已跳过：${flaw.reason}`, reasonEn: `skipped: ${flaw.reasonEn}` });
        } else {
          out.ops.push(op as Op);
        }
      });
      if (damaged) {
        const copy = await keepDamagedCopy(this.#fs, this.#dir, file);
        if (copy) out.damagedCopies.push(copy);
      }
      if (end < buf.length) {
        // A torn tail: the write it belonged to never completed, so it was never acknowledged.
        out.issues.push({
          file,
          line: lines.length,
          reason: '最后一行不完整（写入时中断，未曾确认），已截去',
          reasonEn: 'the last line is incomplete (a write cut short, never acknowledged) and was cut off',
        });
        const copy = await keepDamagedCopy(this.#fs, this.#dir, file, buf.subarray(end));
        if (copy) {
          out.damagedCopies.push(copy);
          await this.#fs.truncate(file, end);
        }
      }
    }
    // Never below the snapshot's mark: a segment it claims to contain is skipped at replay.
    this.#seq = Math.max(segments.at(-1) ?? 0, afterSeq) + 1;
    this.size = bytes;
    return out;
  }

  append(ops: readonly Op[]): Promise<void> {
    return this.#commits.submit(ops.map((op) => `${JSON.stringify(op)}\n`).join(''));
  }

  async #write(text: string): Promise<void> {
    if (!this.#fh) {
      if (this.#seq === 0) this.#seq = ((await this.#segments()).at(-1) ?? 0) + 1;
      this.#fh = await this.#fs.open(this.path(this.#seq), 'a', 0o600);
      this.#whole = (await this.#fh.stat()).size;
      this.#torn = false;
    }
    if (this.#torn) {
      await this.#fh.truncate(this.#whole);
      this.#torn = false;
    }
    const buf = Buffer.from(text, 'utf8');
    try {
      await writeAll(this.#fh, buf, this.path(this.#seq));
      if (this.#fsync) await this.#fh.datasync();
    } catch (e) {
      this.#torn = true;
      throw e;
    }
    this.#whole += buf.length;
    this.size += buf.length;
  }

  /** Waits for appends under way. */
  idle(): Promise<void> {
    return this.#commits.idle();
  }

  /**
   * Starts a new segment for what comes next and returns the last closed one: a snapshot
   * taken now contains every segment up to it.
   */
  async rotate(): Promise<number> {
    // Re-checked after every wait: a write may start between idle() resolving and this code
    // running. The last check and the swap below run with no await between them.
    if (this.#seq === 0) this.#seq = ((await this.#segments()).at(-1) ?? 0) + 1;
    while (this.#commits.busy) await this.idle();
    const fh = this.#fh;
    const torn = this.#torn;
    const whole = this.#whole;
    this.#fh = null;
    const closed = this.#seq;
    this.#seq += 1;
    this.size = 0;
    if (fh) {
      if (torn) await fh.truncate(whole).catch(() => {});
      await fh.close();
    }
    return closed;
  }

  /** Deletes the segments up to `seq` (a durable snapshot, and its fallback, contain them). */
  async dropThrough(seq: number): Promise<void> {
    for (const s of await this.#segments()) {
      if (s <= seq) await this.#fs.unlink(this.path(s)).catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.#fh && this.#torn) await this.#fh.truncate(this.#whole).catch(() => {});
    await this.#fh?.close();
    this.#fh = null;
  }
}
