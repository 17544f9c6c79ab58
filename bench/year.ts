/// <reference lib="dom" />
/**
 * `npm run bench -- --scenario year`: a year of a busy seller (issue 15). Per N active parcels
 * (9,000 and 30,000; BENCH_YEAR_SIZES to change) beside 100,000 archived ones, against the
 * headless app (`dist/main/serve.js`, the same core the tray runs):
 *   start → UI line; RSS after the first full list; peak RSS in a push storm (32 at a time);
 *   the first and a later archive search (含归档) over the HTTP API and RSS after them; opening
 *   an archived parcel; the window in Chromium under 50 pushes/s (longest main-thread task,
 *   PerformanceObserver 'longtask'); the clean stop (SIGTERM → exit).
 * Prints a table and one `BENCH_YEAR {json}` line per N.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TrackingEventDto } from '../preload/contract.js';
import type { ShipmentRecord } from '../main/core/store/schema.js';
import { BENCH_SECRET, pushBody } from './fixtures.js';
import { freePort, startServe, stopServe, type ServeApp } from './serve-app.js';
import { measureWindow } from './window-longtask.js';
import { makeActiveStore, makeArchive, YEAR_ARCHIVED } from './year-data.js';

/** `--active 9000,30000` and `--archived 100000` (quick runs while iterating take smaller ones). */
const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const SIZES = (flag('active') ?? process.env.BENCH_YEAR_SIZES ?? '9000,30000').split(',').map(Number);
const ARCHIVED = Number(flag('archived') ?? YEAR_ARCHIVED);
const STORM_SECONDS = Number(process.env.BENCH_STORM_SECONDS ?? 6);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 10);
const EVENTS_PER_SECOND = 50;
/** Past this the window counts as frozen and the bench moves on. */
const FROZEN_CAP_MS = Number(process.env.BENCH_FROZEN_CAP_MS ?? 60_000);

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const ms = (x: number): number => Math.round(x * 10) / 10;

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}

/** Pushes one new scan to a parcel, signed as Kuaidi100 signs it (the full history plus the scan). */
class Pusher {
  readonly #histories: TrackingEventDto[][];
  #clock = Date.now();
  #next = 0;
  constructor(
    readonly url: string,
    readonly records: readonly ShipmentRecord[],
  ) {
    this.#histories = records.map((r) => r.events);
  }

  async push(): Promise<boolean> {
    const i = this.#next++ % this.records.length;
    const r = this.records[i]!;
    const time = new Date((this.#clock += 1000) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const scan: TrackingEventDto = { ...this.#histories[i]![0]!, time, ftime: time, context: `【杭州市】 快件已到达【杭州转运中心】，正在分拣中（第 ${this.#next} 次）` };
    const history = [scan, ...this.#histories[i]!];
    this.#histories[i] = history;
    try {
      const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: pushBody(r.number, r.company, history) });
      await res.text();
      return res.ok;
    } catch {
      return false;
    }
  }
}

async function api(app: ServeApp, path: string): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(new URL(path, app.ui), { headers: { authorization: `Bearer ${app.token}` } });
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms: performance.now() - t, body };
}

/** Pushes 32 at a time for `seconds`; how many were stored, and each push's round trip (a snapshot must not stall them). */
async function storm(pusher: Pusher, seconds: number, concurrency: number): Promise<{ done: number; latencies: number[] }> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        if (await pusher.push()) done += 1;
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { done, latencies };
}

// ---- the run -------------------------------------------------------------------------------

console.log(`ParcelTray "a year of parcels" — ${ARCHIVED.toLocaleString('en')} archived + N active, 15–20 scans each\n`);
const root = mkdtempSync(join(tmpdir(), 'parceltray-bench-year-'));
try {
  const template = join(root, 'archive-template');
  const made = await makeArchive(template, ARCHIVED);
  const archiveBytes = dirBytes(template);
  console.log(`Archive of ${made.ids.length.toLocaleString('en')} parcels written in ${(made.ms / 1000).toFixed(1)} s: ${mb(archiveBytes)} MB on disk (index ${mb(statSync(join(template, 'index.tsv')).size)} MB)\n`);

  const rows: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    const dir = join(root, `n${n}`);
    const active = makeActiveStore(dir, n);
    cpSync(template, join(dir, 'archive'), { recursive: true });
    const callbackPort = await freePort();
    const app = await startServe(dir, { callbackPort });
    const pid = app.proc.pid!;
    try {
      const list = await api(app, '/api/shipments');
      const activeCount = (list.body as unknown[]).length;
      const rssAfterListMb = procStatusKb(pid, 'VmRSS') / 1024;

      const pusher = new Pusher(`http://127.0.0.1:${callbackPort}/kuaidi100/callback/${BENCH_SECRET}`, active);
      const stormRun = await storm(pusher, STORM_SECONDS, 32);
      const stormPushes = stormRun.done;
      const stormPeakRssMb = procStatusKb(pid, 'VmHWM') / 1024;

      // What a seller types with 含归档 ticked: a buyer, a goods word in the note, an order number.
      const cold = await api(app, `/api/shipments?archived=1&q=${encodeURIComponent('蓝牙耳机')}&limit=200`);
      const warm: number[] = [];
      for (const q of ['王**', made.numbers[12_345 % made.numbers.length]!.slice(0, 8), '保温杯', '顺丰', made.numbers[77_777 % made.numbers.length]!]) {
        warm.push((await api(app, `/api/shipments?archived=1&q=${encodeURIComponent(q)}&limit=200`)).ms);
      }
      warm.sort((a, b) => a - b);
      const rssAfterArchiveSearchMb = procStatusKb(pid, 'VmRSS') / 1024;
      const archivedHits = (cold.body as { archived?: boolean }[]).filter((s) => s.archived).length;
      const open = await api(app, `/api/shipments/${made.ids[54_321 % made.ids.length]!}`);
      const openedEvents = (open.body as { events: unknown[] }).events.length;

      const win = await measureWindow({ url: app.ui, eventsPerSecond: EVENTS_PER_SECOND, seconds: WINDOW_SECONDS, emit: () => pusher.push(), frozenCapMs: FROZEN_CAP_MS });
      const rssEndMb = procStatusKb(pid, 'VmRSS') / 1024;
      const stopMs = await stopServe(app);

      const row = {
        activeCount,
        archivedCount: made.ids.length,
        archiveBytes,
        archiveWriteMs: ms(made.ms),
        startMs: ms(app.startMs),
        rssAfterListMb: ms(rssAfterListMb),
        stormPushes,
        stormPeakRssMb: ms(stormPeakRssMb),
        stormPushMedianMs: ms(stormRun.latencies[Math.floor(stormRun.latencies.length / 2)] ?? 0),
        stormPushMaxMs: ms(stormRun.latencies.at(-1) ?? 0),
        archiveSearchColdMs: ms(cold.ms),
        archiveSearchWarmMs: ms(warm[Math.floor(warm.length / 2)]!),
        archiveSearchWarmMaxMs: ms(warm.at(-1)!),
        archiveSearchHits: archivedHits,
        rssAfterArchiveSearchMb: ms(rssAfterArchiveSearchMb),
        archivedOpenColdMs: ms(open.ms),
        archivedOpenEvents: openedEvents,
        windowFirstRowsMs: ms(win.firstRowsMs),
        windowLongestTaskMs: ms(win.longestTaskMs),
        windowBusyMs: ms(win.busyMs),
        windowFrozen: win.frozen,
        windowListUpdates: win.updates,
        windowSeconds: WINDOW_SECONDS,
        rssEndMb: ms(rssEndMb),
        stopMs: ms(stopMs),
      };
      rows.push(row);
      console.log(`BENCH_YEAR ${JSON.stringify(row)}`);
    } finally {
      if (app.proc.exitCode === null) app.proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const line = (label: string, f: (r: Record<string, unknown>) => string): void => console.log(`| ${label} | ${rows.map(f).join(' | ')} |`);
  console.log(`\n| | ${rows.map((r) => `${Number(r.activeCount).toLocaleString('en')} active`).join(' | ')} |`);
  console.log(`|---|${rows.map(() => '---').join('|')}|`);
  line('start → UI line', (r) => `${(Number(r.startMs) / 1000).toFixed(2)} s`);
  line('memory after the first list', (r) => `${Math.round(Number(r.rssAfterListMb))} MB`);
  line('peak memory in a push storm (32 at a time)', (r) => `${Math.round(Number(r.stormPeakRssMb))} MB`);
  line('first search with 含归档', (r) => `${Math.round(Number(r.archiveSearchColdMs))} ms (later ${Math.round(Number(r.archiveSearchWarmMs))} ms)`);
  line('memory after it', (r) => `${Math.round(Number(r.rssAfterArchiveSearchMb))} MB`);
  line('opening an archived parcel', (r) => `${Math.round(Number(r.archivedOpenColdMs))} ms`);
  line(`window under ${EVENTS_PER_SECOND} pushes/s`, (r) => (r.windowFrozen ? `frozen ≥ ${(Number(r.windowLongestTaskMs) / 1000).toFixed(0)} s` : `longest task ${Math.round(Number(r.windowLongestTaskMs))} ms, busy ${(Number(r.windowBusyMs) / 1000).toFixed(1)} of ${WINDOW_SECONDS} s`));
  line('clean stop', (r) => `${(Number(r.stopMs) / 1000).toFixed(2)} s`);
  line('archive on disk', (r) => `${mb(Number(r.archiveBytes))} MB`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
