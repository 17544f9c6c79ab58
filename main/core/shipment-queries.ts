/**
 * Reading shipments: a record as the UI sees it (with its staleness and monthly attempts),
 * the list with its filter and order (shared with the window, preload/view-logic.ts), one
 * parcel's detail (from the active store or the archive), and the status with its counts.
 */
import type { Result, ShipmentDto, ShipmentPageDto, ShipmentQuery, StatusDto } from '../../preload/contract.js';
import type { ParcelMark } from './forward/forward-events.js';
import { attemptsThisMonth, staleOf } from './lifecycle.js';
import { DEFAULT_PICKUP_HOURS, pickupLate } from './pickup-watch.js';
import { resolveProvider } from './provider.js';
import type { ProviderHealthKeeper } from './provider-health-keeper.js';
import { toShipmentDto, toSummaryDto, type DtoContext } from './shipment-dto.js';
import { ShipmentListIndex } from './shipment-list-index.js';
import { summaryRecordOf } from './store/archive.js';
import type { ShipmentRecord } from './store/schema.js';
import { callbackUrlFor, NOT_FOUND, type CoreDeps } from './tracker-deps.js';

export class ShipmentQueries {
  readonly #d: CoreDeps;
  readonly #health: ProviderHealthKeeper;
  /** Tabs, counters, search text and sorted orders, following the store change by change. */
  readonly index: ShipmentListIndex;

  constructor(deps: CoreDeps, health: ProviderHealthKeeper) {
    this.#d = deps;
    this.#health = health;
    this.index = new ShipmentListIndex({
      now: () => deps.clock.now(),
      pickupHours: () => this.pickupHours,
      staleRules: () => ({ journal: deps.store.journal, thresholds: deps.store.settings.stale }),
    });
    this.index.reset(deps.store.list());
    deps.store.watch((id, rec) => this.index.update(id, rec));
  }

  get pickupHours(): number {
    return this.#d.store.settings.pickupHours ?? DEFAULT_PICKUP_HOURS;
  }

  /** A stored record as the UI sees it, every event included (reads its history). */
  dto(rec: ShipmentRecord): ShipmentDto {
    return toShipmentDto(rec, this.#context(rec));
  }

  /** A record as a list or a change event carries it: the newest event only, its history not read. */
  summary(rec: ShipmentRecord): ShipmentDto {
    return toSummaryDto(rec, this.#context(rec));
  }

  /** Why the parcel's shown state may be out of date now, or null (as its DTO says). */
  stale(rec: ShipmentRecord): ShipmentDto['stale'] {
    const settings = this.#d.store.settings;
    return staleOf(rec, this.#d.store.journal, this.#d.clock.now(), settings.stale);
  }

  /**
   * What every visible parcel is now, as the forwarding rules compare it: the list index's
   * entries (stale and late decided there), no DTO built and no history read.
   */
  *marks(): Generator<ParcelMark> {
    const now = this.#d.clock.now();
    // Decides every entry's staleAt if the rules were never asked for (or changed).
    this.index.staleCount(now);
    for (const e of this.index.entries()) {
      const r = e.rec;
      yield { id: r.id, tracking: r.tracking, state: r.state, statusCode: r.statusCode, stale: e.staleAt !== null && e.staleAt <= now, pickupLate: e.late };
    }
  }

  #context(rec: ShipmentRecord): DtoContext {
    const settings = this.#d.store.settings;
    // The sandbox's local URL changes with the port; only a real provider's URL must stay.
    const current = settings.provider === 'sandbox' ? null : callbackUrlFor(this.#d.callback, settings);
    const now = this.#d.clock.now();
    return {
      currentCallbackUrl: current,
      stale: this.stale(rec),
      attemptsThisMonth: attemptsThisMonth(this.#d.store.byNumber(rec.number), rec.company, now),
      pickupLate: pickupLate(rec, now, this.pickupHours),
    };
  }

  list(query: ShipmentQuery = {}): ShipmentDto[] {
    return this.index.page(query).items.map((e) => this.#listed(e.rec, query));
  }

  /** One page, the number of matches and the tabs' counts: no walk of the store, no sort per request. */
  listPage(query: ShipmentQuery): ShipmentPageDto {
    const { items, total } = this.index.page(query);
    return { items: items.map((e) => this.#listed(e.rec, query)), total, offset: query.offset ?? 0, counts: this.index.counts };
  }

  async listShipments(query: ShipmentQuery = {}): Promise<Result<ShipmentDto[]>> {
    const active = this.list(query);
    if (!query.archived || !this.#d.archive) return { ok: true, value: active };
    const archive = this.#d.archive;
    const page = await archive.search({ q: query.q, state: query.state, limit: query.limit });
    // A list row comes from the index alone; ?full opens each record (decodes its segment).
    // A parcel that rejoined the hot store but whose archive copy is not yet taken out shows once.
    const entries = page.entries.filter((e) => !this.#d.store.get(e.id));
    const records = query.full ? await Promise.all(entries.map(async (e) => (await archive.get(e.id)) ?? summaryRecordOf(e))) : entries.map(summaryRecordOf);
    const archived = records.map((r) => ({ ...this.#listed(r, query), archived: true }));
    return { ok: true, value: [...active, ...archived] };
  }

  async getShipment(id: string): Promise<Result<ShipmentDto>> {
    const rec = this.#d.store.get(id) ?? (await this.#d.archive?.get(id));
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    return { ok: true, value: { ...this.dto(rec), archived: !this.#d.store.get(id) } };
  }

  status(): StatusDto {
    const settings = this.#d.store.settings;
    const provider = resolveProvider(settings, this.#d.secrets, this.#d.sandboxUrl());
    const health = this.#health.health;
    // Missing settings first (nothing can be sent), then what its answers showed.
    const problem = provider.problem
      ? { problem: provider.problem, problemEn: provider.problemEn, fix: 'appcode' as const, since: null }
      : health.ready
        ? { problem: null, problemEn: null, fix: null, since: null }
        : { problem: health.reason, problemEn: health.reasonEn, fix: health.fix, since: health.since };
    return {
      callbackUrl: callbackUrlFor(this.#d.callback, settings) ?? this.#d.callback.local(),
      tunnel: this.#d.tunnelStatus(),
      provider: { id: provider.id, endpoint: provider.endpoint, ready: problem.problem === null, ...problem },
      counts: this.index.counts,
      attention: { stale: this.#countStale(), pickupLate: this.index.pickupLateCount },
    };
  }

  #countStale(): number {
    return this.index.staleCount(this.#d.clock.now());
  }

  /** 今日签收 for the tray: parcels delivered today (China date), from the list index alone. */
  signedToday(): number {
    return this.index.signedToday(this.#d.clock.now());
  }

  /** A shipment as a list shows it: the summary, or everything with ?full. */
  #listed(r: ShipmentRecord, query: ShipmentQuery): ShipmentDto {
    return query.full ? this.dto(r) : this.summary(r);
  }
}
