/**
 * Reads the snapshot written by serializeDb (a head line with the settings, then one record a
 * line) one line at a time, so that loading thousands of shipments never holds the whole file
 * as one string, and so that a damaged line costs that line only: every line that does not
 * parse or does not hold a sound record is skipped and reported by file and line. Any other
 * JSON (an older or hand-edited file) is parsed whole.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Outage } from '../lifecycle.js';
import { isMissing } from './fs-port.js';
import { identityFlaw, isJournal, recordFlaw } from './record-check.js';
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

export async function readSnapshot(file: string): Promise<SnapshotRead> {
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
  const takeRecord = (key: string, value: unknown, line: number | null): void => {
    const flaw = recordFlaw(value);
    if (flaw) {
      issue(line, `记录 ${key} 已跳过：${flaw.reason}`, `record ${key} was skipped: ${flaw.reasonEn}`);
      return;
    }
    const rec = value as ShipmentRecord;
    out.shipments[rec.id] = rec;
  };
  /** One `"id":{…},` line; false when it is not one. */
  const takeRecordLine = (text: string, line: number): boolean => {
    const parsed = parse(`{${text.endsWith(',') ? text.slice(0, -1) : text}}`);
    if (!isObj(parsed)) return false;
    for (const [key, value] of Object.entries(parsed)) takeRecord(key, value, line);
    return true;
  };

  let stream;
  try {
    stream = createReadStream(file, 'utf8');
    await new Promise<void>((resolve, reject) => stream!.once('open', () => resolve()).once('error', reject));
  } catch (e) {
    if (isMissing(e)) return { ...out, exists: false };
    throw e;
  }
  // Streamed: only a 64 kB chunk and one line are in memory at a time (a whole-file Buffer
  // measured 45 MB more peak RSS at 5,000 shipments).
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  let lineMode = false;
  let ended = false;
  let lastLine = 0;
  const other: string[] = [];
  for await (const raw of lines) {
    n += 1;
    // A byte-order mark (Windows Notepad saves one) must not cost the head line and its settings.
    const text = n === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (n === 1 && text.endsWith(HEAD_END)) {
      lineMode = true;
      takeHead(parse(`${text}}}`), 1);
      continue;
    }
    if (!lineMode) {
      other.push(text);
      continue;
    }
    if (text === '') continue;
    lastLine = n;
    if (text === '}}') {
      ended = true;
      continue;
    }
    if (ended || !takeRecordLine(text, n)) issue(n, '这一行已损坏，已跳过', 'this line is damaged and was skipped');
  }
  if (lineMode) {
    if (!ended) issue(lastLine || n, '文件不完整（结尾被截断）', 'the file is incomplete (its end was cut off)');
    return out;
  }
  // Not the line format: an older or hand-edited file, or one whose head line is damaged.
  if (other.every((l) => l.trim() === '')) {
    issue(null, '文件是空的', 'the file is empty');
    return { ...out, unusable: true };
  }
  const whole = parse(other.join('\n'));
  if (isObj(whole)) {
    takeHead(whole, null);
    if (isObj(whole.shipments)) for (const [key, value] of Object.entries(whole.shipments)) takeRecord(key, value, null);
    else if (whole.shipments !== undefined) issue(null, 'shipments 不是对象，已忽略', 'shipments is not an object and was left out');
    return out;
  }
  // The head line is damaged: the record lines after it may still be intact.
  const bad: number[] = [];
  const lineIssues = out.issues.length;
  other.forEach((text, i) => {
    if (i === 0 || text === '' || text === '}}') return;
    if (!takeRecordLine(text, i + 1)) bad.push(i + 1);
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
