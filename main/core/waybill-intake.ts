/**
 * What the seller enters: a new waybill (checked, de-duplicated against the list, revived when
 * it was removed, saved before anything can fail, then subscribed) and removing one.
 */
import type { NewShipmentInput, Result, ShipmentDto } from '../../preload/contract.js';
import type { ChangeBus } from './change-bus.js';
import { invalid } from './input-validation.js';
import { companyByCode, findCompany } from './kuaidi100/companies.js';
import { validateSubscribe } from './kuaidi100/subscribe-request.js';
import type { ShipmentQueries } from './shipment-queries.js';
import { newShipmentRecord } from './store/new-record.js';
import type { ShipmentRecord } from './store/schema.js';
import { RETRY_BASE_MS } from './subscription-rules.js';
import type { SubscriptionService } from './subscription-service.js';
import { isoAt, NOT_FOUND, saveRecord, type CoreDeps } from './tracker-deps.js';
import { findWaybill } from './waybill-match.js';

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
    const companyInput = input.company?.trim() ?? '';
    const company = companyInput ? findCompany(companyInput) : undefined;
    if (companyInput && !company) return invalid('company', `不认识的快递公司“${companyInput}”`, `Unknown carrier "${companyInput}"`);
    const autoCom = !company && (input.autoCom ?? true);
    const check = validateSubscribe({
      company: company?.code ?? '',
      number,
      callbackurl: 'http://placeholder/',
      autoCom,
      phone: input.phone ?? null,
    });
    if (check) return invalid(check.field, check.message, check.messageEn);

    const existing = findWaybill(this.#d.store.byNumber(number), company?.code ?? '');
    if (existing && !existing.removedAt) {
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
    const rec: ShipmentRecord = existing
      ? {
          ...existing,
          removedAt: null,
          note: input.note?.trim() || existing.note,
          phone: input.phone?.trim() || existing.phone,
          updatedAt: now,
        }
      : newShipmentRecord({
          company: company?.code ?? '',
          number,
          now,
          autoCom,
          phone: input.phone?.trim() || null,
          from: input.from?.trim() || null,
          to: input.to?.trim() || null,
          note: input.note?.trim() || null,
          // Retried only if the attempt below never finishes (the app quits mid-request).
          subscription: { status: 'pending', reason: 'retry', nextAttemptAt: new Date(this.#d.clock.now() + RETRY_BASE_MS).toISOString() },
        });
    // What the seller typed is on disk before anything else can fail.
    const saved = await saveRecord(this.#d.store, rec);
    if (!saved.ok) return saved;
    // A revived waybill that Kuaidi100 still tracks needs no new subscription.
    if (existing && existing.subscription.status === 'active' && existing.tracking !== 'shutdown' && existing.tracking !== 'abort') {
      return { ok: true, value: this.#queries.dto(rec) };
    }
    return this.#subscriptions.subscribe(rec.id);
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
