import { describe, expect, it } from 'vitest';
import { interpretSubscribeResponse, type SubscribeOutcome } from '../../main/core/kuaidi100/subscribe-client.js';
import { INITIAL_PROVIDER_HEALTH, SERVER_ERRORS_BEFORE_NOT_READY, nextProviderHealth, type ProviderHealthState } from '../../main/core/provider-health.js';

const T0 = Date.UTC(2026, 5, 1, 2, 0, 0);
const answer = (code: string, message = ''): SubscribeOutcome =>
  interpretSubscribeResponse(code === '200' ? 200 : 400, JSON.stringify({ result: code === '200', returnCode: code, message }));
const run = (outcomes: SubscribeOutcome[], from: ProviderHealthState = INITIAL_PROVIDER_HEALTH): ProviderHealthState =>
  outcomes.reduce((s, o, i) => nextProviderHealth(s, o, T0 + i * 60_000), from);

describe('provider health from subscribe answers', () => {
  it('starts ready', () => {
    expect(INITIAL_PROVIDER_HEALTH.health).toEqual({ ready: true });
  });

  it('600 turns it not ready with the reason and the AppCode fix', () => {
    const s = run([answer('600', '您不是合法的订阅者')]);
    expect(s.health).toMatchObject({ ready: false, fix: 'appcode', since: new Date(T0).toISOString(), returnCode: '600' });
    if (!s.health.ready) {
      expect(s.health.reason).toContain('AppCode');
      expect(s.health.reasonEn).toContain('AppCode');
    }
  });

  it("the gateway's 401 / 403 is a bad AppCode too", () => {
    expect(run([interpretSubscribeResponse(401, '{"error_msg":"Incorrect AppCode"}')]).health).toMatchObject({ ready: false, fix: 'appcode' });
    expect(run([interpretSubscribeResponse(403, '')]).health).toMatchObject({ ready: false, fix: 'appcode' });
  });

  it('601 and 7xx account problems ask for a recharge', () => {
    expect(run([answer('601')]).health).toMatchObject({ ready: false, fix: 'recharge' });
    expect(run([answer('702', '账户余额不足，请充值')]).health).toMatchObject({ ready: false, fix: 'recharge', returnCode: '702' });
    expect(run([answer('700', '该快递公司未开通，请联系客服')]).health).toMatchObject({ ready: false, fix: 'recharge' });
  });

  it('a 7xx about the waybill itself says nothing about the provider', () => {
    expect(run([answer('702', '识别不到该单号对应的快递公司')]).health).toEqual({ ready: true });
    const bad = run([answer('600')]);
    expect(run([answer('701')], bad).health).toMatchObject({ ready: false, fix: 'appcode' });
  });

  it('repeated server errors, timeouts or network failures: not ready, wait', () => {
    const fails: SubscribeOutcome[] = [
      answer('500'),
      { kind: 'timeout', message: '超时', messageEn: 'timeout' },
      { kind: 'network', message: '连不上', messageEn: 'unreachable' },
    ];
    expect(run(fails.slice(0, SERVER_ERRORS_BEFORE_NOT_READY - 1)).health).toEqual({ ready: true });
    const s = run(fails.slice(0, SERVER_ERRORS_BEFORE_NOT_READY));
    // since: when the run of errors began
    expect(s.health).toMatchObject({ ready: false, fix: 'wait', since: new Date(T0).toISOString() });
    expect(run([interpretSubscribeResponse(502, 'Bad Gateway'), interpretSubscribeResponse(503, ''), interpretSubscribeResponse(504, '')]).health).toMatchObject({ fix: 'wait' });
  });

  it('a success clears it and resets the count', () => {
    const bad = run([answer('600')]);
    expect(run([answer('200')], bad).health).toEqual({ ready: true });
    expect(run([answer('501')], bad).health).toEqual({ ready: true });
    const twoErrors = run([answer('500'), answer('500'), answer('200'), answer('500')]);
    expect(twoErrors.health).toEqual({ ready: true });
  });

  it('keeps the time the problem began while it lasts', () => {
    const s = run([answer('600'), answer('600'), answer('600')]);
    expect(!s.health.ready && s.health.since).toBe(new Date(T0).toISOString());
  });
});
