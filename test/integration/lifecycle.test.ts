import { afterEach, describe, expect, it } from 'vitest';
import type { RepairPlanDto, ShipmentDto } from '../../preload/contract.js';
import { startCore, type Core } from '../../main/core/app.js';
import { SandboxServer } from '../../main/core/sandbox/sandbox-server.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/core.js';
import { freePort } from '../helpers/localtunnel-server.js';
import { item, makePush, postPush } from '../helpers/push.js';
import { runTimers } from '../helpers/run-timers.js';

const MIN = 60_000;

/** Waits for the work the last clock step started: pushes on their way and the core's tasks. */
async function settle(w: World): Promise<void> {
  do {
    await w.sandbox.idle();
    await w.core?.scheduler.idle();
  } while (w.sandbox.busy);
}

/**
 * Moves the fake clock timer by timer, waiting after each for the work it started (a push over
 * real HTTP, a store write), so that what happens at a fake time is done before time moves on.
 */
function run(w: World, ms: number): Promise<void> {
  return runTimers(w.clock, ms, () => settle(w));
}

interface World {
  clock: FakeClock;
  sandbox: SandboxServer;
  dir: ReturnType<typeof tempDir>;
  callbackPort: number;
  secrets: MemorySecretStore;
  core: Core | null;
}
const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.core?.close();
    await w.sandbox.close();
    w.dir.remove();
  }
});

async function world(): Promise<World> {
  const clock = new FakeClock(Date.UTC(2026, 5, 10, 1, 0, 0));
  // Kuaidi100 in compressed but faithful time: first push after 5 min, then every 10 min,
  // failed pushes retried 3 times 30 minutes apart, resubscribe allowed 30 min after the end.
  const sandbox = new SandboxServer({ clock, firstPushMs: 5 * MIN, stepMs: 10 * MIN, retryDelayMs: 30 * MIN, resubscribeDelayMs: 30 * MIN });
  await sandbox.listen();
  const w: World = { clock, sandbox, dir: tempDir(), callbackPort: await freePort(), secrets: new MemorySecretStore(), core: null };
  worlds.push(w);
  return w;
}

async function start(w: World): Promise<Core> {
  w.core = await startCore({ dataDir: w.dir.path, clock: w.clock, sandboxServer: w.sandbox, secrets: w.secrets, callbackPort: w.callbackPort, retryIntervalMs: MIN });
  return w.core;
}

async function get(core: Core, id: string): Promise<ShipmentDto> {
  const r = await core.tracker.getShipment(id);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function add(core: Core, number: string, company = 'yuantong'): Promise<ShipmentDto> {
  const r = await core.tracker.addShipment({ number, company });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('subscription lifecycle (fake clock, sandbox)', () => {
  it('shutdown: delivered and done, never stale', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000010');
    await run(w, 60 * MIN);
    const done = await get(core, s.id);
    expect(done).toMatchObject({ tracking: 'shutdown', state: '3', group: 'delivered', stale: null });
    // A day of the running core's timers, then nine days closed (each fake day of a running
    // core is 17,280 lock checks and 288 heartbeat writes: ten of them took 5-11 s beside
    // another suite, against a 20 s budget). Staleness is judged when read, so what counts
    // is the ten days, and that a restart after a long absence does not mark it either.
    await run(w, 24 * 60 * MIN);
    expect((await get(core, s.id)).stale).toBeNull();
    await core.close();
    w.clock.advance(9 * 24 * 60 * MIN);
    const later = await start(w);
    expect((await get(later, s.id)).stale).toBeNull();
  });

  it('abort 3天查询无记录: attention with the reason; resubscribe only 30 minutes later', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000019');
    await run(w, 10 * MIN);
    const aborted = await get(core, s.id);
    expect(aborted).toMatchObject({ tracking: 'abort', trackingMessage: '3天查询无记录', group: 'todo', todo: 'aborted' });
    expect(Date.parse(aborted.resubscribeAfter!) - w.clock.now()).toBeGreaterThan(20 * MIN);
    const requests = w.sandbox.requests.length;
    const early = await core.tracker.resubscribe(s.id);
    expect(early).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(w.sandbox.requests.length).toBe(requests);
    await run(w, 31 * MIN);
    const later = await core.tracker.resubscribe(s.id);
    expect(later).toMatchObject({ ok: true, value: { subscription: { returnCode: '200' } } });
  });

  it('abort with comOld/comNew: switches carrier, stays tracked, accepts autoCheck=1 pushes to 签收', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000099');
    await run(w, 6 * MIN);
    const switched = await get(core, s.id);
    expect(switched).toMatchObject({ company: 'ems', comOld: 'yuantong', comNew: 'ems', tracking: 'abort', group: 'transit', resubscribeAfter: null });
    await run(w, 60 * MIN);
    expect(await get(core, s.id)).toMatchObject({ company: 'ems', state: '3', tracking: 'shutdown', group: 'delivered' });
  });

  it('abort 60天无变化: attention; updateall replaces the history', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000020');
    const salt = core.store.settings.salt;
    const url = core.callbackServer.localUrl;
    await postPush(url, makePush('YT3000000000020', 'yuantong', '0', [item('2026-06-10 09:00:00', '在途 A'), item('2026-06-10 08:00:00', '揽收')]), salt);
    await postPush(url, makePush('YT3000000000020', 'yuantong', '0', [item('2026-06-10 09:00:00', '在途（更正）'), item('2026-06-10 08:00:00', '揽收')], 'updateall'), salt);
    expect((await get(core, s.id)).events.map((e) => e.context)).toEqual(['在途（更正）', '揽收']);
    await postPush(url, { ...makePush('YT3000000000020', 'yuantong', '0', [], 'abort'), message: '60天无变化' }, salt);
    expect(await get(core, s.id)).toMatchObject({ tracking: 'abort', trackingMessage: '60天无变化', group: 'todo', todo: 'aborted' });
  });

  it('501 while tracked counts as active', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000030');
    const again = await core.tracker.resubscribe(s.id);
    expect(again).toMatchObject({ ok: true, value: { subscription: { status: 'active', returnCode: '501' } } });
  });

  it('refuses a fifth subscription in a month locally, before spending an API call', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT3000000000039'); // aborts at once: resubscribable every 30 min
    for (let i = 2; i <= 4; i++) {
      await run(w, 41 * MIN);
      expect(await core.tracker.resubscribe(s.id), `attempt ${i}`).toMatchObject({ ok: true });
    }
    await run(w, 41 * MIN);
    expect((await get(core, s.id)).attemptsThisMonth).toBe(4);
    const requests = w.sandbox.requests.length;
    const fifth = await core.tracker.resubscribe(s.id);
    expect(fifth).toMatchObject({ ok: false, error: { code: 'not-allowed', message: expect.stringContaining('每月上限') } });
    expect(w.sandbox.requests.length).toBe(requests);
  });
});

describe('knowing when pushes may have been lost', () => {
  it('a 3-hour downtime during the final push marks the parcel; repair resubscribes and 签收 arrives', async () => {
    const w = await world();
    let core = await start(w);
    const lost = await add(core, 'YT4000000000010');
    // 揽收 at +5 min, 在途 +15, 到达 +25, 派件 +35: the app sees them all
    await run(w, 40 * MIN);
    expect((await get(core, lost.id)).state).toBe('5');
    // the app quits; 签收 is pushed at +45 and retried at +75, +105, +135, then dropped
    await core.close();
    w.core = null;
    await run(w, 180 * MIN);
    expect(w.sandbox.log.filter((l) => l.number === 'YT4000000000010' && l.outcome !== 'delivered').map((l) => l.outcome)).toEqual(['failed', 'failed', 'failed', 'dropped']);

    core = await start(w);
    // a parcel added after the downtime gets its pushes and is not marked
    const fine = await add(core, 'YT4000000000020');
    await run(w, 10 * MIN);
    const marked = await get(core, lost.id);
    expect(marked.state).toBe('5');
    expect(marked.stale?.reason).toContain('应用未运行');
    expect((await get(core, fine.id)).stale).toBeNull();

    const plan = (await core.tracker.planRepair()) as { ok: true; value: RepairPlanDto };
    expect(plan.value.calls).toBe(1);
    expect(plan.value.items).toEqual([expect.objectContaining({ id: lost.id, action: 'resubscribe' })]);
    await core.tracker.repair();
    await run(w, 10 * MIN);
    expect(await get(core, lost.id)).toMatchObject({ state: '3', tracking: 'shutdown', stale: null });
    // the journal is in the store: a restart still knows about the outage
    await core.close();
    core = await start(w);
    expect(core.store.journal.some((o) => o.reason === 'not-running')).toBe(true);
  });

  it('marks a parcel without pushes for longer than its state allows', async () => {
    const w = await world();
    const core = await start(w);
    const s = await add(core, 'YT4000000000030');
    await run(w, 40 * MIN); // 派件
    // stop the sandbox's progression: nothing more will come for this parcel
    await w.sandbox.close();
    expect((await get(core, s.id)).stale).toBeNull();
    w.clock.advance(25 * 60 * MIN);
    const s2 = await get(core, s.id);
    expect(s2.stale?.reason).toContain('派件后 24 小时没有新动态');
    w.sandbox = new SandboxServer();
  });
});

describe('archive', () => {
  it('moves delivered and ended parcels out of the hot store after archiveAfterDays; search still finds them', async () => {
    const w = await world();
    const core = await start(w);
    const delivered = await add(core, 'YT5000000000010');
    const aborted = await add(core, 'YT5000000000019');
    await run(w, 60 * MIN);
    // one more that stays on its way: the sandbox is gone before it gets anywhere
    await w.sandbox.close();
    w.sandbox = new SandboxServer();
    const onItsWay = await add(core, 'YT5000000000030');
    expect(await core.tracker.archiveDone()).toBe(0);
    // The seller opens the app a month later. Closed over the month, because a running core
    // checks its lock file every 5 s: 31 days of those is half a million checks and many
    // seconds, whereas what is tested here is the age rule, not the timers.
    await core.close();
    w.clock.advance(31 * 24 * 60 * MIN);
    const later = await start(w);
    expect(await later.tracker.archiveDone()).toBe(2);
    expect(later.store.get(delivered.id)).toBeUndefined();
    expect(later.store.get(aborted.id)).toBeUndefined();
    expect(later.store.get(onItsWay.id)).toBeDefined();
    const withArchive = await later.tracker.listShipments({ q: 'YT50000000000', archived: true });
    expect(withArchive.ok && withArchive.value.map((s) => `${s.number}:${s.archived}`).sort()).toEqual([
      'YT5000000000010:true',
      'YT5000000000019:true',
      'YT5000000000030:false',
    ]);
    const activeOnly = await later.tracker.listShipments({ q: 'YT50000000000' });
    expect(activeOnly.ok && activeOnly.value.map((s) => s.number)).toEqual(['YT5000000000030']);
    // the archive is on disk, and a restart finds it
    await later.close();
    const again = await start(w);
    const found = await again.tracker.listShipments({ q: 'YT5000000000010', archived: true });
    expect(found.ok && found.value[0]?.state).toBe('3');
  });
});
