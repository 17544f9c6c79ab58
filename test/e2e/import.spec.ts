import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShipmentDto } from '../../preload/contract.js';
import { loadSheetJs } from '../../main/core/sheetjs.js';
import { startServe, type ServeProcess } from './serve-process.js';

// A seller's import day, in order: the tests share the server and the page.
test.describe.configure({ mode: 'serial' });

const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-e2e-import-'));
const fixture = (name: string): string => join('test/fixtures/imports', name);
let serve: ServeProcess;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${serve.origin}${path}`, { ...init, headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json', ...init.headers } });
  return (await res.json()) as T;
}
const shipments = (): Promise<ShipmentDto[]> => api<ShipmentDto[]>('/api/shipments');
const byNumber = async (n: string): Promise<ShipmentDto | undefined> => (await shipments()).find((s) => s.number === n);

async function openImport(file: string): Promise<void> {
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles(fixture(file));
  await expect(page.getByTestId('import-rows')).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  // Slow sandbox steps: a parcel stays in 派件 long enough to export that tab.
  serve = await startServe(dataDir, ['--sandbox-step-ms', '5000']);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin });
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(serve.url);
  await expect(page.getByTestId('entry-number')).toBeFocused();
});

test.afterAll(async () => {
  await context?.close();
  await serve?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a 拼多多 CSV (UTF-8 BOM, tab-guarded numbers, unshipped rows): preview, then add with order numbers', async () => {
  await openImport('pdd.csv');
  await expect(page.getByTestId('import-platform')).toHaveText('拼多多');
  await expect(page.getByTestId('import-encoding')).toContainText('UTF-8 (BOM)');
  await expect(page.getByTestId('import-header-row')).toHaveText('表头在第 1 行');
  // detected columns
  await expect(page.getByTestId('map-number').locator('option:checked')).toHaveText('快递单号');
  await expect(page.getByTestId('map-orderNo').locator('option:checked')).toHaveText('订单号');
  await expect(page.getByTestId('map-buyer').locator('option:checked')).toHaveText('收货人');
  // per-row status, with the reason in words
  const zto = page.locator('[data-testid="import-row"][data-number="75123456780001"]');
  await expect(zto.locator('.import-status')).toHaveText('新包裹');
  await expect(zto).toContainText('231130-0001, 231130-0007');
  await expect(zto).toContainText('同一单号出现在 2 个订单中');
  const unshipped = page.locator('[data-testid="import-row"][data-status="no-waybill"]');
  expect(await unshipped.count()).toBeGreaterThanOrEqual(2);
  await expect(unshipped.first()).toContainText('没有快递单号');
  await expect(page.getByTestId('import-counts')).toContainText('未发货');
  await page.screenshot({ path: 'test-results/screenshots/import-zh-1280x800.png' });
  await page.setViewportSize({ width: 800, height: 600 });
  await page.screenshot({ path: 'test-results/screenshots/import-zh-800x600.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  const newCount = await page.locator('[data-testid="import-row"][data-status="new"]').count();
  await expect(page.getByTestId('import-commit')).toHaveText(`添加 ${newCount} 个包裹`);
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-result')).toContainText(`已添加 ${newCount} 个包裹`);
  await page.getByRole('button', { name: '关闭' }).last().click();

  const parcel = await byNumber('75123456780001');
  expect(parcel).toMatchObject({ orderNos: ['231130-0001', '231130-0007'], buyer: '张**', company: 'zhongtong' });
  // two waybills in one cell: two parcels of the same order
  expect((await byNumber('YT1234567890123'))?.orderNos).toEqual(['231130-0006']);
  expect((await byNumber('YT1234567890124'))?.orderNos).toEqual(['231130-0006']);
  expect(await shipments()).toHaveLength(newCount);
  await expect(page.locator('[data-testid="parcel-row"][data-number="75123456780001"] [data-testid="row-orders"]')).toHaveText('231130-0001、231130-0007');
});

test('a 淘宝 GBK CSV: title rows skipped, the Excel-damaged number refused with the reason', async () => {
  await openImport('taobao-gbk.csv');
  await expect(page.getByTestId('import-encoding')).toContainText('GBK');
  await expect(page.getByTestId('import-header-row')).toHaveText('表头在第 3 行');
  await expect(page.getByTestId('map-number').locator('option:checked')).toHaveText('物流单号');
  await expect(page.locator('[data-testid="import-row"][data-status="invalid"]')).toContainText('科学计数法');
  await expect(page.locator('[data-testid="import-row"][data-number="75123456780099"]')).toContainText('中通快递');
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await page.getByRole('button', { name: '关闭' }).last().click();
  expect((await byNumber('JT1234567890123'))?.orderNos).toEqual(['3900000000000004']);
  expect((await byNumber('43123456789012'))).toMatchObject({ orderNos: ['3900000000000001'], company: 'yunda' });
  expect((await byNumber('75123456780099'))?.company).toBe('zhongtong');
  expect(await byNumber('73000000000000')).toBeUndefined();
});

test('an .xlsx from 抖店: number cells read, a waybill past 15 digits refused', async () => {
  await openImport('douyin.xlsx');
  await expect(page.getByTestId('import-encoding')).toContainText('XLSX');
  await expect(page.getByTestId('map-orderNo').locator('option:checked')).toHaveText('主订单编号');
  await expect(page.locator('[data-testid="import-row"][data-number="75123456780102"] .import-status')).toHaveText('新包裹');
  await expect(page.locator('[data-testid="import-row"][data-status="invalid"]')).toHaveCount(1);
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-result')).toBeVisible();
  await page.getByRole('button', { name: '关闭' }).last().click();
  expect(await byNumber('75123456780102')).toMatchObject({ orderNos: ['6900000000000000002'], buyer: '何**' });
  expect((await byNumber('JDVA12345678901'))?.company).toBe('jd');
});

test('the import dialog in English, at 1280×800 and 800×600', async () => {
  await api('/api/settings', { method: 'PUT', body: JSON.stringify({ language: 'en' }) });
  await expect(page.getByTestId('open-import')).toHaveText('Import orders');
  await openImport('pdd.csv');
  await expect(page.getByTestId('import-platform')).toHaveText('Pinduoduo');
  await expect(page.getByTestId('import-header-row')).toHaveText('Header on line 1');
  // everything is tracked now: the same file only finds duplicates
  await expect(page.locator('[data-testid="import-row"][data-number="75123456780001"] .import-status')).toHaveText('Already listed');
  await expect(page.locator('[data-testid="import-row"][data-status="no-waybill"]').first()).toContainText('No waybill');
  await page.screenshot({ path: 'test-results/screenshots/import-en-1280x800.png' });
  await page.setViewportSize({ width: 800, height: 600 });
  await page.screenshot({ path: 'test-results/screenshots/import-en-800x600.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'Close' }).last().click();
  await api('/api/settings', { method: 'PUT', body: JSON.stringify({ language: 'zh' }) });
  await expect(page.getByTestId('open-import')).toHaveText('导入订单');
});

test('the 派件中 tab exports to .xlsx that reads back with SheetJS, numbers intact', async () => {
  // a parcel typed with its order number; …6 takes the sandbox's locker route (派件, then 驿站)
  await page.getByTestId('entry-order').fill('O-77');
  await page.getByTestId('entry-number').fill('YT7000000000016');
  await page.getByTestId('entry-number').press('Enter');
  await expect.poll(async () => (await byNumber('YT7000000000016'))?.group, { timeout: 60_000 }).toBe('delivering');
  await page.getByTestId('tab-delivering').click();
  await expect(page.locator('[data-testid="parcel-row"][data-number="YT7000000000016"]')).toBeVisible();
  await page.setViewportSize({ width: 800, height: 600 });
  await page.screenshot({ path: 'test-results/screenshots/list-orders-800x600.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-xlsx').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^包裹导出-\d{4}-\d\d-\d\d\.xlsx$/);
  const { XLSX } = await loadSheetJs();
  const wb = XLSX.read(readFileSync((await download.path())!), { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: false });
  expect(rows[0]).toEqual(['订单号', '买家', '快递公司', '快递单号', '状态', '最新动态', '最新时间', '已用时', '异常/提醒', '备注']);
  const mine = rows.find((r) => r[3] === 'YT7000000000016');
  expect(mine?.[0]).toBe('O-77');
  expect(mine?.[2]).toBe('圆通速递');
  // every waybill and order number as written: no 7.5E+13, no lost digits
  for (const r of rows.slice(1)) {
    expect(r[3]).toMatch(/^[A-Z0-9]{8,}$/);
    for (const o of (r[0] ?? '').split(', ').filter(Boolean)) expect(o).not.toMatch(/E\+/);
  }
  await page.getByTestId('tab-all').click();
});

test('复制给买家 puts the edited template’s text on the clipboard', async () => {
  await page.getByRole('button', { name: '设置' }).click();
  await page.getByTestId('template-delivered-zh').fill('{buyer}您好，您的包裹（{carrier} {number}）已签收，订单号 {orderNo}。');
  await page.getByTestId('save-templates').click();
  await expect(page.getByTestId('buyer-templates')).toContainText('已保存');
  await page.getByRole('button', { name: '关闭' }).first().click();
  await expect.poll(async () => (await byNumber('75123456780001'))?.group, { timeout: 60_000 }).toBe('delivered');
  await page.getByRole('searchbox').fill('231130-0007');
  await page.locator('[data-testid="parcel-row"][data-number="75123456780001"]').click();
  await expect(page.getByTestId('detail-orders')).toHaveText('231130-0001、231130-0007');
  await page.getByTestId('copy-for-buyer').click();
  await expect(page.getByTestId('buyer-copied')).toHaveText('给买家的消息已复制');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toBe('张**您好，您的包裹（中通快递 75123456780001）已签收，订单号 231130-0001、231130-0007。');
  expect(consoleErrors).toEqual([]);
});

test('复制给买家 on two ticked rows puts both messages on the clipboard, a blank line apart', async () => {
  await page.getByRole('searchbox').fill('');
  await expect.poll(async () => page.getByTestId('parcel-row').count(), { timeout: 30_000 }).toBeGreaterThan(1);
  const delivered = page.locator('[data-testid="parcel-row"][data-number="75123456780001"]');
  const other = page.locator('[data-testid="parcel-row"]:not([data-number="75123456780001"])').first();
  const otherNumber = (await other.getAttribute('data-number')) ?? '';
  // One by its box, the other by keyboard: open it, then Space on the list.
  await delivered.getByTestId('row-check').check();
  await other.click();
  await page.getByTestId('parcel-list').focus();
  await page.keyboard.press('Space');
  await expect(other.getByTestId('row-check')).toBeChecked();
  await expect(page.getByTestId('selected-count')).toHaveText('已选 2 个');
  await page.getByTestId('selection-bar').getByTestId('copy-for-buyer').click();
  await expect(page.getByTestId('selection-bar').getByTestId('buyer-copied')).toHaveText('给买家的消息已复制');
  const parts = (await page.evaluate(() => navigator.clipboard.readText())).split('\n\n');
  expect(parts).toHaveLength(2);
  // In the order ticked; the delivered one from the template edited above.
  expect(parts[0]).toBe('张**您好，您的包裹（中通快递 75123456780001）已签收，订单号 231130-0001、231130-0007。');
  expect(parts[1]).toContain(otherNumber);
  await page.getByTestId('clear-selection').click();
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
  // Ctrl-click ticks one row, Shift-click every row from there to the clicked one.
  const all = page.getByTestId('parcel-row');
  await all.nth(0).click({ modifiers: ['ControlOrMeta'] });
  await all.nth(2).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selected-count')).toHaveText('已选 3 个');
  await page.getByTestId('clear-selection').click();
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
  await expect(page.getByTestId('row-check').and(page.locator(':checked'))).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('in English the status bar names the tunnel and the search field says what it searches', async () => {
  const setLanguage = (language: 'zh' | 'en') => api('/api/settings', { method: 'PUT', body: JSON.stringify({ language }) });
  await setLanguage('en');
  try {
    await page.reload();
    await expect(page.getByTestId('statusbar')).toContainText('Provider');
    // The sandbox pushes over loopback: the automatic tunnel is not started.
    await expect(page.getByTestId('tunnel-text')).toHaveText('Tunnel: automatic · not in use');
    await expect(page.getByTestId('statusbar')).not.toContainText(/\b(localtunnel|none|off)\b/);
    await expect(page.getByRole('searchbox')).toHaveAttribute('placeholder', 'Search number, order, buyer, note, carrier or place');
  } finally {
    await setLanguage('zh');
    await page.reload();
  }
  await expect(page.getByTestId('tunnel-text')).toHaveText('隧道: 自动 · 未启用');
  await expect(page.getByRole('searchbox')).toHaveAttribute('placeholder', '搜索单号、订单号、买家、备注、快递公司或地点');
});
