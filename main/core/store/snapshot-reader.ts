/**
 * Reads the snapshot written by serializeDb (a head line with the settings, then one record a
 * line, then the records' histories; record-line.ts) one line at a time, so that a damaged line
 * costs that line only: every line that does not parse or does not hold a sound record is
 * skipped and reported by file and line, and so is a record whose history fails its check. The
 * histories are not read here (lazy-history.ts): a scan beside the parse checks them
 * (history-scan.ts). Any other JSON (an older or hand-edited file) is parsed whole.
 */
import { crc32 } from 'node:zlib';
import type { Outage } from '../lifecycle.js';
import { lineFinder, scanHistoryLines, type ScanOptions, type ScannedHistories } from './history-scan.js';
import { placeHistory, type HistoryLayout } from './lazy-history.js';
import { identityFlaw, isJournal, recordFlaw } from './record-check.js';
import { HISTORIES_START, HISTORY_START, layoutOf, readHeadLine } from './record-line.js';
import type { RecoveryIssue } from './recovery-report.js';
import type { ShipmentRecord } from './schema.js';
import { SnapshotSource } from './snapshot-source.js';

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
  /** The open file the records' histories are read from, or null when none is (closed already). */
  source: SnapshotSource | null;
  /**
   * Records whose lines are sound but whose histories are damaged or gone, with none: skipped
   * (reported among the issues), kept here for recover.ts to use when nothing else has them.
   */
  withoutHistory: Record<string, ShipmentRecord>;
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

const HISTORY_OPENS = Buffer.from(HISTORY_START);
const startsHistory = (line: Buffer): boolean => line.length > HISTORY_OPENS.length && line.compare(HISTORY_OPENS, 0, HISTORY_OPENS.length, 0, HISTORY_OPENS.length) === 0;

/** Bytes read at a time: few reads, little read past the records into the histories. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Calls `onLine` with every line of the file (without its LF or CRLF) as bytes, read in chunks
 * and cut at newline bytes (a newline byte never occurs inside a UTF-8 character), until it
 * answers false. Measured at 30,000 parcels, readline over a stream spent as long in its
 * decoder, regex and events as JSON.parse did on the records.
 */
function eachLine(source: SnapshotSource, chunkBytes: number, onLine: (line: Buffer) => boolean): void {
  let buf = Buffer.allocUnsafe(chunkBytes);
  // buf[0] is at file offset `base`; bytes [0, kept) are the start of an unfinished line.
  let base = 0;
  let kept = 0;
  const emit = (from: number, to: number): boolean => onLine(buf.subarray(from, to > from && buf[to - 1] === 0x0d ? to - 1 : to));
  for (;;) {
    const got = source.readInto(buf, kept, buf.length - kept, base + kept);
    const end = kept + got;
    if (got === 0) {
      if (end > 0) emit(0, end);
      return;
    }
    let from = 0;
    for (let nl = buf.indexOf(0x0a, kept); nl >= 0 && nl < end; nl = buf.indexOf(0x0a, from)) {
      if (!emit(from, nl)) return;
      from = nl + 1;
    }
    // One line longer than the buffer: the buffer grows rather than the line being cut.
    const rest = end - from;
    const next = rest * 2 > buf.length ? Buffer.allocUnsafe(rest * 2) : buf;
    buf.copy(next, 0, from, end);
    buf = next;
    base += from;
    kept = rest;
  }
}

export interface ReadSnapshotOptions {
  /** Bytes read at a time (tests use small ones to split lines across reads). */
  chunkBytes?: number;
  /** How the histories are checked (tests run the worker on small files). */
  scan?: ScanOptions;
}

export async function readSnapshot(file: string, options: ReadSnapshotOptions = {}): Promise<SnapshotRead> {
  const out: SnapshotRead = { exists: true, settings: null, journal: null, walSeq: 0, shipments: {}, issues: [], unusable: false, source: null, withoutHistory: {} };
  const source = SnapshotSource.open(file);
  if (!source) return { ...out, exists: false };
  try {
    return await readFrom(source, file, out, options);
  } catch (e) {
    // The disk failed under the read (EIO): the file is as unusable as garbage would be, and
    // `.prev` and the log hold what it held (recover.ts). Anything else is a fault here, not
    // in the file, and must not set a sound file aside.
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (typeof code !== 'string') throw e;
    out.source = null;
    return { ...out, shipments: {}, settings: null, journal: null, issues: [{ file, line: null, reason: `文件无法读取（${code}）`, reasonEn: `the file could not be read (${code})` }], unusable: true };
  } finally {
    // Kept open only while a record reads its history from it.
    if (out.source !== source) source.close();
  }
}

async function readFrom(source: SnapshotSource, file: string, out: SnapshotRead, options: ReadSnapshotOptions): Promise<SnapshotRead> {
  // Started first: it runs beside the parse of the records.
  const scan = scanHistoryLines(source, options.scan);
  // Awaited below, unless the read of the records fails first (then its failure is that one).
  scan.catch(() => {});
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
  /** False when the record is not sound (reported). */
  const takeRecord = (key: string, value: unknown, line: number | null, historyChecked = false): boolean => {
    const flaw = recordFlaw(value, historyChecked);
    if (flaw) {
      issue(line, `记录 ${key} 已跳过：${flaw.reason}`, `record ${key} was skipped: ${flaw.reasonEn}`);
      return false;
    }
    const rec = value as ShipmentRecord;
    out.shipments[rec.id] = rec;
    return true;
  };
  /** Records whose histories are checked once the scan is done. */
  const placed: { key: string; value: unknown; layout: HistoryLayout; line: number | null }[] = [];
  /** One `"id":{…},` line; false when it is not one. */
  const takeRecordLine = (bytes: Buffer, line: number): boolean => {
    const values = readHeadLine(bytes);
    if (!values) return false;
    for (const v of values) {
      if (v.layout) placed.push({ key: v.key, value: v.value, layout: v.layout, line });
      else takeRecord(v.key, v.value, line);
    }
    return true;
  };
  const historyLost = (key: string, value: unknown, line: number | null): void => {
    issue(line, `记录 ${key} 的物流记录已损坏，已跳过`, `the scan history of record ${key} is damaged; the record was skipped`);
    const rec = isObj(value) ? { ...value, events: [], destEvents: null, predictedRoute: null } : null;
    if (rec && !recordFlaw(rec)) out.withoutHistory[key] = rec as unknown as ShipmentRecord;
  };
  const takePlaced = (scanned: ScannedHistories): void => {
    const find = lineFinder(scanned);
    for (const p of placed) {
      const at = find(p.layout.b, p.layout.c);
      if (at === undefined) {
        historyLost(p.key, p.value, p.line);
        continue;
      }
      if (!takeRecord(p.key, p.value, p.line, true)) continue;
      placeHistory(p.value as object, { source, at, layout: p.layout });
      out.source = source;
    }
  };

  let n = 0;
  let lineMode = false;
  let ended = false;
  let lastLine = 0;
  let histories = false;
  const other: Buffer[] = [];
  const onLine = (bytes: Buffer): boolean => {
    n += 1;
    if (n === 1) {
      // A byte-order mark (Windows Notepad saves one) must not cost the head line and its settings.
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      if (text.endsWith(HEAD_END)) {
        lineMode = true;
        takeHead(parse(`${text}}}`), 1);
        return true;
      }
      other.push(Buffer.from(text));
      return true;
    }
    if (!lineMode) {
      other.push(Buffer.from(bytes));
      return true;
    }
    if (bytes.length === 0) return true;
    lastLine = n;
    if (bytes.length === 2 && bytes[0] === 0x7d && bytes[1] === 0x7d) {
      ended = true;
      return true;
    }
    if (!ended && (bytes.toString('latin1') === HISTORIES_START || startsHistory(bytes))) {
      // The rest of the file is histories: the scan reads them, not this. (Without the line
      // that opens them, damaged and reported as the line before, at the first history.)
      histories = true;
      return false;
    }
    if (ended || !takeRecordLine(bytes, n)) issue(n, '这一行已损坏，已跳过', 'this line is damaged and was skipped');
    return true;
  };
  eachLine(source, options.chunkBytes ?? CHUNK_BYTES, onLine);
  const scanned = await scan;
  if (lineMode) {
    takePlaced(scanned);
    if (histories ? !scanned.complete : !ended) issue(lastLine || n, '文件不完整（结尾被截断）', 'the file is incomplete (its end was cut off)');
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
    // Reformatted by hand: each history is found as the line format finds it, by its length and
    // CRC-32 (JSON.stringify gives back the bytes a snapshot wrote, whatever the indentation),
    // not by its order: a history deleted or moved must not hand its neighbours' to a record.
    const byCheck = new Map<string, Obj>();
    for (const h of Array.isArray(whole.$histories) ? (whole.$histories as unknown[]) : []) {
      if (!isObj(h)) continue;
      const bytes = Buffer.from(JSON.stringify(h));
      byCheck.set(`${bytes.length}:${crc32(bytes)}`, h);
    }
    if (isObj(whole.shipments)) {
      for (const [key, value] of Object.entries(whole.shipments)) {
        if (!isObj(value) || !('$h' in value)) {
          takeRecord(key, value, null);
          continue;
        }
        const { $h, ...rec } = value;
        const layout = layoutOf($h);
        const found = layout ? byCheck.get(`${layout.b}:${layout.c}`) : undefined;
        if (!found) {
          historyLost(key, rec, null);
          continue;
        }
        const { $p: _places, ...history } = found;
        takeRecord(key, { ...rec, ...history }, null);
      }
    } else if (whole.shipments !== undefined) issue(null, 'shipments 不是对象，已忽略', 'shipments is not an object and was left out');
    return out;
  }
  // The head line is damaged: the record lines after it may still be intact.
  const bad: number[] = [];
  const lineIssues = out.issues.length;
  const historiesAt = texts.indexOf(HISTORIES_START);
  texts.forEach((text, i) => {
    if (i === 0 || text === '' || text === '}}' || (historiesAt >= 0 && i >= historiesAt) || text.startsWith(HISTORY_START)) return;
    if (!takeRecordLine(other[i]!, i + 1)) bad.push(i + 1);
  });
  takePlaced(scanned);
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
