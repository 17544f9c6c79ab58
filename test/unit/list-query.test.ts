/**
 * The list a seller works from, in the core: sorting, the carrier filter, search across orders,
 * buyer, carrier and places, the 待处理 tab apart from 异常, paging with totals, counters kept
 * on put/drop (they must agree with a fresh count), no sort per request, and the pickup watch
 * on the fake clock (flag without a push, notified once).
 */
import type { Adapter } from 'lowdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent, ShipmentDto, TrackingEventDto } from '../../preload/contract.js';
import { countByGroup } from '../../preload/view-logic.js';
import { Notifier } from '../../main/core/notify/notifier.js';
import { DEFAULT_THRESHOLDS, staleOf, type Outage } from '../../main/core/lifecycle.js';
import { ShipmentListIndex } from '../../main/core/shipment-list-index.js';
import { staleSince } from '../../main/core/stale-since.js';
import { groupOf } from '../../main/core/state-groups.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings, Tracker } from '../../main/core/tracker.js';
import { trayModel } from '../../main/core/tray-model.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';

async function setup(start?: number) {
  let data: DbShape | null = null;
  const adapter: Adapter<DbShape> = { read: async () => data, write: async (d) => void (data = d) };
  const store = await ShipmentStore.open(adapter, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }));
  const clock = new FakeClock(start);
  const off = { mode: 'none', state: 'off', url: null, error: null, since: '2026-06-01T00:00:00.000Z' } as const;
  const t = new Tracker({
    store,
    secrets: new MemorySecretStore(),
    clock,
    callback: { local: () => 'http://127.0.0.1:9/cb', public: () => null },
    tunnelStatus: () => off,
    checkTunnel: async () => off,
    sandboxUrl: () => null,
  });
  const events: ChangeEvent[] = [];
  t.onChange((e) => events.push(e));
  return { t, store, clock, events };
}

const ev = (context: string, ftime: string, areaName: string | null = null): TrackingEventDto => ({
  time: ftime, ftime, context, status: null, statusCode: null, areaCode: null, areaName, areaCenter: null, location: null, areaPinYin: null,
});

let seq = 0;
function rec(number: string, patch: Partial<ShipmentRecord> = {}): ShipmentRecord {
  const now = patch.createdAt ?? '2026-06-01T00:00:00.000Z';
  const r = newShipmentRecord({ company: 'zhongtong', number, now, autoCom: false, subscription: { status: 'active' } });
  return { ...r, id: `id${String(seq++).padStart(6, '0')}`, state: '0', statusCode: '0', ...patch };
}

const numbers = (items: readonly ShipmentDto[]): string[] => items.map((s) => s.number);

afterEach(() => vi.restoreAllMocks());

describe('list query in the core', () => {
  it('sorts by latest update, added, state and days on the way, both ways', async () => {
    const { t, store } = await setup();
    await store.putMany([
      rec('A1', { createdAt: '2026-05-20T00:00:00.000Z', updatedAt: '2026-05-31T00:00:00.000Z', state: '5', statusCode: '5' }),
      rec('B2', { createdAt: '2026-05-30T00:00:00.000Z', updatedAt: '2026-05-30T12:00:00.000Z', state: '0' }),
      rec('C3', { createdAt: '2026-05-10T00:00:00.000Z', updatedAt: '2026-05-12T00:00:00.000Z', state: '3', statusCode: '301', events: [ev('已签收', '2026-05-12 18:00:00')] }),
      rec('D4', { createdAt: '2026-05-25T00:00:00.000Z', updatedAt: '2026-05-26T00:00:00.000Z', state: '2', statusCode: '2' }),
    ]);
    const page = async (sort: 'updated' | 'added' | 'state' | 'days', dir: 'asc' | 'desc') => {
      const r = await t.listPage({ sort, dir, offset: 0, limit: 10 });
      if (!r.ok) throw new Error(r.error.message);
      return numbers(r.value.items);
    };
    expect(await page('updated', 'desc')).toEqual(['A1', 'B2', 'D4', 'C3']);
    expect(await page('updated', 'asc')).toEqual(['C3', 'D4', 'B2', 'A1']);
    expect(await page('added', 'desc')).toEqual(['B2', 'D4', 'A1', 'C3']);
    // state: exceptions first among these, then 派件中, 在途, 已签收
    expect(await page('state', 'asc')).toEqual(['D4', 'A1', 'B2', 'C3']);
    // days on the way: A1 12.1 (still going, now = 2026-06-01 02:00Z), D4 7.1, C3 2.4 (delivered 05-12 18:00 China), B2 2.1
    expect(await page('days', 'desc')).toEqual(['A1', 'D4', 'C3', 'B2']);
    expect(await page('days', 'asc')).toEqual(['B2', 'C3', 'D4', 'A1']);
  });

  it('filters by carrier and searches number, note, order number, buyer, carrier name and places', async () => {
    const { t, store } = await setup();
    await store.putMany([
      rec('75123456780001', { note: '蓝色杯子', orderNos: ['240601-555'], buyer: '张**', events: [ev('快件已到达【杭州转运中心】', '2026-06-01 09:00:00', '浙江,杭州市')] }),
      rec('YT9000000002', { company: 'yuantong', events: [ev('【广州市】已揽收', '2026-06-01 08:00:00')] }),
      rec('SF1400000000003', { company: 'shunfeng', phone: '3471', buyer: '李四' }),
    ]);
    const q = async (query: Parameters<Tracker['listPage']>[0]) => {
      const r = await t.listPage({ offset: 0, limit: 50, ...query });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    expect(numbers((await q({ carrier: 'yuantong' })).items)).toEqual(['YT9000000002']);
    expect((await q({ carrier: 'shunfeng' })).total).toBe(1);
    expect(numbers((await q({ q: '240601-555' })).items)).toEqual(['75123456780001']);
    expect(numbers((await q({ q: '张**' })).items)).toEqual(['75123456780001']);
    expect(numbers((await q({ q: '李四' })).items)).toEqual(['SF1400000000003']);
    expect(numbers((await q({ q: '杯子' })).items)).toEqual(['75123456780001']);
    expect(numbers((await q({ q: '圆通' })).items)).toEqual(['YT9000000002']);
    expect(numbers((await q({ q: '杭州转运' })).items)).toEqual(['75123456780001']);
    expect(numbers((await q({ q: '广州' })).items)).toEqual(['YT9000000002']);
    expect(numbers((await q({ q: 'sf14' })).items)).toEqual(['SF1400000000003']);
    // carrier and search together
    expect((await q({ q: '2', carrier: 'yuantong' })).total).toBe(1);
    // the DTO carries orders and buyer (older records without them: empty)
    expect((await q({ q: '杯子' })).items[0]).toMatchObject({ orderNos: ['240601-555'], buyer: '张**' });
    expect((await q({ carrier: 'yuantong' })).items[0]).toMatchObject({ orderNos: [], buyer: null });
  });

  it('puts what the seller must act on under 待处理, apart from parcel exceptions under 异常', async () => {
    const { t, store } = await setup();
    const failed = (r: ShipmentRecord, extra: Partial<ShipmentRecord['subscription']> = {}): ShipmentRecord => ({
      ...r, state: null, statusCode: null, subscription: { ...r.subscription, status: 'failed', ...extra },
    });
    await store.putMany([
      failed(rec('F1'), { reason: 'fix-credentials' }),
      failed(rec('SF1', { company: 'shunfeng', phone: null }), { reason: 'fix-input' }),
      failed(rec('U1', { company: '' })),
      rec('AB1', { tracking: 'abort', trackingMessage: '3天查询无记录' }),
      rec('X1', { state: '2', statusCode: '2' }),
      rec('X2', { state: '14', statusCode: '14' }),
      rec('T1'),
    ]);
    const page = await t.listPage({ state: 'todo', offset: 0, limit: 50, sort: 'added', dir: 'asc' });
    expect(page.ok && page.value.items.map((s) => [s.number, s.todo])).toEqual([
      ['F1', 'subscription-failed'], ['SF1', 'needs-phone'], ['U1', 'carrier-unknown'], ['AB1', 'aborted'],
    ]);
    const exc = await t.listPage({ state: 'exception', offset: 0, limit: 50 });
    expect(exc.ok && numbers(exc.value.items).sort()).toEqual(['X1', 'X2']);
    const status = await t.getStatus();
    expect(status.ok && status.value.counts).toMatchObject({ all: 7, todo: 4, exception: 2, transit: 1 });
  });

  it('answers pages with the total, and keeps counters that agree with a fresh count after puts and drops', async () => {
    const { t, store } = await setup();
    const recs = Array.from({ length: 57 }, (_, i) =>
      rec(`N${String(i).padStart(4, '0')}`, { updatedAt: new Date(Date.UTC(2026, 4, 1) + i * 60_000).toISOString(), state: ['0', '5', '3', '2'][i % 4]!, statusCode: null }),
    );
    await store.putMany(recs);
    const p1 = await t.listPage({ offset: 0, limit: 20 });
    const p3 = await t.listPage({ offset: 40, limit: 20 });
    expect(p1.ok && p1.value.total).toBe(57);
    expect(p1.ok && p1.value.items[0]!.number).toBe('N0056');
    expect(p3.ok && numbers(p3.value.items)).toHaveLength(17);
    expect(p3.ok && p3.value.items.at(-1)!.number).toBe('N0000');
    const dp = await t.listPage({ state: 'delivering', offset: 5, limit: 5 });
    expect(dp.ok && dp.value.total).toBe(14);
    expect(dp.ok && dp.value.items.every((s) => s.group === 'delivering')).toBe(true);

    // Changes move the counters; they must equal a count of what is stored.
    await store.put({ ...recs[0]!, state: '3', updatedAt: '2026-06-01T00:00:00.000Z' });
    await store.put({ ...recs[1]!, removedAt: '2026-06-01T00:00:00.000Z' });
    await store.drop([recs[2]!.id, recs[3]!.id]);
    const fresh = countByGroup(store.list().filter((r) => !r.removedAt), groupOf);
    const status = await t.getStatus();
    expect(status.ok && status.value.counts).toEqual(fresh);
    const after = await t.listPage({ offset: 0, limit: 1 });
    expect(after.ok && after.value.counts).toEqual(fresh);
    expect(after.ok && after.value.items[0]!.number).toBe('N0000');
  });

  it('at 30,000 parcels serves pages and searches without sorting or walking the store per request', async () => {
    const { t, store } = await setup();
    const recs = Array.from({ length: 30_000 }, (_, i) =>
      rec(`ZT${String(i).padStart(10, '0')}`, { updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), note: i % 1000 === 0 ? `客户${i}` : null }),
    );
    await store.putMany(recs);
    await t.listPage({ offset: 0, limit: 50 }); // builds the order once
    await t.getStatus(); // the stale count is a walk at most every 30 s (it depends on the clock)
    const sort = vi.spyOn(Array.prototype, 'sort');
    const list = vi.spyOn(store, 'list');
    const started = performance.now();
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await store.put({ ...recs[i * 7]!, updatedAt: new Date(Date.UTC(2026, 6, 1) + i).toISOString() });
      const page = await t.listPage({ offset: 100, limit: 50 });
      expect(page.ok && page.value.total).toBe(30_000);
      const found = await t.listPage({ q: '客户', offset: 0, limit: 50 });
      expect(found.ok && found.value.total).toBe(30);
      await t.getStatus();
      timings.push(performance.now() - t0);
    }
    console.log(`30k: change + page + search + status, ms per round: ${timings.map((x) => x.toFixed(1)).join(' ')}`);
    const ms = performance.now() - started;
    expect(sort).not.toHaveBeenCalled();
    expect(list).not.toHaveBeenCalled();
    // 20 changes × (page + search + status) — generous bound for a shared 2-core machine.
    expect(ms).toBeLessThan(20_000);
    const first = await t.listPage({ offset: 0, limit: 1 });
    expect(first.ok && first.value.items[0]!.number).toBe(recs[19 * 7]!.number);
  }, 120_000);
});

describe('status counters', () => {
  it('counts parcels in doubt again after a change (the banner clears at once), and as time passes', async () => {
    const start = Date.UTC(2026, 5, 1, 2, 0, 0);
    const { t, store, clock } = await setup(start);
    const r = rec('ZT5', { state: '5', statusCode: '5', lastPushAt: new Date(start - 3600_000).toISOString(), createdAt: new Date(start - 7200_000).toISOString() });
    await store.put(r);
    const stale = async () => {
      const s = await t.getStatus();
      return s.ok ? s.value.attention?.stale : undefined;
    };
    expect(await stale()).toBe(0);
    clock.advance(24 * 3600_000); // 派件 and 24 h of silence
    expect(await stale()).toBe(1);
    await store.put({ ...r, lastPushAt: new Date(clock.now()).toISOString(), updatedAt: new Date(clock.now()).toISOString() });
    expect(await stale()).toBe(0);
  });
});

describe('今日签收 for the tray', () => {
  it('counts delivered parcels whose newest scan is dated today in China, walking only what changed today', async () => {
    const now = Date.UTC(2026, 5, 1, 4, 0, 0); // 2026-06-01 12:00 China; the China day began 2026-05-31T16:00Z
    const { t, store, clock } = await setup(now);
    await store.putMany([
      rec('S1', { state: '3', statusCode: '301', updatedAt: '2026-06-01T02:00:00.000Z', events: [ev('已签收', '2026-06-01 09:59:00')] }),
      // Just after China midnight: today.
      rec('S2', { state: '3', statusCode: '3', updatedAt: '2026-05-31T16:00:30.000Z', events: [ev('已签收', '2026-06-01 00:00:10')] }),
      // Signed yesterday, changed today (a note): not today's.
      rec('S3', { state: '3', statusCode: '3', updatedAt: '2026-06-01T03:00:00.000Z', events: [ev('已签收', '2026-05-31 20:00:00')] }),
      rec('P1', { state: '5', statusCode: '5', updatedAt: '2026-06-01T03:30:00.000Z', events: [ev('派件中', '2026-06-01 11:00:00')] }),
      // Yesterday in China (15:59Z), the walk stops here.
      rec('S4', { state: '3', statusCode: '3', updatedAt: '2026-05-31T15:59:00.000Z', events: [ev('已签收', '2026-05-31 23:58:00')] }),
    ]);
    expect(t.signedToday()).toBe(2);
    clock.advance(20 * 3600_000); // 2026-06-02 08:00 China
    expect(t.signedToday()).toBe(0);
  });
});

describe('staleness as one time per parcel', () => {
  it('agrees with staleOf for every parcel, journal and moment tried', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const base = Date.UTC(2026, 5, 1);
    const iso = (ms: number): string => new Date(ms).toISOString();
    const h = 3600_000;
    for (let round = 0; round < 40; round++) {
      const journal: Outage[] = Array.from({ length: Math.floor(rand() * 3) }, () => {
        const from = base + Math.floor(rand() * 200) * h;
        const open = rand() < 0.3;
        return { from: iso(from), to: open ? null : iso(from + Math.floor(rand() * 5 * h)), reason: rand() < 0.5 ? 'not-running' : 'tunnel-down' };
      });
      const recs = Array.from({ length: 30 }, (_, i) => {
        const created = base + Math.floor(rand() * 200) * h;
        const pushed = rand() < 0.7 ? created + Math.floor(rand() * 100) * h : null;
        return rec(`S${round}-${i}`, {
          createdAt: iso(created),
          state: ['0', '5', '3', '1', null][Math.floor(rand() * 5)]!,
          lastPushAt: pushed === null ? null : iso(pushed),
          tracking: rand() < 0.1 ? 'abort' : 'polling',
        });
      });
      const index = new ShipmentListIndex({ now: () => base, pickupHours: () => 24, staleRules: () => ({ journal, thresholds: DEFAULT_THRESHOLDS }) });
      index.reset(recs);
      for (let k = 0; k < 12; k++) {
        const now = base + Math.floor(rand() * 400) * h + Math.floor(rand() * h);
        const walked = recs.filter((r) => staleOf(r, journal, now, DEFAULT_THRESHOLDS)).length;
        expect(index.staleCount(now), `round ${round} at ${iso(now)}`).toBe(walked);
        for (const r of recs) {
          const since = staleSince(r, journal, DEFAULT_THRESHOLDS);
          expect(since !== null && now >= since).toBe(staleOf(r, journal, now, DEFAULT_THRESHOLDS) !== null);
        }
      }
    }
  });
});

describe('pickup watch on the fake clock', () => {
  it('flags a parcel with no 揽收 after pickupHours, without a push, lists it under 待处理 and notifies once', async () => {
    const start = Date.UTC(2026, 5, 1, 2, 0, 0);
    const { t, store, clock, events } = await setup(start);
    const added = new Date(start).toISOString();
    await store.putMany([rec('ZT1', { createdAt: added, state: null, statusCode: null }), rec('ZT2', { createdAt: added, state: '1', statusCode: '1' })]);
    const shown: string[] = [];
    const notifier = new Notifier({ settings: () => store.settings, show: (n) => shown.push(n.title), clock });
    t.onChange((e) => notifier.handle(e));
    t.start();
    clock.advance(23 * 3600_000);
    expect(events.filter((e) => e.type === 'shipment')).toHaveLength(0);
    clock.advance(3600_000 + 1);
    const flagged = events.filter((e): e is Extract<ChangeEvent, { type: 'shipment' }> => e.type === 'shipment');
    expect(flagged.map((e) => [e.shipment.number, e.shipment.pickupLate, e.shipment.group, e.shipment.todo])).toEqual([
      ['ZT1', { since: new Date(start + 24 * 3600_000).toISOString(), hours: 24 }, 'todo', 'pickup-late'],
    ]);
    const todo = await t.listPage({ state: 'todo', offset: 0, limit: 10 });
    expect(todo.ok && numbers(todo.value.items)).toEqual(['ZT1']);
    const status = await t.getStatus();
    expect(status.ok && status.value.attention?.pickupLate).toBe(1);
    expect(trayModel(status.ok ? status.value : (null as never), t.signedToday()).labels.pickupLate).toBe('待揽收超时 1');
    clock.advance(2000);
    expect(shown).toEqual(['待揽收超时：ZT1']);
    // Announced again (another change), still one notification.
    await store.put({ ...store.get(flagged[0]!.shipment.id)!, note: '催一下' });
    t.publish({ type: 'shipment', shipment: (await t.getShipment(flagged[0]!.shipment.id)).ok ? t.list({ q: 'zt1' })[0]! : (null as never) });
    clock.advance(48 * 3600_000);
    expect(shown).toHaveLength(1);
    await t.stop();
  });

  it('follows a changed pickupHours setting and drops the flag once 揽收 arrives', async () => {
    const start = Date.UTC(2026, 5, 1, 2, 0, 0);
    const { t, store, clock } = await setup(start);
    await store.put(rec('ZT3', { createdAt: new Date(start).toISOString(), state: null, statusCode: null }));
    t.start();
    clock.advance(7 * 3600_000);
    expect(t.list()[0]!.pickupLate).toBeNull();
    expect((await t.updateSettings({ pickupHours: 6 })).ok).toBe(true);
    expect(t.list()[0]).toMatchObject({ pickupLate: { hours: 6 }, group: 'todo' });
    const r = store.list()[0]!;
    await store.put({ ...r, state: '1', statusCode: '1', updatedAt: new Date(clock.now()).toISOString() });
    expect(t.list()[0]).toMatchObject({ pickupLate: null, group: 'transit', todo: null });
    const status = await t.getStatus();
    expect(status.ok && status.value.attention?.pickupLate).toBe(0);
    await t.stop();
  });
});
