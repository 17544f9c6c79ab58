/** Maps stored records to what the UI sees: no salt, derived names and group added. */
import type { ShipmentDto } from '../../preload/contract.js';
import { companyByCode } from './kuaidi100/companies.js';
import { stateInfo } from './kuaidi100/states.js';
import { needsPhone } from './carrier-decision.js';
import { resubscribeNotBefore, type Staleness } from './lifecycle.js';
import { groupInputOf, placeOf } from './state-groups.js';
import { historyFacts } from './store/history-facts.js';
import type { ShipmentRecord } from './store/schema.js';

/** What the DTO needs to know about the present: the callback URL new subscriptions get, or null. */
export interface DtoContext {
  currentCallbackUrl: string | null;
  stale: Staleness | null;
  attemptsThisMonth: number;
  /** 待揽收超时, decided by the pickup watch. */
  pickupLate?: { since: string; hours: number } | null;
}

function callbackChanged(r: ShipmentRecord, ctx: DtoContext | undefined): ShipmentDto['callbackChanged'] {
  const was = r.subscription.callbackUrl;
  if (!ctx?.currentCallbackUrl || !was || was === ctx.currentCallbackUrl || r.tracking === 'shutdown') return null;
  // Kuaidi100 keeps a waybill's callback URL until tracking ends; only then may it be resubscribed.
  return { subscribedWith: was, remedy: r.tracking === 'abort' ? 'resubscribe' : 'wait-until-ended' };
}

/** The part of a DTO that comes from the scan history. */
type History = Pick<ShipmentDto, 'events' | 'eventCount' | 'predictedRoute'>;

/** A record as the detail shows it: the whole history (this reads it). */
export function toShipmentDto(r: ShipmentRecord, ctx?: DtoContext): ShipmentDto {
  return shipmentDto(r, ctx, { events: r.events, eventCount: r.events.length, predictedRoute: r.predictedRoute });
}

/**
 * A record as a list row or a change event carries it: the newest scan and the count, from
 * history-facts, so a page or an export of every parcel parses no history. The predicted
 * route is the detail's.
 */
export function toSummaryDto(r: ShipmentRecord, ctx?: DtoContext): ShipmentDto {
  const { newest, count } = historyFacts(r);
  return shipmentDto(r, ctx, { events: newest ? [newest] : [], eventCount: count, predictedRoute: null });
}

function shipmentDto(r: ShipmentRecord, ctx: DtoContext | undefined, history: History): ShipmentDto {
  const label = stateInfo(r.statusCode) ?? stateInfo(r.state);
  const { salt: _salt, reason: _reason, resultv2: _r, attemptLog: _log, failures: _f, ...subscription } = r.subscription;
  const pickupLate = ctx?.pickupLate ?? null;
  const place = placeOf(groupInputOf(r, pickupLate));
  return {
    id: r.id,
    company: r.company,
    companyName: companyByCode(r.company)?.name ?? null,
    number: r.number,
    phone: r.phone,
    from: r.from,
    to: r.to,
    note: r.note,
    orderNos: r.orderNos ?? [],
    buyer: r.buyer ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    subscription,
    tracking: r.tracking,
    trackingMessage: r.trackingMessage,
    state: r.state,
    statusCode: r.statusCode,
    stateLabel: label ? { zh: label.name, en: label.nameEn } : null,
    group: place.group,
    isCheck: r.isCheck,
    events: history.events,
    eventCount: history.eventCount,
    arrivalTime: r.arrivalTime,
    totalTime: r.totalTime,
    remainTime: r.remainTime,
    predictedRoute: history.predictedRoute,
    routeFrom: r.routeFrom,
    routeCur: r.routeCur,
    routeTo: r.routeTo,
    comOld: r.comOld,
    comNew: r.comNew,
    lastPushAt: r.lastPushAt,
    callbackChanged: callbackChanged(r, ctx),
    stale: ctx?.stale ?? null,
    resubscribeAfter: resubscribeNotBefore(r) === null ? null : new Date(resubscribeNotBefore(r)!).toISOString(),
    attemptsThisMonth: ctx?.attemptsThisMonth ?? 0,
    archived: false,
    alternatives: (r.alternatives ?? []).flatMap((code) => {
      const c = companyByCode(code);
      return c ? [{ code: c.code, name: c.name }] : [];
    }),
    needsPhone: needsPhone(r.company) && !r.phone && r.subscription.status !== 'active',
    pickupLate,
    todo: place.todo,
  };
}
