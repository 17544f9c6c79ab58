/**
 * Every push as received, one JSON line each, for audit and replay; never in the lowdb
 * document, which holds only the merged state. Files rotate at `maxFileBytes` and at most
 * `maxFiles` are kept (pushes.jsonl, pushes.1.jsonl, …), so the log cannot fill the disk.
 * Appends are buffered by the OS, not fsynced: the store is what a success reply promises.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logFor } from '../log.js';

const log = logFor('push-log');

export interface PushLogEntry {
  at: string;
  /** stored | rejected (4xx) | storage-failed (500) */
  outcome: string;
  httpStatus: number;
  /** The form body exactly as received (truncated past 64 KiB). */
  body: string;
}

export class PushLog {
  readonly #dir: string;
  readonly #maxFileBytes: number;
  readonly #maxFiles: number;
  #size: number;

  constructor(dir: string, options: { maxFileBytes?: number; maxFiles?: number } = {}) {
    this.#dir = dir;
    this.#maxFileBytes = options.maxFileBytes ?? 8 * 1024 * 1024;
    this.#maxFiles = options.maxFiles ?? 5;
    mkdirSync(dir, { recursive: true });
    this.#size = existsSync(this.file(0)) ? statSync(this.file(0)).size : 0;
  }

  file(n: number): string {
    return join(this.#dir, n === 0 ? 'pushes.jsonl' : `pushes.${n}.jsonl`);
  }

  append(entry: PushLogEntry): void {
    const line = `${JSON.stringify({ ...entry, body: entry.body.length > 65536 ? `${entry.body.slice(0, 65536)}…` : entry.body })}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.#size > 0 && this.#size + bytes > this.#maxFileBytes) this.#rotate();
    try {
      appendFileSync(this.file(0), line, { mode: 0o600 });
      this.#size += bytes;
    } catch (e) {
      // The audit log must never cost a push: the store already has it.
      log.error('push log:', e);
    }
  }

  #rotate(): void {
    rmSync(this.file(this.#maxFiles - 1), { force: true });
    for (let n = this.#maxFiles - 2; n >= 0; n--) {
      if (existsSync(this.file(n))) renameSync(this.file(n), this.file(n + 1));
    }
    this.#size = 0;
  }
}
