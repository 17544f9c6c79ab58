import { tunnelErrorIn, type TunnelStatusWithEn } from '../../preload/tunnel-status-en.js';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import localtunnel from 'localtunnel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ShipmentDto, StatusDto } from '../../preload/contract.js';
import { SANDBOX_APPCODE } from '../../main/core/sandbox/sandbox-server.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { encodePushBody } from '../../main/core/kuaidi100/push-parse.js';
import { signPush } from '../../main/core/kuaidi100/signature.js';
import { HealthProbe } from '../../main/core/tunnel/health-probe.js';
import { LocaltunnelTunnel } from '../../main/core/tunnel/localtunnel-tunnel.js';
import { startTestApp, waitFor, type TestApp } from '../helpers/core.js';
import { freePort, LocaltunnelServer, LT_DOMAIN } from '../helpers/localtunnel-server.js';
import { item, makePush } from '../helpers/push.js';

/** Posts through the tunnel server the way Kuaidi100 reaches a public URL: same server, public Host. */
function postThroughTunnel(server: LocaltunnelServer, publicCallbackUrl: string, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(publicCallbackUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: url.pathname, method: 'POST', headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('localtunnel with a real localtunnel server', () => {
  let lt: LocaltunnelServer;
  let app: TestApp;
  /** What this test started, to stop after it (a beforeEach that failed half-way left less). */
  let started: (() => Promise<void>)[] = [];
  const status = async (): Promise<StatusDto> => (await app.json<StatusDto>('/api/status')).body;
  const up = (what = 'tunnel up'): Promise<StatusDto> =>
    waitFor(async () => {
      const st = await status();
      return st.tunnel.state === 'up' ? st : undefined;
    }, 20_000, what);

  // A fresh tunnel server and app per test: each runs alone and in any order.
  beforeEach(async () => {
    const server = new LocaltunnelServer(await freePort());
    lt = server;
    started.push(() => server.kill());
    await lt.start();
    const secrets = new MemorySecretStore();
    secrets.set('appCode', SANDBOX_APPCODE);
    app = await startTestApp({
      secrets,
      sandbox: { stepMs: 3_600_000 },
      // a real provider (Huawei-style, pointed at the sandbox's endpoint) so that the tunnel runs
      initialSettings: {
        provider: 'huawei',
        tunnel: { mode: 'localtunnel', host: lt.origin, subdomain: '', publicUrl: '', https: false },
      },
    });
    const own = app;
    started.push(() => own.close());
    await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ pollUrl: app.core.sandbox.url }) });
  }, 60_000);

  afterEach(async () => {
    for (const stop of started.reverse()) await stop();
    started = [];
  });

  it('comes up under the per-install subdomain and shows it in /api/status', async () => {
    const s = await up();
    const sub = `parceltray-${app.core.store.settings.installId}`;
    expect(s.tunnel).toMatchObject({ mode: 'localtunnel', url: `http://${sub}.${LT_DOMAIN}`, error: null });
    expect(s.callbackUrl).toBe(`http://${sub}.${LT_DOMAIN}/kuaidi100/callback/${app.core.store.settings.callbackSecret}`);
  });

  it('delivers a push sent through the tunnel host to the store', async () => {
    await up();
    const { body: shipment } = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ company: 'yuantong', number: 'YT1100000000001' }) });
    expect(shipment.subscription).toMatchObject({ status: 'active', callbackUrl: (await status()).callbackUrl });
    const raw = JSON.stringify(makePush('YT1100000000001', 'yuantong', '5', [item('2025-08-01 09:00:00', '派件（经隧道）', '派件', '5')]));
    const res = await postThroughTunnel(lt, shipment.subscription.callbackUrl!, encodePushBody(raw, signPush(raw, app.core.store.settings.salt)));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ result: true, returnCode: '200', message: '提交成功' });
    expect((await app.json<ShipmentDto>(`/api/shipments/${shipment.id}`)).body.events[0]?.context).toBe('派件（经隧道）');
  });

  it('reports down when the server dies, reconnects to the same subdomain, and pushes land again', async () => {
    const before = (await up()).callbackUrl;
    await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ company: 'yuantong', number: 'YT1100000000001' }) });
    await lt.kill();
    await waitFor(async () => (await status()).tunnel.state === 'down', 15_000, 'tunnel down');
    expect((await status()).tunnel.error).toBeTruthy();
    await lt.start();
    const s = await up('tunnel up again');
    expect(s.callbackUrl).toBe(before);
    const raw = JSON.stringify(makePush('YT1100000000001', 'yuantong', '3', [item('2025-08-01 15:00:00', '已签收（重连后）', '签收', '3'), item('2025-08-01 09:00:00', '派件（经隧道）', '派件', '5')], 'shutdown'));
    const res = await postThroughTunnel(lt, before, encodePushBody(raw, signPush(raw, app.core.store.settings.salt)));
    expect(res.status).toBe(200);
    const list = (await app.json<ShipmentDto[]>('/api/shipments?q=YT1100000000001')).body;
    expect(list[0]).toMatchObject({ state: '3', tracking: 'shutdown' });
  }, 60_000);

  it('reports a taken subdomain, and flags parcels subscribed under the old URL', async () => {
    await up();
    // Someone else holds the subdomain we ask for next.
    const taken = 'someone-elses-name';
    // another user, with the stock localtunnel client
    const holder = await localtunnel({ port: app.core.callbackServer.port, host: lt.origin, subdomain: taken });
    holder.on('error', () => {});
    try {
      expect(holder.url).toBe(`http://${taken}.${LT_DOMAIN}`);
      const { body: shipment } = await app.json<ShipmentDto>('/api/shipments', { method: 'POST', body: JSON.stringify({ company: 'yuantong', number: 'YT1100000000002' }) });
      await app.json('/api/settings', { method: 'PUT', body: JSON.stringify({ tunnel: { subdomain: taken } }) });
      const s = await waitFor(async () => {
        const st = await status();
        return st.tunnel.state === 'up' ? st : undefined;
      }, 20_000, 'tunnel up with another name');
      expect(s.tunnel.url).not.toBe(`http://${taken}.${LT_DOMAIN}`);
      expect(s.tunnel.error).toContain('已被占用');
      const flagged = (await app.json<ShipmentDto>(`/api/shipments/${shipment.id}`)).body;
      expect(flagged.callbackChanged).toMatchObject({ subscribedWith: shipment.subscription.callbackUrl, remedy: 'wait-until-ended' });
    } finally {
      holder.close();
    }
  }, 60_000);
});

describe('self-check', () => {
  let lt: LocaltunnelServer;
  let impostor: Server;
  beforeAll(async () => {
    lt = new LocaltunnelServer(await freePort());
    await lt.start();
    // Answers 200 to everything, but it is not our callback server.
    impostor = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await lt.kill();
    await new Promise((r) => impostor.close(r));
  });

  it('detects a tunnel that is connected but does not forward to us', async () => {
    const tunnel = new LocaltunnelTunnel({
      host: lt.origin,
      subdomain: 'not-forwarding',
      localPort: (impostor.address() as AddressInfo).port,
      probe: new HealthProbe(),
      checkTimeoutMs: 1500,
    });
    await tunnel.start();
    try {
      const down = await waitFor(() => (tunnel.status().state === 'down' ? tunnel.status() : undefined), 15_000, 'self-check failure');
      expect(down.error).toContain('没有到达本机');
      expect((down as TunnelStatusWithEn).errorEn).toMatch(/^The self-check request never reached this computer.*\(reconnecting in \d+ s\)$/);
      expect(tunnel.publicOrigin()).toBeNull();
    } finally {
      await tunnel.stop();
    }
  });
});

describe('public mode (the seller’s own URL)', () => {
  it('is up when the URL reaches our callback server, down when it reaches something else', async () => {
    const { PublicUrlTunnel } = await import('../../main/core/tunnel/public-url-tunnel.js');
    const { CallbackServer } = await import('../../main/core/callback-server.js');
    const probe = new HealthProbe();
    const ours = new CallbackServer({ sink: { receivePush: async () => ({ kind: 'rejected', httpStatus: 403, message: '' }) }, secret: 's', onHealth: (n) => probe.arrived(n) });
    await ours.listen();
    const impostor = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    try {
      const good = new PublicUrlTunnel({ publicUrl: `http://127.0.0.1:${ours.port}/`, probe, checkTimeoutMs: 1000 });
      await good.start();
      expect((await good.checkNow()).state).toBe('up');
      expect(good.publicOrigin()).toBe(`http://127.0.0.1:${ours.port}`);
      await good.stop();
      const bad = new PublicUrlTunnel({ publicUrl: `http://127.0.0.1:${(impostor.address() as AddressInfo).port}/`, probe, checkTimeoutMs: 500 });
      await bad.start();
      const s = await bad.checkNow();
      expect(s).toMatchObject({ mode: 'public', state: 'down' });
      expect(s.error).toContain('没有到达本机');
      expect(tunnelErrorIn(s, 'en')).toContain('never reached this computer');
      // the seller's URL is theirs: it is still handed out, the banner says pushes cannot arrive
      expect(bad.publicOrigin()).not.toBeNull();
      await bad.stop();
    } finally {
      await ours.close();
      await new Promise((r) => impostor.close(r));
    }
  });
});
