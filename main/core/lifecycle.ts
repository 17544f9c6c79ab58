/**
 * Kuaidi100's subscription rules and what the app may conclude about missed pushes, as pure
 * functions over stored records: the monthly limit, the 30-minute wait after tracking ends,
 * and whether a parcel's shown state is in doubt (stale).
 */
import type { Outage, StaleThresholds } from './lifecycle-types.js';
import type { ShipmentRecord } from './store/schema.js';
import { basicStateOf } from './kuaidi100/states.js';
import { epochToKuaidiTime } from './kuaidi100/time.js';

/** Kuaidi100 accepts at most 4 subscriptions of one carrier + number per calendar month. */
export const MONTHLY_LIMIT = 4;
/** A resubscribe is accepted only 30 minutes after abort/shutdown. */
export const RESUBSCRIBE_WAIT_MS = 30 * 60_000;
/** A failed push is retried 3 times about 30 minutes apart: an outage longer than this loses pushes. */
export const PUSH_RETRY_WINDOW_MS = 3 * 30 * 60_000;

export type { Outage, StaleThresholds } from './lifecycle-types.js';

export const DEFAULT_THRESHOLDS: StaleThresholds = { deliveringHours: 24, transitHours: 72, firstPushHours: 12 };

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar month (China time) containing `now`, as [start, end) in epoch ms. */
function chinaMonthRange(now: number): [number, number] {
  const d = new Date(now + CHINA_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return [Date.UTC(y, m, 1) - CHINA_OFFSET_MS, Date.UTC(y, m + 1, 1) - CHINA_OFFSET_MS];
}

/** Subscribe requests sent this month for the same carrier + number (across records). */
export function attemptsThisMonth(records: readonly ShipmentRecord[], company: string, now: number): number {
  const [start, end] = chinaMonthRange(now);
  let n = 0;
  for (const r of records) {
    if (r.company !== company) continue;
    for (const at of r.subscription.attemptLog) {
      const t = Date.parse(at);
      if (t >= start && t < end) n += 1;
    }
  }
  return n;
}

/** When the month's limit is lifted: the 1st of next month, 00:00 China time. */
export function nextMonthStart(now: number): number {
  return chinaMonthRange(now)[1];
}

export const trackingEnded = (r: ShipmentRecord): boolean => r.tracking === 'shutdown' || r.tracking === 'abort';

/** The earliest a resubscribe is allowed after tracking ended; null when no wait applies. */
export function resubscribeNotBefore(r: ShipmentRecord): number | null {
  if (!trackingEnded(r) || !r.endedAt) return null;
  return Date.parse(r.endedAt) + RESUBSCRIBE_WAIT_MS;
}

const fmt = (ms: number): string => epochToKuaidiTime(ms).slice(5, 16);

/** Why the shown state may be out of date, or null. */
export interface Staleness {
  reason: string;
  reasonEn: string;
  since: string;
}

export function staleOf(r: ShipmentRecord, journal: readonly Outage[], now: number, t: StaleThresholds = DEFAULT_THRESHOLDS): Staleness | null {
  const basic = basicStateOf(r.state);
  if (r.removedAt || r.tracking === 'shutdown' || basic === '3' || basic === '4') return null;
  if (r.subscription.status !== 'active') return null;
  // An abort is an answer, not a silence (it is shown as needing attention on its own).
  if (r.tracking === 'abort') return null;
  const subscribedAt = Date.parse(r.subscription.lastAttemptAt ?? r.createdAt);
  const lastPush = r.lastPushAt ? Date.parse(r.lastPushAt) : null;

  for (const o of journal) {
    const from = Date.parse(o.from);
    const to = o.to ? Date.parse(o.to) : now;
    if (to - from <= PUSH_RETRY_WINDOW_MS || to <= subscribedAt) continue;
    // A push after the outage carried the full history: nothing is missing.
    if (lastPush !== null && lastPush >= to) continue;
    const what = o.reason === 'not-running' ? '应用未运行' : '回调隧道中断';
    const whatEn = o.reason === 'not-running' ? 'The app was not running' : 'The callback tunnel was down';
    return {
      reason: `${what}（${fmt(from)} 至 ${o.to ? fmt(to) : '现在'}），超过快递100的重试时间（3 次，每次间隔 30 分钟）：可能漏推送`,
      reasonEn: `${whatEn} (${fmt(from)} to ${o.to ? fmt(to) : 'now'}, China time), longer than Kuaidi100 retries a push (3 times, 30 minutes apart): updates may have been missed`,
      since: new Date(Math.max(from, subscribedAt)).toISOString(),
    };
  }

  const reference = lastPush ?? subscribedAt;
  const hours = lastPush === null ? t.firstPushHours : basic === '5' ? t.deliveringHours : t.transitHours;
  if (now - reference > hours * 3600_000) {
    const what = lastPush === null ? `订阅后 ${hours} 小时仍未收到推送` : `${basic === '5' ? '派件后' : ''} ${hours} 小时没有新动态`.trim();
    const whatEn = lastPush === null ? `No update ${hours} h after subscribing` : `No update for ${hours} h${basic === '5' ? ' while out for delivery' : ''}`;
    return { reason: `${what}：可能漏推送`, reasonEn: `${whatEn}: updates may have been missed`, since: new Date(reference).toISOString() };
  }
  return null;
}
