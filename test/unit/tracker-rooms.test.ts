/** The tracker's rooms on their own: the change bus after stop, settings + secrets as one step. */
import { describe, expect, it } from 'vitest';
import { API_CHANNELS, API_METHODS } from '../../preload/contract.js';
import { countGroups, GROUP_TABS, visibleShipments } from '../../preload/view-logic.js';
import { signPush } from '../../main/core/kuaidi100/signature.js';
import { Tracker } from '../../main/core/tracker.js';
import { memoryTracker as tracker } from '../helpers/memory-tracker.js';
import { item, makePush } from '../helpers/push.js';

const signedPush = (salt: string, number: string) => {
  const raw = JSON.stringify(makePush(number, 'yuantong', '0', [item('2026-06-01 09:00:00', '已揽收')]));
  return [raw, JSON.parse(raw), signPush(raw, salt)] as const;
};

describe('change bus', () => {
  it('coalesces a burst of shipment changes into one status event', async () => {
    const { t, clock, store, events } = await tracker();
    for (const n of ['YT8000000001', 'YT8000000002', 'YT8000000003']) {
      expect((await t.receivePush(...signedPush(store.settings.salt, n))).kind).toBe('stored');
    }
    clock.advance(1_000);
    expect(events.filter((e) => e.type === 'shipment')).toHaveLength(3);
    const status = events.filter((e) => e.type === 'status');
    expect(status).toHaveLength(1);
    expect(status[0]!.type === 'status' && status[0]!.status.counts.all).toBe(3);
  });

  it('schedules no status timer once stopped: a change finishing during stop announces no status later', async () => {
    const { t, clock, store, events } = await tracker();
    await t.stop();
    // Work that was under way when stop began still finishes and is announced...
    expect((await t.receivePush(...signedPush(store.settings.salt, 'YT8000000009'))).kind).toBe('stored');
    expect(events.map((e) => e.type)).toEqual(['shipment']);
    // ...but no coalesced status can fire after the servers are gone.
    clock.advance(60_000);
    expect(events.map((e) => e.type)).toEqual(['shipment']);
  });
});

describe('settings and secrets as one step', () => {
  it('leaves the secrets as they were when the settings cannot be saved', async () => {
    const { t, secrets, store, failWrites, events } = await tracker();
    secrets.set('key', 'old-key');
    failWrites(true);
    const r = await t.updateSettings({ provider: 'kuaidi100', key: 'new-key', appCode: 'new-code' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'storage', message: expect.stringContaining('无法保存设置'), messageEn: expect.stringContaining('Could not save') });
    expect(secrets.get('key')).toBe('old-key');
    expect(secrets.get('appCode')).toBeNull();
    expect(store.settings.provider).toBe('sandbox');
    expect(events.filter((e) => e.type === 'settings')).toHaveLength(0);
  });

  it('writes nothing when the patch is refused', async () => {
    const { t, secrets, store } = await tracker();
    const r = await t.updateSettings({ key: 'new-key', tunnel: { mode: 'public', publicUrl: '' } });
    expect(r.ok).toBe(false);
    expect(secrets.get('key')).toBeNull();
    expect(store.settings.tunnel.mode).toBe('localtunnel');
  });

  it('saves both when the store write succeeds', async () => {
    const { t, secrets, store } = await tracker();
    const r = await t.updateSettings({ provider: 'kuaidi100', key: 'new-key' });
    expect(r.ok && r.value.keySet).toBe(true);
    expect(secrets.get('key')).toBe('new-key');
    expect(store.settings.provider).toBe('kuaidi100');
  });
});

describe('one place for view logic', () => {
  it('gives the core’s status counts and the window’s tab counts and filter the same answer', async () => {
    const { t, store } = await tracker();
    const states: [string, string][] = [['YT8100000001', '0'], ['YT8100000002', '5'], ['YT8100000003', '3'], ['YT8100000004', '2'], ['YT8100000005', '501']];
    for (const [n, state] of states) {
      const raw = JSON.stringify(makePush(n, 'yuantong', state, [item('2026-06-01 09:00:00', `状态 ${state}`, '', state)]));
      expect((await t.receivePush(raw, JSON.parse(raw), signPush(raw, store.settings.salt))).kind).toBe('stored');
    }
    const status = await t.getStatus();
    const list = t.list();
    expect(status.ok && status.value.counts).toEqual(countGroups(list));
    expect(countGroups(list)).toEqual({ all: 5, todo: 0, transit: 1, delivering: 2, delivered: 1, exception: 1 });
    for (const group of GROUP_TABS) {
      expect(t.list({ state: group, q: '81000' }).map((s) => s.id), group).toEqual(visibleShipments(list, group, '81000').map((s) => s.id));
    }
  });

  it('registers every request method of the API on its own IPC channel', () => {
    const proto = Tracker.prototype as unknown as Record<string, unknown>;
    for (const m of API_METHODS) expect(typeof proto[m], m).toBe('function');
    expect(new Set(Object.values(API_CHANNELS)).size).toBe(API_METHODS.length);
  });
});
