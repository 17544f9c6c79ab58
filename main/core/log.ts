/**
 * One logger for the whole app (electron-log's node entry: runs under plain Node and in
 * Electron's main, rotates by size synchronously, and needs no worker thread to bundle, unlike
 * pino's transports). Each module takes a scope; the shells call startLogFile once so a
 * seller who reports a problem has a file to send. Secrets never reach a transport: a hook
 * redacts the values registered with addSecret and anything under a secret-looking key.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import electronLog from 'electron-log/node';

export const LOG_FILE_NAME = 'parceltray.log';
const REDACTED = '[redacted]';

const logger = electronLog.create({ logId: 'parceltray' });
// No file until a shell says where the data dir is; the console keeps warnings and errors.
logger.transports.file.level = false;
logger.transports.console.level = 'warn';

const secrets = new Set<string>();
/** Field names whose values are secrets wherever they appear (objects, query strings, forms). */
const SECRET_KEY = /(app_?code|^key$|salt|secret|sign|password|passwd|token|authorization|webhook)/i;
// access_token: 钉钉's webhook (\b does not split it before `token`).
const SECRET_PAIR = /\b(appcode|app_code|key|salt|sign|secret|callbackSecret|access_token|token|password|webhookKey|webhook_key)(["']?\s*[:=]\s*["']?)([^"'&\s,;}]+)/gi;
/** The callback path carries the callback secret. */
const CALLBACK_PATH = /(\/callback\/)[A-Za-z0-9_-]+/g;

/** Values that must never be logged (AppCode, key, salt, callback secret, webhook keys). */
export function addSecret(...values: (string | null | undefined)[]): void {
  // Very short values would redact ordinary words; real secrets are long.
  for (const v of values) if (v && v.length >= 6) secrets.add(v);
}

export function redactText(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out.replace(SECRET_PAIR, (_m, k: string, sep: string) => `${k}${sep}${REDACTED}`).replace(CALLBACK_PATH, `$1${REDACTED}`);
}

/**
 * A webhook URL and what identifies the robot inside it: each query value (企业微信 `key`, 钉钉
 * `access_token`) and the last path segment (飞书's hook id), so an error that echoes only part
 * of the URL is redacted too.
 */
export function addSecretUrl(url: string | null | undefined): void {
  if (!url) return;
  addSecret(url);
  try {
    const u = new URL(url);
    addSecret(...u.searchParams.values(), u.pathname.split('/').at(-1));
  } catch {
    // Not a URL: the whole text is registered above.
  }
}

/** A copy of a log argument with every secret replaced; the original is left alone. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack);
    return copy;
  }
  if (value === null || typeof value !== 'object' || depth > 5) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v ? REDACTED : redact(v, depth + 1)]));
}

export interface LogLine {
  level: string;
  scope: string | undefined;
  /** The message as written, secrets already redacted. */
  text: string;
}
const watchers = new Set<(line: LogLine) => void>();

/** Sees every line as it is logged (after redaction); returns the function that stops it. Tests assert on what was logged. */
export function watchLog(watcher: (line: LogLine) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

logger.hooks.push((message) => {
  const data = message.data.map((d) => redact(d));
  if (watchers.size) {
    const text = data.map((d) => (d instanceof Error ? d.message : typeof d === 'string' ? d : JSON.stringify(d))).join(' ');
    for (const w of watchers) w({ level: message.level, scope: message.scope, text });
  }
  return { ...message, data };
});

export interface ScopedLog {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/** The logger of one module: `const log = logFor('tracker')`. */
export function logFor(scope: string): ScopedLog {
  return logger.scope(scope);
}

let currentFile: string | null = null;

/** Where the log is written, or null before a shell started it. */
export const logFilePath = (): string | null => currentFile;

/**
 * Writes the log to DATADIR/logs/parceltray.log, rotated at `maxBytes` into parceltray.1.log …
 * parceltray.(keep-1).log, so it stays under maxBytes × keep.
 */
export function startLogFile(dataDir: string, options: { maxBytes?: number; keep?: number } = {}): string {
  const file = join(dataDir, 'logs', LOG_FILE_NAME);
  const keep = Math.max(2, options.keep ?? 4);
  const t = logger.transports.file;
  t.resolvePathFn = () => file;
  t.maxSize = options.maxBytes ?? 5 * 1024 * 1024;
  t.level = 'info';
  t.archiveLogFn = (old) => {
    const numbered = (n: number): string => join(dataDir, 'logs', `parceltray.${n}.log`);
    rmSync(numbered(keep - 1), { force: true });
    for (let n = keep - 2; n >= 1; n--) if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
    renameSync(old.toString(), numbered(1));
  };
  currentFile = file;
  return file;
}

/** Stops writing the file (tests; the shells log until the process ends). */
export function stopLogFile(): void {
  logger.transports.file.level = false;
  currentFile = null;
}
