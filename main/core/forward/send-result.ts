/**
 * What a platform said about one message, and the tiny JSON poster every robot shares. The
 * error text keeps the platform's own words ("sign not match", "关键词不匹配") because that is
 * what the seller will find in the platform's help when they search for it.
 */

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      error: string;
      errorEn: string;
      /** False when only a change of settings (URL, secret, keyword) can fix it. */
      retryable: boolean;
      /** The platform asked to slow down: try again after this long. */
      retryAfterMs?: number;
      /**
       * No answer in time: the robot may well have posted it (a slow platform answers late), so
       * it is not sent again. The same message twice in a group is worse than a note that one
       * may be missing.
       */
      uncertain?: true;
    };

export type FetchLike = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export type HttpAnswer =
  | { kind: 'answer'; status: number; json: Record<string, unknown> | null; text: string }
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; message: string };

/** POSTs JSON and reads the answer; never throws. */
export async function postJson(fetchFn: FetchLike, url: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
  const ctl = new AbortController();
  // A real timer on purpose: this bounds real I/O, not the app's notion of time.
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  timer.unref?.();
  try {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: ctl.signal,
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { kind: 'answer', status: res.status, json, text };
  } catch (e) {
    if (ctl.signal.aborted) return { kind: 'timeout', message: `timeout after ${timeoutMs} ms` };
    return { kind: 'network', message: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** The answer when it is not the platform's JSON at all (network down, proxy page, HTTP 5xx). */
export function transportFailure(platformZh: string, platformEn: string, a: HttpAnswer): SendResult {
  if (a.kind === 'timeout') {
    return {
      ok: false,
      error: `${platformZh}没有及时回答（${a.message}），消息可能已送达：为免群里收到两次，不再重发`,
      errorEn: `${platformEn} did not answer in time (${a.message}); the message may have been delivered, so it is not sent again (the group would get it twice)`,
      retryable: false,
      uncertain: true,
    };
  }
  if (a.kind === 'network') {
    return { ok: false, error: `连不上${platformZh}：${a.message}`, errorEn: `Cannot reach ${platformEn}: ${a.message}`, retryable: true };
  }
  const snippet = a.text.slice(0, 120);
  return {
    ok: false,
    error: `${platformZh}返回 HTTP ${a.status}：${snippet}`,
    errorEn: `${platformEn} answered HTTP ${a.status}: ${snippet}`,
    retryable: a.status >= 500 || a.status === 429,
    ...(a.status === 429 ? { retryAfterMs: 60_000 } : {}),
  };
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function cutBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch + '…') > max) break;
    out += ch;
  }
  return `${out}…`;
}
