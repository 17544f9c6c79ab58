/** A push for a parcel already in the archive brings that parcel back, never a second record. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signPush } from '../../main/core/kuaidi100/signature.js';
import type { PushDataItem } from '../../main/core/kuaidi100/wire-types.js';
import { Archive } from '../../main/core/store/archive.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings, Tracker } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { item, makePush } from '../helpers/push.js';

const DAY = 86_400_000;
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function world(dir = mkdtempSync(join(tmpdir(), 'parceltray-rejoin-'))) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 8, 0, 0));
  const store = await ShipmentStore.openDir(dir, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }), { fsync: false });
  const archive = new Archive(join(dir, 'archive'), { fsync: false });
  const tracker = new Tracker({
    store,
    archive,
    secrets: new MemorySecretStore(),
    clock,
    callback: { local: () => 'http://127.0.0.1:9/cb', public: () => null },
    tunnelStatus: () => ({ mode: 'none', state: 'off', url: null, error: null, since: '2026-06-01T00:00:00.000Z' }),
    checkTunnel: async () => ({ mode: 'none', state: 'off', url: null, error: null, since: '2026-06-01T00:00:00.000Z' }),
    sandboxUrl: () => null,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await tracker.stop();
    await store.close();
  };
  closers.push(close);
  return { dir, clock, store, archive, tracker, close };
}

const NUMBER = 'YT9100000000001';
const pushOf = (salt: string, state: string, data: PushDataItem[]) => {
  const raw = JSON.stringify(makePush(NUMBER, 'yuantong', state, data));
  return [raw, JSON.parse(raw), signPush(raw, salt)] as const;
};
const delivered = [item('2026-06-01 15:00:00', '已签收', '签收', '301'), item('2026-06-01 08:00:00', '已揽收', '揽收', '1')];
const returned = [item('2026-07-20 10:00:00', '买家申请退回，快件退回中', '退回', '6'), ...delivered];

describe('a push for an archived parcel', () => {
  it('rejoins it: one record, back in the active list with its old history and the new scan, gone from the archive', async () => {
    const w = await world();
    const salt = w.store.settings.salt;
    const first = await w.tracker.receivePush(...pushOf(salt, '3', delivered));
    expect(first.kind === 'stored' && first.created).toBe(true);
    const id = first.kind === 'stored' ? first.id : '';
    w.clock.advance((w.store.settings.archiveAfterDays + 1) * DAY);
    expect(await w.tracker.archiveDone()).toBe(1);
    expect(w.store.size).toBe(0);

    const again = await w.tracker.receivePush(...pushOf(salt, '6', returned));
    expect(again).toMatchObject({ kind: 'stored', id, created: false, changed: true });
    expect(w.store.size).toBe(1);
    expect(w.store.get(id)?.events.map((e) => e.context)).toEqual(['买家申请退回，快件退回中', '已签收', '已揽收']);
    // The archived record kept its salt: the rejoined one is still checked against it.
    expect(w.store.get(id)?.subscription.salt).toBe(salt);
    expect((await w.archive.search({ q: NUMBER })).total).toBe(0);
    const active = await w.tracker.listShipments({ q: NUMBER });
    expect(active.ok && active.value.map((s) => `${s.id}:${s.archived ?? false}`)).toEqual([`${id}:false`]);
    const withArchive = await w.tracker.listShipments({ q: NUMBER, archived: true });
    expect(withArchive.ok && withArchive.value.map((s) => s.id)).toEqual([id]);
  });

  it('is rejected when not signed with the salt the archived parcel was subscribed with', async () => {
    const w = await world();
    const salt = w.store.settings.salt;
    await w.tracker.receivePush(...pushOf(salt, '3', delivered));
    w.clock.advance((w.store.settings.archiveAfterDays + 1) * DAY);
    expect(await w.tracker.archiveDone()).toBe(1);
    const forged = await w.tracker.receivePush(...pushOf('not-our-salt', '6', returned));
    expect(forged).toMatchObject({ kind: 'rejected', httpStatus: 403 });
    expect(w.store.size).toBe(0);
    expect((await w.archive.search({ q: NUMBER })).total).toBe(1);
  });

  it('two pushes at once for the same archived parcel make one record holding both', async () => {
    const w = await world();
    const salt = w.store.settings.salt;
    await w.tracker.receivePush(...pushOf(salt, '3', delivered));
    w.clock.advance((w.store.settings.archiveAfterDays + 1) * DAY);
    expect(await w.tracker.archiveDone()).toBe(1);
    const [a, b] = await Promise.all([w.tracker.receivePush(...pushOf(salt, '6', returned)), w.tracker.receivePush(...pushOf(salt, '6', returned))]);
    expect(a.kind === 'stored' && b.kind === 'stored' && a.id === b.id).toBe(true);
    expect(w.store.size).toBe(1);
    expect((await w.archive.search({ q: NUMBER })).total).toBe(0);
  });

  it('a crash between storing it and taking it out leaves it in both places; the next pass keeps the hot copy only', async () => {
    const w = await world();
    const salt = w.store.settings.salt;
    const first = await w.tracker.receivePush(...pushOf(salt, '3', delivered));
    const id = first.kind === 'stored' ? first.id : '';
    w.clock.advance((w.store.settings.archiveAfterDays + 1) * DAY);
    expect(await w.tracker.archiveDone()).toBe(1);
    // The crash: the record is back in the hot store, the archive never heard of it.
    const archived = await w.archive.get(id);
    await w.store.put({ ...archived!, updatedAt: new Date(w.clock.now()).toISOString(), endedAt: null, state: '6' });
    await w.close();

    const w2 = await world(w.dir);
    expect(w2.store.get(id)).toBeDefined();
    // Lists meanwhile show it once (the hot copy); the search opened the archive, so the pass cleans up.
    expect((await w2.archive.search({ q: NUMBER })).total).toBe(1);
    const listed = await w2.tracker.listShipments({ q: NUMBER, archived: true });
    expect(listed.ok && listed.value.map((s) => `${s.id}:${s.archived ?? false}`)).toEqual([`${id}:false`]);
    expect(await w2.tracker.archiveDone()).toBe(0);
    expect((await w2.archive.search({ q: NUMBER })).total).toBe(0);
    expect(w2.store.get(id)?.state).toBe('6');
  });
});
