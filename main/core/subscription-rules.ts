/**
 * Kuaidi100's rules on subscribing, checked here before an API call is spent, as pure
 * functions: the 30-minute wait after tracking ended, the 4-a-month limit, and how an
 * attempt's outcome becomes the stored subscription (with its retry back-off).
 */
import { epochToKuaidiTime } from './kuaidi100/time.js';
import type { SubscribeOutcome } from './kuaidi100/subscribe-client.js';
import { attemptsThisMonth, MONTHLY_LIMIT, nextMonthStart, resubscribeNotBefore } from './lifecycle.js';
import type { ShipmentRecord, SubscriptionRecord } from './store/schema.js';

/** The first retry waits this long; each further one twice as long, up to RETRY_MAX_MS. */
export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 30 * 60_000;

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

/** When the next retry of a subscription that has had `attempts` attempts is due. */
export function retryAt(attempts: number, now: number): string {
  return new Date(now + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1))).toISOString();
}

export function outcomeToSubscription(
  outcome: SubscribeOutcome,
  attempts: number,
  now: number,
): Pick<SubscriptionRecord, 'status' | 'reason' | 'returnCode' | 'message' | 'messageEn' | 'nextAttemptAt'> {
  const nextAttemptAt = retryAt(attempts, now);
  switch (outcome.kind) {
    case 'answered': {
      const { info } = outcome;
      const words = {
        message: `${outcome.returnCode} ${outcome.message}：${info.advice}`,
        messageEn: `${outcome.returnCode} ${outcome.messageEn ?? info.messageEn}: ${info.adviceEn}`,
        returnCode: outcome.returnCode,
      };
      if (info.action === 'active') return { status: 'active', reason: null, ...words, nextAttemptAt: null };
      if (info.action === 'retry') return { status: 'pending', reason: 'retry', ...words, nextAttemptAt };
      return { status: 'failed', reason: info.action, ...words, nextAttemptAt: null };
    }
    case 'timeout':
    case 'network':
      return { status: 'pending', reason: 'retry', returnCode: outcome.kind, message: `${outcome.message}，稍后自动重试`, messageEn: `${outcome.messageEn}; retried automatically`, nextAttemptAt };
    case 'http':
      return { status: 'pending', reason: 'retry', returnCode: 'http', message: `${outcome.message}，稍后自动重试`, messageEn: `${outcome.messageEn}; retried automatically`, nextAttemptAt };
  }
}
