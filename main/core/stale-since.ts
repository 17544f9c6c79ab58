/**
 * From when a parcel's shown state is in doubt — the moment lifecycle.ts's staleOf starts to
 * answer non-null — as a number, without the reason's words. Staleness only grows with time
 * (a silence gets longer, an open outage too), so one time per parcel answers "is it stale
 * now?" for every now: the status counts parcels in doubt by a binary search over these
 * times instead of building a reason for every parcel on every status. Kept next to staleOf's
 * rules, and tested against it.
 */
import { basicStateOf } from './kuaidi100/states.js';
import { PUSH_RETRY_WINDOW_MS, type Outage, type StaleThresholds } from './lifecycle.js';
import type { ShipmentRecord } from './store/schema.js';

/** Epoch ms from which staleOf(r, journal, now, t) is non-null (for any later now), or null: never. */
export function staleSince(r: ShipmentRecord, journal: readonly Outage[], t: StaleThresholds): number | null {
  const basic = basicStateOf(r.state);
  if (r.removedAt || r.tracking === 'shutdown' || basic === '3' || basic === '4') return null;
  if (r.subscription.status !== 'active' || r.tracking === 'abort') return null;
  const subscribedAt = Date.parse(r.subscription.lastAttemptAt ?? r.createdAt);
  const lastPush = r.lastPushAt ? Date.parse(r.lastPushAt) : null;
  let since = Infinity;
  for (const o of journal) {
    const from = Date.parse(o.from);
    if (o.to) {
      const to = Date.parse(o.to);
      // A closed outage either counts for this parcel or it does not; if it does, it always has.
      if (to - from > PUSH_RETRY_WINDOW_MS && to > subscribedAt && !(lastPush !== null && lastPush >= to)) return -Infinity;
      continue;
    }
    // An open one (to = now) counts once it is longer than the retries, after the subscription
    // and after the last push.
    since = Math.min(since, Math.max(from + PUSH_RETRY_WINDOW_MS, subscribedAt, lastPush ?? -Infinity) + 1);
  }
  const reference = lastPush ?? subscribedAt;
  const hours = lastPush === null ? t.firstPushHours : basic === '5' ? t.deliveringHours : t.transitHours;
  since = Math.min(since, reference + hours * 3600_000 + 1);
  return since;
}
