/**
 * Sends a health request through the public URL and waits for the callback server to see it.
 * Where the public hostname does not resolve (a test server's name.lt.test, a DNS outage) the
 * request goes to the tunnel server's own address with the public URL's Host header, which
 * is all a localtunnel server needs to route it.
 */
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HEALTH_PATH } from '../callback-server.js';
import { systemClock, type Clock } from '../clock.js';
import { randomToken } from '../ids.js';
import type { HealthProbe } from './health-probe.js';

export interface SelfCheckResult {
  ok: boolean;
  /** In Chinese; errorEn says the same in English. */
  error: string | null;
  errorEn: string | null;
}

async function resolves(hostname: string): Promise<boolean> {
  try {
    await lookup(hostname);
    return true;
  } catch {
    return false;
  }
}

function get(url: URL, hostHeader: string, timeoutMs: number): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { host: hostHeader }, timeout: timeoutMs, servername: hostHeader.split(':')[0] }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** How long the health request may take to show up after the HTTP answer came back. */
const ARRIVAL_GRACE_MS = 200;

export async function selfCheck(
  publicOrigin: string,
  probe: HealthProbe,
  fallbackOrigin: string | null,
  timeoutMs = 10_000,
  clock: Clock = systemClock,
): Promise<SelfCheckResult> {
  const nonce = randomToken(12);
  const target = new URL(`${HEALTH_PATH}?nonce=${nonce}`, publicOrigin);
  const hostHeader = target.host;
  let url = target;
  if (fallbackOrigin && !(await resolves(target.hostname))) {
    url = new URL(`${target.pathname}${target.search}`, fallbackOrigin);
  }
  const arrived = probe.wait(nonce, timeoutMs);
  let status: number;
  try {
    status = await get(url, hostHeader, timeoutMs);
  } catch (e) {
    void arrived;
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `自检请求失败：${why}`, errorEn: `The self-check request failed: ${why}` };
  }
  let grace: unknown = null;
  const seen = await Promise.race([arrived, new Promise<boolean>((r) => (grace = clock.setTimeout(() => r(false), ARRIVAL_GRACE_MS)))]);
  clock.clearTimeout(grace);
  if (status === 200 && seen) return { ok: true, error: null, errorEn: null };
  return seen
    ? { ok: false, error: `自检返回 HTTP ${status}`, errorEn: `The self-check answered HTTP ${status}` }
    : {
        ok: false,
        error: `自检请求没有到达本机回调服务（HTTP ${status}）：隧道已连接但没有转发`,
        errorEn: `The self-check request never reached this computer's callback server (HTTP ${status}): the tunnel is connected but does not forward`,
      };
}
