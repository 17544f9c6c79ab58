import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeProcess } from './serve-process.js';

// A wrong AppCode, as a new seller types it: the provider's own answer turns the status bar red.
test.describe.configure({ mode: 'serial' });

const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-health-'));
let serve: ServeProcess;
let page: Page;
const consoleErrors: string[] = [];

const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${serve.origin}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as T;
};

interface Status {
  provider: { ready: boolean; problem: string | null; fix: string | null; endpoint: string };
}

test.beforeAll(async ({ browser }) => {
  serve = await startServe(dataDir, ['--sandbox-step-ms', '600000']);
  // The sandbox stands in for Huawei's gateway: it answers a wrong AppCode with 401 / 600.
  const { provider } = await api<Status>('/api/status');
  await api('/api/settings', { method: 'PUT', body: JSON.stringify({ provider: 'huawei', appCode: 'wrong-code', pollUrl: provider.endpoint, tunnel: { mode: 'none' } }) });
  page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(serve.url);
  await expect(page.getByTestId('entry-number')).toBeFocused();
});

test.afterAll(async () => {
  await serve?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a wrong AppCode turns the status bar red with the reason, one notification, and a fix button', async () => {
  await expect(page.getByTestId('provider-dot')).toHaveAttribute('data-ready', 'true');
  await page.keyboard.type('YT6186594180001', { delay: 5 });
  await page.keyboard.press('Enter');
  await page.keyboard.type('YT6186594180002', { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('provider-dot')).toHaveAttribute('data-ready', 'false', { timeout: 20_000 });
  await expect(page.getByTestId('provider-problem')).toContainText('AppCode');
  await expect(page.getByTestId('provider-fix')).toHaveText('重新填写 AppCode');
  const status = await api<Status>('/api/status');
  expect(status.provider).toMatchObject({ ready: false, fix: 'appcode' });
  // The parcels waiting on it say why.
  const waiting = await api<{ number: string; subscription: { status: string; message: string } }[]>('/api/shipments');
  expect(waiting.map((s) => s.subscription.status)).toEqual(['failed', 'failed']);
  for (const s of waiting) expect(s.subscription.message).toContain('AppCode');
  const notes = await api<{ title: string }[]>('/api/notifications');
  expect(notes.filter((n) => n.title === '包裹无法订阅')).toHaveLength(1);
});

test('the fix button opens Settings; the corrected AppCode subscribes what waited and the bar turns green', async () => {
  await page.getByTestId('provider-fix').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'AppCode', exact: true }).fill('sandbox-appcode');
  await dialog.getByTestId('settings-save').click();
  await expect(dialog.getByRole('status')).toHaveText('已保存');
  await expect
    .poll(async () => (await api<{ subscription: { status: string } }[]>('/api/shipments')).map((s) => s.subscription.status), { timeout: 20_000 })
    .toEqual(['active', 'active']);
  await expect(page.getByTestId('provider-dot')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  expect((await api<Status>('/api/status')).provider).toMatchObject({ ready: true, problem: null });
});

test('no console errors', () => {
  expect(consoleErrors).toEqual([]);
});
