/**
 * Subscribing waybills with Kuaidi100: one request per waybill at a time (joined while under
 * way), the outcome recorded on the waybill, pending ones retried by a loop on the backoff of
 * subscription/retry-policy.ts, and the monthly limit and 30-minute wait checked before a call
 * is spent (subscription-rules.ts). Nothing is sent for a carrier that needs a phone until
 * there is one, nor while the provider's answers show a bad AppCode or account
 * (provider-health-keeper.ts), except when the seller asks.
 */
import type { RepairPlanDto, Result, ShipmentDto } from '../../preload/contract.js';
import { needsPhone } from './carrier-decision.js';
import type { ChangeBus } from './change-bus.js';
import { subscribe, type SubscribeOutcome } from './kuaidi100/subscribe-client.js';
import { buildSubscribeParam, validateSubscribe } from './kuaidi100/subscribe-request.js';
import type { ResultV2 } from './kuaidi100/wire-types.js';
import { resolveProvider } from './provider.js';
import type { ProviderHealthKeeper } from './provider-health-keeper.js';
import { attemptsThisMonth } from './lifecycle.js';
import { planRepair } from './repair-planner.js';
import type { ShipmentQueries } from './shipment-queries.js';
import type { ShipmentRecord, SubscriptionRecord } from './store/schema.js';
import { monthlyLimit, outcomeToSubscription, RETRY_BASE_MS, resubscribeBlocked } from './subscription-rules.js';
import { callbackUrlFor, isoAt, NOT_FOUND, saveRecord, visibleRecords, type CoreDeps } from './tracker-deps.js';
import { logFor } from './log.js';

const log = logFor('subscribe');

export class SubscriptionService {
  readonly #d: CoreDeps;
  readonly #queries: ShipmentQueries;
  readonly #bus: ChangeBus;
  readonly #health: ProviderHealthKeeper;
  /** Subscribe requests under way, so that a retry never doubles one. */
  readonly #inFlight = new Map<string, Promise<Result<ShipmentDto>>>();
  #retryTimer: unknown = null;
  #stopped = false;

  constructor(deps: CoreDeps, queries: ShipmentQueries, bus: ChangeBus, health: ProviderHealthKeeper) {
    this.#d = deps;
    this.#queries = queries;
    this.#bus = bus;
    this.#health = health;
  }

  /** Starts the retry loop; subscriptions left pending by a previous run are retried at once. */
  start(): void {
    const loop = (): void => {
      void this.retryDue().finally(() => {
        if (this.#retryTimer !== null && !this.#stopped) this.#retryTimer = this.#d.clock.setTimeout(loop, this.#d.retryIntervalMs ?? 5000);
      });
    };
    this.#retryTimer = this.#d.clock.setTimeout(loop, 0);
  }

  /** Stops retrying and waits for requests under way, so nothing runs after the servers close. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer !== null) this.#d.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    await this.settled();
  }

  /** Resolves once no subscribe request is under way (those started meanwhile included). */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight.values()]);
  }

  /**
   * Sends one subscribe request for a stored shipment and records the outcome; joins one under
   * way. byHand: the seller asked, so it is sent even while the provider's answers are bad
   * (that is how a recharged account is found to work again).
   */
  subscribe(id: string, byHand = false): Promise<Result<ShipmentDto>> {
    const running = this.#inFlight.get(id);
    if (running) return running;
    const attempt = this.#subscribeNow(id, byHand).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, attempt);
    return attempt;
  }

  async resubscribe(id: string): Promise<Result<ShipmentDto>> {
    const rec = this.#d.store.get(id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    const blocked = this.#blocked(rec);
    if (blocked) return { ok: false, error: { code: 'not-allowed', message: blocked.reason, messageEn: blocked.reasonEn } };
    return this.subscribe(id, true);
  }

  /** Retries every pending subscription whose time has come. Returns how many were tried. */
  async retryDue(): Promise<number> {
    const now = this.#d.clock.now();
    const due = visibleRecords(this.#d.store).filter(
      (r) =>
        r.subscription.status === 'pending' &&
        r.subscription.reason === 'retry' &&
        (!r.subscription.nextAttemptAt || Date.parse(r.subscription.nextAttemptAt) <= now),
    );
    let tried = 0;
    for (const r of due) {
      if (this.#stopped) break;
      await this.subscribe(r.id);
      tried += 1;
    }
    return tried;
  }

  /** New credentials or a new provider: what failed on credentials gets another chance. */
  retryCredentialFailures(): void {
    const waiting = visibleRecords(this.#d.store).filter((r) => r.subscription.status === 'failed' && r.subscription.reason === 'fix-credentials');
    void Promise.all(waiting.map((r) => this.subscribe(r.id)));
  }

  planRepair(): RepairPlanDto {
    return planRepair(
      visibleRecords(this.#d.store).map((rec) => {
        const stale = this.#queries.stale(rec);
        return { id: rec.id, number: rec.number, stale, blocked: stale ? this.#blocked(rec) : null };
      }),
    );
  }

  /** Carries out the plan's resubscribes; each item then says what came of it. */
  async repair(): Promise<RepairPlanDto> {
    const plan = this.planRepair();
    for (const item of plan.items) {
      if (item.action !== 'resubscribe') continue;
      const r = await this.subscribe(item.id, true);
      if (!r.ok) Object.assign(item, { reason: r.error.message, reasonEn: r.error.messageEn ?? r.error.message });
      else Object.assign(item, { reason: r.value.subscription.message ?? item.reason, reasonEn: r.value.subscription.messageEn ?? item.reasonEn });
    }
    return plan;
  }

  #blocked(rec: ShipmentRecord): ReturnType<typeof resubscribeBlocked> {
    return resubscribeBlocked(rec, this.#d.store.byNumber(rec.number), this.#d.clock.now());
  }

  /** Counts an answer toward the provider's health; announces a change, and a recovery resubscribes what waited. */
  async #observe(outcome: SubscribeOutcome): Promise<void> {
    const change = await this.#health.observe(outcome, this.#d.clock.now()).catch((e: unknown) => {
      log.error('provider health:', e);
      return null;
    });
    if (!change) return;
    this.#bus.status();
    if (change.after.ready && !change.before.ready) this.retryCredentialFailures();
  }

  async #subscribeNow(id: string, byHand: boolean): Promise<Result<ShipmentDto>> {
    const { store, clock } = this.#d;
    const settings = store.settings;
    const provider = resolveProvider(settings, this.#d.secrets, this.#d.sandboxUrl());
    const callbackurl = callbackUrlFor(this.#d.callback, settings);
    const start = store.get(id)!;
    const now = isoAt(clock);

    const health = this.#health.health;
    let sub: SubscriptionRecord;
    if (needsPhone(start.company) && !start.phone) {
      sub = {
        ...start.subscription,
        status: 'pending',
        reason: 'needs-phone',
        returnCode: null,
        message: '顺丰需要手机号：填写收件人或寄件人手机号（后 4 位即可）后订阅',
        messageEn: 'SF needs a phone: enter the recipient’s or sender’s phone (the last 4 digits suffice) to subscribe',
        nextAttemptAt: null,
      };
    } else if (!provider.auth || provider.problem) {
      sub = { ...start.subscription, status: 'failed', reason: 'fix-credentials', returnCode: null, message: provider.problem, messageEn: provider.problemEn, nextAttemptAt: null };
    } else if (!health.ready && health.fix !== 'wait' && !byHand) {
      // Its last answers said the AppCode or account is bad: another request would only fail.
      sub = { ...start.subscription, status: 'failed', reason: 'fix-credentials', returnCode: null, message: health.reason, messageEn: health.reasonEn, nextAttemptAt: null };
    } else if (!callbackurl) {
      sub = {
        ...start.subscription,
        status: 'pending',
        reason: 'retry',
        returnCode: null,
        message: '等待隧道连接：连接后自动订阅',
        messageEn: 'Waiting for the tunnel: subscribed as soon as it is up',
        nextAttemptAt: new Date(clock.now() + RETRY_BASE_MS).toISOString(),
      };
    } else {
      // ETA prediction needs a destination; without one, ask for the level below it.
      const resultv2: ResultV2 = settings.resultv2 === '8' && !start.to ? '4' : settings.resultv2;
      const input = {
        company: start.company,
        number: start.number,
        callbackurl,
        salt: settings.salt,
        resultv2,
        autoCom: start.autoCom && !start.company,
        phone: start.phone,
        from: start.from,
        to: start.to,
      };
      const problem = validateSubscribe(input);
      const limited = monthlyLimit(start, store.byNumber(start.number), clock.now());
      if (limited) {
        // Refused here, before an API call is spent; the seller sees when it becomes possible.
        sub = {
          ...start.subscription,
          status: start.subscription.status === 'active' ? 'active' : 'failed',
          reason: start.subscription.status === 'active' ? null : 'fix-input',
          returnCode: 'limit',
          message: limited.reason,
          messageEn: limited.reasonEn,
          nextAttemptAt: null,
        };
      } else if (problem) {
        sub = { ...start.subscription, status: 'failed', reason: 'fix-input', returnCode: null, message: problem.message, messageEn: problem.messageEn, nextAttemptAt: null };
      } else {
        const outcome = await subscribe({
          endpoint: provider.endpoint,
          auth: provider.auth,
          param: buildSubscribeParam(input),
          timeoutMs: this.#d.subscribeTimeoutMs,
        });
        await this.#observe(outcome);
        const latest = store.get(id) ?? start;
        const attempts = latest.subscription.attempts + 1;
        // A request that never reached Kuaidi100, or that its gateway refused for a bad AppCode,
        // does not count toward the waybill's monthly limit.
        const counts = outcome.kind !== 'network' && !(outcome.kind === 'answered' && outcome.returnCode === '600');
        const sentThisMonth = attemptsThisMonth(store.byNumber(latest.number), latest.company, clock.now()) + (counts ? 1 : 0);
        sub = {
          ...latest.subscription,
          ...outcomeToSubscription(outcome, { failures: latest.subscription.failures ?? 0, attemptsThisMonth: sentThisMonth, now: clock.now() }),
          attempts,
          lastAttemptAt: now,
          callbackUrl: callbackurl,
          salt: settings.salt,
          resultv2,
          attemptLog: counts ? [...latest.subscription.attemptLog, now] : latest.subscription.attemptLog,
        };
      }
    }
    const latest = store.get(id) ?? start;
    // A push may have arrived while we waited: it proves the subscription is active.
    if (latest.subscription.status === 'active' && latest.lastPushAt && sub.status !== 'active') {
      sub = { ...sub, status: 'active', reason: null, nextAttemptAt: null };
    }
    const rec: ShipmentRecord = { ...latest, subscription: sub, updatedAt: isoAt(clock) };
    const saved = await saveRecord(store, rec);
    if (!saved.ok) return saved;
    this.#bus.shipment(rec);
    return { ok: true, value: this.#queries.dto(rec) };
  }
}
