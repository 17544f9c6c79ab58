/// <reference lib="dom" />
/**
 * The window under a stream of change events: the longest main-thread task Chromium reports
 * (PerformanceObserver 'longtask') while `eventsPerSecond` events arrive for `seconds`, the
 * total busy time, and how often the list repainted meanwhile (no long task means something
 * only if the window kept up). A function, not a test: `npm run bench -- --scenario year` calls
 * it per N (issue 15); `bench/window.ts` runs it alone. Events come from `emit` (e.g. a signed
 * push to the callback URL); without one, a new waybill is added over the HTTP API each tick.
 */
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';

export interface WindowLoad {
  /** The UI address the server printed (with #token=…). */
  url: string;
  eventsPerSecond: number;
  seconds: number;
  /** Causes one change event in the core. */
  emit?: (k: number) => Promise<unknown>;
  viewport?: { width: number; height: number };
  /** How long the last events and the page's throttled refetch get to land before reading. */
  settleMs?: number;
  /** A window busy longer than this is reported as frozen (the bench must end in minutes). */
  frozenCapMs?: number;
}

export interface WindowMeasure {
  longestTaskMs: number;
  busyMs: number;
  /** Long tasks seen; -1: frozen. */
  tasks: number;
  /** Navigation → the first rows on screen. */
  firstRowsMs: number;
  frozen: boolean;
  /** The list's repaints while the events arrived; -1: frozen. */
  updates: number;
}

export async function measureWindow(load: WindowLoad): Promise<WindowMeasure> {
  const token = new URLSearchParams(new URL(load.url).hash.slice(1)).get('token') ?? '';
  const emit =
    load.emit ??
    ((k: number) =>
      fetch(new URL('/api/shipments', load.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ number: `ZT${String(7_100_000_000_000 + k)}`, company: 'zhongtong' }),
      }).then((r) => r.text()));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: load.viewport ?? { width: 1280, height: 800 } });
    const t = performance.now();
    await page.goto(load.url);
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
      new MutationObserver(() => void (w.__updates += 1)).observe(document.querySelector('[data-testid="parcel-list"]')!, { subtree: true, childList: true, characterData: true });
    });
    const total = Math.round(load.seconds * load.eventsPerSecond);
    const inflight: Promise<unknown>[] = [];
    const started = performance.now();
    for (let k = 0; k < total; k++) {
      const wait = started + (k * 1000) / load.eventsPerSecond - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(emit(k).catch(() => undefined));
    }
    await Promise.all(inflight);
    const read = page.evaluate(async (settleMs) => {
      await new Promise((r) => setTimeout(() => requestAnimationFrame(r), settleMs));
      const w = window as unknown as { __tasks: number[]; __updates: number };
      return { tasks: w.__tasks, updates: w.__updates };
    }, load.settleMs ?? 1000);
    const cap = new Promise<null>((r) => setTimeout(() => r(null), load.frozenCapMs ?? 60_000));
    const seen = await Promise.race([read, cap]);
    if (!seen) {
      read.catch(() => undefined);
      const frozenMs = performance.now() - started;
      return { longestTaskMs: frozenMs, busyMs: frozenMs, tasks: -1, firstRowsMs, frozen: true, updates: -1 };
    }
    return { longestTaskMs: Math.max(0, ...seen.tasks), busyMs: seen.tasks.reduce((a, b) => a + b, 0), tasks: seen.tasks.length, firstRowsMs, frozen: false, updates: seen.updates };
  } finally {
    await browser.close();
  }
}
