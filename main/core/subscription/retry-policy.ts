/**
 * When a subscribe that failed for a transient reason (server error, timeout, network, an
 * unexpected HTTP answer) is tried again by itself. Pure.
 *
 * Every attempt counts against Kuaidi100's 4 per month for the number, answered or not, so
 * retries back off quickly to hours and stop after a few; and the month's last attempt is
 * never spent automatically: it is kept for the seller's own decision.
 */
import { MONTHLY_LIMIT } from '../lifecycle.js';
import { epochToKuaidiTime } from '../kuaidi100/time.js';

/** Delay before automatic retry 1, 2, 3, 4; after the last, no more. */
export const RETRY_BACKOFF_MS: readonly number[] = [60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

export type RetryFailure = 'server' | 'timeout' | 'network' | 'http';

export interface RetryInput {
  failure: RetryFailure;
  /** Failed attempts in a row for this waybill, the one that just failed included (≥ 1). */
  failures: number;
  /** Subscribe requests sent this month for this carrier + number, the failed one included. */
  attemptsThisMonth: number;
  now: number;
  monthlyLimit?: number;
}

export interface RetryDecision {
  /** Epoch ms of the next automatic attempt; null: none, the seller decides. */
  nextAttemptAt: number | null;
  /** Which automatic retry the next attempt is (1-based), null when there is none. */
  retry: number | null;
  reason: string;
  reasonEn: string;
}

const FAILURE_WORDS: Record<RetryFailure, [string, string]> = {
  server: ['快递100服务器错误', 'Kuaidi100 server error'],
  timeout: ['快递100没有响应', 'no answer from Kuaidi100'],
  network: ['连不上订阅接口', 'subscribe endpoint unreachable'],
  http: ['订阅接口异常应答', 'unexpected answer from the subscribe endpoint'],
};

/** China time, as the seller reads it: "10:21", or "06-02 04:21" when it is not today. */
function when(at: number, now: number): string {
  const a = epochToKuaidiTime(at);
  return a.slice(0, 10) === epochToKuaidiTime(now).slice(0, 10) ? a.slice(11, 16) : a.slice(5, 16);
}

export function retryAfterFailure(input: RetryInput): RetryDecision {
  const limit = input.monthlyLimit ?? MONTHLY_LIMIT;
  const total = RETRY_BACKOFF_MS.length;
  const [what, whatEn] = FAILURE_WORDS[input.failure];
  if (input.attemptsThisMonth >= limit) {
    return {
      nextAttemptAt: null,
      retry: null,
      reason: `${what}；本月 ${limit} 次订阅已用完，不再自动重试`,
      reasonEn: `${whatEn}; this month's ${limit} subscriptions are used up, no more automatic retries`,
    };
  }
  if (input.attemptsThisMonth === limit - 1) {
    return {
      nextAttemptAt: null,
      retry: null,
      reason: `${what}；本月只剩最后 1 次订阅，不自动使用：请确认后手动重新订阅`,
      reasonEn: `${whatEn}; only the last subscription of the month is left and it is not spent automatically: resubscribe by hand when ready`,
    };
  }
  const retry = Math.max(1, input.failures);
  const delay = RETRY_BACKOFF_MS[retry - 1];
  if (delay === undefined) {
    return {
      nextAttemptAt: null,
      retry: null,
      reason: `${what}；已自动重试 ${total} 次，不再自动重试：请稍后手动重新订阅`,
      reasonEn: `${whatEn}; retried ${total} times, no more automatic retries: resubscribe by hand later`,
    };
  }
  const at = input.now + delay;
  return {
    nextAttemptAt: at,
    retry,
    reason: `下次自动重试：${when(at, input.now)}（第 ${retry}/${total} 次）`,
    reasonEn: `Next automatic retry: ${when(at, input.now)} (${retry} of ${total})`,
  };
}
