import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent, SettingsDto, ShipmentDto, StatusDto } from '../../preload/contract.js';
import { startTestApp, TOKEN, waitFor, type TestApp } from '../helpers/core.js';

type Err = { error: { code: string; message: string; field?: string } };

describe('headless JSON API', () => {
  let app: TestApp;
  const post = (body: unknown) => app.json<ShipmentDto & Err>('/api/shipments', { method: 'POST', body: JSON.stringify(body) });

  // A fresh app per test: each runs alone and in any order.
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(() => app.close());

  it('requires the bearer token and the server’s own Host', async () => {
    const url = `http://127.0.0.1:${app.web.port}/api/status`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    // fetch drops a custom Host header; a DNS-rebinding page would send its own name
    const foreign = await new Promise<number>((resolve, reject) => {
      request(url, { headers: { authorization: `Bearer ${TOKEN}`, host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(foreign).toBe(421);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('adds a waybill that the sandbox then moves to 签收 live', async () => {
    const { status, body } = await post({ number: 'YT6186594166530', company: 'yuantong', note: '王五 #1001' });
    expect(status).toBe(201);
    expect(body.subscription).toMatchObject({ status: 'active', returnCode: '200', attempts: 1 });
    const done = await waitFor(async () => {
      const s = (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body;
      return s.tracking === 'shutdown' ? s : undefined;
    }, 10_000, 'the sandbox to deliver');
    expect(done).toMatchObject({ state: '3', statusCode: '301', group: 'delivered', isCheck: true, note: '王五 #1001' });
    expect(done.events.map((e) => e.statusCode)).toEqual(['301', '5', '1001', '1002', '103']);
  });

  it('answers 400 with code, message and field for invalid input', async () => {
    const cases: [unknown, string][] = [
      [{}, 'number'],
      [{ number: 123 }, 'number'],
      [{ number: '12' }, 'number'],
      [{ number: 'YT1234567', company: '不存在的快递' }, 'company'],
      [{ number: 'SF1234567890', company: 'shunfeng', phone: '12' }, 'phone'],
      [{ number: 'YT1234567', autoCom: 'yes' }, 'autoCom'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid', field });
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      // every message also comes in English, for the window in English
      // (it may quote what the seller typed, in any script)
      const en = (r.body.error as { messageEn?: string }).messageEn ?? '';
      expect(en).toMatch(/^[A-Za-z]+( [A-Za-z]+)* /);
      expect(en).not.toBe(r.body.error.message);
    }
    const broken = await app.api('/api/shipments', { method: 'POST', body: '{not json' });
    expect(broken.status).toBe(400);
  });

  it('routing errors come in Chinese and English', async () => {
    const answers = [
      await app.json<Err & { error: { messageEn?: string } }>('/api/nothing'),
      await app.json<Err & { error: { messageEn?: string } }>('/api/status', { method: 'POST' }),
      await app.json<Err & { error: { messageEn?: string } }>('/api/shipments', { method: 'POST', body: '{not json' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 405, 400]);
    for (const a of answers) {
      expect(a.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(a.body.error.messageEn).toMatch(/^[A-Z][\x20-\x7e]+$/);
    }
  });

  it('refuses a duplicate waybill with 409', async () => {
    expect((await post({ number: 'ZT7355876787650', company: 'zhongtong' })).status).toBe(201);
    const dup = await post({ number: ' ZT7355876787650 ', company: '中通快递' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'duplicate', field: 'number' });
  });

  it('filters by state group and searches number and note', async () => {
    await post({ number: 'YT5555555555550', company: 'yuantong', note: '赵六 订单 A-17' });
    // "…9" aborts (3天查询无记录): one parcel that never counts as delivered
    await post({ number: 'YT5555555555559', company: 'yuantong' });
    const byNote = (await app.json<ShipmentDto[]>(`/api/shipments?q=${encodeURIComponent('赵六')}`)).body;
    expect(byNote.map((s) => s.number)).toEqual(['YT5555555555550']);
    const byNumber = (await app.json<ShipmentDto[]>('/api/shipments?q=55555')).body;
    expect(byNumber.map((s) => s.number).sort()).toEqual(['YT5555555555550', 'YT5555555555559']);
    await waitFor(async () => (await app.json<ShipmentDto[]>('/api/shipments?state=delivered')).body.length >= 1);
    const delivered = (await app.json<ShipmentDto[]>('/api/shipments?state=delivered')).body;
    expect(delivered.map((s) => s.number)).toEqual(['YT5555555555550']);
    const all = (await app.json<ShipmentDto[]>('/api/shipments')).body;
    expect(all.length).toBeGreaterThan(delivered.length);
  });

  it('removes and resubscribes; unknown ids are 404', async () => {
    const { body } = await post({ number: 'YT4444444444449', company: 'yuantong' });
    // "…9" aborts with 3天查询无记录: wait for it, then resubscribe after the sandbox's 30-minute stand-in
    await waitFor(async () => (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body.tracking === 'abort');
    // Kuaidi100 accepts a resubscribe only 30 minutes after the abort: refused here, no API call spent
    const early = await app.json<{ error: { code: string; message: string } }>(`/api/shipments/${body.id}/resubscribe`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'not-allowed', message: expect.stringContaining('半小时') });
    const rec = app.core.store.get(body.id)!;
    await app.core.store.put({ ...rec, endedAt: new Date(Date.now() - 31 * 60_000).toISOString() });
    await new Promise((r) => setTimeout(r, 250));
    const again = await app.json<ShipmentDto>(`/api/shipments/${body.id}/resubscribe`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.body.subscription).toMatchObject({ attempts: 2, returnCode: '200' });
    expect((await app.api(`/api/shipments/${body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await app.api(`/api/shipments/${body.id}`)).status).toBe(404);
    expect((await app.api('/api/shipments/s_nothing')).status).toBe(404);
    expect((await app.api('/api/shipments/..%2F..%2Fetc')).status).toBe(400);
    expect((await app.api('/api/nothing')).status).toBe(404);
  });

  it('never returns secrets, and validates settings', async () => {
    const put = (body: unknown) => app.json<SettingsDto & Err>('/api/settings', { method: 'PUT', body: JSON.stringify(body) });
    const r = await put({ appCode: 'my-secret-appcode', resultv2: '8', tunnel: { mode: 'none' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ appCodeSet: true, keySet: false, resultv2: '8', tunnel: { mode: 'none' } });
    const text = JSON.stringify((await app.json('/api/settings')).body);
    expect(text).not.toContain('my-secret-appcode');
    expect(text).not.toContain(app.core.store.settings.salt);
    for (const [body, field] of [
      [{ provider: 'ups' }, 'provider'],
      [{ resultv2: '5' }, 'resultv2'],
      [{ tunnel: { subdomain: 'A_B' } }, 'tunnel.subdomain'],
      [{ tunnel: { mode: 'ssh' } }, 'tunnel.mode'],
      [{ notify: { states: ['99'] } }, 'notify.states'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const bad = await put(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.field).toBe(field);
    }
    await put({ resultv2: '4' });
  });

  it('reports status with callback URL, tunnel and provider', async () => {
    await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ tunnel: { mode: 'none' } }) });
    await post({ number: 'YT7777777777770', company: 'yuantong' });
    const { body } = await app.json<StatusDto>('/api/status');
    expect(body.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/kuaidi100\/callback\/[a-z0-9]{24}$/);
    expect(body.tunnel).toMatchObject({ mode: 'none', state: 'off' });
    expect(body.provider).toMatchObject({ id: 'sandbox', ready: true });
    expect(body.counts.all).toBeGreaterThan(0);
  });

  it('streams change events (server-sent events)', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${app.web.port}/api/events?token=${TOKEN}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const events: ChangeEvent[] = [];
    const reading = (async () => {
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        for (const m of buf.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!) as ChangeEvent);
        buf = buf.slice(buf.lastIndexOf('\n') + 1);
      }
    })().catch(() => {});
    const { body } = await post({ number: 'YT3333333333330', company: 'yuantong' });
    await waitFor(() => events.some((e) => e.type === 'shipment' && e.shipment.id === body.id && e.shipment.state !== null), 10_000, 'a push event');
    // counts follow within 200 ms (coalesced over a burst)
    await waitFor(() => events.some((e) => e.type === 'status'), 5_000, 'a status event');
    ctrl.abort();
    await reading;
  });
});

describe('subscriptions that cannot be made right now', () => {
  let app: TestApp;
  let down: Server;
  let calls = 0;
  let answer: 'hang' | '500' | 'ok' = '500';

  beforeAll(async () => {
    // A stand-in for Kuaidi100 that fails first, then recovers.
    down = createServer((req, res) => {
      calls += 1;
      req.resume();
      if (answer === 'hang') return;
      const body = answer === '500' ? { result: false, returnCode: '500', message: '服务器错误' } : { result: true, returnCode: '200', message: '提交成功' };
      res.writeHead(answer === '500' ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
  });
  beforeEach(async () => {
    app = await startTestApp({ subscribeTimeoutMs: 200 });
  });
  afterEach(() => app.close());
  afterAll(async () => {
    down.closeAllConnections();
    await new Promise((r) => down.close(r));
  });

  it('keeps a waybill as failed on missing credentials and subscribes once they are set', async () => {
    await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ provider: 'huawei', tunnel: { mode: 'none' } }) });
    const { status, body } = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT2222222222220', company: 'yuantong' }) });
    expect(status).toBe(201);
    expect(body.subscription.status).toBe('failed');
    expect(body.subscription.message).toContain('AppCode');
    expect(body.subscription.messageEn).toBe('No Huawei Cloud AppCode set (Settings → Provider)');
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/poll`;
    answer = 'ok';
    await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ appCode: 'real-code', pollUrl: url }) });
    const s = await waitFor(async () => {
      const r = (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body;
      return r.subscription.status === 'active' ? r : undefined;
    });
    expect(s.subscription.returnCode).toBe('200');
  });

  it('retries 500 and timeouts with backoff until they succeed', async () => {
    answer = '500';
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/poll`;
    await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ provider: 'huawei', tunnel: { mode: 'none' }, appCode: 'real-code', pollUrl: url }) });
    const { body } = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT2222222222221', company: 'yuantong' }) });
    expect(body.subscription).toMatchObject({ status: 'pending', returnCode: '500' });
    expect(body.subscription.messageEn).toMatch(/^500 Kuaidi100 server error: Temporary Kuaidi100 error, retried automatically; if it persists, check the carrier code\. Next automatic retry: \d\d:\d\d \(1 of 4\)$/);
    expect(Date.parse(body.subscription.nextAttemptAt!)).toBeGreaterThan(Date.now());
    answer = 'hang';
    const before = calls;
    // make it due now instead of waiting out the backoff
    const rec = app.core.store.get(body.id)!;
    await app.core.store.put({ ...rec, subscription: { ...rec.subscription, nextAttemptAt: new Date(0).toISOString() } });
    await waitFor(() => calls > before);
    const timedOut = await waitFor(async () => {
      const r = (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body;
      return r.subscription.returnCode === 'timeout' ? r : undefined;
    });
    expect(timedOut.subscription.status).toBe('pending');
    expect(timedOut.subscription.attempts).toBe(2);
    answer = 'ok';
    const r2 = app.core.store.get(body.id)!;
    await app.core.store.put({ ...r2, subscription: { ...r2.subscription, nextAttemptAt: new Date(0).toISOString() } });
    await waitFor(async () => (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body.subscription.status === 'active');
  });
});

describe('list summaries', () => {
  it('lists carry the newest event and the count; the shipment itself and ?full=1 carry all', async () => {
    const app = await startTestApp();
    try {
      const { body } = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'YT8888888888880', company: 'yuantong' }) });
      await waitFor(async () => (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body.tracking === 'shutdown');
      const [summary] = (await app.json<ShipmentDto[]>('/api/shipments')).body;
      expect(summary!.events).toHaveLength(1);
      expect(summary!.eventCount).toBe(5);
      expect(summary!.events[0]!.statusCode).toBe('301');
      const [full] = (await app.json<ShipmentDto[]>('/api/shipments?full=1')).body;
      expect(full!.events).toHaveLength(5);
      expect((await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body.events).toHaveLength(5);
    } finally {
      await app.close();
    }
  });
});
