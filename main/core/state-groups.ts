/**
 * Which tab of the parcel list a shipment belongs to. One pure function shared by the list
 * filter, the tray counts and the status counts, so they can never disagree.
 */
import type { SubscriptionStatus, TrackingStatus } from '../../preload/contract.js';
import { isTabGroup, type TabGroup } from '../../preload/view-logic.js';
import { basicStateOf, isExceptionCode } from './kuaidi100/states.js';

export interface GroupInput {
  state: string | null;
  statusCode: string | null;
  tracking: TrackingStatus | null;
  subscription: { status: SubscriptionStatus };
  /** Set when Kuaidi100 re-subscribed under a corrected carrier: an abort that is not a failure. */
  comNew: string | null;
}

export function groupOf(s: GroupInput): TabGroup {
  const basic = basicStateOf(s.state);
  if (basic === '3') return 'delivered';
  if (s.subscription.status === 'failed') return 'exception';
  if (s.tracking === 'abort' && !s.comNew) return 'exception';
  if (isExceptionCode(s.statusCode) || isExceptionCode(s.state)) return 'exception';
  if (basic === '5') return 'delivering';
  return 'transit';
}

export function matchesGroup(s: GroupInput, group: string | undefined): boolean {
  if (!group || group === 'all') return true;
  if (isTabGroup(group)) return groupOf(s) === group;
  // a basic state code ("5") or an advanced one ("501")
  return basicStateOf(s.state) === group || s.statusCode === group;
}
