/**
 * Where the AppCode and key live. The Electron shell supplies one backed by safeStorage; the
 * headless mode keeps them in a file only the current user may read (0600), and says so.
 * A damaged secrets.json is moved to damaged/ and reported naming the file (the seller enters
 * the key again); it never stops the app with a bare SyntaxError. Writes check that every
 * byte reached the disk and fsync before the rename.
 */
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SettingsDto } from '../../preload/contract.js';
import { DAMAGED_DIR, type RecoveryIssue } from './store/recovery-report.js';
import { logFor } from './log.js';

const log = logFor('secrets');

/** The provider's credentials, and each forwarding channel's webhook URL, robot secret or SMTP 授权码. */
export type SecretName = 'appCode' | 'key' | `channel:${string}:${'url' | 'secret' | 'pass'}`;

const CHANNEL_SECRET = /^channel:[\w-]+:(url|secret|pass)$/;

/** Narrows a name from the channel engine (a plain string there) to one the stores keep. */
export function isSecretName(name: string): name is SecretName {
  return name === 'appCode' || name === 'key' || CHANNEL_SECRET.test(name);
}

export interface SecretStore {
  readonly protection: SettingsDto['secretStorage'];
  get(name: SecretName): string | null;
  set(name: SecretName, value: string | null): void;
}

/** The synchronous file calls FileSecretStore makes (tests inject short writes and ENOSPC). */
export interface SyncFsPort {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, options: { recursive: true; mode: number }): unknown;
  chmodSync(path: string, mode: number): void;
}

type Values = Partial<Record<SecretName, string>>;

function parseSecrets(text: string): Values | null {
  let v: unknown;
  try {
    // A byte-order mark (a hand edit in Notepad) must not cost the seller the key.
    v = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: Values = {};
  // Channel secrets (channel:<id>:url|secret|pass) are kept too, or a restart would lose them.
  for (const [name, s] of Object.entries(v as Record<string, unknown>)) {
    if (!isSecretName(name) || s === undefined) continue;
    if (typeof s !== 'string') return null;
    out[name] = s;
  }
  return out;
}

export class FileSecretStore implements SecretStore {
  readonly protection = 'file-0600' as const;
  readonly #path: string;
  readonly #fs: SyncFsPort;
  #values: Values;
  /** What was wrong with the file at start (empty when it was sound or absent). */
  readonly issues: RecoveryIssue[] = [];

  constructor(path: string, fs: SyncFsPort = nodeFs) {
    this.#path = path;
    this.#fs = fs;
    this.#values = {};
    if (!fs.existsSync(path)) return;
    const text = fs.readFileSync(path, 'utf8');
    const values = parseSecrets(text);
    if (values) {
      this.#values = values;
      if (process.platform !== 'win32') fs.chmodSync(path, 0o600);
      return;
    }
    const dir = join(dirname(path), DAMAGED_DIR);
    const aside = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${basename(path)}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Moved, not copied: a rename needs no disk space, and the next save must not overwrite it.
    fs.renameSync(path, aside);
    const empty = text.trim() === '';
    this.issues.push({
      file: path,
      line: null,
      reason: `${empty ? '文件是空的' : '文件已损坏（不是有效的 JSON 对象）'}；已移至 ${aside}，请重新填写 AppCode 与授权 key`,
      reasonEn: `${empty ? 'the file is empty' : 'the file is damaged (not a valid JSON object)'}; moved to ${aside}. Enter the AppCode and key again`,
    });
    log.error(`${path}: ${this.issues[0]!.reasonEn}`);
  }

  get(name: SecretName): string | null {
    return this.#values[name] ?? null;
  }

  set(name: SecretName, value: string | null): void {
    const next = { ...this.#values };
    if (value) next[name] = value;
    else delete next[name];
    this.#writeDurably(JSON.stringify(next));
    this.#values = next;
  }

  #writeDurably(text: string): void {
    const fs = this.#fs;
    const tmp = `${this.#path}.tmp`;
    const buf = Buffer.from(text, 'utf8');
    try {
      const fd = fs.openSync(tmp, 'w', 0o600);
      try {
        let done = 0;
        while (done < buf.length) {
          const n = fs.writeSync(fd, buf, done, buf.length - done);
          if (n <= 0) throw new Error(`short write to ${tmp}: ${done} of ${buf.length} bytes`);
          done += n;
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* it may not exist */
      }
      throw e;
    }
    fs.renameSync(tmp, this.#path);
    // The rename itself must survive a power cut: fsync the folder (Windows cannot open one).
    if (process.platform !== 'win32') {
      const dir = fs.openSync(dirname(this.#path), 'r');
      try {
        fs.fsyncSync(dir);
      } finally {
        fs.closeSync(dir);
      }
    }
  }
}
