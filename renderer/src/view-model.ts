/** Pure mapping from shipments to what the list shows. No React here, so it is unit-tested. */
import type { Language, ShipmentDto } from '../../preload/contract.js';
import { say, t } from './i18n.js';

// Tabs, counts, filter and order are the core's rules too: one shared module beside the contract.
export { countGroups, GROUP_TABS, visibleShipments } from '../../preload/view-logic.js';

/** Colour family of a row: the list's badge uses it as a CSS class. */
export type Tone = 'pending' | 'transit' | 'delivering' | 'delivered' | 'exception';

export function toneOf(s: ShipmentDto): Tone {
  if (s.group === 'exception') return 'exception';
  // 待处理: a failure is shown in the trouble colour, a late pickup or missing input as pending.
  if (s.group === 'todo') return s.todo === 'subscription-failed' || s.todo === 'aborted' ? 'exception' : 'pending';
  if (s.state === null && s.subscription.status !== 'active') return 'pending';
  return s.group;
}

/** The state name shown on a row: the spec's (advanced when known) or the subscription's. */
export function stateText(s: ShipmentDto, lang: Language): string {
  if (s.stateLabel) return lang === 'en' ? s.stateLabel.en : s.stateLabel.zh;
  if (s.tracking === 'abort') return t(lang, 'trackingAborted');
  if (s.subscription.status === 'failed') return t(lang, 'subscriptionFailed');
  if (s.subscription.status === 'pending') return t(lang, 'subscriptionPending');
  return t(lang, 'waitingPush');
}

/** What a parcel of 待处理 needs, in words. */
export function todoText(s: ShipmentDto, lang: Language): string | null {
  if (!s.todo) return null;
  const key = ({ 'needs-phone': 'todoNeedsPhone', 'carrier-unknown': 'todoCarrierUnknown', 'subscription-failed': 'todoSubscriptionFailed', aborted: 'todoAborted', 'pickup-late': 'todoPickupLate' } as const)[s.todo];
  return t(lang, key);
}

export function latestEvent(s: ShipmentDto, lang: Language = 'zh'): { text: string; time: string } | null {
  const e = s.events[0];
  if (e) return { text: e.context, time: e.ftime.slice(0, 16) };
  if (s.trackingMessage) return { text: s.trackingMessage, time: '' };
  if (s.subscription.message && s.subscription.status !== 'active') return { text: say(lang, s.subscription.message, s.subscription.messageEn), time: '' };
  return null;
}

export function countStale(list: readonly ShipmentDto[]): number {
  return list.reduce((n, s) => n + (s.stale ? 1 : 0), 0);
}
