import { newShipmentId } from '../ids.js';
import type { ShipmentRecord, SubscriptionRecord } from './schema.js';

export interface NewRecordInit {
  company: string;
  number: string;
  now: string;
  autoCom: boolean;
  subscription: Partial<SubscriptionRecord> & Pick<SubscriptionRecord, 'status'>;
  phone?: string | null;
  from?: string | null;
  to?: string | null;
  note?: string | null;
  orderNos?: string[];
  buyer?: string | null;
}

/** A subscription nobody has sent yet: `status` and whatever else is known laid over it. */
export function blankSubscription(over: Partial<SubscriptionRecord> & Pick<SubscriptionRecord, 'status'>): SubscriptionRecord {
  return {
    returnCode: null,
    message: null,
    messageEn: null,
    reason: null,
    attempts: 0,
    lastAttemptAt: null,
    nextAttemptAt: null,
    callbackUrl: null,
    salt: null,
    resultv2: null,
    attemptLog: [],
    ...over,
  };
}

/** A shipment with no tracking yet. */
export function newShipmentRecord(init: NewRecordInit): ShipmentRecord {
  return {
    id: newShipmentId(),
    company: init.company,
    number: init.number,
    phone: init.phone ?? null,
    from: init.from ?? null,
    to: init.to ?? null,
    note: init.note ?? null,
    autoCom: init.autoCom,
    createdAt: init.now,
    updatedAt: init.now,
    subscription: blankSubscription(init.subscription),
    tracking: null,
    trackingMessage: null,
    state: null,
    statusCode: null,
    isCheck: false,
    events: [],
    destEvents: null,
    arrivalTime: null,
    totalTime: null,
    remainTime: null,
    predictedRoute: null,
    routeFrom: null,
    routeCur: null,
    routeTo: null,
    autoCheck: null,
    comOld: null,
    comNew: null,
    lastPushAt: null,
    endedAt: null,
    removedAt: null,
    orderNos: init.orderNos ?? [],
    buyer: init.buyer ?? null,
  };
}
