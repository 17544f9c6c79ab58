/**
 * Kuaidi100's rules on subscribing, checked here before an API call is spent, as pure
 * functions: the 30-minute wait after tracking ended, the 4-a-month limit, and how an
 * attempt's outcome becomes the stored subscription (with its retry back-off, retry-policy.ts).
 */
import { epochToKuaidiTime } from './kuaidi100/time.js';
import type { SubscribeOutcome } from './kuaidi100/subscribe-client.js';
import { attemptsThisMonth, MONTHLY_LIMIT, nextMonthStart, resubscribeNotBefore } from './lifecycle.js';
import type { ShipmentRecord, SubscriptionRecord } from './store/schema.js';
import { retryAfterFailure, type RetryFailure } from './subscription/retry-policy.js';

/**
 * How soon a subscription that sent nothing is looked at again (no tunnel yet, or the app quit
 * mid-request). Attempts that reached Kuaidi100 back off on retry-policy.ts instead.
 */
export const RETRY_BASE_MS = 15_000;

export interface Blocked<A extends string> {
  action: A;
  reason: string;
  reasonEn: string;
  notBefore: number;
}

/** Kuaidi100's 4 subscriptions per waybill and month (all records of the number): why not now, or null. */
export function monthlyLimit(rec: ShipmentRecord, sameNumber: readonly ShipmentRecord[], now: number): Blocked<'monthly-limit'> | null {
  if (attemptsThisMonth(sameNumber, rec.company, now) < MONTHLY_LIMIT) return null;
  const next = nextMonthStart(now);
  const day = epochToKuaidiTime(next).slice(0, 10);
  return {
    action: 'monthly-limit',
    reason: `本月已订阅 ${MONTHLY_LIMIT} 次（快递100每月上限），${day} 起可再订阅`,
    reasonEn: `Subscribed ${MONTHLY_LIMIT} times this month (Kuaidi100's monthly limit); possible again from ${day}`,
    notBefore: next,
  };
}

/** Why Kuaidi100 would refuse a resubscribe now: the 30-minute wait, then the monthly limit. */
export function resubscribeBlocked(rec: ShipmentRecord, sameNumber: readonly ShipmentRecord[], now: number): Blocked<'wait' | 'monthly-limit'> | null {
  const notBefore = resubscribeNotBefore(rec);
  if (notBefore !== null && now < notBefore) {
    const at = epochToKuaidiTime(notBefore).slice(11, 16);
    return {
      action: 'wait',
      reason: `跟踪结束半小时后才能重新订阅（${at} 之后）`,
      reasonEn: `Kuaidi100 accepts a resubscribe 30 minutes after tracking ended (after ${at} China time)`,
      notBefore,
    };
  }
  return monthlyLimit(rec, sameNumber, now);
}

export interface AttemptContext {
  /** Transient failures in a row before this attempt. */
  failures: number;
  /** Subscribe requests this month for the carrier + number, this one included when it counts. */
  attemptsThisMonth: number;
  now: number;
}

/** Which kind of transient failure an outcome is, or null when it is an answer to act on. */
function transient(outcome: SubscribeOutcome): RetryFailure | null {
  if (outcome.kind === 'answered') return outcome.info.action === 'retry' ? 'server' : null;
  return outcome.kind;
}

/**
 * The stored subscription after an attempt. Transient failures are retried on the backoff of
 * subscription/retry-policy.ts, which never spends the month's last subscription by itself:
 * when it stops, the parcel waits for the seller (reason manual) with the reason in words.
 */
export function outcomeToSubscription(
  outcome: SubscribeOutcome,
  ctx: AttemptContext,
): Pick<SubscriptionRecord, 'status' | 'reason' | 'returnCode' | 'message' | 'messageEn' | 'nextAttemptAt' | 'failures'> {
  const words =
    outcome.kind === 'answered'
      ? {
          message: `${outcome.returnCode} ${outcome.message}：${outcome.info.advice}`,
          messageEn: `${outcome.returnCode} ${outcome.messageEn ?? outcome.info.messageEn}: ${outcome.info.adviceEn}`,
          returnCode: outcome.returnCode,
        }
      : { message: outcome.message, messageEn: outcome.messageEn, returnCode: outcome.kind };
  const failure = transient(outcome);
  if (failure === null) {
    const action = outcome.kind === 'answered' ? outcome.info.action : 'contact';
    if (action === 'active') return { status: 'active', reason: null, ...words, nextAttemptAt: null, failures: 0 };
    return { status: 'failed', reason: action === 'retry' ? 'manual' : action, ...words, nextAttemptAt: null, failures: 0 };
  }
  const failures = ctx.failures + 1;
  const next = retryAfterFailure({ failure, failures, attemptsThisMonth: ctx.attemptsThisMonth, now: ctx.now });
  const message = `${words.message}。${next.reason}`;
  const messageEn = `${words.messageEn}. ${next.reasonEn}`;
  if (next.nextAttemptAt === null) return { status: 'failed', reason: 'manual', returnCode: words.returnCode, message, messageEn, nextAttemptAt: null, failures };
  return { status: 'pending', reason: 'retry', returnCode: words.returnCode, message, messageEn, nextAttemptAt: new Date(next.nextAttemptAt).toISOString(), failures };
}
