/**
 * Whether the subscribe provider can work, learned from its own answers rather than from
 * "settings saved": a bad AppCode (600, or the gateway's 401/403), an account problem (601, a
 * 7xx about balance or a carrier the account may not use) or server errors in a row make it
 * not ready, with the reason and what fixes it. Any accepted subscription makes it ready. Pure.
 */
import type { SubscribeOutcome } from './kuaidi100/subscribe-client.js';

/** appcode: fill in the AppCode / key again; recharge: top up or enable the account; wait: Kuaidi100's side. */
export type ProviderFix = 'appcode' | 'recharge' | 'wait';

export type ProviderHealth =
  | { ready: true }
  | {
      ready: false;
      reason: string;
      reasonEn: string;
      fix: ProviderFix;
      /** ISO time the problem began (the first answer that showed it). */
      since: string;
      /** The return code, or timeout / network / http. */
      returnCode: string;
    };

export interface ProviderHealthState {
  health: ProviderHealth;
  /** Server errors, timeouts and network failures in a row, and when the run began. */
  serverErrors: number;
  serverErrorsSince: number | null;
}

/** One 5xx may be a blip; this many in a row is an outage worth the seller's attention. */
export const SERVER_ERRORS_BEFORE_NOT_READY = 3;

export const INITIAL_PROVIDER_HEALTH: ProviderHealthState = { health: { ready: true }, serverErrors: 0, serverErrorsSince: null };

/** Words Kuaidi100 uses when a 7xx is about the account, not the waybill. */
const ACCOUNT_WORDS = /余额|单量|充值|欠费|套餐|账户|账号|未开通|无权限|balance|quota|recharge|not enabled|permission/i;

function notReady(
  prev: ProviderHealth,
  fix: ProviderFix,
  returnCode: string,
  reason: string,
  reasonEn: string,
  since: number,
): ProviderHealth {
  // The same problem still: keep when it began.
  const began = !prev.ready && prev.fix === fix ? prev.since : new Date(since).toISOString();
  return { ready: false, reason, reasonEn, fix, since: began, returnCode };
}

export function nextProviderHealth(state: ProviderHealthState, outcome: SubscribeOutcome, now: number): ProviderHealthState {
  const prev = state.health;
  const calm = { serverErrors: 0, serverErrorsSince: null };
  if (outcome.kind === 'answered') {
    const code = outcome.returnCode;
    if (outcome.info.action === 'active') return INITIAL_PROVIDER_HEALTH;
    if (code === '600') {
      const gateway = outcome.httpStatus === 401 || outcome.httpStatus === 403 ? `网关 HTTP ${outcome.httpStatus}` : '快递100 600';
      const gatewayEn = outcome.httpStatus === 401 || outcome.httpStatus === 403 ? `gateway HTTP ${outcome.httpStatus}` : 'Kuaidi100 600';
      return {
        ...calm,
        health: notReady(prev, 'appcode', code, `AppCode / Key 无效（${gateway}）：请在设置中重新填写 AppCode`, `The AppCode / key is not valid (${gatewayEn}): enter the AppCode again in Settings`, now),
      };
    }
    if (code === '601') {
      return {
        ...calm,
        health: notReady(prev, 'recharge', code, 'Key 已过期或账户无可用单量（快递100 601）：请充值或更换 Key', 'The key has expired or the account has no quota left (Kuaidi100 601): top up or change the key', now),
      };
    }
    if (code.startsWith('7') && ACCOUNT_WORDS.test(outcome.message)) {
      return {
        ...calm,
        health: notReady(prev, 'recharge', code, `快递100账户问题（${code} ${outcome.message}）：请充值或开通该快递公司`, `Kuaidi100 account problem (${code} ${outcome.message}): top up or enable this carrier for the account`, now),
      };
    }
    if (outcome.info.action !== 'retry') return { ...state, ...calm };
  } else if (outcome.kind === 'http' && outcome.httpStatus < 500) {
    // A misconfigured endpoint, not an outage: the waybill row carries that message.
    return state;
  }
  const serverErrors = state.serverErrors + 1;
  const serverErrorsSince = state.serverErrorsSince ?? now;
  if (serverErrors < SERVER_ERRORS_BEFORE_NOT_READY) return { ...state, serverErrors, serverErrorsSince };
  return {
    serverErrors,
    serverErrorsSince,
    health: notReady(
      prev,
      'wait',
      outcome.kind === 'answered' ? outcome.returnCode : outcome.kind,
      `快递100连续 ${serverErrors} 次服务器错误或无响应：稍后自动重试，无需操作`,
      `${serverErrors} server errors or missing answers from Kuaidi100 in a row: retried later automatically, nothing to do`,
      serverErrorsSince,
    ),
  };
}
