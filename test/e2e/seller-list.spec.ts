/**
 * The list a seller works from, in Chromium against the headless server: sorting, the carrier
 * filter, relative times with China time on hover, the 待处理 tab apart from 异常, Esc closing
 * the detail, the unread count surviving a reload; and screenshots at 1280×800 and 800×600 in
 * both languages (looked at by hand: test-results/screenshots/list-*.png).
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeProcess } from './serve-process.js';

test.describe.configure({ mode: 'serial' });

const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-list-e2e-'));
let serve: ServeProcess;
let page: Page;

const rows = () => page.getByTestId('parcel-row');
const numbersShown = async (): Promise<string[]> => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-number') ?? ''));

async function add(number: string, company: string, note?: string): Promise<void> {
  const res = await fetch(`${serve.origin}/api/shipments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ number, company, note }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

test.beforeAll(async ({ browser }) => {
  serve = await startServe(dataDir, ['--sandbox-step-ms', '400']);
  // Added in this order, one after the other: the 'added' sort has a known answer.
  await add('YT6186594166530', 'yuantong', '张三');
  await add('ZT7300000000010', 'zhongtong');
  await add('YT6186594166549', 'yuantong'); // …9: the sandbox aborts it (no record): 待处理
  await add('YD4300000000017', 'yunda'); // …7: a delivery problem first: 异常
  page = await browser.newPage();
  await page.goto(serve.url);
  await expect(rows()).toHaveCount(4);
});

test.afterAll(async () => {
  await serve?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('sorting by date added, both ways', async () => {
  await page.getByTestId('sort-key').selectOption('added');
  await page.getByTestId('sort-dir').click(); // desc → asc
  await expect.poll(numbersShown).toEqual(['YT6186594166530', 'ZT7300000000010', 'YT6186594166549', 'YD4300000000017']);
  await page.getByTestId('sort-dir').click();
  await expect.poll(numbersShown).toEqual(['YD4300000000017', 'YT6186594166549', 'ZT7300000000010', 'YT6186594166530']);
});

test('the carrier filter shows one carrier, and all again', async () => {
  await page.getByTestId('carrier-filter').selectOption('yuantong');
  await expect.poll(async () => (await numbersShown()).sort()).toEqual(['YT6186594166530', 'YT6186594166549']);
  await page.getByTestId('carrier-filter').selectOption('');
  await expect(rows()).toHaveCount(4);
});

test('times are relative, with the exact China time on hover', async () => {
  const time = page.locator('[data-number="ZT7300000000010"]').getByTestId('parcel-time');
  await expect(time).toHaveText(/刚刚|分钟前|小时前/);
  await expect(time).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
});

test('待处理 holds the aborted parcel, 异常 the parcel problem, and a zero count is not red', async () => {
  await expect(page.getByTestId('tab-todo').locator('.count')).toHaveText('1', { timeout: 30_000 });
  await page.getByTestId('tab-todo').click();
  await expect.poll(numbersShown, { timeout: 30_000 }).toEqual(['YT6186594166549']);
  await expect(page.getByTestId('todo-tag')).toHaveText('跟踪中止');
  await page.getByTestId('tab-all').click();
  await expect(rows()).toHaveCount(4);
  // Once every parcel is delivered, 异常 counts 0, in the muted colour.
  await expect(page.getByTestId('tab-exception').locator('.count')).toHaveText('0', { timeout: 30_000 });
  const colour = await page.getByTestId('tab-exception').locator('.count').evaluate((e) => getComputedStyle(e).color);
  expect(colour).not.toBe('rgb(220, 38, 38)');
  expect(await page.getByTestId('tab-exception').locator('.count').getAttribute('class')).toContain('zero');
});

test('Esc closes the detail', async () => {
  await page.locator('[data-number="ZT7300000000010"]').click();
  await expect(page.getByTestId('parcel-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('parcel-detail')).toBeHidden();
});

/** The sandbox has finished every parcel and the notifier has flushed: no notification is still to come. */
async function notificationsSettled(): Promise<void> {
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${serve.origin}${path}`, { headers: { authorization: `Bearer ${serve.token}` } })).json()) as T;
  let last = -1;
  await expect
    .poll(
      async () => {
        const list = await get<{ tracking: string | null }[]>('/api/shipments');
        const n = (await get<unknown[]>('/api/notifications')).length;
        // Two looks, one fold window (1.5 s) apart, that agree — after every parcel ended.
        const settled = list.every((s) => s.tracking === 'shutdown' || s.tracking === 'abort') && n === last;
        last = n;
        return settled;
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toBe(true);
}

test('the unread notification count survives a reload, and reading them clears it for good', async () => {
  await notificationsSettled();
  const unread = page.getByTestId('unread-count');
  await expect(unread).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(unread).toBeVisible();
  const before = Number(await unread.textContent());
  expect(before).toBeGreaterThan(0);
  await page.getByTestId('open-notifications').click();
  await expect(page.getByTestId('notification-history')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(unread).toBeHidden();
  await page.reload();
  await expect(rows()).toHaveCount(4);
  await expect(page.getByTestId('unread-count')).toBeHidden();
});

for (const lang of ['zh', 'en'] as const) {
  for (const [w, h] of [[1280, 800], [800, 600]] as const) {
    test(`screenshot ${lang} ${w}×${h}`, async () => {
      await fetch(`${serve.origin}/api/settings`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ language: lang }),
      });
      await page.setViewportSize({ width: w, height: h });
      await page.reload();
      await expect(rows()).toHaveCount(4);
      await page.locator('[data-number="YT6186594166530"]').click();
      await expect(page.getByTestId('parcel-detail')).toBeVisible();
      // Nothing cut off: the tabs sit on one line and the page does not scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const tops = await page.locator('[role="tab"]').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
      await page.screenshot({ path: `test-results/screenshots/list-${lang}-${w}x${h}.png` });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: lang === 'en' ? 'Settings' : '设置', exact: true }).click();
      await page.getByTestId('settings-pickup-hours').scrollIntoViewIfNeeded();
      await expect(page.getByTestId('settings-pickup-hours')).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/settings-${lang}-${w}x${h}.png` });
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('settings-pickup-hours')).toBeHidden();
    });
  }
}
