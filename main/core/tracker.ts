/**
 * The one service the shells (Electron, headless web) call: a thin facade over the rooms that
 * own the rules. Each job lives in the file named for it:
 *   change-bus.ts            listeners, emit, status coalescing
 *   shipment-queries.ts      list / detail / counts / status (filters shared via preload/view-logic.ts)
 *   waybill-intake.ts        adding (carrier decided, checked, de-duplicated, revived) and removing waybills
 *   shipment-edit.ts         editing carrier, phone, note (a new carrier or phone resubscribes)
 *   provider-health-keeper.ts  the provider's health from its answers, kept with the settings
 *   subscription-service.ts  subscribe, in-flight joins, retry loop, repair
 *   subscription-rules.ts    monthly limit, 30-minute wait, outcome → record (pure)
 *   repair-planner.ts        what a repair would do (pure)
 *   push-intake.ts           a push: find the waybill, check its sign, merge, store
 *   settings-service.ts      settings DTO and saving settings + secrets as one step
 *   archiving.ts             moving parcels done with into the archive
 *   default-settings.ts      a new install's settings
 *   import-service.ts        marketplace order files: preview, column corrections, commit
 *   export/export-file.ts    the list's view as .xlsx / .csv
 * Every change is persisted before it is announced, and announced as a ChangeEvent.
 */
import type {
  CarrierDto,
  CarrierQuery,
  ChangeEvent,
  ChannelDto,
  ChannelInput,
  ChannelTestResultDto,
  NewShipmentInput,
  NotificationDto,
  ParcelTrayApi,
  RepairPlanDto,
  Result,
  SettingsDto,
  SettingsPatch,
  ShipmentDto,
  ShipmentPatch,
  ShipmentPageDto,
  ShipmentQuery,
  ShipmentUpdateDto,
  StatusDto,
  TunnelStatusDto,
  ExportFileDto,
  ExportFormat,
  ImportCommitDto,
  ImportCommitOptions,
  ImportFileInput,
  ImportMappingDto,
  ImportPreviewDto,
} from '../../preload/contract.js';
import { exportFile } from './export/export-file.js';
import type { ParcelMark } from './forward/forward-events.js';
import { ImportService } from './import-service.js';
import { archiveDone } from './archiving.js';
import { lookUpCarriers } from './carrier-lookup.js';
import { ChangeBus } from './change-bus.js';
import { systemClock } from './clock.js';
import type { PushParam } from './kuaidi100/wire-types.js';
import { ProviderHealthKeeper } from './provider-health-keeper.js';
import { PickupTimer } from './pickup-timer.js';
import { PushIntake, type PushOutcome } from './push-intake.js';
import { ShipmentEditor } from './shipment-edit.js';
import { credentialsChanged, saveSettings, settingsDto } from './settings-service.js';
import { ShipmentQueries } from './shipment-queries.js';
import { StorageError } from './store/shipment-store.js';
import { SubscriptionService } from './subscription-service.js';
import type { CoreDeps, TrackerDeps } from './tracker-deps.js';
import { WaybillIntake } from './waybill-intake.js';
import { logFor } from './log.js';

const log = logFor('tracker');

export type { CallbackUrls, TrackerDeps } from './tracker-deps.js';
export type { PushOutcome } from './push-intake.js';
export { defaultSettings } from './default-settings.js';

export class Tracker implements ParcelTrayApi {
  readonly #d: CoreDeps;
  readonly #bus: ChangeBus;
  readonly #queries: ShipmentQueries;
  readonly #subscriptions: SubscriptionService;
  readonly #intake: WaybillIntake;
  readonly #pushes: PushIntake;
  readonly #health: ProviderHealthKeeper;
  readonly #editor: ShipmentEditor;
  readonly #imports: ImportService;
  readonly #pickups: PickupTimer;
  #warmTimer: unknown = null;
  #stopped = false;

  constructor(deps: TrackerDeps) {
    this.#d = { ...deps, clock: deps.clock ?? systemClock };
    this.#health = new ProviderHealthKeeper(this.#d.store);
    this.#queries = new ShipmentQueries(this.#d, this.#health);
    this.#bus = new ChangeBus({ clock: this.#d.clock, status: () => this.#queries.status(), summary: (r) => this.#queries.summary(r) });
    this.#subscriptions = new SubscriptionService(this.#d, this.#queries, this.#bus, this.#health);
    this.#intake = new WaybillIntake(this.#d, this.#queries, this.#subscriptions, this.#bus);
    this.#editor = new ShipmentEditor(this.#d, this.#queries, this.#subscriptions, this.#bus);
    this.#pushes = new PushIntake(this.#d, this.#bus);
    this.#imports = new ImportService(this.#d, (input) => this.#intake.addShipment(input));
    const index = this.#queries.index;
    this.#pickups = new PickupTimer({ clock: this.#d.clock, index, announce: (rec) => this.#bus.shipment(rec) });
    this.#d.store.watch((id) => this.#pickups.noticeDeadline(index.get(id)?.pickupDue ?? null));
  }

  // ---- lifecycle and events ----------------------------------------------------------------

  /** Starts the retry loop; subscriptions left pending by a previous run are retried at once. */
  start(): void {
    this.#subscriptions.start();
    this.#pickups.start();
    this.#warmTimer = this.#d.clock.setTimeout(() => this.#warmSearch(), 0);
  }

  /** Search texts are made in slices of 2,000 parcels between other work, not at start-up. */
  #warmSearch(): void {
    if (this.#stopped) return;
    if (this.#queries.index.warmSearchText(2000)) this.#warmTimer = this.#d.clock.setTimeout(() => this.#warmSearch(), 0);
    else this.#warmTimer = null;
  }

  /** Stops every timer and waits for requests under way, so nothing runs after the servers close. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#warmTimer !== null) this.#d.clock.clearTimeout(this.#warmTimer);
    this.#bus.stop();
    this.#pickups.stop();
    await this.#subscriptions.stop();
  }

  /** Resolves once no subscribe request is under way (tests on the fake clock wait for it). */
  settled(): Promise<void> {
    return this.#subscriptions.settled();
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    return this.#bus.onChange(listener);
  }

  /** Sends an event that does not come from the store (notifications, shell commands) to every listener. */
  publish(event: ChangeEvent): void {
    this.#bus.emit(event);
  }

  /** Announces a status change (tunnel state, callback URL) coming from outside the tracker. */
  statusChanged(): void {
    this.#bus.status();
  }

  // ---- queries -----------------------------------------------------------------------------

  list(query: ShipmentQuery = {}): ShipmentDto[] {
    return this.#queries.list(query);
  }

  listShipments(query: ShipmentQuery = {}): Promise<Result<ShipmentDto[]>> {
    return this.#queries.listShipments(query);
  }

  async listPage(query: ShipmentQuery): Promise<Result<ShipmentPageDto>> {
    return { ok: true, value: this.#queries.listPage(query) };
  }

  getShipment(id: string): Promise<Result<ShipmentDto>> {
    return this.#queries.getShipment(id);
  }

  async getStatus(): Promise<Result<StatusDto>> {
    return { ok: true, value: this.#queries.status() };
  }

  /** What every visible parcel is now, for priming the channel service (no DTO built, no history read). */
  marks(): Iterable<ParcelMark> {
    return this.#queries.marks();
  }

  /** Parcels whose pickup deadline passed after `t` and that are late now (the app was closed meanwhile). */
  lateSince(t: number): string[] {
    return this.#queries.index.lateSince(t).map((e) => e.rec.id);
  }

  /** Announces these parcels as changed (a late pickup found at start), as the pickup watch does. */
  announce(ids: Iterable<string>): void {
    for (const id of ids) {
      const rec = this.#d.store.get(id);
      if (rec) this.#bus.shipment(rec);
    }
  }

  /** 今日签收 for the tray (China date). */
  signedToday(): number {
    return this.#queries.signedToday();
  }

  async listCarriers(query: CarrierQuery): Promise<Result<CarrierDto[]>> {
    return { ok: true, value: lookUpCarriers(query) };
  }

  async listNotifications(): Promise<Result<NotificationDto[]>> {
    return { ok: true, value: this.#d.notifications?.() ?? [] };
  }

  async checkTunnel(): Promise<Result<TunnelStatusDto>> {
    const status = await this.#d.checkTunnel();
    this.statusChanged();
    return { ok: true, value: status };
  }

  // ---- waybills and subscriptions ----------------------------------------------------------

  addShipment(input: NewShipmentInput): Promise<Result<ShipmentDto>> {
    return this.#intake.addShipment(input);
  }

  removeShipment(id: string): Promise<Result<{ id: string }>> {
    return this.#intake.removeShipment(id);
  }

  updateShipment(id: string, patch: ShipmentPatch): Promise<Result<ShipmentUpdateDto>> {
    return this.#editor.updateShipment(id, patch);
  }

  resubscribe(id: string): Promise<Result<ShipmentDto>> {
    return this.#subscriptions.resubscribe(id);
  }

  /** Retries every pending subscription whose time has come. Returns how many were tried. */
  retryDue(): Promise<number> {
    return this.#subscriptions.retryDue();
  }

  async planRepair(): Promise<Result<RepairPlanDto>> {
    return { ok: true, value: this.#subscriptions.planRepair() };
  }

  async repair(): Promise<Result<RepairPlanDto>> {
    return { ok: true, value: await this.#subscriptions.repair() };
  }

  /** Moves parcels that are done with into the archive; returns how many moved. */
  archiveDone(): Promise<number> {
    return archiveDone(this.#d, this.#bus);
  }

  // ---- import and export -------------------------------------------------------------------

  previewImport(input: ImportFileInput): Promise<Result<ImportPreviewDto>> {
    return this.#imports.preview(input);
  }

  remapImport(id: string, mapping: ImportMappingDto): Promise<Result<ImportPreviewDto>> {
    return this.#imports.remap(id, mapping);
  }

  commitImport(id: string, options?: ImportCommitOptions): Promise<Result<ImportCommitDto>> {
    return this.#imports.commit(id, options);
  }

  async exportView(query: ShipmentQuery, format: ExportFormat): Promise<Result<ExportFileDto>> {
    // The whole view, every event not needed: the newest one is what the file shows.
    const list = await this.#queries.listShipments({ ...query, full: false, limit: undefined });
    if (!list.ok) return list;
    return { ok: true, value: await exportFile(list.value, format, this.#d.store.settings.language, this.#d.clock.now()) };
  }

  // ---- pushes ------------------------------------------------------------------------------

  receivePush(rawParam: string, push: PushParam, sign: string | null): Promise<PushOutcome> {
    return this.#pushes.receivePush(rawParam, push, sign);
  }

  // ---- settings ----------------------------------------------------------------------------

  async getSettings(): Promise<Result<SettingsDto>> {
    return { ok: true, value: settingsDto(this.#d) };
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<SettingsDto>> {
    const prev = this.#d.store.settings;
    const saved = await saveSettings(this.#d, patch);
    if (!saved.ok) return saved;
    this.#bus.emit({ type: 'settings', settings: saved.value });
    this.#bus.status();
    if (credentialsChanged(prev, patch)) {
      // What the old credentials' answers showed says nothing about the new ones.
      await this.#health.reset().catch((e: unknown) => log.error('provider health:', e));
      this.#bus.status();
      this.#subscriptions.retryCredentialFailures();
    }
    if (patch.pickupHours !== undefined && patch.pickupHours !== prev.pickupHours) this.#pickups.check(this.#queries.index.repriceDeadlines());
    return saved;
  }

  // ---- forwarding channels (forward/channel-service.ts) ------------------------------------

  async listChannels(): Promise<Result<ChannelDto[]>> {
    return { ok: true, value: this.#d.channels?.list() ?? [] };
  }

  async replaceChannels(inputs: ChannelInput[]): Promise<Result<ChannelDto[]>> {
    if (!this.#d.channels) return { ok: false, error: NO_CHANNELS };
    try {
      return await this.#d.channels.replaceAll(inputs);
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      return { ok: false, error: { code: 'storage', message: `无法保存：${e.message}`, messageEn: `Could not save: ${e.message}` } };
    }
  }

  testChannel(id: string): Promise<Result<ChannelTestResultDto>> {
    return this.#d.channels ? this.#d.channels.test(id) : Promise.resolve({ ok: false, error: NO_CHANNELS });
  }
}

const NO_CHANNELS = { code: 'not-allowed', message: '此模式不支持转发渠道', messageEn: 'Channels are not available here' } as const;
