/// <reference lib="dom" />
/**
 * The window under a stream of change events: the longest main-thread task Chromium reports
 * (PerformanceObserver 'longtask') while `eventsPerSecond` events arrive for `seconds`. A
 * function, not a test: `npm run bench -- --scenario year` calls it per N (issue 15); `node
 * dist/bench/window.js` runs it alone. Events come from `emit` (e.g. a signed push to the
 * callback URL); without one, a new waybill is added over the HTTP API each tick.
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
}

/** Longest main-thread task (ms) seen by the page while the events arrive. */
export async function measureWindowLongestTask(load: WindowLoad): Promise<number> {
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
    await page.goto(load.url);
    await page.waitForSelector('[data-testid="parcel-list"][data-complete="true"]', { timeout: 300_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __tasks: number[] };
      w.__tasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__tasks.push(e.duration);
      }).observe({ type: 'longtask' });
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
    // Let the last events and the page's throttled refetch land before reading.
    const tasks = await page.evaluate(async () => {
      await new Promise((r) => setTimeout(() => requestAnimationFrame(r), 1500));
      return (window as unknown as { __tasks: number[] }).__tasks;
    });
    return Math.max(0, ...tasks);
  } finally {
    await browser.close();
  }
}
