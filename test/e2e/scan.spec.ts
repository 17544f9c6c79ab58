import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeProcess } from './serve-process.js';

// A barcode scanner: a 14–15 character label in a few ms, Enter, and the next label at once.
test.describe.configure({ mode: 'serial' });

const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-scan-'));
let serve: ServeProcess;
let page: Page;
const consoleErrors: string[] = [];

/**
 * 50 labels of carriers whose numbers tell them apart (carrier-guess.ts has exactly one
 * candidate for each pattern: YT + 13 digits, 14 digits from 73, JT + 13 digits).
 */
const LABELS = Array.from({ length: 50 }, (_, i) => {
  const n = String(i).padStart(2, '0');
  if (i % 3 === 0) return `YT61865941700${n}`;
  if (i % 3 === 1) return `735587678765${n}`;
  return `JT00181814100${n}`;
});
const CARRIER_OF = (label: string): string => (label.startsWith('YT') ? 'yuantong' : label.startsWith('JT') ? 'jtexpress' : 'zhongtong');
const dialogs: string[] = [];

interface Shipment {
  id: string;
  number: string;
  company: string;
  phone: string | null;
  needsPhone: boolean;
  attemptsThisMonth: number;
  subscription: { status: string; attempts: number };
}

async function apiShipments(): Promise<Shipment[]> {
  const res = await fetch(`${serve.origin}/api/shipments`, { headers: { authorization: `Bearer ${serve.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Shipment[];
}
const shipment = async (number: string): Promise<Shipment | undefined> => (await apiShipments()).find((s) => s.number === number);

const row = (number: string) => page.locator(`[data-testid="parcel-row"][data-number="${number}"]`);

async function apiNumbers(): Promise<string[]> {
  const res = await fetch(`${serve.origin}/api/shipments`, { headers: { authorization: `Bearer ${serve.token}` } });
  expect(res.status).toBe(200);
  const list = (await res.json()) as { number: string }[];
  return list.map((s) => s.number);
}

test.beforeAll(async ({ browser }) => {
  // Slow pushes: this file is about entry, not about parcel lives.
  serve = await startServe(dataDir, ['--sandbox-step-ms', '600000']);
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  // "本月第 1/4 次订阅": the window says what a change spends; the seller agrees.
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  await page.goto(serve.url);
  await expect(page.getByTestId('entry-number')).toBeFocused();
});

test.afterAll(async () => {
  await serve?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('50 labels at scanner speed: 50 parcels, each number exact', async () => {
  expect(new Set(LABELS).size).toBe(50);
  for (const label of LABELS) {
    await page.keyboard.type(label, { delay: 5 });
    await page.keyboard.press('Enter');
  }
  // The field was free the whole time: nothing of the last label is left in it.
  await expect(page.getByTestId('entry-number')).toHaveValue('');
  await expect(page.getByTestId('entry-number')).toBeFocused();
  await expect(page.locator('[data-testid="pending-row"][data-status="adding"]')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('[data-testid="pending-row"]')).toHaveCount(0);
  await expect(page.getByTestId('tab-all').locator('.count')).toHaveText('50');
  // The first label's row is in view (newest first or not, the list shows rows for them).
  await expect(page.locator('[data-testid="parcel-row"]').first()).toBeVisible();
  // What the core stored, read over the HTTP API: exactly the 50 labels, none joined or cut,
  // each with the carrier its number implies (decided in the core, no timer in the window).
  expect((await apiNumbers()).sort()).toEqual([...LABELS].sort());
  const stored = await apiShipments();
  for (const label of LABELS) expect(stored.find((s) => s.number === label)?.company, label).toBe(CARRIER_OF(label));
  // …and the rows show it: every row in view carries its number's carrier.
  const rows = page.locator('[data-testid="parcel-row"]');
  const inView = await rows.count();
  expect(inView).toBeGreaterThan(5);
  for (let i = 0; i < inView; i++) {
    const number = (await rows.nth(i).getAttribute('data-number'))!;
    await expect(rows.nth(i).getByTestId('row-carrier')).toHaveAttribute('data-code', CARRIER_OF(number));
  }
  await expect(row(LABELS[48]!).getByTestId('row-carrier')).toHaveText('圆通速递');
});

test('a scan shows 添加中 at once and its error on its own row', async () => {
  await page.keyboard.type('12', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type(LABELS[0]!, { delay: 5 });
  await page.keyboard.press('Enter');
  const bad = page.locator('[data-testid="pending-row"][data-number="12"]');
  const dup = page.locator(`[data-testid="pending-row"][data-number="${LABELS[0]}"]`);
  await expect(bad).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  await expect(bad.getByTestId('entry-error')).toContainText('6–32');
  await expect(dup.getByTestId('entry-error')).toContainText('已在列表中', { timeout: 20_000 });
  await bad.getByTestId('entry-dismiss').click();
  await dup.getByTestId('entry-dismiss').click();
  await expect(page.locator('[data-testid="pending-row"]')).toHaveCount(0);
  expect((await apiNumbers()).length).toBe(50);
});

test('the detail panel shows only the open parcel’s messages', async () => {
  await row(LABELS[49]!).click();
  const detail = page.getByTestId('parcel-detail');
  await expect(detail).toHaveAttribute('aria-label', LABELS[49]!);
  // Any action leaves a note under the buttons (copied, or the number when the clipboard is denied).
  await detail.getByRole('button', { name: '复制单号' }).click();
  await expect(detail.getByRole('status')).toBeVisible();
  await row(LABELS[48]!).click();
  await expect(detail).toHaveAttribute('aria-label', LABELS[48]!);
  await expect(detail.getByRole('status')).toHaveCount(0);
});

test('an SF label asks for the phone and sends nothing until it is given', async () => {
  await page.getByTestId('entry-number').focus();
  await page.keyboard.type('SF1400000000011', { delay: 5 });
  await page.keyboard.press('Enter');
  const sf = row('SF1400000000011');
  await expect(sf.getByTestId('row-phone')).toBeVisible({ timeout: 20_000 });
  await expect(sf.getByTestId('row-carrier')).toHaveAttribute('data-code', 'shunfeng');
  const waiting = await shipment('SF1400000000011');
  expect(waiting).toMatchObject({ company: 'shunfeng', needsPhone: true, attemptsThisMonth: 0, subscription: { status: 'pending', attempts: 0 } });
  // A masked number from a marketplace export gives the last 4 digits.
  await sf.getByTestId('row-phone').fill('138****6621');
  await sf.getByTestId('row-phone-save').click();
  await expect(sf.getByTestId('row-phone')).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(async () => (await shipment('SF1400000000011'))?.subscription.status, { timeout: 20_000 }).toBe('active');
  expect(await shipment('SF1400000000011')).toMatchObject({ phone: '6621', attemptsThisMonth: 1, needsPhone: false });
  await expect(page.getByTestId('entry-number')).toHaveValue('');
});

test('a batch with 圆通 / 中通 / 顺丰快递 names is accepted', async () => {
  await page.getByRole('button', { name: '批量导入' }).click();
  await page.getByTestId('batch-text').fill('单号,快递,电话\nYT6186594170100,圆通\n73558767876600,中通\nSF1400000000021,顺丰快递,6621\n');
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const report = page.getByTestId('batch-report');
  await expect(report.locator('tr')).toHaveCount(3, { timeout: 20_000 });
  await expect(report.locator('tr[data-outcome="added"]')).toHaveCount(3);
  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).last().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const stored = await apiShipments();
  expect(['YT6186594170100', '73558767876600', 'SF1400000000021'].map((n) => stored.find((s) => s.number === n)?.company)).toEqual(['yuantong', 'zhongtong', 'shunfeng']);
});

test('changing a parcel’s carrier in the detail panel resubscribes with the new one', async () => {
  // 43 + 13 digits fits 韵达 and 申通: the core picks 韵达 and offers 申通 on the row.
  await page.getByTestId('entry-number').focus();
  await page.keyboard.type('431234567890123', { delay: 5 });
  await page.keyboard.press('Enter');
  const r = row('431234567890123');
  await expect(r.getByTestId('row-carrier')).toHaveAttribute('data-code', 'yunda', { timeout: 20_000 });
  await expect(r.getByTestId('alt-carrier')).toHaveAttribute('data-code', 'shentong');
  await expect.poll(async () => (await shipment('431234567890123'))?.subscription.status, { timeout: 20_000 }).toBe('active');

  await r.getByTestId('parcel-state').click();
  const detail = page.getByTestId('parcel-detail');
  await expect(detail).toHaveAttribute('aria-label', '431234567890123');
  expect(dialogs).toEqual([]);
  await detail.getByTestId('edit-open').click();
  await detail.getByTestId('edit-carrier').fill('申通快递');
  dialogs.length = 0;
  await detail.getByTestId('edit-save').click();
  await expect(detail.getByTestId('detail-carrier')).toHaveAttribute('data-code', 'shentong', { timeout: 20_000 });
  await expect(r.getByTestId('row-carrier')).toHaveText('申通快递');
  // It said first what it spends: the first subscription of 申通 for this number this month.
  expect(dialogs).toEqual([expect.stringContaining('本月第 1/4 次订阅')]);
  await expect.poll(async () => (await shipment('431234567890123'))?.company, { timeout: 20_000 }).toBe('shentong');
  expect((await shipment('431234567890123'))?.subscription).toMatchObject({ status: 'active', attempts: 1 });
  // and the row offers the carrier it had, one click back
  await expect(r.getByTestId('alt-carrier')).toHaveAttribute('data-code', 'yunda');
});

test('no console errors', () => {
  // The 400 and 409 answers were provoked above (a short number, a duplicate); Chromium logs them.
  const provoked = /the server responded with a status of (400|409)/;
  expect(consoleErrors.filter((e) => !provoked.test(e))).toEqual([]);
});
