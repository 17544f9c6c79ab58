/** The API the renderer calls, and the typed results and errors it answers with. */
import type {
  CarrierDto, CarrierQuery, NewShipmentInput, NotificationDto, RepairPlanDto, SettingsDto, SettingsPatch,
  ShipmentDto, ShipmentPageDto, ShipmentPatch, ShipmentQuery, ShipmentUpdateDto, StatusDto, TunnelStatusDto,
} from './dtos.js';
import type { ChangeEvent } from './events.js';
import type { ChannelDto, ChannelInput, ChannelTestResultDto } from './channel-dtos.js';
import type { ExportFileDto, ExportFormat, ImportCommitDto, ImportCommitOptions, ImportFileInput, ImportMappingDto, ImportPreviewDto } from './imports.js';

export type ErrorCode =
  | 'invalid'
  | 'duplicate'
  | 'not-found'
  | 'not-allowed'
  | 'storage'
  | 'unauthorized'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  /** In Chinese; messageEn in English (the window shows the one of its language). */
  message: string;
  messageEn?: string;
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ParcelTrayApi {
  listShipments(query?: ShipmentQuery): Promise<Result<ShipmentDto[]>>;
  /** One page of the list (offset, limit), with the number of matches and the tabs' counts. */
  listPage(query: ShipmentQuery): Promise<Result<ShipmentPageDto>>;
  getShipment(id: string): Promise<Result<ShipmentDto>>;
  addShipment(input: NewShipmentInput): Promise<Result<ShipmentDto>>;
  resubscribe(id: string): Promise<Result<ShipmentDto>>;
  removeShipment(id: string): Promise<Result<{ id: string }>>;
  /** Edits carrier, phone or note; a new carrier or phone resubscribes (the answer says what it spent). */
  updateShipment(id: string, patch: ShipmentPatch): Promise<Result<ShipmentUpdateDto>>;
  getSettings(): Promise<Result<SettingsDto>>;
  updateSettings(patch: SettingsPatch): Promise<Result<SettingsDto>>;
  getStatus(): Promise<Result<StatusDto>>;
  listCarriers(query: CarrierQuery): Promise<Result<CarrierDto[]>>;
  /** What a repair of the parcels marked "可能漏推送" would do, and its cost in API calls. */
  planRepair(): Promise<Result<RepairPlanDto>>;
  /** Resubscribes what the plan allows; returns the plan as carried out. */
  repair(): Promise<Result<RepairPlanDto>>;
  /** Recent notifications, newest first. */
  listNotifications(): Promise<Result<NotificationDto[]>>;
  /** Runs the tunnel's self-check now ("test now"). */
  checkTunnel(): Promise<Result<TunnelStatusDto>>;
  /** Forwarding channels (group robots, e-mail): never a secret, only whether one is set. */
  listChannels(): Promise<Result<ChannelDto[]>>;
  /** Replaces the whole list (PUT semantics); secrets omitted on an existing id are kept. */
  replaceChannels(inputs: ChannelInput[]): Promise<Result<ChannelDto[]>>;
  /** Sends a test message now and answers the platform's verdict. */
  testChannel(id: string): Promise<Result<ChannelTestResultDto>>;
  /** Reads a marketplace order file (.xlsx, .xls, .csv; at most 20 MB) into a preview; nothing is added yet. */
  previewImport(input: ImportFileInput): Promise<Result<ImportPreviewDto>>;
  /** The same preview with the columns the seller corrected. */
  remapImport(id: string, mapping: ImportMappingDto): Promise<Result<ImportPreviewDto>>;
  /** Adds the preview's new rows (subscribing each like any add); a preview is committed once. */
  commitImport(id: string, options?: ImportCommitOptions): Promise<Result<ImportCommitDto>>;
  /** The list's current view (same query as listShipments) as a file, columns in the UI's language. */
  exportView(query: ShipmentQuery, format: ExportFormat): Promise<Result<ExportFileDto>>;
  /** One subscription for every change; returns the unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
}

/** Request/response methods of the API (everything but onChange). */
export type ApiMethod = Exclude<keyof ParcelTrayApi, 'onChange'>;
