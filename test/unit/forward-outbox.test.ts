import { describe, expect, it } from 'vitest';
import type { StatusDto } from '../../preload/contract.js';
import { Outbox, type OutboxState } from '../../main/core/forward/outbox.js';
import { ChannelService } from '../../main/core/forward/channel-service.js';
import type { StoredChannel } from '../../main/core/forward/channel-model.js';
import type { ChannelMessage } from '../../main/core/forward/message-format.js';
import type { SendResult } from '../../main/core/forward/send-result.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';

const msg = (title: string): ChannelMessage => ({ title, text: title, markdown: title });
const fail: SendResult = { ok: false, error: '连不上', errorEn: 'unreachable', retryable: true };

async function settle(box: { idle(): Promise<void> }): Promise<void> {
  // Sends here resolve on the microtask queue; idle() waits for them and the save.
  for (let i = 0; i < 3; i++) await box.idle();
}

describe('outbox', () => {
  it('retries after 30 s, 2 min, 10 min, 30 min, then every 30 min, and never drops the message', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const attempts: number[] = [];
    let up = false;
    let saved: OutboxState | null = null;
    const box = new Outbox({
      port: { load: () => null, save: async (s) => void (saved = s) },
      clock,
      quietHours: () => null,
      send: async () => {
        attempts.push(clock.now() - t0);
        return up ? { ok: true } : fail;
      },
    });
    box.enqueue('c', ['k1'], msg('one'));
    await settle(box);
    // Steps of 15 s: every due time falls on a step's end, so each answer is seen when it is due.
    for (let step = 0; step < (3 * 60 + 10) * 4; step++) {
      clock.advance(15_000);
      await settle(box);
    }
    const minutes = attempts.map((a) => a / 60_000);
    expect(minutes.slice(0, 8)).toEqual([0, 0.5, 2.5, 12.5, 42.5, 72.5, 102.5, 132.5]);
    expect(box.delivery('c')).toMatchObject({ queued: 1, lastError: '连不上', lastErrorEn: 'unreachable' });
    expect(saved!.channels.c!.failures).toBe(attempts.length);
    up = true;
    clock.advance(30 * 60_000);
    await settle(box);
    expect(box.delivery('c')).toMatchObject({ queued: 0, lastError: null });
    expect(box.known('c', 'k1')).toBe(true);
    await box.close();
  });

  it('deleting the channel is the only way its queue goes; an unreadable saved state starts empty', async () => {
    const clock = new FakeClock();
    const box = new Outbox({ port: { load: () => ({ version: 1, channels: { bad: null, c: { queue: 'x' } } }) as unknown as OutboxState, save: async () => undefined }, clock, quietHours: () => null, send: async () => fail });
    expect(box.channelIds()).toEqual([]);
    box.enqueue('c', ['k'], msg('m'));
    await settle(box);
    expect(box.delivery('c').queued).toBe(1);
    box.remove('c');
    expect(box.delivery('c').queued).toBe(0);
    expect(box.known('c', 'k')).toBe(false);
    await box.close();
  });
});

describe('channel service without network', () => {
  function make(channels: StoredChannel[], clock = new FakeClock(), disk: { outbox: OutboxState | null } = { outbox: null }) {
    const sent: { id: string; msg: ChannelMessage }[] = [];
    const svc = new ChannelService({
      config: { load: () => channels, save: async () => undefined },
      secrets: { get: (n) => (n.endsWith(':url') ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' : n.endsWith(':pass') ? 'p' : null), set: () => undefined },
      outbox: { load: () => disk.outbox && structuredClone(disk.outbox), save: async (s) => void (disk.outbox = structuredClone(s)) },
      settings: () => ({ notify: defaultSettings().notify, language: 'zh' }),
      clock,
      send: async (c, m) => {
        sent.push({ id: c.id, msg: m });
        return { ok: true };
      },
    });
    return { clock, sent, svc };
  }
  const base = { keyword: null, format: 'markdown' as const, email: null, events: null, quietHours: null };

  it('forwards the provider going down once per problem, and only to channels that want it', async () => {
    const { svc, sent, clock } = make([
      { ...base, id: 'all', name: 'a', kind: 'wecom' },
      { ...base, id: 'parcels', name: 'p', kind: 'wecom', events: ['delivered'] },
    ]);
    const status = (ready: boolean, problem: string | null) => ({ type: 'status', status: { provider: { id: 'kuaidi100', endpoint: '', ready, problem, problemEn: problem && `${problem} (en)` } } as unknown as StatusDto }) as const;
    svc.handle(status(false, 'AppCode 已过期'));
    svc.handle(status(false, 'AppCode 已过期'));
    clock.advance(2000);
    await svc.idle();
    expect(sent.map((s) => s.id)).toEqual(['all']);
    expect(sent[0]!.msg.text).toContain('AppCode 已过期');
    svc.handle(status(true, null));
    svc.handle(status(false, 'AppCode 已过期'));
    clock.advance(2000);
    await svc.idle();
    // Same problem after a recovery: its key was delivered already, not news twice.
    expect(sent).toHaveLength(1);
    await svc.close();
  });

  it('an e-mail digest gathers N minutes into one mail, and a digest in progress survives a restart', async () => {
    const email = { host: 'smtp.qq.com', port: 465, secure: true, user: 'u', from: 'u@qq.com', to: 'v@qq.com', digestMinutes: 10 };
    const disk = { outbox: null as OutboxState | null };
    const channels: StoredChannel[] = [{ ...base, id: 'm', name: 'mail', kind: 'email', email }];
    const { svc, sent, clock } = make(channels, new FakeClock(), disk);
    const s = (id: string, state: string) => ({
      id, company: 'zto', companyName: '中通快递', number: id, note: null, state, statusCode: state, tracking: 'polling', trackingMessage: null, comNew: null, stale: null,
      events: [{ time: '2026-06-01 10:00:00', ftime: '2026-06-01 10:00:00', context: '已签收' }],
    });
    svc.handle({ type: 'shipment', shipment: s('A1', '3') as never });
    clock.advance(4 * 60_000);
    svc.handle({ type: 'shipment', shipment: s('A2', '3') as never });
    clock.advance(4 * 60_000);
    await svc.idle();
    expect(sent).toHaveLength(0);
    clock.advance(3 * 60_000);
    await svc.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.msg.title).toBe('2 个包裹已签收');
    svc.handle({ type: 'shipment', shipment: s('A3', '3') as never });
    svc.handle({ type: 'shipment', shipment: s('A4', '3') as never });
    await svc.close();
    expect(sent).toHaveLength(1);
    expect(disk.outbox!.channels.m!.held!.items.map((i) => i.number)).toEqual(['A3', 'A4']);
    const again = make(channels, clock, disk);
    clock.advance(10 * 60_000);
    await again.svc.idle();
    await again.svc.idle();
    expect(again.sent.map((x) => x.msg.title)).toEqual(['2 个包裹已签收']);
    expect(again.sent[0]!.msg.text).toContain('A4');
    await again.svc.close();
  });

  it('PUT answers which channel is wrong and why, in both languages, and changes nothing then', async () => {
    const channels: StoredChannel[] = [{ ...base, id: 'keep', name: 'k', kind: 'wecom' }];
    const { svc } = make(channels);
    const bad = await svc.replaceAll([{ name: 'ok', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a' }, { name: 'x', kind: 'dingtalk', url: 'https://example.com/robot/send?access_token=t' }]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', field: '[1].url', message: expect.stringContaining('第 2 个渠道'), messageEn: expect.stringContaining('Channel 2') } });
    expect(await svc.replaceAll([{ id: 'nope', name: 'x', kind: 'wecom' }])).toMatchObject({ ok: false, error: { code: 'not-found', field: '[0].id' } });
    expect(await svc.replaceAll({ not: 'a list' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(svc.list().map((c) => c.id)).toEqual(['keep']);
    expect(await svc.test('nope')).toMatchObject({ ok: false, error: { code: 'not-found', messageEn: 'No such channel' } });
    await svc.close();
  });
});
