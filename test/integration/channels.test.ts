/**
 * The channel engine against local fake robots (signature and body checked as documented) and
 * a real SMTP server, on a fake clock: time moves only when the test says so, and each step
 * waits for the sends it caused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import type { ChannelInput } from '../../preload/channel-dtos.js';
import { ChannelService, type ChannelConfigPort, type ChannelSecretPort } from '../../main/core/forward/channel-service.js';
import type { StoredChannel } from '../../main/core/forward/channel-model.js';
import type { OutboxPort, OutboxState } from '../../main/core/forward/outbox.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeRobots, startSmtp, type FakeSmtp } from '../helpers/fake-robots.js';

/** What survives a restart: the settings store, the secrets and the saved outbox. */
class Disk {
  channels: StoredChannel[] = [];
  secrets = new Map<string, string>();
  outbox: OutboxState | null = null;
  saves = 0;
  config: ChannelConfigPort = { load: () => structuredClone(this.channels), save: async (c) => void (this.channels = structuredClone(c)) };
  secretPort: ChannelSecretPort = {
    get: (n) => this.secrets.get(n) ?? null,
    set: (n, v) => void (v ? this.secrets.set(n, v) : this.secrets.delete(n)),
  };
  outboxPort: OutboxPort = {
    load: () => (this.outbox ? structuredClone(this.outbox) : null),
    save: async (s) => {
      this.saves++;
      this.outbox = structuredClone(s);
    },
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(options: { start?: number; language?: 'zh' | 'en' } = {}) {
  const clock = new FakeClock(options.start);
  const robots = await FakeRobots.start(() => clock.now());
  cleanup.push(() => robots.close());
  const disk = new Disk();
  const services: ChannelService[] = [];
  const open = (): ChannelService => {
    const svc = new ChannelService({
      config: disk.config,
      secrets: disk.secretPort,
      outbox: disk.outboxPort,
      settings: () => ({ notify: defaultSettings().notify, language: options.language ?? 'zh' }),
      clock,
      validation: { allowedHosts: ['127.0.0.1'] },
      timeoutMs: 5000,
    });
    services.push(svc);
    cleanup.push(() => svc.close());
    return svc;
  };
  /** Moves the fake clock in steps, letting the sends each step causes finish. */
  const advance = async (ms: number, step = 1000): Promise<void> => {
    for (let done = 0; done < ms; done += step) {
      clock.advance(Math.min(step, ms - done));
      await Promise.all(services.map((s) => s.idle()));
    }
  };
  return { clock, robots, disk, open, advance };
}

async function waitFor(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let seq = 0;
function parcel(id: string, state: string, ftime: string, extra: Partial<ShipmentDto> = {}): ShipmentDto {
  return {
    id, company: 'yuantong', companyName: '圆通速递', number: `YT${id}`, phone: null, from: null, to: null, note: '买家张三', orderNos: [], buyer: null,
    createdAt: '2026-06-01T00:00:00Z', updatedAt: `2026-06-01T00:00:${String(seq++ % 60).padStart(2, '0')}Z`,
    subscription: { status: 'active', returnCode: '200', message: null, messageEn: null, attempts: 1, lastAttemptAt: null, nextAttemptAt: null, callbackUrl: null },
    tracking: 'polling', trackingMessage: null, state, statusCode: state, stateLabel: null, group: 'transit', isCheck: state === '3',
    events: [{ time: ftime, ftime, context: state === '3' ? '已签收，签收人：本人' : '【杭州】快递员李四正在派件', status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null }],
    eventCount: 3, arrivalTime: null, totalTime: null, remainTime: null, predictedRoute: null, routeFrom: null, routeCur: null, routeTo: null,
    comOld: null, comNew: null, lastPushAt: null, callbackChanged: null, stale: null, resubscribeAfter: null, attemptsThisMonth: 1, archived: false,
    alternatives: [], needsPhone: false,
    pickupLate: null, todo: null,
    ...extra,
  };
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok: ${JSON.stringify(r.error)}`);
  return r.value;
};

describe('forwarding channels', () => {
  it('派件 → 签收: exactly one message per channel per transition, on every platform and by mail', async () => {
    const { robots, open, advance } = await setup();
    const smtp: FakeSmtp = await startSmtp('shop@qq.com', 'auth-code');
    cleanup.push(() => smtp.close());
    const svc = open();
    const inputs: ChannelInput[] = [
      { name: '企业微信', kind: 'wecom', url: robots.add('wecom', 'wk1') },
      { name: '钉钉', kind: 'dingtalk', url: robots.add('dingtalk', 'dt1', { secret: 'SECding', keyword: '包裹' }), secret: 'SECding', keyword: '包裹' },
      { name: '飞书', kind: 'feishu', url: robots.add('feishu', 'fs1', { secret: 'fsecret' }), secret: 'fsecret' },
      { name: '邮件', kind: 'email', email: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'shop@qq.com', pass: 'auth-code', from: 'shop@qq.com', to: 'boss@163.com' } },
    ];
    ok(await svc.replaceAll(inputs));
    svc.prime([parcel('p1', '0', '2026-06-01 08:00:00')]);

    const out = parcel('p1', '5', '2026-06-01 09:00:00');
    svc.handle({ type: 'shipment', shipment: out });
    svc.handle({ type: 'shipment', shipment: out }); // the same push again
    svc.handle({ type: 'shipment', shipment: parcel('p1', '5', '2026-06-01 09:20:00') }); // a later scan, still 派件
    await advance(5000);
    await waitFor('派件 everywhere', () => ['wk1', 'dt1', 'fs1'].every((t) => robots.accepted(t).length === 1) && smtp.mails.length === 1);

    svc.handle({ type: 'shipment', shipment: parcel('p1', '3', '2026-06-01 11:00:00') });
    svc.handle({ type: 'shipment', shipment: parcel('p1', '3', '2026-06-01 11:00:00') });
    await advance(5000);
    await waitFor('签收 everywhere', () => ['wk1', 'dt1', 'fs1'].every((t) => robots.accepted(t).length === 2) && smtp.mails.length === 2);
    await advance(120_000, 10_000);

    for (const t of ['wk1', 'dt1', 'fs1']) {
      const texts = robots.accepted(t).map((c) => c.text);
      expect(texts, t).toHaveLength(2);
      expect(texts[0]).toContain('【派件】圆通速递 YTp1');
      expect(texts[0]).toContain('【杭州】快递员李四正在派件');
      expect(texts[1]).toContain('【签收】圆通速递 YTp1');
    }
    expect(robots.accepted('dt1')[0]!.text).toContain('包裹');
    expect(robots.calls.filter((c) => c.answer.errcode !== 0 && c.answer.code !== 0)).toEqual([]);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['【派件】圆通速递 YTp1', '【签收】圆通速递 YTp1']);
    expect(smtp.mails[1]).toMatchObject({ from: 'shop@qq.com', to: ['boss@163.com'], user: 'shop@qq.com' });
    expect(smtp.mails[1]!.text).toContain('状态：签收');
    expect(smtp.mails[1]!.text).toContain('时间：2026-06-01 11:00（北京时间）');
    for (const c of svc.list()) expect(c.delivery).toMatchObject({ queued: 0, lastError: null, lastOkAt: expect.any(String) });
  });

  it('a burst of 30 becomes one message', async () => {
    const { robots, open, advance } = await setup();
    const svc = open();
    ok(await svc.replaceAll([{ name: '群', kind: 'wecom', url: robots.add('wecom', 'wk'), format: 'text' }]));
    svc.prime(Array.from({ length: 30 }, (_, i) => parcel(`b${i}`, '5', '2026-06-01 09:00:00')));
    for (let i = 0; i < 30; i++) svc.handle({ type: 'shipment', shipment: parcel(`b${i}`, '3', '2026-06-01 10:00:00') });
    await advance(5000);
    await waitFor('the summary', () => robots.accepted('wk').length === 1);
    await advance(60_000, 10_000);
    const [only] = robots.accepted('wk');
    expect(robots.accepted('wk')).toHaveLength(1);
    expect(only!.body).toMatchObject({ msgtype: 'text' });
    expect(only!.text).toContain('30 个包裹已签收');
    expect(only!.text).toContain('YTb0');
    expect(only!.text).toContain('另有 10 个');
  });

  it('a channel failing for an hour delivers its backlog after it recovers, across a restart', async () => {
    const { robots, disk, open, advance } = await setup();
    const first = open();
    ok(await first.replaceAll([{ name: '钉钉群', kind: 'dingtalk', url: robots.add('dingtalk', 'dt', { secret: 'SECs' }), secret: 'SECs' }]));
    robots.down.add('dt');
    first.prime(['a', 'b', 'c'].map((id) => parcel(id, '0', '2026-06-01 08:00:00')));
    for (const id of ['a', 'b', 'c']) {
      first.handle({ type: 'shipment', shipment: parcel(id, '5', '2026-06-01 09:00:00') });
      await advance(3000); // each outside the fold window: three messages
    }
    await advance(3600_000, 60_000);
    const failing = first.list()[0]!.delivery;
    expect(failing).toMatchObject({ queued: 3, lastOkAt: null, lastError: expect.stringContaining('HTTP 502') });
    expect(failing.lastErrorEn).toContain('HTTP 502');
    const attempts = robots.calls.length;
    expect(attempts).toBe(0); // down: the requests never reach the robot's logic
    await first.close();

    robots.down.delete('dt');
    expect(disk.outbox?.channels[first.list()[0]!.id]?.queue).toHaveLength(3);
    const second = open(); // a new process: config, secrets and outbox from "disk"
    expect(second.list()[0]!.delivery.queued).toBe(3);
    await advance(1800_000, 60_000);
    await waitFor('the backlog', () => robots.accepted('dt').length === 3);
    expect(robots.accepted('dt').map((c) => c.text.match(/YT\w/)?.[0])).toEqual(['YTa', 'YTb', 'YTc']);
    expect(second.list()[0]!.delivery).toMatchObject({ queued: 0, lastError: null, lastOkAt: expect.any(String) });
    // Delivered means never again, even if the same pushes arrive after the restart.
    second.prime(['a', 'b', 'c'].map((id) => parcel(id, '0', '2026-06-01 08:00:00')));
    for (const id of ['a', 'b', 'c']) second.handle({ type: 'shipment', shipment: parcel(id, '5', '2026-06-01 09:00:00') });
    await advance(60_000, 5000);
    expect(robots.accepted('dt')).toHaveLength(3);
  });

  it('the 21st message within a minute waits for the window instead of being refused', async () => {
    const { robots, open, advance, clock } = await setup();
    const svc = open();
    ok(await svc.replaceAll([{ name: '群', kind: 'wecom', url: robots.add('wecom', 'wk') }]));
    svc.prime(Array.from({ length: 25 }, (_, i) => parcel(`r${i}`, '0', '2026-06-01 08:00:00')));
    for (let i = 0; i < 25; i++) {
      svc.handle({ type: 'shipment', shipment: parcel(`r${i}`, '5', '2026-06-01 09:00:00') });
      svc.flush(); // one message each
    }
    await advance(1000);
    await waitFor('the first 20', () => robots.accepted('wk').length === 20);
    const start = clock.now();
    await advance(50_000, 5000);
    expect(robots.accepted('wk')).toHaveLength(20);
    expect(svc.list()[0]!.delivery.queued).toBe(5);
    await advance(15_000, 1000);
    await waitFor('the other 5', () => robots.accepted('wk').length === 25);
    expect(robots.accepted('wk').slice(20).every((c) => c.at >= start + 59_000)).toBe(true);
    // The platform never had to refuse one.
    expect(robots.calls.filter((c) => c.answer.errcode !== 0)).toEqual([]);
  });

  it('a wrong sign or a missing keyword shows the platform’s error text; fixing the setting delivers', async () => {
    const { robots, open, advance } = await setup();
    const svc = open();
    const [ding, fei, kw] = ok(await svc.replaceAll([
      { name: '钉钉', kind: 'dingtalk', url: robots.add('dingtalk', 'dt', { secret: 'SECright' }), secret: 'SECwrong' },
      { name: '飞书', kind: 'feishu', url: robots.add('feishu', 'fs', { secret: 'right' }), secret: 'wrong' },
      { name: '关键词', kind: 'dingtalk', url: robots.add('dingtalk', 'dk', { keyword: '发货通知' }) },
    ]));
    svc.prime([parcel('x', '0', '2026-06-01 08:00:00')]);
    svc.handle({ type: 'shipment', shipment: parcel('x', '5', '2026-06-01 09:00:00') });
    await advance(5000);
    await waitFor('three refusals', () => svc.list().every((c) => c.delivery.lastError !== null));
    const state = Object.fromEntries(svc.list().map((c) => [c.name, c.delivery]));
    expect(state['钉钉']).toMatchObject({ queued: 1, lastError: expect.stringContaining('sign not match'), lastErrorEn: expect.stringContaining('sign not match') });
    expect(state['飞书']!.lastError).toContain('sign match fail');
    expect(state['关键词']!.lastError).toContain('关键词不匹配');
    expect(ok(await svc.test(ding!.id))).toMatchObject({ ok: false, error: expect.stringContaining('310000') });
    expect(ok(await svc.test(fei!.id))).toMatchObject({ ok: false, error: expect.stringContaining('19021') });

    // PUT again: ids kept, URLs omitted (kept), secrets and keyword corrected → delivered at once.
    ok(await svc.replaceAll([
      { id: ding!.id, name: '钉钉', kind: 'dingtalk', secret: 'SECright' },
      { id: fei!.id, name: '飞书', kind: 'feishu', secret: 'right' },
      { id: kw!.id, name: '关键词', kind: 'dingtalk', keyword: '发货通知' },
    ]));
    await advance(2000);
    await waitFor('delivered after the fix', () => ['dt', 'fs', 'dk'].every((t) => robots.accepted(t).length === 1));
    expect(robots.accepted('dk')[0]!.text).toContain('发货通知');
    expect(ok(await svc.test(ding!.id))).toEqual({ ok: true, error: null, errorEn: null });
    expect(svc.list().every((c) => c.delivery.queued === 0 && c.delivery.lastError === null)).toBe(true);
  });

  it('quiet hours hold messages until they end (China time)', async () => {
    const { robots, open, advance } = await setup({ start: Date.parse('2026-06-01T23:00:00+08:00') });
    const svc = open();
    ok(await svc.replaceAll([{ name: '群', kind: 'wecom', url: robots.add('wecom', 'wk'), quietHours: { from: '22:00', to: '08:00' } }]));
    svc.prime([parcel('q', '0', '2026-06-01 22:00:00'), parcel('r', '0', '2026-06-01 22:00:00')]);
    svc.handle({ type: 'shipment', shipment: parcel('q', '14', '2026-06-01 23:00:00') });
    await advance(3 * 3600_000, 600_000);
    svc.handle({ type: 'shipment', shipment: parcel('r', '3', '2026-06-02 02:00:00') });
    await advance(5.9 * 3600_000, 600_000);
    expect(robots.calls).toHaveLength(0);
    await advance(600_000, 60_000);
    await waitFor('after 08:00', () => robots.accepted('wk').length === 1);
    await advance(600_000, 60_000);
    // The night's news as one morning message, not one per parcel.
    expect(robots.accepted('wk')).toHaveLength(1);
    expect(robots.accepted('wk')[0]!.at).toBe(Date.parse('2026-06-02T08:00:00+08:00'));
    expect(robots.accepted('wk')[0]!.text).toContain('2 个包裹有新动态');
    expect(robots.accepted('wk')[0]!.text).toContain('拒签');
  });

  it('SMTP: the test mail arrives with the right subject and body; a wrong 授权码 is explained', async () => {
    const { open } = await setup({ language: 'en' });
    const smtp = await startSmtp('u@163.com', 'right');
    cleanup.push(() => smtp.close());
    const svc = open();
    const [mail] = ok(await svc.replaceAll([{ name: 'Mail', kind: 'email', email: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'u@163.com', pass: 'right', from: 'u@163.com', to: 'a@qq.com, b@qq.com' } }]));
    expect(ok(await svc.test(mail!.id))).toEqual({ ok: true, error: null, errorEn: null });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ subject: 'ParcelTray test message', to: ['a@qq.com', 'b@qq.com'] });
    expect(smtp.mails[0]!.text).toContain('This channel works');
    ok(await svc.replaceAll([{ id: mail!.id, name: 'Mail', kind: 'email', email: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'u@163.com', pass: 'wrong', from: 'u@163.com', to: 'a@qq.com' } }]));
    const verdict = ok(await svc.test(mail!.id));
    expect(verdict).toMatchObject({ ok: false, error: expect.stringContaining('授权码'), errorEn: expect.stringContaining('authorisation code') });
    expect(svc.list()[0]!.delivery.lastError).toContain('邮箱登录失败');
  });

  it('secrets are stored through the secret port and never in list()', async () => {
    const { robots, open, disk } = await setup();
    const svc = open();
    const url = robots.add('dingtalk', 'tok-SECRET-123');
    const listed = ok(await svc.replaceAll([
      { name: '钉钉', kind: 'dingtalk', url, secret: 'SEC-robot-secret' },
      { name: '邮件', kind: 'email', email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'u@qq.com', pass: 'pass-XYZ', from: 'u@qq.com', to: 'v@qq.com' } },
    ].map((c) => (c.kind === 'dingtalk' ? { ...c, secret: 'SECrobotsecret' } : c)) as ChannelInput[]));
    for (const view of [listed, svc.list()]) {
      const json = JSON.stringify(view);
      for (const secret of ['tok-SECRET-123', 'SECrobotsecret', 'pass-XYZ']) expect(json).not.toContain(secret);
      expect(view[0]).toMatchObject({ hasUrl: true, hasSecret: true, urlHint: expect.stringContaining('…-123') });
      expect(view[1]).toMatchObject({ email: { hasPass: true, host: 'smtp.qq.com' } });
      expect(view[1]!.email).not.toHaveProperty('pass');
    }
    expect(JSON.stringify(disk.channels)).not.toContain('pass-XYZ');
    expect(JSON.stringify(disk.channels)).not.toContain('tok-SECRET-123');
    const id = listed[0]!.id;
    expect(disk.secrets.get(`channel:${id}:url`)).toBe(url);
    expect(disk.secrets.get(`channel:${id}:secret`)).toBe('SECrobotsecret');
    // Deleting a channel deletes its secrets.
    ok(await svc.replaceAll([]));
    expect([...disk.secrets.keys()]).toEqual([]);
  });

  it('listing after a delivery reads no secret again; a change of the secrets is listed at once', async () => {
    const { robots, disk, open, advance } = await setup();
    const reads: string[] = [];
    const plain = disk.secretPort;
    // Under Electron every read is a safeStorage decryption.
    disk.secretPort = { get: (n) => (reads.push(n), plain.get(n)), set: plain.set };
    const svc = open();
    const url = robots.add('dingtalk', 'dt9');
    const [made] = ok(await svc.replaceAll([{ name: '钉钉', kind: 'dingtalk', url }]));
    svc.prime([parcel('p1', '0', '2026-06-01 08:00:00')]);
    svc.handle({ type: 'shipment', shipment: parcel('p1', '5', '2026-06-01 09:00:00') });
    await advance(5000);
    await waitFor('the message', () => robots.accepted('dt9').length === 1);
    await svc.idle();
    reads.length = 0;
    expect(svc.list()[0]).toMatchObject({ hasUrl: true, hasSecret: false, delivery: { lastOkAt: expect.any(String) } });
    expect(svc.list()[0]).toMatchObject({ hasUrl: true, hasSecret: false });
    expect(reads).toEqual([]);
    ok(await svc.replaceAll([{ id: made!.id, name: '钉钉', kind: 'dingtalk', secret: 'SECnewsecret' }]));
    expect(svc.list()[0]).toMatchObject({ hasUrl: true, hasSecret: true });
  });
});
