/**
 * Issue 15: what walks every parcel (start-up, a list page, the status, the tray, a search, the
 * sort by days, the export, the repair plan, the channels' and the notifier's priming) takes the
 * newest scan, the count and the places from history-facts and never reads a parcel's history,
 * which a record loaded from the snapshot keeps unparsed until something asks for `events`.
 * Here the core starts on a real snapshot and the reader's count of parsed histories must not move.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingEventDto } from '../../preload/contract.js';
import { startCore, type Core } from '../../main/core/app.js';
import { historiesParsedCount } from '../../main/core/store/lazy-history.js';
import { serializeDb } from '../../main/core/store/shipment-store.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { trayModel } from '../../main/core/tray-model.js';
import { tempDir } from '../helpers/core.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';

const NOW = Date.UTC(2026, 5, 1, 4, 0, 0); // 2026-06-01 12:00 China time

const ev = (context: string, ftime: string, areaName: string | null = null): TrackingEventDto => ({
  time: ftime, ftime, context, status: null, statusCode: null, areaCode: null, areaName, areaCenter: null, location: null, areaPinYin: null,
});

function rec(id: string, patch: Partial<ShipmentRecord>): ShipmentRecord {
  const r = newShipmentRecord({ company: 'zhongtong', number: `ZT${id}`, now: '2026-05-31T20:00:00.000Z', autoCom: false, subscription: { status: 'active' } });
  return { ...r, id, lastPushAt: '2026-06-01T03:00:00.000Z', ...patch };
}

let open: { core: Core; remove(): void } | null = null;
afterEach(async () => {
  await open?.core.close();
  open?.remove();
  open = null;
});

/**
 * A core started on a snapshot of six parcels, as the app starts: their histories stay unparsed
 * (lazy-history.ts) and `reads()` counts the ones parsed since.
 */
async function openLazyCore(): Promise<{ core: Core; clock: FakeClock; reads(): number }> {
  const records = [
    rec('d1', { state: '3', statusCode: '301', updatedAt: '2026-06-01T02:05:00.000Z', events: [ev('已签收，签收人：本人', '2026-06-01 10:00:00'), ev('【杭州转运中心】已发出', '2026-05-31 22:00:00'), ev('已揽收', '2026-05-31 20:00:00')] }),
    rec('d2', { state: '3', statusCode: '301', createdAt: '2026-05-30T00:00:00.000Z', updatedAt: '2026-05-31T10:05:00.000Z', events: [ev('已签收', '2026-05-31 18:00:00')] }),
    rec('p1', { state: '5', statusCode: '5', updatedAt: '2026-06-01T01:00:00.000Z', events: [ev('快递员正在派件', '2026-06-01 09:00:00'), ev('到达', '2026-06-01 06:00:00', '宁波市')] }),
    rec('x1', { state: '2', statusCode: '2', updatedAt: '2026-06-01T00:30:00.000Z', events: [ev('疑难件', '2026-06-01 08:00:00')] }),
    rec('l1', { state: null, statusCode: null, createdAt: '2026-05-30T00:00:00.000Z', updatedAt: '2026-05-30T00:00:00.000Z', lastPushAt: null }),
    rec('t1', { state: '0', statusCode: '0', updatedAt: '2026-05-29T00:00:00.000Z', lastPushAt: '2026-05-29T00:00:00.000Z', events: [ev('运输中', '2026-05-29 08:00:00')] }),
  ];
  const data: DbShape = {
    version: 1,
    walSeq: 0,
    shipments: Object.fromEntries(records.map((r) => [r.id, r])),
    settings: defaultSettings(),
    journal: [],
  };
  const dir = tempDir();
  writeFileSync(join(dir.path, 'parceltray.json'), Buffer.concat([...serializeDb(data)]));
  const clock = new FakeClock(NOW);
  const before = historiesParsedCount();
  const core = await startCore({ dataDir: dir.path, clock, secrets: new MemorySecretStore() });
  open = { core, remove: dir.remove };
  return { core, clock, reads: () => historiesParsedCount() - before };
}

describe('walking every parcel reads no history', () => {
  it('start, a list page, the status, the tray, a search, days order, export, repair plan: zero reads', async () => {
    const { core, clock, reads } = await openLazyCore();
    const t = core.tracker;
    clock.advance(1); // the search texts are warmed on a timer after start

    const page = await t.listPage({ offset: 0, limit: 50 });
    expect(page.ok && page.value.total).toBe(6);
    const d1 = page.ok ? page.value.items.find((s) => s.id === 'd1')! : null;
    expect(d1).toMatchObject({ events: [{ context: '已签收，签收人：本人' }], eventCount: 3, predictedRoute: null, group: 'delivered' });

    const status = await t.getStatus();
    if (!status.ok) throw new Error('no status');
    expect(status.value.counts).toMatchObject({ delivering: 1, exception: 1, delivered: 2 });
    const tray = trayModel(status.value, t.signedToday(), 'zh');
    expect(tray.counts).toEqual({ delivering: 1, exception: 1, signedToday: 1, pickupLate: 1 });

    const found = await t.listPage({ q: '杭州转运', offset: 0, limit: 10 });
    expect(found.ok && found.value.items.map((s) => s.id)).toEqual(['d1']);
    const byPlace = await t.listPage({ q: '宁波', offset: 0, limit: 10 });
    expect(byPlace.ok && byPlace.value.items.map((s) => s.id)).toEqual(['p1']);
    const byDays = await t.listPage({ sort: 'days', dir: 'asc', offset: 0, limit: 10 });
    expect(byDays.ok && byDays.value.items[0]!.id).toBe('d1');
    expect((await t.exportView({}, 'csv')).ok).toBe(true);
    expect((await t.planRepair()).ok).toBe(true);
    expect(t.list({ state: 'delivered' }).map((s) => s.events.length)).toEqual([1, 1]);

    expect(reads()).toBe(0);
    // The detail is where a history is read (the count does move).
    await t.getShipment('d1');
    expect(reads()).toBe(1);
  });

  it('primes the channels with marks: a few fields per parcel, as its list row says them', async () => {
    const { core, reads } = await openLazyCore();
    const marks = [...core.tracker.marks()];
    expect(reads()).toBe(0);
    const rows = new Map(core.tracker.list().map((s) => [s.id, s]));
    expect(marks).toHaveLength(rows.size);
    for (const m of marks) {
      const s = rows.get(m.id)!;
      expect(m).toEqual({ id: s.id, tracking: s.tracking, state: s.state, statusCode: s.statusCode, stale: s.stale !== null, pickupLate: s.pickupLate !== null });
    }
    // The fixture has both kinds, so the comparison above means something.
    expect(marks.filter((m) => m.stale).length).toBeGreaterThan(0);
    expect(marks.filter((m) => m.pickupLate).map((m) => m.id)).toEqual(['l1']);
  });
});
