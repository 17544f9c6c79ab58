/** The channel methods at the IPC boundary, and the secret names channels may use. */
import { describe, expect, it } from 'vitest';
import type { ChannelInput, ParcelTrayApi } from '../../preload/contract.js';
import { IPC_CALLS } from '../../main/electron/ipc.js';
import { isSecretName } from '../../main/core/secrets.js';
import { allowedWebhookHosts } from '../../main/web/headless.js';

function recordingApi(): { api: ParcelTrayApi; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const ok = <T>(v: T) => Promise.resolve({ ok: true as const, value: v });
  const api = {
    listChannels: () => (calls.push(['list']), ok([])),
    replaceChannels: (inputs: ChannelInput[]) => (calls.push(['replace', inputs]), ok([])),
    testChannel: (id: string) => (calls.push(['test', id]), ok({ ok: true, error: null, errorEn: null })),
  } as unknown as ParcelTrayApi;
  return { api, calls };
}

describe('channels over IPC', () => {
  it('passes a list and an id through, and refuses what is not one before the core sees it', async () => {
    const { api, calls } = recordingApi();
    const list = [{ name: '钉钉', kind: 'dingtalk' as const, url: 'https://oapi.dingtalk.com/robot/send?access_token=abc' }];
    expect((await IPC_CALLS.replaceChannels(api, [list])).ok).toBe(true);
    expect((await IPC_CALLS.testChannel(api, ['ch_abc-1'])).ok).toBe(true);
    expect((await IPC_CALLS.listChannels(api, [])).ok).toBe(true);
    const refused = await Promise.all([
      IPC_CALLS.replaceChannels(api, [{ name: 'not a list' }]),
      IPC_CALLS.replaceChannels(api, [[1]]),
      IPC_CALLS.replaceChannels(api, [Array.from({ length: 51 }, () => ({}))]),
      IPC_CALLS.testChannel(api, ['../etc']),
      IPC_CALLS.testChannel(api, []),
      IPC_CALLS.listChannels(api, ['x']),
    ]);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(calls).toEqual([['replace', list], ['test', 'ch_abc-1'], ['list']]);
  });

  it('accepts channel secret names and nothing else besides the provider credentials', () => {
    for (const n of ['appCode', 'key', 'channel:ch_a-B9:url', 'channel:x:secret', 'channel:x:pass']) expect(isSecretName(n), n).toBe(true);
    for (const n of ['channel::url', 'channel:x:token', 'channel:a:b:url', 'salt', '']) expect(isSecretName(n), n).toBe(false);
  });
});

describe('webhook hosts of the headless shell', () => {
  it('allows test hosts only when PARCELTRAY_ALLOW_WEBHOOK_HOSTS names them', () => {
    expect(allowedWebhookHosts({})).toEqual([]);
    expect(allowedWebhookHosts({ PARCELTRAY_ALLOW_WEBHOOK_HOSTS: '' })).toEqual([]);
    expect(allowedWebhookHosts({ PARCELTRAY_ALLOW_WEBHOOK_HOSTS: '127.0.0.1, localhost' })).toEqual(['127.0.0.1', 'localhost']);
  });
});
