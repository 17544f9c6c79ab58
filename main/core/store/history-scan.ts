/**
 * Where each history line of a snapshot lies, how long it is and its CRC-32 (record-line.ts
 * describes the layout): read at start to check every history against its record's `$h` before
 * the store is used, so that a damaged history costs its record's line there, where recover.ts
 * can still take the record from `.prev` and the log — as when every line was parsed.
 *
 * For a large snapshot this runs in a worker thread, on the second core, while the main thread
 * parses the records (the histories are nine tenths of the file: reading and summing them on the
 * main thread took ~150 ms of a 30,000-parcel start). The scan is one self-contained function
 * (its source is what the worker runs), with the modules it needs passed in.
 */
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { HISTORIES_START, HISTORY_START } from './record-line.js';
import type { SnapshotSource } from './snapshot-source.js';

export interface ScannedHistories {
  /** Per history line: its offset in the file, its length (without comma and newline) and CRC-32. */
  offsets: Float64Array;
  lengths: Float64Array;
  crcs: Float64Array;
  /** The section ended with its `]}` line (the file was not cut short). */
  complete: boolean;
}

interface ScanDeps {
  openSync: (path: string, flags: 'r') => number;
  readSync: (fd: number, buffer: Buffer, offset: number, length: number, position: number) => number;
  closeSync: (fd: number) => void;
  crc32: typeof crc32;
}

/** Larger files are scanned in a worker: starting one costs ~30 ms of the other core. */
const WORKER_FROM_BYTES = 16 * 1024 * 1024;

// Self-contained (no outer names, no inner functions): its source text runs in the worker.
// The histories are the lines after `marker`, or from the first line that begins `lineStart`
// (a history's own start) when the marker line is damaged.
function scanHistories(path: string, marker: string, lineStart: string, d: ScanDeps): ScannedHistories {
  const fd = d.openSync(path, 'r');
  const chunk = 16 * 1024 * 1024;
  const mark = Buffer.from(marker);
  const opens = Buffer.from(lineStart);
  const offsets: number[] = [];
  const lengths: number[] = [];
  const crcs: number[] = [];
  let start = -1;
  let complete = false;
  let buf = Buffer.allocUnsafe(chunk);
  // buf[0] is at file offset `base`; bytes [0, kept) are the start of an unfinished line.
  let base = 0;
  let kept = 0;
  try {
    for (;;) {
      const got = d.readSync(fd, buf, kept, buf.length - kept, base + kept);
      const end = kept + got;
      let from = 0;
      for (let nl = buf.indexOf(0x0a, kept); nl >= 0 && nl < end; nl = buf.indexOf(0x0a, from)) {
        let to = nl > from && buf[nl - 1] === 0x0d ? nl - 1 : nl;
        const history = to - from > opens.length && buf.compare(opens, 0, opens.length, from, from + opens.length) === 0;
        if (start < 0 && !history) {
          if (to - from === mark.length && buf.compare(mark, 0, mark.length, from, to) === 0) start = base + nl + 1;
        } else if (to - from === 2 && buf[from] === 0x5d && buf[from + 1] === 0x7d) {
          complete = true;
        } else if (!complete) {
          if (start < 0) start = base + from;
          if (to > from && buf[to - 1] === 0x2c) to -= 1;
          offsets.push(base + from);
          lengths.push(to - from);
          crcs.push(d.crc32(buf.subarray(from, to)));
        }
        from = nl + 1;
      }
      if (got === 0) {
        // A last line without a newline: a file cut short.
        if (start >= 0 && end > from && !complete) {
          offsets.push(base + from);
          lengths.push(end - from);
          crcs.push(d.crc32(buf.subarray(from, end)));
        }
        break;
      }
      const rest = end - from;
      const next = rest * 2 > chunk ? Buffer.allocUnsafe(rest * 2) : buf;
      buf.copy(next, 0, from, end);
      buf = next;
      base += from;
      kept = rest;
    }
  } finally {
    d.closeSync(fd);
  }
  return { offsets: Float64Array.from(offsets), lengths: Float64Array.from(lengths), crcs: Float64Array.from(crcs), complete };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { crc32 } = require('node:zlib');
const scan = ${scanHistories.toString()};
// The file the main thread reads, not one renamed over its name since (then: not scanned here).
const openSync = (path, flags) => {
  const fd = fs.openSync(path, flags);
  const s = fs.fstatSync(fd, { bigint: true });
  if (s.dev + ':' + s.ino === workerData.file) return fd;
  fs.closeSync(fd);
  throw new Error(path + ' was replaced since it was opened');
};
const r = scan(workerData.path, ${JSON.stringify(HISTORIES_START)}, ${JSON.stringify(HISTORY_START)}, { openSync, readSync: fs.readSync, closeSync: fs.closeSync, crc32 });
parentPort.postMessage(r, [r.offsets.buffer, r.lengths.buffer, r.crcs.buffer]);
`;

/**
 * The same scan over a file already open, read through `readInto` (a snapshot file the running
 * store looks a history up in when it is no longer where it was: lazy-history.ts).
 */
export function scanOpenFile(readInto: (buf: Buffer, offset: number, length: number, at: number) => number): ScannedHistories {
  return scanHistories('', HISTORIES_START, HISTORY_START, { openSync: () => -1, readSync: (_fd, buf, offset, length, at) => readInto(buf, offset, length, at), closeSync: () => {}, crc32 });
}

/**
 * Where the history line of this length and CRC-32 starts, if the file has one: a history is
 * found by its check, not its order (byte-identical histories may share a line).
 */
export function lineFinder(scanned: ScannedHistories): (length: number, crc: number) => number | undefined {
  const byCrc = new Map<number, number[]>();
  scanned.crcs.forEach((c, i) => {
    const same = byCrc.get(c);
    if (same) same.push(i);
    else byCrc.set(c, [i]);
  });
  return (length, crc) => {
    const i = byCrc.get(crc)?.find((j) => scanned.lengths[j] === length);
    return i === undefined ? undefined : scanned.offsets[i];
  };
}

export interface ScanOptions {
  /** Use a worker thread from this file size (tests set 0 to run it on a small file). */
  workerFromBytes?: number;
}

/**
 * Scans the open file for its history lines. A large file is scanned in a worker, beside
 * whatever the caller does next; it opens the file by name, and scans it only if it is the same
 * file. A small one is scanned here and now.
 */
export function scanHistoryLines(source: SnapshotSource, options: ScanOptions = {}): Promise<ScannedHistories> {
  const inThread = (): Promise<ScannedHistories> => new Promise((resolve) => resolve(scanOpenFile((buf, offset, length, at) => source.readInto(buf, offset, length, at))));
  if (source.size < (options.workerFromBytes ?? WORKER_FROM_BYTES)) return inThread();
  return new Promise<ScannedHistories>((resolve, reject) => {
    let settled = false;
    const done = (r: ScannedHistories): void => {
      settled = true;
      resolve(r);
    };
    // No worker threads here, or the worker failed or ended without an answer: the same scan on this thread.
    const fallBack = (): void => {
      if (settled) return;
      settled = true;
      inThread().then(resolve, reject);
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: source.path, file: source.fileId } });
    } catch {
      fallBack();
      return;
    }
    worker.once('message', done);
    worker.once('error', fallBack);
    // After its answer (a worker's messages come before its exit) this does nothing.
    worker.once('exit', fallBack);
  });
}
