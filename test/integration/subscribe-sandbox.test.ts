import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubscribeParam } from '../../main/core/kuaidi100/subscribe-request.js';
import { subscribe, type SubscribeAuth } from '../../main/core/kuaidi100/subscribe-client.js';
import { SANDBOX_APPCODE, SandboxServer } from '../../main/core/sandbox/sandbox-server.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** Every return code of spec 1.6, from the sandbox over real HTTP. */
describe('subscribe client against the sandbox', () => {
  const sandbox = new SandboxServer({ expired: ['old-code'], stepMs: 60_000, resubscribeDelayMs: 60_000 });
  const appcode: SubscribeAuth = { kind: 'appcode', appCode: SANDBOX_APPCODE };
  const send = (param: Parameters<typeof buildSubscribeParam>[0], auth: SubscribeAuth = appcode) =>
    subscribe({ endpoint: sandbox.url, auth, param: buildSubscribeParam(param) });
  const base = { company: 'yuantong', callbackurl: 'http://127.0.0.1:9/cb', salt: 'salt' };

  beforeAll(() => sandbox.listen());
  afterAll(() => sandbox.close());

  it('200 for a valid subscription, then 501 while it is tracked', async () => {
    expect(await send({ ...base, number: 'YT1000000000001' })).toMatchObject({ kind: 'answered', returnCode: '200', httpStatus: 200 });
    expect(await send({ ...base, number: 'YT1000000000001' })).toMatchObject({ kind: 'answered', returnCode: '501', httpStatus: 409 });
  });

  it('accepts Kuaidi100-style key auth (schema=json, key in param)', async () => {
    expect(await send({ ...base, number: 'YT1000000000002' }, { kind: 'key', key: SANDBOX_APPCODE })).toMatchObject({ returnCode: '200' });
  });

  it('600 for an unknown AppCode, 601 for an expired one', async () => {
    expect(await send({ ...base, number: 'YT1000000000003' }, { kind: 'appcode', appCode: 'wrong' })).toMatchObject({ returnCode: '600', httpStatus: 401 });
    expect(await send({ ...base, number: 'YT1000000000003' }, { kind: 'appcode', appCode: 'old-code' })).toMatchObject({ returnCode: '601', httpStatus: 401 });
  });

  it('700 for a carrier not in the table, 701 for bad data, 702 when autoCom cannot tell', async () => {
    expect(await send({ ...base, company: 'nosuchcarrier', number: 'YT1000000000004' })).toMatchObject({ returnCode: '700', httpStatus: 400 });
    const bad = await subscribe({ endpoint: sandbox.url, auth: appcode, param: { company: 'yuantong', number: '123', parameters: { callbackurl: 'http://x/' } } });
    expect(bad).toMatchObject({ returnCode: '701', httpStatus: 400 });
    expect(await send({ ...base, company: '', autoCom: true, number: 'QQ12345678' })).toMatchObject({ returnCode: '702', httpStatus: 400 });
    expect(await send({ ...base, company: '', autoCom: true, number: 'YT1000000000005' })).toMatchObject({ returnCode: '200' });
  });

  it('502 for sensitive content, 500 for a server error', async () => {
    expect(await send({ ...base, number: 'YT1000000000006', callbackurl: 'http://127.0.0.1:9/敏感词' })).toMatchObject({ returnCode: '502', httpStatus: 409 });
    expect(await send({ ...base, number: 'YTE500000000007' })).toMatchObject({ returnCode: '500', httpStatus: 500 });
  });

  it('refuses a fifth subscription of the same waybill in a month', async () => {
    const clock = new FakeClock();
    const quick = new SandboxServer({ clock, stepMs: 5, firstPushMs: 5, resubscribeDelayMs: 0, maxRetries: 0 });
    await quick.listen();
    try {
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await subscribe({ endpoint: quick.url, auth: appcode, param: buildSubscribeParam({ ...base, number: 'YT1000000000009' }) });
        codes.push(r.kind === 'answered' ? r.returnCode : r.kind);
        // the "…9" scenario aborts at its first push (3天查询无记录): send it, and wait until it
        // has been sent, so tracking has ended before the next subscription
        clock.advance(5);
        await quick.idle();
      }
      expect(codes).toEqual(['200', '200', '200', '200', '501']);
    } finally {
      await quick.close();
    }
  });

  describe('transport failures', () => {
    let silent: Server;
    let url = '';
    beforeAll(async () => {
      silent = createServer(() => {
        /* never answers */
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/poll`;
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    });

    it('times out', async () => {
      const r = await subscribe({ endpoint: url, auth: appcode, param: buildSubscribeParam({ ...base, number: 'YT1000000000010' }), timeoutMs: 150 });
      expect(r.kind).toBe('timeout');
    });

    it('reports an unreachable endpoint', async () => {
      const r = await subscribe({ endpoint: 'http://127.0.0.1:1/poll', auth: appcode, param: buildSubscribeParam({ ...base, number: 'YT1000000000011' }) });
      expect(r.kind).toBe('network');
    });
  });
});
