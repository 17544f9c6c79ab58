/**
 * Pure merge of a push into a shipment. Pushes repeat (every push is the full history, and
 * Kuaidi100 retries) and may arrive out of order, so the merge is idempotent and never moves
 * a shipment back: an older lastResult can add events but not change the state, and a push
 * without events (an abort) never erases the history.
 */
import type { TrackingEventDto, TrackingStatus } from '../../../preload/contract.js';
import type { ShipmentRecord } from '../store/schema.js';
import { basicStateOf, isAdvancedCode } from './states.js';
import { normaliseTime } from './time.js';
import type { LastResult, PushDataItem, PushParam } from './wire-types.js';

export function toEvent(d: PushDataItem): TrackingEventDto {
  return {
    time: d.time,
    ftime: normaliseTime(d.ftime || d.time),
    context: d.context,
    status: d.status ?? null,
    statusCode: d.statusCode ?? null,
    areaCode: d.areaCode ?? null,
    areaName: d.areaName ?? null,
    areaCenter: d.areaCenter ?? null,
    location: d.location ?? null,
    areaPinYin: d.areaPinYin ?? null,
  };
}

const eventKey = (e: TrackingEventDto): string => `${e.ftime}\u0000${e.context}`;

/** Newest first; equal times keep the order Kuaidi100 sent them in. */
function sortNewestFirst(events: TrackingEventDto[]): TrackingEventDto[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.ftime === b.e.ftime ? a.i - b.i : a.e.ftime < b.e.ftime ? 1 : -1))
    .map((x) => x.e);
}

const sameEvent = (a: TrackingEventDto, b: TrackingEventDto): boolean =>
  a.time === b.time && a.status === b.status && a.statusCode === b.statusCode && a.areaCode === b.areaCode &&
  a.areaName === b.areaName && a.areaCenter === b.areaCenter && a.location === b.location && a.areaPinYin === b.areaPinYin;

/**
 * Union of two histories without duplicates. The incoming copy of an event wins when it says
 * more; an identical one is replaced by the stored object, so that a new record shares its
 * history with the old one instead of copying it on every push (thousands of pushes a minute
 * would otherwise churn the heap).
 */
export function mergeEvents(incoming: TrackingEventDto[], stored: TrackingEventDto[]): TrackingEventDto[] {
  const byKey = new Map(stored.map((e) => [eventKey(e), e]));
  const seen = new Set<string>();
  const merged = incoming.map((e) => {
    const key = eventKey(e);
    seen.add(key);
    const old = byKey.get(key);
    return old && sameEvent(old, e) ? old : e;
  });
  return sortNewestFirst([...merged, ...stored.filter((e) => !seen.has(eventKey(e)))]);
}

const newestTime = (events: TrackingEventDto[]): string => events.reduce((m, e) => (e.ftime > m ? e.ftime : m), '');

/** shutdown and abort end tracking; at an equal history they win over polling. */
const trackingRank = (t: TrackingStatus | null): number => (t === 'shutdown' || t === 'abort' ? 1 : 0);

function eventsOf(lr: LastResult | null | undefined): TrackingEventDto[] {
  return sortNewestFirst((lr?.data ?? []).map(toEvent));
}

export interface MergeResult {
  record: ShipmentRecord;
  /** False when the push taught us nothing new (a repeat or an older push). */
  changed: boolean;
}

/** The fields a push can change; compared to decide `changed`. */
function content(r: ShipmentRecord): string {
  const { updatedAt: _u, lastPushAt: _l, subscription, ...rest } = r;
  return JSON.stringify([rest, subscription.status]);
}

export function mergePush(rec: ShipmentRecord, push: PushParam, now: string): MergeResult {
  const lr = push.lastResult;
  const incoming = eventsOf(lr);
  const incomingNewest = newestTime(incoming);
  const storedNewest = newestTime(rec.events);
  const older = incoming.length > 0 && incomingNewest < storedNewest;
  const newer = incomingNewest > storedNewest;
  const next: ShipmentRecord = { ...rec, lastPushAt: now };

  next.events =
    push.status === 'updateall' && incoming.length > 0 && !older ? incoming : mergeEvents(incoming, rec.events);

  // Tracking status: a push without events (abort, "3天查询无记录") still says something.
  if (newer || incoming.length === 0 || (!older && trackingRank(push.status) >= trackingRank(rec.tracking))) {
    next.tracking = push.status;
    next.trackingMessage = push.message ?? null;
  }

  if (!older && incoming.length > 0) {
    const rawState = lr.state?.trim() || null;
    const basic = basicStateOf(rawState);
    next.state = basic ?? rawState ?? rec.state;
    next.statusCode =
      rawState && isAdvancedCode(rawState) ? rawState : (next.events[0]?.statusCode ?? rawState ?? rec.statusCode);
    next.isCheck = lr.ischeck === '1' || basic === '3';
    next.arrivalTime = lr.arrivalTime ?? null;
    next.totalTime = lr.totalTime ?? null;
    next.remainTime = lr.remainTime ?? null;
    next.predictedRoute = (lr.predictedRoute as ShipmentRecord['predictedRoute']) ?? null;
    next.routeFrom = lr.routeInfo?.from?.name ?? rec.routeFrom;
    next.routeCur = lr.routeInfo?.cur?.name ?? rec.routeCur;
    next.routeTo = lr.routeInfo?.to?.name ?? rec.routeTo;
  }
  if (push.destResult) next.destEvents = mergeEvents(eventsOf(push.destResult), rec.destEvents ?? []);

  const ends = (t: TrackingStatus | null): boolean => t === 'shutdown' || t === 'abort';
  // A carrier correction's abort is not an end: Kuaidi100 tracks on under the new code.
  if (ends(next.tracking) && !ends(rec.tracking) && !push.comNew) next.endedAt = now;
  else if (!ends(next.tracking)) next.endedAt = null;

  // Carrier corrections: an abort with comNew means Kuaidi100 re-subscribed under the new code.
  if (push.comNew && push.comNew !== rec.company) {
    next.comOld = push.comOld ?? rec.company;
    next.comNew = push.comNew;
    next.company = push.comNew;
  } else if (lr.com && (!rec.company || push.autoCheck === '1') && lr.com !== rec.company) {
    next.comOld = rec.company || null;
    next.company = lr.com;
  }
  if (push.autoCheck != null) next.autoCheck = push.autoCheck;

  // A push proves Kuaidi100 tracks the waybill, whatever the last subscribe attempt said.
  if (next.subscription.status !== 'active') {
    next.subscription = { ...next.subscription, status: 'active', reason: null, nextAttemptAt: null };
  }

  const changed = content(next) !== content(rec);
  if (changed) next.updatedAt = now;
  return { record: changed ? next : { ...rec, lastPushAt: now }, changed };
}
