/// <reference lib="dom" />
/**
 * `npm run bench`: ingest throughput, acknowledgement latency, bytes written per push and peak
 * RSS of the real callback server against a naive lowdb-per-push baseline, at N = 1,000 and
 * 5,000 shipments in flight; the core's cold start; the renderer with 5,000 parcels.
 * All traffic stays on 127.0.0.1. Figures go to stdout (and bench-results.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import type { TrackingEventDto } from '../preload/contract.js';
import { event, makeStore, pushBody, rng } from './fixtures.js';
import { startServe, stopServe } from './serve-app.js';
import { benchImport, printImportBench } from './import.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);

interface Ready {
  url: string;
  statsPort: number;
  coldStartMs: number;
  rssAfterLoad: number;
  shipments: number;
}

function startServer(mode: 'core' | 'naive', dir: string): Promise<{ proc: ChildProcess; ready: Ready }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'server.mjs'), mode, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ proc, ready: JSON.parse(line) as Ready });
    });
    proc.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** Bytes the process has written through write(2) so far (Linux). */
function wchar(pid: number): number {
  try {
    return Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface RunResult {
  pushes: number;
  pushesPerSec: number;
  p50: number;
  p99: number;
  bytesPerPush: number;
  peakRssMb: number;
  coldStartMs: number;
  rssAfterLoadMb: number;
  errors: number;
}

async function runLoad(mode: 'core' | 'naive', n: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), `parceltray-bench-${mode}-`));
  const records = makeStore(dir, n);
  const histories = records.map((r) => [...r.events]);
  const { proc, ready } = await startServer(mode, dir);
  const rand = rng(7);
  let clock = Date.now();
  const latencies: number[] = [];
  let errors = 0;
  const before = wchar(proc.pid!);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = Math.floor(rand() * records.length);
      // every push carries the full history plus one new scan, newest first
      const history: TrackingEventDto[] = [event((clock += 1000), histories[i]!.length, rand), ...histories[i]!];
      histories[i] = history;
      const body = pushBody(records[i]!.number, 'yuantong', history);
      const t = performance.now();
      try {
        const res = await fetch(ready.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        await res.text();
        if (res.status === 200) latencies.push(performance.now() - t);
        else errors += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const written = wchar(proc.pid!) - before;
  const stats = (await (await fetch(`http://127.0.0.1:${ready.statsPort}/`)).json()) as { maxRssKb: number };
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    pushes: latencies.length,
    pushesPerSec: latencies.length / elapsed,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    bytesPerPush: written / Math.max(1, latencies.length),
    peakRssMb: stats.maxRssKb / 1024,
    coldStartMs: ready.coldStartMs,
    rssAfterLoadMb: ready.rssAfterLoad / 2 ** 20,
    errors,
  };
}

async function rendererBench(n: number): Promise<{ firstRenderMs: number; searchMedianMs: number; searchMaxMs: number; listBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'parceltray-bench-ui-'));
  makeStore(dir, n);
  const app = await startServe(dir);
  const { ui: url, token } = app;
  // The first request also warms the server's JIT; the app's core runs long before a window opens.
  const listBytes = (await (await fetch(new URL('/api/shipments', url), { headers: { authorization: `Bearer ${token}` } })).arrayBuffer()).byteLength;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Noted in the page, every frame, the moment rows and the full count are on screen:
    // asking from outside would wait behind whatever the page does next.
    await page.addInitScript((count) => {
      const check = (): void => {
        const shown = document.querySelector('[data-testid="tab-all"] .count')?.textContent === String(count) && document.querySelector('[data-testid="parcel-row"]');
        // window.performance: a bare `performance` is renamed by the bundler to the Node import's name.
        if (shown) (window as unknown as { __firstRender: number }).__firstRender = window.performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, n);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __firstRender?: number }).__firstRender !== undefined, undefined, { timeout: 60_000 });
    const firstRenderMs = await page.evaluate(() => (window as unknown as { __firstRender: number }).__firstRender);
    // Search is measured once every parcel is loaded (the first screen comes first).
    await page.waitForSelector('[data-testid="parcel-list"][data-complete="true"]', { timeout: 60_000 });
    // Keystrokes in the search box: from the input event to the next frame, in the page.
    const times = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const out: number[] = [];
      for (const q of ['客', '客户', '客户 1', '客户 12', '客户 123', '客户 12', '客户 1', '客户', '客', '', '9', '90', '900', '9000', '90000', '9000', '900', '90', '9', '']) {
        const t = window.performance.now();
        setter.call(input, q);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(window.performance.now() - t);
      }
      return out;
    });
    times.sort((a, b) => a - b);
    return { firstRenderMs, searchMedianMs: pct(times, 50), searchMaxMs: times.at(-1)!, listBytes };
  } finally {
    await browser.close();
    await stopServe(app);
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

const results: Record<string, unknown> = { date: new Date().toISOString(), concurrency: CONCURRENCY, seconds: SECONDS, node: process.version };
// Issue 13: a 10,000-row marketplace export must preview in under 2 s.
const importBench = await benchImport(10_000);
results.import = importBench;
printImportBench(importBench);
console.log('');
console.log(`ParcelTray ingest benchmark — ${SECONDS} s per run, concurrency ${CONCURRENCY}, loopback only\n`);
console.log('| N | server | pushes/s | p50 ms | p99 ms | bytes written/push | peak RSS MB |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const ONLY_RENDERER = process.env.BENCH_ONLY === 'renderer';
for (const n of ONLY_RENDERER ? [] : SIZES) {
  const core = await runLoad('core', n);
  const naive = await runLoad('naive', n);
  results[`n${n}`] = { core, naive, ratio: core.pushesPerSec / naive.pushesPerSec };
  for (const [name, r] of [['ParcelTray core', core], ['naive lowdb per push', naive]] as const) {
    console.log(`| ${n} | ${name} | ${f(r.pushesPerSec, 1)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.bytesPerPush)} | ${f(r.peakRssMb, 1)} |${r.errors ? ` (${r.errors} errors)` : ''}`);
  }
  console.log(`| ${n} | ratio | ${f(core.pushesPerSec / naive.pushesPerSec, 1)}× | | | | |`);
}
const last = results[`n${SIZES.at(-1)}`] as { core: RunResult } | undefined;
if (last) console.log(`\nCore cold start with ${SIZES.at(-1)} shipments: ${f(last.core.coldStartMs)} ms; RSS after loading: ${f(last.core.rssAfterLoadMb, 1)} MB`);
const ui = await rendererBench(SIZES.at(-1)!);
results.renderer = ui;
console.log(`Renderer with ${SIZES.at(-1)} parcels (Chromium): first render ${f(ui.firstRenderMs)} ms (list payload ${f(ui.listBytes / 2 ** 20, 1)} MB); search keystroke median ${f(ui.searchMedianMs, 1)} ms, max ${f(ui.searchMaxMs, 1)} ms`);
writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
