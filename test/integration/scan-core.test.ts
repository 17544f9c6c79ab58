/**
 * Issue 12, second wave, through the tracker and the sandbox: the carrier decided in the core
 * on every add, SF never subscribed without a phone, editing a parcel, deleting and adding
 * again, retries that never burn the quota, and the provider's health from its answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeEvent, NotificationDto, ShipmentDto, ShipmentUpdateDto, StatusDto } from '../../preload/contract.js';
import { startCore, type Core } from '../../main/core/app.js';
import { MONTHLY_LIMIT } from '../../main/core/lifecycle.js';
import { SANDBOX_APPCODE, SandboxServer } from '../../main/core/sandbox/sandbox-server.js';
import { RETRY_BACKOFF_MS } from '../../main/core/subscription/retry-policy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestApp, tempDir, waitFor, type TestApp } from '../helpers/core.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { freePort } from '../helpers/localtunnel-server.js';

const MIN = 60_000;
let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const requestsFor = (a: TestApp, number: string) => a.core.sandbox.requests.filter((r) => r.param?.number === number);

describe('the carrier is decided in the core', () => {
  it('one candidate: used; several: the most likely, the others offered; none: autoCom', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const t = app.core.tracker;
    const yt = ok(await t.addShipment({ number: 'YT6186594166530' }));
    expect(yt).toMatchObject({ company: 'yuantong', companyName: '圆通速递', alternatives: [] });
    const yunda = ok(await t.addShipment({ number: '431234567890123' }));
    expect(yunda.company).toBe('yunda');
    expect(yunda.alternatives).toEqual([{ code: 'shentong', name: '申通快递' }]);
    // the alternatives are kept: a restart or a list shows them too
    expect(ok(await t.getShipment(yunda.id)).alternatives).toEqual([{ code: 'shentong', name: '申通快递' }]);
    const unknown = ok(await t.addShipment({ number: 'ZZ12345678' }));
    expect(unknown.company).toBe('');
    expect(requestsFor(app, 'ZZ12345678')[0]?.param?.parameters.autoCom).toBe('1');
    expect(requestsFor(app, 'YT6186594166530')[0]?.param?.company).toBe('yuantong');
  });

  it('an ambiguous name is narrowed by the number, else offered as a choice', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const ems = ok(await app.core.tracker.addShipment({ number: '9812345678901', company: '邮政' }));
    expect(ems.company).toBe('youzhengguonei');
    expect(ems.alternatives.map((a) => a.code)).toEqual(['ems']);
  });
});

describe('SF is never subscribed without a phone', () => {
  it('an SF add without a phone spends no subscription; the phone (even masked) subscribes it', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const t = app.core.tracker;
    const sf = ok(await t.addShipment({ number: 'SF1400000000001' }));
    expect(sf).toMatchObject({ company: 'shunfeng', needsPhone: true, attemptsThisMonth: 0 });
    expect(sf.subscription).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: null });
    expect(sf.subscription.message).toContain('手机号');
    expect(sf.subscription.messageEn).toMatch(/phone/);
    // neither a retry loop nor a repair nor a resubscribe sends it
    expect(await t.retryDue()).toBe(0);
    const again = await t.resubscribe(sf.id);
    expect(again.ok ? again.value.subscription.attempts : 0).toBe(0);
    expect(requestsFor(app, 'SF1400000000001')).toHaveLength(0);

    const edited = ok(await t.updateShipment(sf.id, { phone: '1234' }));
    expect(edited.applied).toBe(true);
    expect(edited.cost).toMatchObject({ attempt: 1, limit: MONTHLY_LIMIT, message: '本月第 1/4 次订阅', messageEn: 'subscription 1 of 4 this month' });
    expect(edited.shipment).toMatchObject({ needsPhone: false, phone: '1234' });
    expect(edited.shipment.subscription.status).toBe('active');
    expect(requestsFor(app, 'SF1400000000001').map((r) => r.param?.parameters.phone)).toEqual(['1234']);
  });

  it('a masked phone over HTTP keeps the last 4 digits', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const r = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'SF1400000000002', phone: '138****6621' }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ phone: '6621', needsPhone: false });
    expect(r.body.subscription.status).toBe('active');
  });
});

describe('editing a parcel', () => {
  it('a new carrier says first what it spends, then resubscribes with it (HTTP PATCH)', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const first = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: '431234567890123' }) });
    expect(first.body.company).toBe('yunda');
    const path = `/api/shipments/${first.body.id}`;
    const dry = await app.json<ShipmentUpdateDto>(path, { method: 'PATCH', body: JSON.stringify({ company: '申通', dryRun: true }) });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ applied: false, cost: { attempt: 1, limit: 4, message: '本月第 1/4 次订阅' } });
    expect(dry.body.shipment.company).toBe('yunda');
    expect(requestsFor(app, '431234567890123')).toHaveLength(1);

    const done = await app.json<ShipmentUpdateDto>(path, { method: 'PATCH', body: JSON.stringify({ company: '申通' }) });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ applied: true, cost: { attempt: 1 } });
    expect(done.body.shipment).toMatchObject({ id: first.body.id, company: 'shentong', companyName: '申通快递' });
    expect(done.body.shipment.subscription.status).toBe('active');
    expect(requestsFor(app, '431234567890123').map((r) => r.param?.company)).toEqual(['yunda', 'shentong']);
    // the old carrier's attempt still counts for the old carrier, not the new one
    expect(done.body.shipment.attemptsThisMonth).toBe(1);

    const note = await app.json<ShipmentUpdateDto>(path, { method: 'PATCH', body: JSON.stringify({ note: '王五' }) });
    expect(note.body).toMatchObject({ applied: true, cost: null, shipment: { note: '王五' } });
    expect(requestsFor(app, '431234567890123')).toHaveLength(2);
  });

  it('a new carrier keeps the parcel’s order numbers and buyer', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const first = await app.json<ShipmentDto>('/api/shipments', {
      method: 'POST',
      body: JSON.stringify({ number: '431234567890456', orderNo: ['PDD-2611-01', 'PDD-2611-02'], buyer: '张**' }),
    });
    expect(first.body.orderNos).toEqual(['PDD-2611-01', 'PDD-2611-02']);
    const done = await app.json<ShipmentUpdateDto>(`/api/shipments/${first.body.id}`, { method: 'PATCH', body: JSON.stringify({ company: '申通' }) });
    expect(done.body.shipment).toMatchObject({ company: 'shentong', orderNos: ['PDD-2611-01', 'PDD-2611-02'], buyer: '张**' });
  });

  it('refuses bad edits with bilingual errors', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const s = ok(await app.core.tracker.addShipment({ number: 'YT6186594166531' }));
    const bad = await app.json<{ error: { field: string; messageEn: string } }>(`/api/shipments/${s.id}`, { method: 'PATCH', body: JSON.stringify({ company: '不存在的快递' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('company');
    expect(bad.body.error.messageEn).toMatch(/Unknown carrier/);
    const missing = await app.json(`/api/shipments/nope`, { method: 'PATCH', body: JSON.stringify({ note: 'x' }) });
    expect(missing.status).toBe(404);
    // the same number is already in the list with that carrier
    ok(await app.core.tracker.addShipment({ number: 'YT6186594166531', company: '中通' }));
    const twin = await app.json<{ error: { code: string } }>(`/api/shipments/${s.id}`, { method: 'PATCH', body: JSON.stringify({ company: '中通' }) });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe('duplicate');
  });

  it('deleted and added again with another carrier: the new one, resubscribed (API too)', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const first = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'ZZ12345678' }) });
    expect(first.body.company).toBe('');
    expect(first.body.subscription.returnCode).toBe('702');
    expect((await app.api(`/api/shipments/${first.body.id}`, { method: 'DELETE' })).status).toBe(200);
    const again = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'ZZ12345678', company: '申通快递' }) });
    expect(again.status).toBe(201);
    expect(again.body.company).toBe('shentong');
    expect(again.body.subscription.status).toBe('active');
    expect(requestsFor(app, 'ZZ12345678').map((r) => r.param?.company)).toEqual(['', 'shentong']);
  });

  it('deleted and added again with a phone: the phone is used', async () => {
    app = await startTestApp({ sandbox: { stepMs: 600_000 } });
    const t = app.core.tracker;
    const sf = ok(await t.addShipment({ number: 'SF1400000000003' }));
    ok(await t.removeShipment(sf.id));
    const back = ok(await t.addShipment({ number: 'SF1400000000003', company: '顺丰速运', phone: '6621' }));
    expect(back).toMatchObject({ company: 'shunfeng', phone: '6621', needsPhone: false });
    expect(back.subscription.status).toBe('active');
    expect(requestsFor(app, 'SF1400000000003').map((r) => r.param?.parameters.phone)).toEqual(['6621']);
  });
});

describe('carrier search', () => {
  it('finds carriers by the names sellers write', async () => {
    app = await startTestApp();
    const codes = async (q: string) => ok(await app!.core.tracker.listCarriers({ q })).map((c) => c.code);
    expect((await codes('J&T'))[0]).toBe('jtexpress');
    expect((await codes('圆通'))[0]).toBe('yuantong');
    expect((await codes('顺丰快递'))[0]).toBe('shunfeng');
  });
});

// ---- fake clock -------------------------------------------------------------------------------

interface World {
  clock: FakeClock;
  sandbox: SandboxServer;
  dir: ReturnType<typeof tempDir>;
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
  const sandbox = new SandboxServer({ clock, firstPushMs: 5 * MIN, stepMs: 600 * MIN });
  await sandbox.listen();
  const w: World = { clock, sandbox, dir: tempDir(), secrets: new MemorySecretStore(), core: null };
  worlds.push(w);
  return w;
}

async function start(w: World, provider?: { appCode: string }): Promise<Core> {
  w.core = await startCore({
    dataDir: w.dir.path,
    clock: w.clock,
    sandboxServer: w.sandbox,
    secrets: w.secrets,
    callbackPort: await freePort(),
    retryIntervalMs: MIN,
    showNotification: () => {},
  });
  if (provider) {
    ok(await w.core.tracker.updateSettings({ provider: 'huawei', appCode: provider.appCode, pollUrl: w.sandbox.url, tunnel: { mode: 'none' } }));
  }
  return w.core;
}

/** Moves the fake clock in steps, awaiting the work each step started (subscribes over real HTTP). */
async function run(w: World, ms: number, step = MIN): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    w.clock.advance(step);
    await w.core!.scheduler.idle();
    await w.core!.tracker.settled();
    // The retry loop arms its next pass once this one has settled (a few promise turns later).
    await new Promise((r) => setImmediate(r));
  }
}

describe('retries never burn the quota (fake clock)', () => {
  it('the sandbox 5xx case over 24 h: at most the backoff’s attempts, never the 4th of the month', async () => {
    const w = await world();
    const core = await start(w);
    const s = ok(await core.tracker.addShipment({ number: 'YT12E5000000001', company: 'yuantong' }));
    expect(s.subscription).toMatchObject({ status: 'pending', returnCode: '500' });
    // the row says when the next try is, and which
    expect(s.subscription.message).toContain('下次自动重试');
    expect(s.subscription.messageEn).toMatch(/Next automatic retry: .* \(1 of 4\)/);
    expect(Date.parse(s.subscription.nextAttemptAt!)).toBe(w.clock.now() + RETRY_BACKOFF_MS[0]!);
    await run(w, 24 * 60 * MIN, 10 * MIN);
    const sent = w.sandbox.requests.filter((r) => r.param?.number === 'YT12E5000000001');
    expect(sent.length).toBeLessThanOrEqual(RETRY_BACKOFF_MS.length + 1);
    expect(sent.length).toBeLessThan(MONTHLY_LIMIT);
    const end = ok(await core.tracker.getShipment(s.id));
    expect(end.attemptsThisMonth).toBe(MONTHLY_LIMIT - 1);
    expect(end.subscription.nextAttemptAt).toBeNull();
    expect(end.subscription.message).toContain('最后 1 次');
    // the last one is the seller's: a resubscribe by hand may spend it
    const byHand = ok(await core.tracker.resubscribe(s.id));
    expect(byHand.attemptsThisMonth).toBe(MONTHLY_LIMIT);
  });
});

describe('the provider’s health comes from its answers (fake clock)', () => {
  it('600 turns it not ready with the reason, one notification; a corrected AppCode resubscribes what waited and clears it', async () => {
    const w = await world();
    const core = await start(w, { appCode: 'wrong-code' });
    const events: ChangeEvent[] = [];
    core.tracker.onChange((e) => events.push(e));
    const status = async (): Promise<StatusDto> => ok(await core.tracker.getStatus());
    expect((await status()).provider.ready).toBe(true);

    const a = ok(await core.tracker.addShipment({ number: 'YT6186594166540' }));
    expect(a.subscription).toMatchObject({ status: 'failed', returnCode: '600' });
    const bad = (await status()).provider;
    expect(bad).toMatchObject({ ready: false, fix: 'appcode' });
    expect(bad.problem).toContain('AppCode');
    expect(bad.problemEn).toMatch(/AppCode/);
    expect(bad.since).toBe(new Date(w.clock.now()).toISOString());
    // a second parcel waits on it too, and says why; still exactly one notification
    const b = ok(await core.tracker.addShipment({ number: 'YT6186594166541' }));
    expect(b.subscription.status).toBe('failed');
    expect(b.subscription.message).toContain('AppCode');
    w.clock.advance(5_000);
    const notices = events.filter((e): e is { type: 'notification'; notification: NotificationDto } => e.type === 'notification');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.notification.body).toContain('AppCode');
    expect(events.some((e) => e.type === 'status' && !e.status.provider.ready)).toBe(true);

    // a restart keeps it until a success
    await core.close();
    const again = await start(w);
    expect(ok(await again.tracker.getStatus()).provider).toMatchObject({ ready: false, fix: 'appcode', since: bad.since });

    ok(await again.tracker.updateSettings({ appCode: SANDBOX_APPCODE }));
    await waitFor(async () => {
      const [x, y] = [ok(await again.tracker.getShipment(a.id)), ok(await again.tracker.getShipment(b.id))];
      return x.subscription.status === 'active' && y.subscription.status === 'active';
    }, 10_000, 'the waiting parcels to be subscribed');
    expect(ok(await again.tracker.getStatus()).provider).toMatchObject({ ready: true, problem: null, fix: null, since: null });
  });
});
