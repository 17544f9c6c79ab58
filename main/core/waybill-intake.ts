/**
 * What the seller enters: a new waybill (checked, its carrier decided here for every way in,
 * de-duplicated against the list, revived when it was removed, saved before anything can
 * fail, then subscribed) and removing one. A carrier that needs a phone and has none is kept
 * waiting for it: nothing is sent to Kuaidi100 until the phone is given.
 */
import type { NewShipmentInput, Result, ShipmentDto } from '../../preload/contract.js';
import { decideCarrier } from './carrier-decision.js';
import type { ChangeBus } from './change-bus.js';
import { invalid } from './input-validation.js';
import { companyByCode } from './kuaidi100/companies.js';
import { validateSubscribe } from './kuaidi100/subscribe-request.js';
import { trackingEnded } from './lifecycle.js';
import { normalizePhone } from './phone.js';
import type { ShipmentQueries } from './shipment-queries.js';
import { newShipmentRecord } from './store/new-record.js';
import type { ShipmentRecord } from './store/schema.js';
import { RETRY_BASE_MS } from './subscription-rules.js';
import type { SubscriptionService } from './subscription-service.js';
import { isoAt, NOT_FOUND, saveRecord, type CoreDeps } from './tracker-deps.js';
import { findWaybill } from './waybill-match.js';

/** Order numbers as entered (one or several), trimmed, without blanks or repeats. */
export function orderNosOf(v: string | readonly string[] | undefined): string[] {
  const list = v === undefined ? [] : typeof v === 'string' ? v.split(/[,，;；、\s]+/) : v;
  return [...new Set(list.map((o) => o.trim()).filter(Boolean))];
}

const mergeOrderNos = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

export class WaybillIntake {
  readonly #d: CoreDeps;
  readonly #queries: ShipmentQueries;
  readonly #subscriptions: SubscriptionService;
  readonly #bus: ChangeBus;

  constructor(deps: CoreDeps, queries: ShipmentQueries, subscriptions: SubscriptionService, bus: ChangeBus) {
    this.#d = deps;
    this.#queries = queries;
    this.#subscriptions = subscriptions;
    this.#bus = bus;
  }

  async addShipment(input: NewShipmentInput): Promise<Result<ShipmentDto>> {
    const number = input.number.replace(/\s+/g, '');
    const decision = decideCarrier({ number, company: input.company });
    if (!decision.ok) return decision;
    const carrier = decision.value;
    let phone: string | null = null;
    if (input.phone?.trim()) {
      const p = normalizePhone(input.phone);
      if (!p.ok) return p;
      phone = p.value;
    }
    const autoCom = carrier.autoCom && (input.autoCom ?? true);
    const check = validateSubscribe({ company: carrier.company, number, callbackurl: 'http://placeholder/', autoCom, phone });
    // A missing phone is not an error here: the parcel waits for it (needs-phone).
    if (check && check.field !== 'phone') return invalid(check.field, check.message, check.messageEn);

    const existing = findWaybill(this.#d.store.byNumber(number), carrier.company);
    const orderNos = orderNosOf(input.orderNo);
    const buyer = input.buyer?.trim() || null;
    if (existing && !existing.removedAt) {
      // The same waybill shipped for another order: one parcel that carries both order numbers.
      const known = existing.orderNos ?? [];
      const more = orderNos.filter((o) => !known.includes(o));
      if (more.length) return this.#mergeOrders(existing, [...known, ...more], buyer);
      return {
        ok: false,
        error: {
          code: 'duplicate',
          message: `单号 ${existing.number} 已在列表中（${companyByCode(existing.company)?.name ?? '自动识别'}）`,
          messageEn: `${existing.number} is already in the list (${existing.company || 'carrier auto-detected'})`,
          field: 'number',
        },
      };
    }
    const now = isoAt(this.#d.clock);
    // Added again with another carrier: a new parcel; the tombstone keeps the old carrier's
    // subscription (its pushes and its attempts this month) to itself.
    const revive = existing && (existing.company === carrier.company || !carrier.company) ? existing : undefined;
    const rec: ShipmentRecord = revive
      ? {
          ...revive,
          removedAt: null,
          note: input.note?.trim() || revive.note,
          phone: phone ?? revive.phone,
          orderNos: mergeOrderNos(revive.orderNos ?? [], orderNos),
          buyer: buyer ?? revive.buyer ?? null,
          updatedAt: now,
        }
      : newShipmentRecord({
          company: carrier.company,
          number,
          now,
          autoCom,
          phone,
          from: input.from?.trim() || null,
          to: input.to?.trim() || null,
          note: input.note?.trim() || null,
          orderNos,
          buyer,
          // Retried only if the attempt below never finishes (the app quits mid-request).
          subscription: { status: 'pending', reason: 'retry', nextAttemptAt: new Date(this.#d.clock.now() + RETRY_BASE_MS).toISOString() },
        });
    if (!revive && carrier.alternatives.length) rec.alternatives = carrier.alternatives;
    // What the seller typed is on disk before anything else can fail.
    const saved = await saveRecord(this.#d.store, rec);
    if (!saved.ok) return saved;
    // A revived waybill that Kuaidi100 still tracks needs no new subscription.
    if (revive && revive.subscription.status === 'active' && !trackingEnded(revive)) {
      this.#bus.shipment(rec);
      return { ok: true, value: this.#queries.dto(rec) };
    }
    return this.#subscriptions.subscribe(rec.id);
  }

  async #mergeOrders(rec: ShipmentRecord, orderNos: string[], buyer: string | null): Promise<Result<ShipmentDto>> {
    const known = rec.buyer ? rec.buyer.split('、') : [];
    const buyers = buyer && !known.includes(buyer) ? [...known, buyer].join('、') : (rec.buyer ?? buyer);
    const next: ShipmentRecord = { ...rec, orderNos, buyer: buyers ?? null, updatedAt: isoAt(this.#d.clock) };
    const saved = await saveRecord(this.#d.store, next);
    if (!saved.ok) return saved;
    this.#bus.shipment(next);
    return { ok: true, value: this.#queries.dto(next) };
  }

  /** Kept as a tombstone: Kuaidi100 keeps pushing and nothing it sends is dropped. */
  async removeShipment(id: string): Promise<Result<{ id: string }>> {
    const rec = this.#d.store.get(id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    const saved = await saveRecord(this.#d.store, { ...rec, removedAt: isoAt(this.#d.clock) });
    if (!saved.ok) return saved;
    this.#bus.emit({ type: 'shipment-removed', id });
    this.#bus.status();
    return { ok: true, value: { id } };
  }
}
