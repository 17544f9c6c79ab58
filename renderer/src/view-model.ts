/** Pure mapping from shipments to what the list shows. No React here, so it is unit-tested. */
import type { Language, ShipmentDto, StateGroup } from '../../preload/contract.js';
import { say, t } from './i18n.js';

export const GROUP_TABS: readonly StateGroup[] = ['all', 'transit', 'delivering', 'delivered', 'exception'];

/** Colour family of a row: the list's badge uses it as a CSS class. */
export type Tone = 'pending' | 'transit' | 'delivering' | 'delivered' | 'exception';

export function toneOf(s: ShipmentDto): Tone {
  if (s.group === 'exception') return 'exception';
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

export function countGroups(list: readonly ShipmentDto[]): Record<StateGroup, number> {
  const counts: Record<StateGroup, number> = { all: 0, transit: 0, delivering: 0, delivered: 0, exception: 0 };
  for (const s of list) {
    counts.all += 1;
    counts[s.group] += 1;
  }
  return counts;
}

/** Filter by tab and search text (number or note), newest update first. */
export function visibleShipments(list: readonly ShipmentDto[], group: StateGroup, q: string): ShipmentDto[] {
  const needle = q.trim().toLowerCase();
  const out = list.filter(
    (s) =>
      (group === 'all' || s.group === group) &&
      (!needle || s.number.toLowerCase().includes(needle) || (s.note ?? '').toLowerCase().includes(needle)),
  );
  return out.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}
