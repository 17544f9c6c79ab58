import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRobots } from '../helpers/fake-robots.js';
import { startServe, type ServeProcess } from './serve-process.js';

// A seller sets up a 钉钉 robot: a wrong 加签 secret first, then the right one.
test.describe.configure({ mode: 'serial' });

const SECRET = 'SEC7a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const dataDir = mkdtempSync(join(tmpdir(), 'parceltray-e2e-channels-'));
let serve: ServeProcess;
let robots: FakeRobots;
let page: Page;
let url: string;

test.beforeAll(async ({ browser }) => {
  robots = await FakeRobots.start();
  url = robots.add('dingtalk', 'e2e-token-8f3c21', { secret: SECRET });
  // The fake robot lives on 127.0.0.1: allowed only because the test says so.
  serve = await startServe(dataDir, [], { PARCELTRAY_ALLOW_WEBHOOK_HOSTS: '127.0.0.1' });
  // A machine far from China: the times shown must still be China time, as in the rest of the window.
  page = await browser.newPage({ timezoneId: 'America/New_York' });
  await page.goto(serve.url);
});

test.afterAll(async () => {
  await serve?.stop();
  await robots?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const channelRow = () => page.getByTestId('channel-row').filter({ hasText: '客服群' });

test('a 钉钉 channel with a wrong secret shows the platform’s error on the channel', async () => {
  await page.getByRole('button', { name: '设置' }).click();
  await page.getByTestId('channels-open').click();
  await expect(page.getByTestId('channels-panel')).toContainText('还没有转发渠道');
  await page.getByTestId('channel-add-kind').selectOption('dingtalk');
  await page.getByTestId('channel-add').click();
  await page.getByTestId('channel-name').fill('客服群');
  await page.getByTestId('channel-url').fill(url);
  await page.getByTestId('channel-secret').fill('SECwrong0000000000');
  await page.getByTestId('channel-save').click();
  await expect(channelRow()).toContainText('钉钉自定义机器人');
  await expect(channelRow()).toContainText('尚未发送');
  await channelRow().getByTestId('channel-test').click();
  await expect(channelRow().getByTestId('channel-test-result')).toContainText('sign not match', { timeout: 20_000 });
  // The channel itself shows it too (from the core's delivery state, live).
  await expect(channelRow().getByTestId('channel-error')).toContainText('sign not match');
  await page.screenshot({ path: 'test-results/screenshots/channel-wrong-sign.png' });
});

test('fixing the secret: the test message is delivered and the error goes away', async () => {
  await channelRow().getByTestId('channel-edit').click();
  await expect(page.getByTestId('channel-secret')).toHaveAttribute('placeholder', '已设置（不显示）');
  await page.getByTestId('channel-secret').fill(SECRET);
  await page.getByTestId('channel-save').click();
  await channelRow().getByTestId('channel-test').click();
  await expect(channelRow().getByTestId('channel-test-result')).toHaveText('测试消息已送达', { timeout: 20_000 });
  await expect(channelRow().getByTestId('channel-error')).toHaveCount(0);
  await expect(channelRow()).toContainText(/上次送达 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
  expect(robots.accepted('e2e-token-8f3c21')).toHaveLength(1);
  // The secret never reached the page.
  expect(await page.content()).not.toContain(SECRET);
});

test('the same panel in English', async () => {
  await page.getByRole('button', { name: '返回设置' }).click();
  await page.getByTestId('settings-language').selectOption('en');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('channels-open').click();
  await expect(channelRow()).toContainText('DingTalk custom robot');
  await expect(channelRow()).toContainText(/Last delivered \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(China time\)/);
  await expect(channelRow().getByTestId('channel-test')).toHaveText('Send a test message');
});
