/**
 * Editing a parcel: carrier, phone, note. A new carrier or a phone Kuaidi100 has not had yet
 * resubscribes, and the answer says first what that spends (本月第 2/4 次订阅); a dry run only
 * says it. A new carrier is a new subscription: the old carrier's one (its attempts this month,
 * its pushes) stays with a tombstone of the record, so neither count nor history is mixed up.
 */
import type { Result, ShipmentPatch, ShipmentUpdateDto } from '../../preload/contract.js';
import { decideCarrier, needsPhone } from './carrier-decision.js';
import type { ChangeBus } from './change-bus.js';
import { newShipmentId } from './ids.js';
import { attemptsThisMonth, MONTHLY_LIMIT, trackingEnded } from './lifecycle.js';
import { normalizePhone } from './phone.js';
import type { ShipmentQueries } from './shipment-queries.js';
import { newShipmentRecord } from './store/new-record.js';
import type { ShipmentRecord } from './store/schema.js';
import { monthlyLimit, RETRY_BASE_MS, resubscribeBlocked } from './subscription-rules.js';
import type { SubscriptionService } from './subscription-service.js';
import { isoAt, NOT_FOUND, saveRecord, type CoreDeps } from './tracker-deps.js';

type Cost = ShipmentUpdateDto['cost'];

/** "本月第 2/4 次订阅": which of the month's subscriptions a resubscribe would be. Pure. */
export function subscriptionCost(attempt: number, limit = MONTHLY_LIMIT): NonNullable<Cost> {
  return { attempt, limit, message: `本月第 ${attempt}/${limit} 次订阅`, messageEn: `subscription ${attempt} of ${limit} this month` };
}

const unique = (codes: readonly string[], without: string): string[] => [...new Set(codes)].filter((c) => c && c !== without);

export class ShipmentEditor {
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

  async updateShipment(id: string, patch: ShipmentPatch): Promise<Result<ShipmentUpdateDto>> {
    const { store, clock } = this.#d;
    const rec = store.get(id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };

    let company = rec.company;
    let alternatives = rec.alternatives ?? [];
    if (patch.company !== undefined) {
      const d = decideCarrier({ number: rec.number, company: patch.company });
      if (!d.ok) return d;
      company = d.value.company;
      alternatives = unique([...d.value.alternatives, rec.company, ...alternatives], company);
    }
    let phone = rec.phone;
    if (patch.phone !== undefined) {
      const p = normalizePhone(patch.phone);
      if (!p.ok) return p;
      phone = p.value;
    }
    const note = patch.note === undefined ? rec.note : patch.note.trim() || null;

    const carrierChanged = company !== rec.company;
    const tracked = rec.subscription.status === 'active' && !trackingEnded(rec);
    const resubscribes = carrierChanged || (phone !== rec.phone && !tracked);
    const waitsForPhone = needsPhone(company) && !phone;
    const now = clock.now();
    const sameNumber = store.byNumber(rec.number);

    const twin = carrierChanged ? sameNumber.find((r) => r.id !== rec.id && !r.removedAt && r.company === company) : undefined;
    if (twin) {
      return {
        ok: false,
        error: { code: 'duplicate', field: 'company', message: `单号 ${rec.number} 已以该快递公司在列表中`, messageEn: `${rec.number} is already in the list with that carrier` },
      };
    }
    if (resubscribes && !waitsForPhone) {
      const blocked = carrierChanged ? monthlyLimit({ ...rec, company }, sameNumber, now) : resubscribeBlocked(rec, sameNumber, now);
      if (blocked) return { ok: false, error: { code: 'not-allowed', message: blocked.reason, messageEn: blocked.reasonEn } };
    }
    const cost: Cost = resubscribes && !waitsForPhone ? subscriptionCost(attemptsThisMonth(sameNumber, company, now) + 1) : null;
    if (patch.dryRun) return { ok: true, value: { shipment: this.#queries.dto(rec), applied: false, cost } };

    const at = isoAt(clock);
    let next: ShipmentRecord = { ...rec, phone, note, alternatives, updatedAt: at };
    if (carrierChanged) {
      if (rec.subscription.attemptLog.length || rec.lastPushAt) {
        const tombstone: ShipmentRecord = { ...rec, id: newShipmentId(), removedAt: at, updatedAt: at };
        const kept = await saveRecord(store, tombstone);
        if (!kept.ok) return kept;
      }
      const fresh = newShipmentRecord({
        company,
        number: rec.number,
        now: at,
        autoCom: !company,
        phone,
        from: rec.from,
        to: rec.to,
        note,
        // The orders it was shipped for do not change with the carrier.
        orderNos: rec.orderNos ?? [],
        buyer: rec.buyer ?? null,
        subscription: { status: 'pending', reason: 'retry', nextAttemptAt: new Date(now + RETRY_BASE_MS).toISOString() },
      });
      next = { ...fresh, id: rec.id, createdAt: rec.createdAt, alternatives };
    }
    const saved = await saveRecord(store, next);
    if (!saved.ok) return saved;
    if (!resubscribes) {
      this.#bus.shipment(next);
      return { ok: true, value: { shipment: this.#queries.dto(next), applied: true, cost: null } };
    }
    // The seller asked: sent even while the provider's answers were bad.
    const r = await this.#subscriptions.subscribe(id, true);
    if (!r.ok) return r;
    return { ok: true, value: { shipment: r.value, applied: true, cost } };
  }
}
