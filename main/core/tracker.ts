/**
 * The one service the shells (Electron, headless web) call. It owns the rules: adding and
 * subscribing waybills, retrying what could not be subscribed, ingesting pushes, settings.
 * Every change is persisted before it is announced, and announced as a ChangeEvent.
 */
import type {
  ApiError,
  CarrierDto,
  CarrierQuery,
  ChangeEvent,
  NewShipmentInput,
  NotificationDto,
  ParcelTrayApi,
  RepairItemDto,
  RepairPlanDto,
  Result,
  SettingsDto,
  SettingsPatch,
  ShipmentDto,
  ShipmentQuery,
  StateGroup,
  StatusDto,
  TunnelStatusDto,
} from '../../preload/contract.js';
import { STATE_GROUPS } from '../../preload/contract.js';
import { systemClock, type Clock } from './clock.js';
import { randomAlnum } from './ids.js';
import { invalid } from './input-validation.js';
import { guessCarriers } from './kuaidi100/carrier-guess.js';
import { companyByCode, companyNeedsPhone, findCompany, searchCompanies } from './kuaidi100/companies.js';
import { mergePush } from './kuaidi100/push-merge.js';
import { verifyPushSign } from './kuaidi100/signature.js';
import { buildSubscribeParam, validateSubscribe } from './kuaidi100/subscribe-request.js';
import { subscribe, type SubscribeOutcome } from './kuaidi100/subscribe-client.js';
import type { PushParam, ResultV2 } from './kuaidi100/wire-types.js';
import {
  attemptsThisMonth,
  DEFAULT_THRESHOLDS,
  MONTHLY_LIMIT,
  nextMonthStart,
  resubscribeNotBefore,
  staleOf,
} from './lifecycle.js';
import { epochToKuaidiTime } from './kuaidi100/time.js';
import { resolveProvider } from './provider.js';
import { archiveDue, type Archive } from './store/archive.js';
import type { SecretStore } from './secrets.js';
import { summaryOf, toShipmentDto } from './shipment-dto.js';
import { groupOf, matchesGroup } from './state-groups.js';
import type { Settings, ShipmentRecord, SubscriptionRecord } from './store/schema.js';
import { newShipmentRecord } from './store/new-record.js';
import { StorageError, type ShipmentStore } from './store/shipment-store.js';

export interface CallbackUrls {
  /** The callback URL on loopback (the sandbox pushes here). */
  local(): string;
  /** The callback URL Kuaidi100 can reach, or null while there is none (tunnel not up). */
  public(): string | null;
}

export interface TrackerDeps {
  store: ShipmentStore;
  secrets: SecretStore;
  callback: CallbackUrls;
  tunnelStatus(): TunnelStatusDto;
  checkTunnel(): Promise<TunnelStatusDto>;
  notifications?(): NotificationDto[];
  archive?: Archive;
  sandboxUrl(): string | null;
  clock?: Clock;
  subscribeTimeoutMs?: number;
  /** How often due retries are looked for. */
  retryIntervalMs?: number;
}

export type PushOutcome =
  | { kind: 'stored'; id: string; changed: boolean; created: boolean }
  | { kind: 'rejected'; httpStatus: 400 | 403; message: string }
  | { kind: 'storage-failed'; message: string };

const RETRY_BASE_MS = 15_000;
const NOT_FOUND: ApiError = { code: 'not-found', message: '没有这个包裹', messageEn: 'No such parcel' };
const RETRY_MAX_MS = 30 * 60_000;

export class Tracker implements ParcelTrayApi {
  readonly #d: TrackerDeps;
  readonly #clock: Clock;
  readonly #listeners = new Set<(e: ChangeEvent) => void>();
  /** Subscribe requests under way, so that a retry never doubles one. */
  readonly #inFlight = new Map<string, Promise<Result<ShipmentDto>>>();
  #retryTimer: unknown = null;
  #statusTimer: unknown = null;
  #stopped = false;

  constructor(deps: TrackerDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Starts the retry loop; subscriptions left pending by a previous run are retried at once. */
  start(): void {
    const loop = (): void => {
      void this.retryDue().finally(() => {
        if (this.#retryTimer !== null) this.#retryTimer = this.#clock.setTimeout(loop, this.#d.retryIntervalMs ?? 5000);
      });
    };
    this.#retryTimer = this.#clock.setTimeout(loop, 0);
  }

  /** Stops retrying and waits for requests under way, so nothing runs after the servers close. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer !== null) this.#clock.clearTimeout(this.#retryTimer);
    if (this.#statusTimer !== null) this.#clock.clearTimeout(this.#statusTimer);
    this.#retryTimer = null;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends an event that does not come from the store (notifications, shell commands) to every listener. */
  publish(event: ChangeEvent): void {
    this.#emit(event);
  }

  async listNotifications(): Promise<Result<NotificationDto[]>> {
    return { ok: true, value: this.#d.notifications?.() ?? [] };
  }

  /** Announces a status change (tunnel state, callback URL) coming from outside the tracker. */
  statusChanged(): void {
    this.#emit({ type: 'status', status: this.#status() });
  }

  #emit(event: ChangeEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        console.error('change listener failed:', e);
      }
    }
  }

  #emitShipment(rec: ShipmentRecord): void {
    if (rec.removedAt) return;
    this.#emit({ type: 'shipment', shipment: summaryOf(this.#dto(rec)) });
    this.#statusSoon();
  }

  /** Counts cover every shipment: a burst of pushes announces them once, not once per push. */
  #statusSoon(): void {
    if (this.#statusTimer !== null) return;
    this.#statusTimer = this.#clock.setTimeout(() => {
      this.#statusTimer = null;
      this.#emit({ type: 'status', status: this.#status() });
    }, 200);
  }

  #dto(rec: ShipmentRecord): ShipmentDto {
    const settings = this.#d.store.settings;
    // The sandbox's local URL changes with the port; only a real provider's URL must stay.
    const current = settings.provider === 'sandbox' ? null : this.#callbackUrlFor(settings);
    const now = this.#clock.now();
    return toShipmentDto(rec, {
      currentCallbackUrl: current,
      stale: staleOf(rec, this.#d.store.journal, now, settings.stale),
      attemptsThisMonth: attemptsThisMonth(this.#d.store.byNumber(rec.number), rec.company, now),
    });
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  // ---- queries ---------------------------------------------------------------------------

  #visible(): ShipmentRecord[] {
    return this.#d.store.list().filter((r) => !r.removedAt);
  }

  async listShipments(query: ShipmentQuery = {}): Promise<Result<ShipmentDto[]>> {
    const active = this.list(query);
    if (!query.archived || !this.#d.archive) return { ok: true, value: active };
    const archived = this.#query((await this.#d.archive.all()).filter((r) => !r.removedAt), query).map((r) => ({
      ...this.#listed(r, query),
      archived: true,
    }));
    return { ok: true, value: [...active, ...archived] };
  }

  list(query: ShipmentQuery = {}): ShipmentDto[] {
    const found = this.#query(this.#visible(), query);
    return (query.limit ? found.slice(0, query.limit) : found).map((r) => this.#listed(r, query));
  }

  /** A shipment as a list shows it: the summary, or everything with ?full. */
  #listed(r: ShipmentRecord, query: ShipmentQuery): ShipmentDto {
    return query.full ? this.#dto(r) : summaryOf(this.#dto(r));
  }

  #query(records: readonly ShipmentRecord[], query: ShipmentQuery): ShipmentRecord[] {
    const q = query.q?.trim().toLowerCase();
    return records
      .filter((r) => matchesGroup(r, query.state))
      .filter((r) => !q || r.number.toLowerCase().includes(q) || (r.note ?? '').toLowerCase().includes(q))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  }

  /** Moves parcels that are done with into the archive; returns how many moved. */
  async archiveDone(): Promise<number> {
    const archive = this.#d.archive;
    if (!archive) return 0;
    const now = this.#clock.now();
    const due = this.#d.store.list().filter((r) => archiveDue(r, now, this.#d.store.settings.archiveAfterDays));
    if (!due.length) return 0;
    await archive.add(due);
    await this.#d.store.drop(due.map((r) => r.id));
    for (const r of due) if (!r.removedAt) this.#emit({ type: 'shipment-removed', id: r.id });
    this.statusChanged();
    return due.length;
  }

  async getShipment(id: string): Promise<Result<ShipmentDto>> {
    const rec = this.#d.store.get(id) ?? (await this.#d.archive?.all())?.find((r) => r.id === id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    return { ok: true, value: { ...this.#dto(rec), archived: !this.#d.store.get(id) } };
  }

  async checkTunnel(): Promise<Result<TunnelStatusDto>> {
    const status = await this.#d.checkTunnel();
    this.statusChanged();
    return { ok: true, value: status };
  }

  async getStatus(): Promise<Result<StatusDto>> {
    return { ok: true, value: this.#status() };
  }

  #status(): StatusDto {
    const settings = this.#d.store.settings;
    const provider = resolveProvider(settings, this.#d.secrets, this.#d.sandboxUrl());
    const counts = Object.fromEntries(STATE_GROUPS.map((g) => [g, 0])) as Record<StateGroup, number>;
    for (const r of this.#visible()) {
      counts.all += 1;
      counts[groupOf(r)] += 1;
    }
    return {
      callbackUrl: this.#callbackUrlFor(settings) ?? this.#d.callback.local(),
      tunnel: this.#d.tunnelStatus(),
      provider: { id: provider.id, endpoint: provider.endpoint, ready: !provider.problem, problem: provider.problem, problemEn: provider.problemEn },
      counts,
    };
  }

  async listCarriers(query: CarrierQuery): Promise<Result<CarrierDto[]>> {
    const guessed = query.number ? guessCarriers(query.number) : [];
    const found = query.q !== undefined || !guessed.length ? searchCompanies(query.q ?? '', 30) : [];
    const seen = new Set<string>();
    const value: CarrierDto[] = [];
    for (const [c, isGuess] of [...guessed.map((c) => [c, true] as const), ...found.map((c) => [c, false] as const)]) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      value.push({ code: c.code, name: c.name, needsPhone: companyNeedsPhone(c.code), guessed: isGuess });
    }
    return { ok: true, value };
  }

  // ---- adding and subscribing -------------------------------------------------------------

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

    const existing = this.#findWaybill(number, company?.code ?? '');
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
    const now = this.#nowIso();
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
          subscription: { status: 'pending', reason: 'retry', nextAttemptAt: new Date(this.#clock.now() + RETRY_BASE_MS).toISOString() },
        });
    // What the seller typed is on disk before anything else can fail.
    const saved = await this.#save(rec);
    if (!saved.ok) return saved;
    // A revived waybill that Kuaidi100 still tracks needs no new subscription.
    if (existing && existing.subscription.status === 'active' && existing.tracking !== 'shutdown' && existing.tracking !== 'abort') {
      return { ok: true, value: this.#dto(rec) };
    }
    return this.#subscribe(rec.id);
  }

  /** The stored waybill a new entry or a push refers to: same number, same carrier or one side unknown. */
  #findWaybill(number: string, company: string, aliases: string[] = []): ShipmentRecord | undefined {
    const candidates = this.#d.store.byNumber(number);
    const codes = [company, ...aliases].filter(Boolean);
    return (
      candidates.find((r) => codes.includes(r.company) || (r.comOld !== null && codes.includes(r.comOld))) ??
      candidates.find((r) => !r.company || !company) ??
      (candidates.length === 1 && !codes.length ? candidates[0] : undefined)
    );
  }

  async resubscribe(id: string): Promise<Result<ShipmentDto>> {
    const rec = this.#d.store.get(id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    const blocked = this.#resubscribeBlocked(rec);
    if (blocked) return { ok: false, error: { code: 'not-allowed', message: blocked.reason, messageEn: blocked.reasonEn } };
    return this.#subscribe(id);
  }

  /** Why Kuaidi100 would refuse a resubscribe now (checked here, before an API call is spent). */
  #resubscribeBlocked(rec: ShipmentRecord): { action: 'wait' | 'monthly-limit'; reason: string; reasonEn: string; notBefore: number } | null {
    const now = this.#clock.now();
    const notBefore = resubscribeNotBefore(rec);
    if (notBefore !== null && now < notBefore) {
      const at = epochToKuaidiTime(notBefore).slice(11, 16);
      return {
        action: 'wait',
        reason: `跟踪结束半小时后才能重新订阅（${at} 之后）`,
        reasonEn: `Kuaidi100 accepts a resubscribe 30 minutes after tracking ended (after ${at} China time)`,
        notBefore,
      };
    }
    return this.#monthlyLimit(rec, now);
  }

  /** Kuaidi100's 4 subscriptions per waybill and month, counted here: why not now, or null. */
  #monthlyLimit(rec: ShipmentRecord, now: number): { action: 'monthly-limit'; reason: string; reasonEn: string; notBefore: number } | null {
    if (attemptsThisMonth(this.#d.store.byNumber(rec.number), rec.company, now) < MONTHLY_LIMIT) return null;
    const next = nextMonthStart(now);
    const day = epochToKuaidiTime(next).slice(0, 10);
    return {
      action: 'monthly-limit',
      reason: `本月已订阅 ${MONTHLY_LIMIT} 次（快递100每月上限），${day} 起可再订阅`,
      reasonEn: `Subscribed ${MONTHLY_LIMIT} times this month (Kuaidi100's monthly limit); possible again from ${day}`,
      notBefore: next,
    };
  }

  async planRepair(): Promise<Result<RepairPlanDto>> {
    return { ok: true, value: this.#repairPlan() };
  }

  #repairPlan(): RepairPlanDto {
    const items: RepairItemDto[] = [];
    for (const rec of this.#visible()) {
      const dto = this.#dto(rec);
      if (!dto.stale) continue;
      const blocked = this.#resubscribeBlocked(rec);
      items.push(
        blocked
          ? { id: rec.id, number: rec.number, action: blocked.action, reason: blocked.reason, reasonEn: blocked.reasonEn, notBefore: new Date(blocked.notBefore).toISOString() }
          : {
              id: rec.id,
              number: rec.number,
              action: 'resubscribe',
              // If Kuaidi100 still tracks it, it answers 501 and the next push repairs the history.
              reason: `${dto.stale.reason}。重新订阅后快递100会推送完整轨迹（若仍在跟踪则返回 501，无需处理）`,
              reasonEn: `${dto.stale.reasonEn}. After a resubscribe Kuaidi100 pushes the full history (if it still tracks the parcel it answers 501: nothing to do)`,
              notBefore: null,
            },
      );
    }
    return { calls: items.filter((i) => i.action === 'resubscribe').length, items };
  }

  async repair(): Promise<Result<RepairPlanDto>> {
    const plan = this.#repairPlan();
    for (const item of plan.items) {
      if (item.action !== 'resubscribe') continue;
      const r = await this.#subscribe(item.id);
      if (!r.ok) Object.assign(item, { reason: r.error.message, reasonEn: r.error.messageEn ?? r.error.message });
      else Object.assign(item, { reason: r.value.subscription.message ?? item.reason, reasonEn: r.value.subscription.messageEn ?? item.reasonEn });
    }
    return { ok: true, value: plan };
  }

  async removeShipment(id: string): Promise<Result<{ id: string }>> {
    const rec = this.#d.store.get(id);
    if (!rec || rec.removedAt) return { ok: false, error: NOT_FOUND };
    const saved = await this.#save({ ...rec, removedAt: this.#nowIso() });
    if (!saved.ok) return saved;
    this.#emit({ type: 'shipment-removed', id });
    this.#emit({ type: 'status', status: this.#status() });
    return { ok: true, value: { id } };
  }

  /** Persists a record; a storage failure becomes a typed error. */
  async #save(rec: ShipmentRecord): Promise<Result<ShipmentRecord>> {
    try {
      await this.#d.store.put(rec);
    } catch (e) {
      if (e instanceof StorageError) return { ok: false, error: { code: 'storage', message: `无法保存：${e.message}`, messageEn: `Could not save: ${e.message}` } };
      throw e;
    }
    return { ok: true, value: rec };
  }

  #callbackUrlFor(settings: Settings): string | null {
    return settings.provider === 'sandbox' ? this.#d.callback.local() : this.#d.callback.public();
  }

  /** Sends one subscribe request for a stored shipment and records the outcome; joins one under way. */
  #subscribe(id: string): Promise<Result<ShipmentDto>> {
    const running = this.#inFlight.get(id);
    if (running) return running;
    const attempt = this.#subscribeNow(id).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, attempt);
    return attempt;
  }

  async #subscribeNow(id: string): Promise<Result<ShipmentDto>> {
    const settings = this.#d.store.settings;
    const provider = resolveProvider(settings, this.#d.secrets, this.#d.sandboxUrl());
    const callbackurl = this.#callbackUrlFor(settings);
    const start = this.#d.store.get(id)!;
    const now = this.#nowIso();

    let sub: SubscriptionRecord;
    if (!provider.auth || provider.problem) {
      sub = { ...start.subscription, status: 'failed', reason: 'fix-credentials', returnCode: null, message: provider.problem, messageEn: provider.problemEn, nextAttemptAt: null };
    } else if (!callbackurl) {
      sub = {
        ...start.subscription,
        status: 'pending',
        reason: 'retry',
        returnCode: null,
        message: '等待隧道连接：连接后自动订阅',
        messageEn: 'Waiting for the tunnel: subscribed as soon as it is up',
        nextAttemptAt: new Date(this.#clock.now() + RETRY_BASE_MS).toISOString(),
      };
    } else {
      // ETA prediction needs a destination; without one, ask for the level below it.
      const resultv2: ResultV2 = settings.resultv2 === '8' && !start.to ? '4' : settings.resultv2;
      const input = {
        company: start.company,
        number: start.number,
        callbackurl,
        salt: settings.salt,
        resultv2,
        autoCom: start.autoCom && !start.company,
        phone: start.phone,
        from: start.from,
        to: start.to,
      };
      const problem = validateSubscribe(input);
      const limited = this.#monthlyLimit(start, this.#clock.now());
      if (limited) {
        // Refused here, before an API call is spent; the seller sees when it becomes possible.
        sub = {
          ...start.subscription,
          status: start.subscription.status === 'active' ? 'active' : 'failed',
          reason: start.subscription.status === 'active' ? null : 'fix-input',
          returnCode: 'limit',
          message: limited.reason,
          messageEn: limited.reasonEn,
          nextAttemptAt: null,
        };
      } else if (problem) {
        sub = { ...start.subscription, status: 'failed', reason: 'fix-input', returnCode: null, message: problem.message, messageEn: problem.messageEn, nextAttemptAt: null };
      } else {
        const outcome = await subscribe({
          endpoint: provider.endpoint,
          auth: provider.auth,
          param: buildSubscribeParam(input),
          timeoutMs: this.#d.subscribeTimeoutMs,
        });
        const latest = this.#d.store.get(id) ?? start;
        const attempts = latest.subscription.attempts + 1;
        sub = {
          ...latest.subscription,
          ...outcomeToSubscription(outcome, attempts, this.#clock.now()),
          attempts,
          lastAttemptAt: now,
          callbackUrl: callbackurl,
          salt: settings.salt,
          resultv2,
          // A request that never reached Kuaidi100 does not count toward its monthly limit.
          attemptLog: outcome.kind === 'network' ? latest.subscription.attemptLog : [...latest.subscription.attemptLog, now],
        };
      }
    }
    const latest = this.#d.store.get(id) ?? start;
    // A push may have arrived while we waited: it proves the subscription is active.
    if (latest.subscription.status === 'active' && latest.lastPushAt && sub.status !== 'active') {
      sub = { ...sub, status: 'active', reason: null, nextAttemptAt: null };
    }
    const rec: ShipmentRecord = { ...latest, subscription: sub, updatedAt: this.#nowIso() };
    const saved = await this.#save(rec);
    if (!saved.ok) return saved;
    this.#emitShipment(rec);
    return { ok: true, value: this.#dto(rec) };
  }

  /** Retries every pending subscription whose time has come. Returns how many were tried. */
  async retryDue(): Promise<number> {
    const now = this.#clock.now();
    const due = this.#visible().filter(
      (r) =>
        r.subscription.status === 'pending' &&
        r.subscription.reason === 'retry' &&
        (!r.subscription.nextAttemptAt || Date.parse(r.subscription.nextAttemptAt) <= now),
    );
    let tried = 0;
    for (const r of due) {
      if (this.#stopped) break;
      await this.#subscribe(r.id);
      tried += 1;
    }
    return tried;
  }

  // ---- pushes ----------------------------------------------------------------------------

  /**
   * Verifies and stores one push. The signature is checked against the salt the waybill was
   * subscribed with; a push for a waybill we do not know is kept when it is signed with one
   * of this install's salts (it was subscribed by us, perhaps before a reinstall).
   */
  async receivePush(rawParam: string, push: PushParam, sign: string | null): Promise<PushOutcome> {
    const lr = push.lastResult;
    const number = (lr.nu ?? '').trim();
    const aliases = [push.comOld, push.comNew].filter((c): c is string => !!c);
    const existing = this.#findWaybill(number, lr.com ?? '', aliases);
    const settings = this.#d.store.settings;
    const now = this.#nowIso();

    let base: ShipmentRecord;
    let created = false;
    if (existing) {
      const salt = existing.subscription.salt;
      if (salt !== null && !verifyPushSign(rawParam, salt, sign)) {
        return { kind: 'rejected', httpStatus: 403, message: 'sign 校验失败' };
      }
      base = existing;
    } else {
      const salts = [settings.salt, ...settings.previousSalts];
      const salt = salts.find((s) => verifyPushSign(rawParam, s, sign));
      if (salt === undefined) return { kind: 'rejected', httpStatus: 403, message: 'sign 校验失败（未知单号）' };
      created = true;
      base = newRecordFromPush(number, lr.com ?? push.comNew ?? '', salt, now);
    }
    const { record, changed } = mergePush(base, push, now);
    try {
      await this.#d.store.put(record);
    } catch (e) {
      return { kind: 'storage-failed', message: e instanceof Error ? e.message : String(e) };
    }
    if (changed || created) this.#emitShipment(record);
    return { kind: 'stored', id: record.id, changed, created };
  }

  // ---- settings --------------------------------------------------------------------------

  async getSettings(): Promise<Result<SettingsDto>> {
    return { ok: true, value: this.#settingsDto() };
  }

  #settingsDto(): SettingsDto {
    const s = this.#d.store.settings;
    return {
      provider: s.provider,
      appCodeSet: !!this.#d.secrets.get('appCode'),
      keySet: !!this.#d.secrets.get('key'),
      pollUrl: s.pollUrl,
      resultv2: s.resultv2,
      tunnel: { ...s.tunnel },
      notify: { ...s.notify, states: [...s.notify.states] },
      language: s.language,
      startAtLogin: s.startAtLogin,
      secretStorage: this.#d.secrets.protection,
    };
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<SettingsDto>> {
    const prev = this.#d.store.settings;
    const next: Settings = {
      ...prev,
      provider: patch.provider ?? prev.provider,
      pollUrl: patch.pollUrl ?? prev.pollUrl,
      resultv2: patch.resultv2 ?? prev.resultv2,
      language: patch.language ?? prev.language,
      startAtLogin: patch.startAtLogin ?? prev.startAtLogin,
      tunnel: { ...prev.tunnel, ...patch.tunnel },
      notify: { ...prev.notify, ...patch.notify },
    };
    if (next.tunnel.mode === 'public' && !next.tunnel.publicUrl) {
      return invalid('tunnel.publicUrl', '公网模式需要填写公网地址（例如 https://shop.example.com）', 'Public mode needs a public URL (e.g. https://shop.example.com)');
    }
    if (patch.salt && patch.salt !== prev.salt) {
      next.salt = patch.salt;
      next.previousSalts = [prev.salt, ...prev.previousSalts.filter((s) => s !== patch.salt)].slice(0, 20);
    }
    if (patch.appCode !== undefined) this.#d.secrets.set('appCode', patch.appCode || null);
    if (patch.key !== undefined) this.#d.secrets.set('key', patch.key || null);
    try {
      await this.#d.store.updateSettings(next);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'storage', message: `无法保存设置：${why}`, messageEn: `Could not save the settings: ${why}` } };
    }
    const dto = this.#settingsDto();
    this.#emit({ type: 'settings', settings: dto });
    this.#emit({ type: 'status', status: this.#status() });
    // New credentials or a new provider: what failed on credentials gets another chance.
    if (patch.appCode !== undefined || patch.key !== undefined || (patch.provider && patch.provider !== prev.provider)) {
      const waiting = this.#visible().filter((r) => r.subscription.status === 'failed' && r.subscription.reason === 'fix-credentials');
      void Promise.all(waiting.map((r) => this.#subscribe(r.id)));
    }
    return { ok: true, value: dto };
  }
}

/** Default settings of a new install: sandbox provider, a fresh salt and secrets. */
export function defaultSettings(): Settings {
  return {
    installId: randomAlnum(12),
    callbackSecret: randomAlnum(24),
    salt: randomAlnum(24),
    previousSalts: [],
    provider: 'sandbox',
    pollUrl: '',
    resultv2: '4',
    tunnel: { mode: 'localtunnel', host: 'https://localtunnel.me', subdomain: '', publicUrl: '', https: false },
    notify: { states: ['5', '3', '2', '4', '6', '14'], aborted: true },
    language: 'zh',
    startAtLogin: false,
    stale: { ...DEFAULT_THRESHOLDS },
    archiveAfterDays: 30,
  };
}

function outcomeToSubscription(
  outcome: SubscribeOutcome,
  attempts: number,
  now: number,
): Pick<SubscriptionRecord, 'status' | 'reason' | 'returnCode' | 'message' | 'messageEn' | 'nextAttemptAt'> {
  const retryAt = new Date(now + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1))).toISOString();
  switch (outcome.kind) {
    case 'answered': {
      const { info } = outcome;
      const words = {
        message: `${outcome.returnCode} ${outcome.message}：${info.advice}`,
        messageEn: `${outcome.returnCode} ${outcome.messageEn ?? info.messageEn}: ${info.adviceEn}`,
        returnCode: outcome.returnCode,
      };
      if (info.action === 'active') return { status: 'active', reason: null, ...words, nextAttemptAt: null };
      if (info.action === 'retry') return { status: 'pending', reason: 'retry', ...words, nextAttemptAt: retryAt };
      return { status: 'failed', reason: info.action, ...words, nextAttemptAt: null };
    }
    case 'timeout':
    case 'network':
      return { status: 'pending', reason: 'retry', returnCode: outcome.kind, message: `${outcome.message}，稍后自动重试`, messageEn: `${outcome.messageEn}; retried automatically`, nextAttemptAt: retryAt };
    case 'http':
      return { status: 'pending', reason: 'retry', returnCode: 'http', message: `${outcome.message}，稍后自动重试`, messageEn: `${outcome.messageEn}; retried automatically`, nextAttemptAt: retryAt };
  }
}

function newRecordFromPush(number: string, company: string, salt: string, now: string): ShipmentRecord {
  return newShipmentRecord({
    company,
    number,
    now,
    autoCom: !company,
    subscription: {
      status: 'active',
      salt,
      message: '由快递100推送自动建立（本机未记录此次订阅）',
      messageEn: 'Created from a Kuaidi100 push (this computer has no record of subscribing it)',
    },
  });
}
