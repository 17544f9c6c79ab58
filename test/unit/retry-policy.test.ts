import { afterEach, describe, expect, it } from 'vitest';
import { MONTHLY_LIMIT } from '../../main/core/lifecycle.js';
import { RETRY_BACKOFF_MS, retryAfterFailure } from '../../main/core/subscription/retry-policy.js';
import { SANDBOX_APPCODE, SandboxServer } from '../../main/core/sandbox/sandbox-server.js';
import { buildSubscribeParam } from '../../main/core/kuaidi100/subscribe-request.js';
import { subscribe } from '../../main/core/kuaidi100/subscribe-client.js';
import { FakeClock } from '../helpers/fake-clock.js';

const MIN = 60_000;
// 2026-06-01 10:11 China time
const T0 = Date.UTC(2026, 5, 1, 2, 11, 0);

describe('retry policy (pure)', () => {
  it('backs off 1 min, 10 min, 1 h, 6 h', () => {
    expect(RETRY_BACKOFF_MS).toEqual([MIN, 10 * MIN, 60 * MIN, 6 * 60 * MIN]);
    const at = (failures: number) => retryAfterFailure({ failure: 'server', failures, attemptsThisMonth: 1, now: T0 }).nextAttemptAt;
    expect(at(1)).toBe(T0 + MIN);
    expect(at(2)).toBe(T0 + 10 * MIN);
    expect(at(3)).toBe(T0 + 60 * MIN);
    expect(at(4)).toBe(T0 + 6 * 60 * MIN);
  });

  it('stops after the backoff, and says so in both languages', () => {
    const d = retryAfterFailure({ failure: 'timeout', failures: RETRY_BACKOFF_MS.length + 1, attemptsThisMonth: 1, now: T0 });
    expect(d.nextAttemptAt).toBeNull();
    expect(d.reason).toContain('不再自动重试');
    expect(d.reasonEn).toMatch(/no more automatic retries/i);
  });

  it('tells when and which try comes next', () => {
    const d = retryAfterFailure({ failure: 'network', failures: 2, attemptsThisMonth: 2, now: T0 });
    expect(d.reason).toBe('下次自动重试：10:21（第 2/4 次）');
    expect(d.reasonEn).toBe('Next automatic retry: 10:21 (2 of 4)');
  });

  it('never spends the month’s last subscription by itself', () => {
    const d = retryAfterFailure({ failure: 'server', failures: 1, attemptsThisMonth: MONTHLY_LIMIT - 1, now: T0 });
    expect(d.nextAttemptAt).toBeNull();
    expect(d.reason).toContain('最后 1 次');
    expect(d.reasonEn).toMatch(/last/);
    const none = retryAfterFailure({ failure: 'server', failures: 1, attemptsThisMonth: MONTHLY_LIMIT, now: T0 });
    expect(none.nextAttemptAt).toBeNull();
    expect(none.reasonEn).toMatch(/used/);
  });
});

describe('the sandbox 5xx case on the fake clock', () => {
  let sandbox: SandboxServer | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });

  it('over 24 h makes at most the backoff’s attempts and never the month’s 4th', async () => {
    const clock = new FakeClock(T0);
    sandbox = new SandboxServer({ clock });
    const endpoint = await sandbox.listen();
    const attempts: number[] = [];
    let inFlight: Promise<void> | null = null;
    let failures = 0;
    let last = retryAfterFailure({ failure: 'server', failures: 0, attemptsThisMonth: 0, now: T0 });

    const attempt = async (): Promise<void> => {
      attempts.push(clock.now());
      const outcome = await subscribe({
        endpoint,
        auth: { kind: 'appcode', appCode: SANDBOX_APPCODE },
        param: buildSubscribeParam({ company: 'yuantong', number: 'YT12E5000000001', callbackurl: 'http://127.0.0.1:9/cb' }),
        timeoutMs: 10_000,
      });
      expect(outcome.kind === 'answered' && outcome.returnCode).toBe('500');
      failures += 1;
      last = retryAfterFailure({ failure: 'server', failures, attemptsThisMonth: attempts.length, now: clock.now() });
      if (last.nextAttemptAt !== null) clock.setTimeout(() => (inFlight = attempt()), last.nextAttemptAt - clock.now());
    };

    inFlight = attempt();
    for (let t = 0; t < 24 * 60; t++) {
      // finish the request under way before time moves on
      while (inFlight) {
        const p: Promise<void> = inFlight;
        inFlight = null;
        await p;
      }
      clock.advance(MIN);
    }
    while (inFlight) {
      const p: Promise<void> = inFlight;
      inFlight = null;
      await p;
    }
    expect(attempts.length).toBeLessThanOrEqual(RETRY_BACKOFF_MS.length + 1);
    expect(attempts.length).toBeLessThan(MONTHLY_LIMIT);
    expect(attempts.length).toBe(MONTHLY_LIMIT - 1);
    expect(attempts.map((t) => (t - T0) / MIN)).toEqual([0, 1, 11]);
    expect(last.nextAttemptAt).toBeNull();
    expect(last.reason).toContain('最后 1 次');
  });
});
