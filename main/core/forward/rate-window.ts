/**
 * A sliding window rate limit (企业微信 and 钉钉 allow 20 messages a minute per robot): the
 * earliest time the next message may go. Over the limit means waiting, never refusing.
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export const ROBOT_RATE_LIMIT: RateLimit = { max: 20, windowMs: 60_000 };

/** Send times still inside the window (the rest no longer matter). */
export function pruneSent(sentAt: readonly number[], nowMs: number, limit: RateLimit): number[] {
  return sentAt.filter((t) => t > nowMs - limit.windowMs);
}

export function nextSlot(sentAt: readonly number[], nowMs: number, limit: RateLimit): number {
  const recent = pruneSent(sentAt, nowMs, limit).sort((a, b) => a - b);
  if (recent.length < limit.max) return nowMs;
  return recent[recent.length - limit.max]! + limit.windowMs;
}
