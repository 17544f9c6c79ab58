/**
 * The one notification when the provider turns not ready (a bad AppCode, an account to top
 * up, an outage), from the status the change bus announces. Pure: the notifier keeps the
 * previous status and never shows a key twice, so a problem is notified once, not per parcel.
 */
import type { Language, StatusDto } from '../../../preload/contract.js';

export type ProviderStatus = StatusDto['provider'];

export interface ProviderNotice {
  key: string;
  title: string;
  body: string;
}

const FIX: Record<NonNullable<ProviderStatus['fix']>, Record<Language, string>> = {
  appcode: { zh: '请在设置中重新填写 AppCode', en: 'Enter the AppCode again in Settings' },
  recharge: { zh: '请到快递100充值或开通', en: 'Top up or enable the account at Kuaidi100' },
  wait: { zh: '稍后自动重试，无需操作', en: 'Retried later automatically, nothing to do' },
};

export function providerNotice(before: ProviderStatus | null, after: ProviderStatus, lang: Language): ProviderNotice | null {
  // Only what the provider's answers showed (they have a start); missing settings are no news.
  if (after.ready || !after.since || !after.fix) return null;
  if (before && !before.ready && before.since === after.since) return null;
  const reason = lang === 'en' ? (after.problemEn ?? after.problem ?? '') : (after.problem ?? '');
  return {
    key: `provider:${after.fix}:${after.since}`,
    title: lang === 'en' ? 'Parcels cannot be subscribed' : '包裹无法订阅',
    body: `${reason}${reason.includes(FIX[after.fix][lang]) ? '' : lang === 'en' ? ` — ${FIX[after.fix].en}` : `（${FIX[after.fix].zh}）`}`,
  };
}
