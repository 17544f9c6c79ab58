/** The list over HTTP: a page with total and counts when `offset` is given, the old array without; new settings validated. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsDto, ShipmentDto, ShipmentPageDto } from '../../preload/contract.js';
import { parseQuery, parseSettingsPatch } from '../../main/core/input-validation.js';
import { startTestApp, type TestApp } from '../helpers/core.js';

type Err = { error: { code: string; field?: string; message: string; messageEn?: string } };

describe('list API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    for (const [number, company] of [['YT6186594166530', 'yuantong'], ['ZT7300000000010', 'zhongtong'], ['YT6186594166540', 'yuantong']] as const) {
      const r = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number, company }) });
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => app.close());

  it('answers GET /api/shipments?offset= with one page, the total and the counts', async () => {
    const page = await app.json<ShipmentPageDto>('/api/shipments?offset=1&limit=1&sort=added&dir=asc');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(3);
    expect(page.body.offset).toBe(1);
    expect(page.body.items.map((s) => s.number)).toEqual(['ZT7300000000010']);
    expect(page.body.counts.all).toBe(3);
    const yt = await app.json<ShipmentPageDto>('/api/shipments?offset=0&carrier=yuantong');
    expect(yt.body.items.map((s) => s.number).sort()).toEqual(['YT6186594166530', 'YT6186594166540']);
    // Without offset: the whole list as an array, as before.
    const all = await app.json<ShipmentDto[]>('/api/shipments');
    expect(Array.isArray(all.body) && all.body.length).toBe(3);
    const bad = await app.json<Err>('/api/shipments?offset=0&sort=price');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid', field: 'sort' });
  });

  it('takes the thresholds, the pickup hours and the seen mark in Settings, and refuses nonsense in both languages', async () => {
    const put = (body: unknown) => app.json<SettingsDto & Err>('/api/settings', { method: 'PUT', body: JSON.stringify(body) });
    const ok = await put({ stale: { deliveringHours: 12 }, pickupHours: 48, notificationsSeenAt: '2026-06-01T00:00:00.000Z' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ stale: { deliveringHours: 12, transitHours: 72, firstPushHours: 12 }, pickupHours: 48, notificationsSeenAt: '2026-06-01T00:00:00.000Z' });
    const zero = await put({ pickupHours: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.error).toMatchObject({ field: 'pickupHours', messageEn: expect.stringContaining('hours') });
    expect((await put({ stale: { transitHours: 1.5 } })).body.error.field).toBe('stale.transitHours');
    expect((await put({ stale: { weeks: 1 } })).body.error.field).toBe('stale.weeks');
    expect((await put({ notificationsSeenAt: 'yesterday' })).body.error.field).toBe('notificationsSeenAt');
  });

  it('validates the query the same way for IPC (a plain object, ids as an array)', () => {
    expect(parseQuery({ offset: 5, limit: 10, sort: 'days', dir: 'asc', carrier: 'shunfeng', ids: ['a1', 'b2'] })).toEqual({
      ok: true,
      value: { q: undefined, state: undefined, archived: false, full: false, limit: 10, offset: 5, sort: 'days', dir: 'asc', carrier: 'shunfeng', ids: ['a1', 'b2'] },
    });
    expect(parseQuery({ offset: -1 }).ok).toBe(false);
    expect(parseQuery({ ids: ['../x'] }).ok).toBe(false);
    expect(parseSettingsPatch({ pickupHours: 721 }).ok).toBe(false);
  });
});
