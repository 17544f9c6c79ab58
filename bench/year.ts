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
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import type { TrackingEventDto } from '../preload/contract.js';
import type { ShipmentRecord } from '../main/core/store/schema.js';
import { BENCH_SALT, BENCH_SECRET } from './fixtures.js';
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
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
    const raw = JSON.stringify({ status: 'polling', billstatus: 'got', message: '', lastResult: { message: 'ok', nu: r.number, ischeck: '0', com: r.company, status: '200', state: '0', condition: '00', data: history } });
    const body = new URLSearchParams({ param: raw, sign: createHash('md5').update(raw + BENCH_SALT).digest('hex').toUpperCase() }).toString();
    try {
      const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      await res.text();
      return res.ok;
    } catch {
      return false;
    }
  }
}

interface App {
  proc: ChildProcess;
  ui: string;
  token: string;
  startMs: number;
}

async function startApp(dir: string, callbackPort: number): Promise<App> {
  const t = performance.now();
  const proc = spawn(process.execPath, ['dist/main/serve.js', '--data-dir', dir, '--port', '0', '--callback-port', String(callbackPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ui = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /UI: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { proc, ui, token: new URLSearchParams(new URL(ui).hash.slice(1)).get('token')!, startMs: performance.now() - t };
}

async function api(app: App, path: string): Promise<{ ms: number; body: unknown }> {
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

/** The window under 50 pushes/s: longest main-thread task and total busy time, seen by the page. */
async function windowUnderLoad(app: App, pusher: Pusher): Promise<{ longestTaskMs: number; busyMs: number; tasks: number; firstRowsMs: number; frozen: boolean; updates: number }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const t = performance.now();
    await page.goto(app.ui);
    await page.waitForSelector('[data-testid="parcel-row"]', { timeout: 120_000 });
    const firstRowsMs = performance.now() - t;
    await page.waitForSelector('[data-testid="parcel-list"][data-complete="true"]', { timeout: 300_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __tasks: number[]; __updates: number };
      w.__tasks = [];
      w.__updates = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__tasks.push(e.duration);
      }).observe({ type: 'longtask' });
      // No long task means nothing only if the window kept up: count the list's repaints too.
      new MutationObserver(() => void (w.__updates += 1)).observe(document.querySelector('[data-testid="parcel-list"]')!, { subtree: true, childList: true, characterData: true });
    });
    const total = WINDOW_SECONDS * EVENTS_PER_SECOND;
    const inflight: Promise<boolean>[] = [];
    const started = performance.now();
    for (let k = 0; k < total; k++) {
      const due = started + (k * 1000) / EVENTS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(pusher.push());
    }
    await Promise.all(inflight);
    // The events already sent still reach the page; a window frozen longer than the cap is
    // reported as frozen for at least that long (the bench must end in minutes).
    const read = page.evaluate(async () => {
      await new Promise((r) => setTimeout(() => requestAnimationFrame(r), 1000));
      const w = window as unknown as { __tasks: number[]; __updates: number };
      return { tasks: w.__tasks, updates: w.__updates };
    });
    const cap = new Promise<null>((r) => setTimeout(() => r(null), FROZEN_CAP_MS));
    const seen = await Promise.race([read, cap]);
    if (!seen) {
      read.catch(() => undefined);
      const frozenMs = performance.now() - started;
      return { longestTaskMs: frozenMs, busyMs: frozenMs, tasks: -1, firstRowsMs, frozen: true, updates: -1 };
    }
    const { tasks, updates } = seen;
    return { longestTaskMs: Math.max(0, ...tasks), busyMs: tasks.reduce((a, b) => a + b, 0), tasks: tasks.length, firstRowsMs, frozen: false, updates };
  } finally {
    await browser.close();
  }
}

async function stopApp(app: App): Promise<number> {
  const t = performance.now();
  const exited = new Promise((r) => app.proc.once('exit', r));
  app.proc.kill('SIGTERM');
  await exited;
  return performance.now() - t;
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
    const app = await startApp(dir, callbackPort);
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

      const win = await windowUnderLoad(app, pusher);
      const rssEndMb = procStatusKb(pid, 'VmRSS') / 1024;
      const stopMs = await stopApp(app);

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
