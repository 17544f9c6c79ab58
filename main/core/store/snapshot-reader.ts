/**
 * Reads the snapshot written by serializeDb (a head line with the settings, then one record a
 * line) one line at a time, so that loading thousands of shipments never holds the whole file
 * as one string, and so that a damaged line costs that line only: every line that does not
 * parse or does not hold a sound record is skipped and reported by file and line. Any other
 * JSON (an older or hand-edited file) is parsed whole.
 */
import { open } from 'node:fs/promises';
import type { Outage } from '../lifecycle.js';
import { isMissing } from './fs-port.js';
import { identityFlaw, isJournal, recordFlaw } from './record-check.js';
import { readRecordLine } from './record-line.js';
import type { RecoveryIssue } from './recovery-report.js';
import type { ShipmentRecord } from './schema.js';

export interface SnapshotRead {
  exists: boolean;
  /** The stored settings object when its identity (secret, salt) is sound, else null. */
  settings: Record<string, unknown> | null;
  journal: Outage[] | null;
  /** Log segments up to this one are contained in the snapshot (0: unknown, replay them all). */
  walSeq: number;
  shipments: Record<string, ShipmentRecord>;
  issues: RecoveryIssue[];
  /** Nothing could be read from it (empty, or not JSON at all). */
  unusable: boolean;
}

const HEAD_END = '"shipments":{';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Bytes read at a time: few reads, and far below the size of a large store. */
const CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Calls `onLine` with every line of the file (without its LF or CRLF) as bytes, read in chunks
 * and cut at newline bytes: a newline byte never occurs inside a UTF-8 character. Each chunk is
 * a buffer of its own, never reused: a record keeps the bytes of its unparsed history, a view
 * into its chunk (record-line.ts). Measured at 30,000 parcels, readline over a stream spent as
 * long in its decoder, regex and events as JSON.parse did on the records. False when the file
 * does not exist.
 */
async function eachLine(file: string, chunkBytes: number, onLine: (line: Buffer) => void): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
  try {
    let buf = Buffer.allocUnsafe(chunkBytes);
    // Bytes [0, kept) hold the start of a line the previous chunk did not finish.
    let kept = 0;
    const emit = (from: number, to: number): void => onLine(buf.subarray(from, to > from && buf[to - 1] === 0x0d ? to - 1 : to));
    for (;;) {
      const { bytesRead } = await fh.read(buf, kept, buf.length - kept, null);
      const end = kept + bytesRead;
      if (bytesRead === 0) {
        if (end > 0) emit(0, end);
        return true;
      }
      let start = 0;
      for (let nl = buf.indexOf(0x0a, kept); nl >= 0 && nl < end; nl = buf.indexOf(0x0a, start)) {
        emit(start, nl);
        start = nl + 1;
      }
      // One line longer than a chunk: the next buffer is larger rather than the line cut.
      const next = Buffer.allocUnsafe(Math.max(chunkBytes, 2 * (end - start)));
      buf.copy(next, 0, start, end);
      kept = end - start;
      buf = next;
    }
  } finally {
    await fh.close();
  }
}

export interface ReadSnapshotOptions {
  /** Bytes read at a time (tests use small ones to split lines across reads). */
  chunkBytes?: number;
}

export async function readSnapshot(file: string, options: ReadSnapshotOptions = {}): Promise<SnapshotRead> {
  const out: SnapshotRead = { exists: true, settings: null, journal: null, walSeq: 0, shipments: {}, issues: [], unusable: false };
  const issue = (line: number | null, reason: string, reasonEn: string): void => void out.issues.push({ file, line, reason, reasonEn });

  const takeHead = (head: unknown, line: number | null): void => {
    if (!isObj(head)) {
      issue(line, '文件开头（设置）已损坏', 'the head of the file (the settings) is damaged');
      return;
    }
    const flaw = identityFlaw(head.settings);
    if (flaw) issue(line, flaw.reason, flaw.reasonEn);
    else out.settings = head.settings as Obj;
    if (head.journal !== undefined) {
      if (isJournal(head.journal)) out.journal = head.journal;
      else issue(line, '停机记录已损坏，已忽略', 'the outage journal is damaged and was left out');
    }
    if (typeof head.walSeq === 'number' && Number.isInteger(head.walSeq) && head.walSeq >= 0) out.walSeq = head.walSeq;
  };
  const takeRecord = (key: string, value: unknown, line: number | null, historyChecked = false): void => {
    const flaw = recordFlaw(value, historyChecked);
    if (flaw) {
      issue(line, `记录 ${key} 已跳过：${flaw.reason}`, `record ${key} was skipped: ${flaw.reasonEn}`);
      return;
    }
    const rec = value as ShipmentRecord;
    out.shipments[rec.id] = rec;
  };
  /** One `"id":{…},` line; false when it is not one. */
  const takeRecordLine = (bytes: Buffer, line: number): boolean => {
    const values = readRecordLine(bytes);
    if (!values) return false;
    for (const v of values) takeRecord(v.key, v.value, line, v.historyChecked);
    return true;
  };

  let n = 0;
  let lineMode = false;
  let ended = false;
  let lastLine = 0;
  const other: Buffer[] = [];
  const onLine = (bytes: Buffer): void => {
    n += 1;
    if (n === 1) {
      // A byte-order mark (Windows Notepad saves one) must not cost the head line and its settings.
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      if (text.endsWith(HEAD_END)) {
        lineMode = true;
        takeHead(parse(`${text}}}`), 1);
        return;
      }
      other.push(Buffer.from(text));
      return;
    }
    if (!lineMode) {
      other.push(bytes);
      return;
    }
    if (bytes.length === 0) return;
    lastLine = n;
    if (bytes.length === 2 && bytes[0] === 0x7d && bytes[1] === 0x7d) {
      ended = true;
      return;
    }
    if (ended || !takeRecordLine(bytes, n)) issue(n, '这一行已损坏，已跳过', 'this line is damaged and was skipped');
  };
  // Histories stay as the bytes read (a tenth of the memory of the parsed objects); a line that
  // was parsed whole leaves nothing of its chunk behind.
  if (!(await eachLine(file, options.chunkBytes ?? CHUNK_BYTES, onLine))) return { ...out, exists: false };
  if (lineMode) {
    if (!ended) issue(lastLine || n, '文件不完整（结尾被截断）', 'the file is incomplete (its end was cut off)');
    return out;
  }
  // Not the line format: an older or hand-edited file, or one whose head line is damaged.
  const texts = other.map((b) => b.toString('utf8'));
  if (texts.every((l) => l.trim() === '')) {
    issue(null, '文件是空的', 'the file is empty');
    return { ...out, unusable: true };
  }
  const whole = parse(texts.join('\n'));
  if (isObj(whole)) {
    takeHead(whole, null);
    if (isObj(whole.shipments)) for (const [key, value] of Object.entries(whole.shipments)) takeRecord(key, value, null);
    else if (whole.shipments !== undefined) issue(null, 'shipments 不是对象，已忽略', 'shipments is not an object and was left out');
    return out;
  }
  // The head line is damaged: the record lines after it may still be intact.
  const bad: number[] = [];
  const lineIssues = out.issues.length;
  texts.forEach((text, i) => {
    if (i === 0 || text === '' || text === '}}') return;
    if (!takeRecordLine(other[i]!, i + 1)) bad.push(i + 1);
  });
  if (Object.keys(out.shipments).length === 0) {
    // Not one sound record: nothing here is worth more than the previous snapshot.
    out.issues.length = lineIssues;
    issue(null, '文件不是有效的 JSON', 'the file is not valid JSON');
    return { ...out, unusable: true, shipments: {} };
  }
  issue(1, '文件开头（设置）已损坏', 'the head of the file (the settings) is damaged');
  for (const line of bad) issue(line, '这一行已损坏，已跳过', 'this line is damaged and was skipped');
  return out;
}
