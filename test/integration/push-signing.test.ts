/**
 * Every push must be signed (issue 10, finding 5). A waybill whose subscription never went
 * through (failed: no key; pending: tunnel down) has no salt of its own; a push for it must
 * still be signed with one of the install's salts, or it is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import { NoTunnel } from '../../main/core/tunnel/tunnel.js';
import { startTestApp, type TestApp } from '../helpers/core.js';
import { recordsOnDisk } from '../helpers/disk.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { item, makePush, postPush } from '../helpers/push.js';

describe('unsigned pushes to parcels that were never subscribed', () => {
  let app: TestApp;
  const secrets = new MemorySecretStore();
  let serial = 0;
  const nextNumber = (): string => `YT71${String(++serial).padStart(11, '0')}`;

  const add = (number: string) =>
    app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ company: 'yuantong', number }) });
  const delivered = (number: string) => makePush(number, 'yuantong', '3', [item('2025-07-01 10:00:00', '已签收，签收人：伪造', '签收', '3')], 'shutdown');
  /** What a forged push would change; not updatedAt or the next retry time, which the retry loop moves. */
  const visible = async (id: string) => {
    const r = (await recordsOnDisk(app.dataDir)).find((x) => x.id === id)!;
    return { state: r.state, tracking: r.tracking, events: r.events, lastPushAt: r.lastPushAt, status: r.subscription.status, salt: r.subscription.salt };
  };

  beforeAll(async () => {
    app = await startTestApp({
      secrets,
      // Kuaidi100 as provider, the tunnel never up: no public callback URL.
      initialSettings: { provider: 'kuaidi100' },
      createTunnel: () => new NoTunnel('localtunnel'),
    });
  }, 60_000);
  afterAll(() => app.close());

  /** A parcel whose subscription failed (no key) and one left pending (tunnel down), both without a salt. */
  const unsubscribedParcels = async (): Promise<[string, string, string][]> => {
    secrets.set('key', null);
    const failed = await add(nextNumber());
    expect(failed.status).toBe(201);
    expect(failed.body.subscription.status).toBe('failed');
    secrets.set('key', 'test-key');
    const pending = await add(nextNumber());
    expect(pending.status).toBe(201);
    expect(pending.body.subscription.status).toBe('pending');
    return [
      ['failed', failed.body.number, failed.body.id],
      ['pending', pending.body.number, pending.body.id],
    ];
  };

  it.each([
    ['no sign', null],
    ['a wrong sign', 'notOurSalt0123456789ab'],
  ])('refuses a push with %s with 403 and changes nothing', async (_what, salt) => {
    for (const [status, number, id] of await unsubscribedParcels()) {
      const before = await visible(id);
      expect(before.status).toBe(status);
      expect(before.salt).toBeNull();
      const res = await postPush(app.core.callbackServer.localUrl, delivered(number), salt);
      expect(res.status, `${status} parcel`).toBe(403);
      expect(await visible(id)).toEqual(before);
      const shown = (await app.json<ShipmentDto>(`/api/shipments/${id}`)).body;
      expect(shown.subscription.status).toBe(status);
      expect(shown.state).toBeNull();
    }
  });

  it('accepts a push signed with the install salt', async () => {
    const salt = app.core.store.settings.salt;
    for (const [, number, id] of await unsubscribedParcels()) {
      const res = await postPush(app.core.callbackServer.localUrl, delivered(number), salt);
      expect(res.status).toBe(200);
      expect((await visible(id)).state).toBe('3');
    }
  });

  it('accepts a push signed with a previous install salt', async () => {
    const old = app.core.store.settings.salt;
    const changed = await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ salt: 'aNewSalt0123456789abcd' }) });
    expect(changed.status).toBe(200);
    const number = nextNumber();
    // Subscribed before the salt changed (its record lost): a push signed with the old salt is ours.
    const res = await postPush(app.core.callbackServer.localUrl, delivered(number), old);
    expect(res.status).toBe(200);
    expect((await recordsOnDisk(app.dataDir)).some((r) => r.number === number)).toBe(true);
  });
});
