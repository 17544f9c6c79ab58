/**
 * Channels wired into the whole core, over real HTTP: the sandbox pushes a parcel's life,
 * the core forwards it to fake robots (signatures checked as documented) and a real SMTP
 * server, on a fake clock. Restarts are real: the core closes and starts again on its data dir.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeEvent, ChannelDto, ChannelInput, ChannelTestResultDto, ShipmentDto } from '../../preload/contract.js';
import { startCore, STORE_FILE, type Core, type CoreOptions } from '../../main/core/app.js';
import { OUTBOX_FILE } from '../../main/core/forward/channel-wiring.js';
import { SandboxServer } from '../../main/core/sandbox/sandbox-server.js';
import { WebServer } from '../../main/web/web-server.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeRobots, startSmtp, type FakeSmtp } from '../helpers/fake-robots.js';
import { tempDir, TOKEN, waitFor } from '../helpers/core.js';
import { freePort } from '../helpers/localtunnel-server.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { runTimers } from '../helpers/run-timers.js';

const MIN = 60_000;
const DING_SECRET = 'SECd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3';
const FEISHU_SECRET = 'fs-secret-9Kq2';
const SMTP_PASS = 'smtp-auth-code-x7';

interface World {
  clock: FakeClock;
  sandbox: SandboxServer;
  robots: FakeRobots;
  smtp: FakeSmtp;
  dir: ReturnType<typeof tempDir>;
  callbackPort: number;
  core: Core | null;
  web: WebServer | null;
  events: ChangeEvent[];
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.web?.close();
    await w.core?.close();
    await w.sandbox.close();
    await w.robots.close();
    await w.smtp.close();
    w.dir.remove();
  }
});

async function world(): Promise<World> {
  const clock = new FakeClock(Date.UTC(2026, 5, 10, 2, 0, 0)); // 10:00 in China: no quiet hours
  const sandbox = new SandboxServer({ clock, firstPushMs: 5 * MIN, stepMs: 10 * MIN, retryDelayMs: 30 * MIN, resubscribeDelayMs: 30 * MIN });
  await sandbox.listen();
  const w: World = {
    clock, sandbox,
    robots: await FakeRobots.start(() => clock.now()),
    smtp: await startSmtp('shop@example.com', SMTP_PASS),
    dir: tempDir(), callbackPort: await freePort(), core: null, web: null, events: [],
  };
  worlds.push(w);
  return w;
}

async function start(w: World, extra: Partial<CoreOptions> = {}): Promise<Core> {
  w.core = await startCore({
    dataDir: w.dir.path, clock: w.clock, sandboxServer: w.sandbox, callbackPort: w.callbackPort, retryIntervalMs: MIN,
    allowWebhookHosts: ['127.0.0.1'], ...extra,
  });
  w.core.tracker.onChange((e) => w.events.push(e));
  w.web = new WebServer({ api: w.core.tracker, token: TOKEN, staticDir: join(w.dir.path, 'no-ui') });
  await w.web.listen();
  return w.core;
}

async function stop(w: World): Promise<void> {
  await w.web?.close();
  await w.core?.close();
  w.web = null;
  w.core = null;
}

async function http<T>(w: World, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`http://127.0.0.1:${w.web!.port}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text };
}

/** Waits for the work the last clock step started: pushes on their way, the core's tasks, sends. */
async function settle(w: World): Promise<void> {
  do {
    await w.sandbox.idle();
    await w.core?.scheduler.idle();
    await w.core?.tracker.settled();
    await w.core?.channels.idle();
  } while (w.sandbox.busy);
}

/**
 * Moves the fake clock timer by timer, waiting after each for the work it started (a push over
 * real HTTP, a store write, a robot call), so what happens at a fake time is done before time
 * moves on, however slow the machine.
 */
function run(w: World, ms: number): Promise<void> {
  return runTimers(w.clock, ms, () => settle(w));
}

async function addParcel(w: World, number: string): Promise<ShipmentDto> {
  const r = await http<ShipmentDto>(w, 'POST', '/shipments', { number, company: 'yuantong' });
  expect(r.status).toBe(201);
  return r.body;
}

const FORWARD: ChannelInput['events'] = ['delivering', 'delivered'];

function allChannels(w: World): ChannelInput[] {
  return [
    { name: '企业微信 仓库群', kind: 'wecom', url: w.robots.add('wecom', 'wk-key-7f3a9c'), events: FORWARD },
    { name: '钉钉 客服群', kind: 'dingtalk', url: w.robots.add('dingtalk', 'dt-token-51be0d', { secret: DING_SECRET, keyword: '包裹' }), secret: DING_SECRET, keyword: '包裹', events: FORWARD },
    { name: '飞书 老板群', kind: 'feishu', url: w.robots.add('feishu', 'fs-hook-a8c2e4', { secret: FEISHU_SECRET }), secret: FEISHU_SECRET, events: FORWARD },
    {
      name: '邮件', kind: 'email', events: FORWARD,
      email: { host: '127.0.0.1', port: w.smtp.port, secure: false, user: 'shop@example.com', pass: SMTP_PASS, from: 'shop@example.com', to: 'boss@example.com' },
    },
  ];
}

describe('channels wired into the core (sandbox, fake robots, real SMTP)', () => {
  it('a sandbox parcel going 派件 → 签收 produces exactly one message per channel per transition', async () => {
    const w = await world();
    await start(w);
    const put = await http<ChannelDto[]>(w, 'PUT', '/channels', allChannels(w));
    expect(put.status).toBe(200);
    expect(put.body.map((c) => c.kind)).toEqual(['wecom', 'dingtalk', 'feishu', 'email']);

    const s = await addParcel(w, 'YT3000000000010');
    // The delivered scenario: 揽收, 在途, 在途, 派件, 签收 ten minutes apart; Kuaidi100 style
    // retries of pushes cannot produce a second message either.
    await run(w, 120 * MIN);
    expect((await http<ShipmentDto>(w, 'GET', `/shipments/${s.id}`)).body.state).toBe('3');

    for (const token of ['wk-key-7f3a9c', 'dt-token-51be0d', 'fs-hook-a8c2e4']) {
      const texts = w.robots.accepted(token).map((c) => c.text);
      expect(texts, token).toHaveLength(2);
      expect(texts[0]).toContain('YT3000000000010');
      expect(texts[0]).toContain('派件');
      expect(texts[1]).toContain('签收');
    }
    expect(w.robots.calls.filter((c) => c.answer.errcode !== 0 && c.answer.code !== 0)).toEqual([]);
    expect(w.smtp.mails).toHaveLength(2);
    expect(w.smtp.mails.map((m) => m.to)).toEqual([['boss@example.com'], ['boss@example.com']]);

    const list = (await http<ChannelDto[]>(w, 'GET', '/channels')).body;
    for (const c of list) expect(c.delivery).toMatchObject({ lastError: null, queued: 0 });
    expect(list.every((c) => c.delivery.lastOkAt !== null)).toBe(true);
    // The window hears of deliveries: a channels change event carries the state.
    expect(w.events.some((e) => e.type === 'channels' && e.channels.every((c) => c.delivery.lastOkAt !== null))).toBe(true);
  }, 90_000);

  it('a robot failing for an hour delivers its backlog after it recovers, across a restart of the core', async () => {
    const w = await world();
    await start(w);
    const url = w.robots.add('dingtalk', 'dt-down', { secret: DING_SECRET });
    await http(w, 'PUT', '/channels', [{ name: '钉钉', kind: 'dingtalk', url, secret: DING_SECRET, events: FORWARD }]);
    w.robots.down.add('dt-down');
    await addParcel(w, 'YT3000000000020');
    await run(w, 60 * MIN);
    const during = (await http<ChannelDto[]>(w, 'GET', '/channels')).body[0]!;
    expect(during.delivery.lastError).toContain('HTTP 502');
    expect(during.delivery.queued).toBeGreaterThan(0);
    expect(w.robots.accepted('dt-down')).toEqual([]);

    // Down for an hour more, then the app is restarted while the robot is still down.
    await run(w, 60 * MIN);
    expect(w.robots.calls.filter((c) => c.token === 'dt-down')).toEqual([]); // 502s are not recorded as answers
    await stop(w);
    w.robots.down.delete('dt-down');
    await start(w);
    const after = (await http<ChannelDto[]>(w, 'GET', '/channels')).body[0]!;
    expect(after.delivery.queued).toBe(2);
    await run(w, 40 * MIN);
    const texts = w.robots.accepted('dt-down').map((c) => c.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('派件');
    expect(texts[1]).toContain('签收');
    const done = (await http<ChannelDto[]>(w, 'GET', '/channels')).body[0]!;
    expect(done.delivery).toMatchObject({ queued: 0, lastError: null });
    // A third start sends nothing again: the delivered transitions are remembered.
    await stop(w);
    await start(w);
    await run(w, 40 * MIN);
    expect(w.robots.accepted('dt-down')).toHaveLength(2);
  }, 120_000);

  it('PUT and GET never return secrets; they are kept in the 0600 secrets file, not in the store or the outbox', async () => {
    const w = await world();
    await start(w); // no secrets option: the headless FileSecretStore in the data dir
    const inputs = allChannels(w);
    const put = await http<ChannelDto[]>(w, 'PUT', '/channels', inputs);
    expect(put.status).toBe(200);
    const get = await http<ChannelDto[]>(w, 'GET', '/channels');
    for (const text of [put.text, get.text]) {
      for (const secret of [DING_SECRET, FEISHU_SECRET, SMTP_PASS, 'wk-key-7f3a9c', 'dt-token-51be0d', 'fs-hook-a8c2e4']) expect(text).not.toContain(secret);
    }
    expect(get.body.map((c) => [c.kind, c.hasUrl, c.hasSecret, c.email?.hasPass ?? null])).toEqual([
      ['wecom', true, false, null], ['dingtalk', true, true, null], ['feishu', true, true, null], ['email', false, false, true],
    ]);
    // Omitted secrets are kept: a PUT of what GET answered (ids, no secrets) changes nothing.
    const again = await http<ChannelDto[]>(w, 'PUT', '/channels', get.body.map((c, i) => ({ ...inputs[i], id: c.id, url: undefined, secret: undefined, email: inputs[i]!.email ? { ...inputs[i]!.email, pass: undefined } : undefined })));
    expect(again.status).toBe(200);
    const test = await http<ChannelTestResultDto>(w, 'POST', `/channels/${get.body[1]!.id}/test`);
    expect(test.body).toEqual({ ok: true, error: null, errorEn: null });

    await stop(w);
    const secretsFile = join(w.dir.path, 'secrets.json');
    if (process.platform !== 'win32') expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretsFile, 'utf8')).toContain(DING_SECRET);
    for (const file of [STORE_FILE, OUTBOX_FILE]) {
      const text = readFileSync(join(w.dir.path, file), 'utf8');
      for (const secret of [DING_SECRET, FEISHU_SECRET, SMTP_PASS, 'wk-key-7f3a9c', 'dt-token-51be0d', 'fs-hook-a8c2e4']) expect(text, file).not.toContain(secret);
    }
    // The list survives a restart, secrets and all.
    await start(w);
    const restarted = (await http<ChannelDto[]>(w, 'GET', '/channels')).body;
    const flags = (l: ChannelDto[]): unknown[] => l.map((c) => [c.id, c.hasUrl, c.hasSecret, c.email?.hasPass ?? null]);
    expect(flags(restarted)).toEqual(flags(get.body));
  }, 60_000);

  it('a wrong 加签 secret: the test answers the platform’s error, GET shows it on the channel; the right one fixes it', async () => {
    const w = await world();
    await start(w, { secrets: new MemorySecretStore() });
    const url = w.robots.add('dingtalk', 'dt-sign', { secret: DING_SECRET });
    const put = await http<ChannelDto[]>(w, 'PUT', '/channels', [{ name: '钉钉', kind: 'dingtalk', url, secret: 'SECwrong0000', events: FORWARD }]);
    const id = put.body[0]!.id;
    const test = await http<ChannelTestResultDto>(w, 'POST', `/channels/${id}/test`);
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(false);
    expect(test.body.error).toContain('sign not match');
    const shown = (await http<ChannelDto[]>(w, 'GET', '/channels')).body[0]!;
    expect(shown.delivery.lastError).toContain('sign not match');
    expect(shown.delivery.lastErrorEn).toContain('sign not match');

    await http(w, 'PUT', '/channels', [{ id, name: '钉钉', kind: 'dingtalk', secret: DING_SECRET, events: FORWARD }]);
    const fixed = await http<ChannelTestResultDto>(w, 'POST', `/channels/${id}/test`);
    expect(fixed.body).toEqual({ ok: true, error: null, errorEn: null });
    expect((await http<ChannelDto[]>(w, 'GET', '/channels')).body[0]!.delivery.lastError).toBeNull();
    expect(w.robots.accepted('dt-sign')).toHaveLength(1);
  }, 60_000);

  it('a provider that cannot be used is forwarded once from the status events, not again after a restart', async () => {
    const w = await world();
    const secrets = new MemorySecretStore();
    await start(w, { secrets });
    const url = w.robots.add('wecom', 'wk-provider-3e1f');
    await http(w, 'PUT', '/channels', [{ name: '老板', kind: 'wecom', url, events: ['provider-down'] }]);
    expect((await http(w, 'PUT', '/settings', { provider: 'huawei' })).status).toBe(200);
    await run(w, 2 * MIN);
    const texts = w.robots.accepted('wk-provider-3e1f').map((c) => c.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('AppCode');
    await stop(w);
    await start(w, { secrets });
    await run(w, 2 * MIN);
    expect(w.robots.accepted('wk-provider-3e1f')).toHaveLength(1);
  }, 60_000);

  it('refuses a webhook on 127.0.0.1 unless the shell allows it; unknown ids and bad bodies are typed errors', async () => {
    const w = await world();
    await start(w, { secrets: new MemorySecretStore(), allowWebhookHosts: [] });
    const url = w.robots.add('wecom', 'wk-x');
    const refused = await http<{ error: { code: string; field: string; message: string; messageEn: string } }>(w, 'PUT', '/channels', [{ name: 'x', kind: 'wecom', url }]);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid', field: '[0].url' });
    expect(refused.body.error.messageEn).toContain('qyapi.weixin.qq.com');
    expect((await http<{ error: { code: string } }>(w, 'PUT', '/channels', { name: 'x' })).status).toBe(400);
    expect((await http<{ error: { code: string } }>(w, 'POST', '/channels/nope/test')).status).toBe(404);
    expect((await http<{ error: { code: string } }>(w, 'DELETE', '/channels')).status).toBe(405);
    expect((await http<ChannelDto[]>(w, 'GET', '/channels')).body).toEqual([]);
  }, 60_000);

  it('a damaged outbox.json: the last good one (.prev) is used, the damaged one kept in damaged/ and reported', async () => {
    const w = await world();
    const secrets = new MemorySecretStore();
    await start(w, { secrets });
    const url = w.robots.add('feishu', 'fs-damaged-77aa01');
    await http(w, 'PUT', '/channels', [{ name: '飞书', kind: 'feishu', url, events: FORWARD }]);
    w.robots.down.add('fs-damaged-77aa01');
    await addParcel(w, 'YT3000000000030');
    await run(w, 60 * MIN);
    await stop(w);
    const file = join(w.dir.path, OUTBOX_FILE);
    expect(existsSync(`${file}.prev`)).toBe(true);
    writeFileSync(file, '{"version":1,"channels":{"ch_'); // torn by a crash of the disk, not by us
    w.robots.down.delete('fs-damaged-77aa01');
    const core = await start(w, { secrets });
    expect(core.store.recoveryReport.issues.map((i) => i.file)).toContain(file);
    expect(readdirSync(join(w.dir.path, 'damaged')).some((f) => f.endsWith(OUTBOX_FILE))).toBe(true);
    await run(w, 40 * MIN);
    // The previous save already held the queue: nothing accepted is lost.
    expect(w.robots.accepted('fs-damaged-77aa01').map((c) => c.text).join('\n')).toContain('签收');
  }, 90_000);

  it('a store written before channels existed loads with an empty list', async () => {
    const w = await world();
    await start(w, { secrets: new MemorySecretStore() });
    await stop(w);
    const file = join(w.dir.path, STORE_FILE);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"channels":[]');
    writeFileSync(file, text.replace(',"channels":[]', ''));
    await start(w, { secrets: new MemorySecretStore() });
    expect((await http<ChannelDto[]>(w, 'GET', '/channels')).body).toEqual([]);
    await waitFor(() => w.core!.tracker.list().length === 0 || undefined, 5000, 'empty store');
  }, 60_000);
});
