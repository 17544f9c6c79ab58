/** The window's view of the channels: loaded on demand, kept current by 'channels' events, saved without secrets. */
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, ChannelDto, ChannelInput, ParcelTrayApi } from '../../preload/contract.js';
import { createParcelStore } from '../../renderer/src/store.js';
import { channelInputOf } from '../../renderer/src/slices/channels-slice.js';

const email: ChannelDto = {
  id: 'ch_mail', name: '邮件', kind: 'email', urlHint: null, hasUrl: false, hasSecret: false, keyword: null, format: 'markdown',
  email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'a@qq.com', from: 'a@qq.com', to: 'b@qq.com', digestMinutes: 30, hasPass: true },
  events: null, effectiveEvents: ['delivered'], quietHours: { from: '22:00', to: '08:00' },
  delivery: { lastOkAt: null, lastError: null, lastErrorEn: null, queued: 0, nextAttemptAt: null },
};

describe('channels in the window store', () => {
  it('loads the list, follows channels events, and saves what GET gave back without secrets', async () => {
    const listeners = new Set<(e: ChangeEvent) => void>();
    const saved: ChannelInput[][] = [];
    const api = {
      listShipments: async () => ({ ok: true, value: [] }),
      // The window asks for pages (issue 15).
      listPage: async () => ({ ok: true, value: { items: [], total: 0, offset: 0, counts: { all: 0, todo: 0, transit: 0, delivering: 0, delivered: 0, exception: 0 } } }),
      getStatus: async () => ({ ok: false, error: { code: 'internal', message: 'x' } }),
      getSettings: async () => ({ ok: false, error: { code: 'internal', message: 'x' } }),
      listNotifications: async () => ({ ok: true, value: [] }),
      listChannels: async () => ({ ok: true, value: [email] }),
      replaceChannels: async (inputs: ChannelInput[]) => (saved.push(inputs), { ok: true, value: [email] }),
      onChange: (l: (e: ChangeEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    } as unknown as ParcelTrayApi;
    const store = createParcelStore(api);
    await store.getState().init();
    expect(store.getState().channels).toBeNull();
    await store.getState().loadChannels();
    expect(store.getState().channels).toEqual([email]);

    const failing = { ...email, delivery: { ...email.delivery, lastError: '钉钉：sign not match', lastErrorEn: 'DingTalk: sign not match', queued: 2 } };
    listeners.forEach((l) => l({ type: 'channels', channels: [failing] }));
    expect(store.getState().channels?.[0]?.delivery.queued).toBe(2);

    await store.getState().saveChannels(store.getState().channels!.map(channelInputOf));
    expect(saved[0]).toEqual([{
      id: 'ch_mail', name: '邮件', kind: 'email', quietHours: { from: '22:00', to: '08:00' },
      email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'a@qq.com', from: 'a@qq.com', to: 'b@qq.com', digestMinutes: 30 },
    }]);
  });
});
