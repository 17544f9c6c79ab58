/**
 * Which tab of the parcel list a shipment belongs to. One pure function shared by the list
 * filter, the tray counts and the status counts, so they can never disagree.
 *
 * 待处理 (todo) holds what the seller must act on — a phone to add, a carrier to choose, a
 * subscription that failed, tracking that was aborted, a parcel not picked up in time — apart
 * from 异常 (exception), which is the parcel's own trouble (疑难, 退回, 拒签…).
 */
import type { SubscriptionStatus, TodoReason, TrackingStatus } from '../../preload/contract.js';
import { isTabGroup, type TabGroup } from '../../preload/view-logic.js';
import { companyNeedsPhone } from './kuaidi100/companies.js';
import { basicStateOf, isExceptionCode } from './kuaidi100/states.js';
import type { ShipmentRecord } from './store/schema.js';

export interface GroupInput {
  state: string | null;
  statusCode: string | null;
  tracking: TrackingStatus | null;
  subscription: { status: SubscriptionStatus };
  /** Set when Kuaidi100 re-subscribed under a corrected carrier: an abort that is not a failure. */
  comNew: string | null;
  /** Needed for 待处理 (older callers without them only miss those reasons). */
  company?: string;
  phone?: string | null;
  /** Flagged by the pickup watch (time-dependent, so decided by the caller). */
  pickupLate?: unknown;
}

/**
 * A stored record's group input: its fields named one by one, never a spread of the record
 * (a spread reads every field, the scan history with them).
 */
export function groupInputOf(r: ShipmentRecord, pickupLate: unknown): GroupInput {
  return { state: r.state, statusCode: r.statusCode, tracking: r.tracking, subscription: r.subscription, comNew: r.comNew, company: r.company, phone: r.phone, pickupLate };
}

/** Why the seller must act on this parcel, or null. */
export function todoReasonOf(s: GroupInput): TodoReason | null {
  const basic = basicStateOf(s.state);
  if (basic === '3' || isExceptionCode(s.statusCode) || isExceptionCode(s.state)) return null;
  if (s.subscription.status !== 'active' && s.state === null) {
    if (s.company !== undefined && companyNeedsPhone(s.company) && !s.phone) return 'needs-phone';
    if (s.company === '' && s.subscription.status === 'failed') return 'carrier-unknown';
  }
  if (s.subscription.status === 'failed') return 'subscription-failed';
  if (s.tracking === 'abort' && !s.comNew) return 'aborted';
  if (s.pickupLate) return 'pickup-late';
  return null;
}

/** The tab and, in 待处理, why: one decision for callers that show both. */
export function placeOf(s: GroupInput): { group: TabGroup; todo: TodoReason | null } {
  const basic = basicStateOf(s.state);
  if (basic === '3') return { group: 'delivered', todo: null };
  if (isExceptionCode(s.statusCode) || isExceptionCode(s.state)) return { group: 'exception', todo: null };
  const todo = todoReasonOf(s);
  if (todo) return { group: 'todo', todo };
  return { group: basic === '5' ? 'delivering' : 'transit', todo: null };
}

export function groupOf(s: GroupInput): TabGroup {
  return placeOf(s).group;
}

export function matchesGroup(s: GroupInput, group: string | undefined): boolean {
  if (!group || group === 'all') return true;
  if (isTabGroup(group)) return groupOf(s) === group;
  // a basic state code ("5") or an advanced one ("501")
  return basicStateOf(s.state) === group || s.statusCode === group;
}
