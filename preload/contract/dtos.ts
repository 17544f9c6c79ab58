/** Data shapes that cross the contract: shipments, settings, status, queries. Types and constants only. */
import type { SortDir, SortKey, StateGroup, TodoReason } from './groups.js';
import type { BuyerTemplatesDto } from './imports.js';

export type ProviderId = 'sandbox' | 'huawei' | 'kuaidi100';
export const PROVIDER_IDS: readonly ProviderId[] = ['sandbox', 'huawei', 'kuaidi100'];

export type TunnelMode = 'localtunnel' | 'public' | 'none';
export const TUNNEL_MODES: readonly TunnelMode[] = ['localtunnel', 'public', 'none'];
export type TunnelState = 'off' | 'connecting' | 'up' | 'down';

export type ResultV2Level = '0' | '1' | '4' | '8';
export const RESULTV2_LEVELS: readonly ResultV2Level[] = ['0', '1', '4', '8'];

export type Language = 'zh' | 'en';

export type SubscriptionStatus = 'pending' | 'active' | 'failed';
export type TrackingStatus = 'polling' | 'shutdown' | 'abort' | 'updateall';

/** One tracking event; field names follow Kuaidi100's `data` items, `ftime` normalised to YYYY-MM-DD HH:mm:ss. */
export interface TrackingEventDto {
  time: string;
  ftime: string;
  context: string;
  status: string | null;
  statusCode: string | null;
  areaCode: string | null;
  areaName: string | null;
  areaCenter: string | null;
  location: string | null;
  areaPinYin: string | null;
}

export interface PredictedRouteNodeDto {
  arriveTime: string | null;
  leaveTime: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  name: string | null;
  state: string | null;
  type: string | null;
}

export interface SubscriptionDto {
  status: SubscriptionStatus;
  /** Kuaidi100's returnCode of the last attempt, or a local one: 'timeout', 'network', 'http'. */
  returnCode: string | null;
  /** The last attempt's outcome in words, with what to do (messageEn: in English). */
  message: string | null;
  messageEn: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  callbackUrl: string | null;
}

export interface ShipmentDto {
  id: string;
  company: string;
  companyName: string | null;
  number: string;
  phone: string | null;
  from: string | null;
  to: string | null;
  note: string | null;
  /** Marketplace order numbers (one waybill may ship several orders); [] when none. */
  orderNos: string[];
  /** The buyer as the marketplace exported it (masked names stay masked). */
  buyer: string | null;
  createdAt: string;
  updatedAt: string;
  subscription: SubscriptionDto;
  tracking: TrackingStatus | null;
  trackingMessage: string | null;
  /** Basic state code of spec 2.4 ('0' 在途 … '14' 拒签), null before the first push. */
  state: string | null;
  /** Newest advanced state code when Kuaidi100 sent one. */
  statusCode: string | null;
  /** Name of the most precise known state (advanced when known), from the spec's table. */
  stateLabel: { zh: string; en: string } | null;
  /** The list tab this parcel belongs to (never 'all'). */
  group: Exclude<StateGroup, 'all'>;
  isCheck: boolean;
  /**
   * Newest first. Lists and change events carry only the newest event (a summary: 5,000
   * parcels stay light); getShipment, or ?full=1 over HTTP, carries them all.
   */
  events: TrackingEventDto[];
  /** How many events the full history has. */
  eventCount: number;
  arrivalTime: string | null;
  totalTime: string | null;
  remainTime: string | null;
  /** The detail's (getShipment, ?full=1): lists and change events carry null. */
  predictedRoute: PredictedRouteNodeDto[] | null;
  routeFrom: string | null;
  routeCur: string | null;
  routeTo: string | null;
  comOld: string | null;
  comNew: string | null;
  lastPushAt: string | null;
  /**
   * Subscribed with a callback URL that is no longer ours (the tunnel came back under another
   * name): Kuaidi100 keeps pushing to the old one. `remedy` says what the spec allows.
   */
  callbackChanged: { subscribedWith: string; remedy: 'resubscribe' | 'wait-until-ended' } | null;
  /** Why the shown state may be out of date ("可能漏推送"), or null. */
  stale: { reason: string; reasonEn: string; since: string } | null;
  /** Tracking ended: the earliest time Kuaidi100 accepts a resubscribe (30 minutes after). */
  resubscribeAfter: string | null;
  /** Subscribe requests sent this calendar month (Kuaidi100 allows 4). */
  attemptsThisMonth: number;
  /** Found in the monthly archive (delivered or ended long ago), not in the active list. */
  archived: boolean;
  /** Other carriers the number fits (the core picked the most likely): offered for a one-click change. */
  alternatives: CarrierChoiceDto[];
  /** The carrier needs a phone and none is given: nothing is sent to Kuaidi100 until it is. */
  needsPhone: boolean;
  /** No 揽收 scan within the pickup deadline (settings.pickupHours after it was added). */
  pickupLate: { since: string; hours: number } | null;
  /** Why it is under 待处理, or null. */
  todo: TodoReason | null;
}

export interface CarrierChoiceDto {
  code: string;
  name: string;
}

/** An edit of a parcel (PATCH /api/shipments/:id). A new carrier or phone resubscribes. */
export interface ShipmentPatch {
  /** Code or any name sellers write (圆通, 顺丰快递, J&T …). */
  company?: string;
  /** A phone, its last 4 digits, or a masked one (138****1234): the last 4 are kept. */
  phone?: string;
  note?: string;
  /** Only say what the edit would spend; change nothing. */
  dryRun?: boolean;
}

export interface ShipmentUpdateDto {
  shipment: ShipmentDto;
  /** False for a dry run. */
  applied: boolean;
  /**
   * The subscribe request the edit spends (本月第 2/4 次订阅), or null when it spends none
   * (a note, or a phone for a parcel Kuaidi100 already tracks).
   */
  cost: { attempt: number; limit: number; message: string; messageEn: string } | null;
}

export interface RepairItemDto {
  id: string;
  number: string;
  /** resubscribe: will be sent now; the others say why not yet. */
  action: 'resubscribe' | 'wait' | 'monthly-limit';
  reason: string;
  reasonEn: string;
  /** For wait / monthly-limit: when it becomes possible. */
  notBefore: string | null;
}

export interface RepairPlanDto {
  /** Subscribe requests the repair will spend (each counts toward the monthly limit). */
  calls: number;
  items: RepairItemDto[];
}

export interface NewShipmentInput {
  company?: string;
  number: string;
  phone?: string;
  from?: string;
  to?: string;
  note?: string;
  autoCom?: boolean;
  /** One order number or several; merged into the parcel when the waybill is already tracked. */
  orderNo?: string | string[];
  buyer?: string;
}

export interface CarrierDto {
  code: string;
  name: string;
  /** 顺丰速运 / 顺丰快运 need a phone number to subscribe. */
  needsPhone: boolean;
  /** Suggested from the waybill number's pattern (a guess, not a certainty). */
  guessed: boolean;
}

export interface CarrierQuery {
  /** Code or name contains. */
  q?: string;
  /** Waybill number to guess from; guesses come first. */
  number?: string;
}

export interface ShipmentQuery {
  q?: string;
  /** A state group (see STATE_GROUPS) or a basic state code. */
  state?: string;
  /** Also search the archive of delivered and ended parcels. */
  archived?: boolean;
  /** Every event of every shipment instead of the newest one (heavy with thousands). */
  full?: boolean;
  /** Only the first N (newest update first): the window's first screen. */
  limit?: number;
  /** Skip this many (paging; with limit). */
  offset?: number;
  /** Order (default: latest update, newest first). */
  sort?: SortKey;
  dir?: SortDir;
  /** Only this carrier (Kuaidi100 company code). */
  carrier?: string;
  /** Only these parcels (a bulk notification's list). */
  ids?: string[];
}

/** One page of the list, the number of matches, and the tabs' counts (kept by the core, not walked). */
export interface ShipmentPageDto {
  items: ShipmentDto[];
  total: number;
  offset: number;
  counts: Record<StateGroup, number>;
}

export interface TunnelSettingsDto {
  mode: TunnelMode;
  host: string;
  subdomain: string;
  publicUrl: string;
  https: boolean;
}

export interface NotifySettingsDto {
  /** Basic state codes that raise a notification. */
  states: string[];
  aborted: boolean;
}

export interface SettingsDto {
  provider: ProviderId;
  appCodeSet: boolean;
  keySet: boolean;
  pollUrl: string;
  resultv2: ResultV2Level;
  tunnel: TunnelSettingsDto;
  notify: NotifySettingsDto;
  language: Language;
  /** Start the desktop app when the user logs in (Electron only). */
  startAtLogin: boolean;
  /** How secrets are kept on this machine: OS keychain, or a file only this user can read. */
  secretStorage: 'os-encrypted' | 'file-0600' | 'basic-text';
  /** Where the app's log file is (empty before logging to a file starts): attach it to a problem report. */
  logFile: string;
  /** The seller's buyer-message templates ("复制给买家"); a kind or language left out uses the default. */
  buyerTemplates: BuyerTemplatesDto;
  /** Hours of silence before a parcel's shown state is in doubt ("可能漏推送"). */
  stale: StaleThresholdsDto;
  /** Hours after adding a parcel without 揽收 before it is flagged 待揽收超时. */
  pickupHours: number;
  /** The newest notification the seller has seen (ISO time): the unread count survives a reload. */
  notificationsSeenAt: string | null;
}

export interface StaleThresholdsDto {
  /** 派件中 without news. */
  deliveringHours: number;
  /** In transit (and other states that are not final) without news. */
  transitHours: number;
  /** After subscribing, before the first push (silence). */
  firstPushHours: number;
}

export interface SettingsPatch {
  provider?: ProviderId;
  appCode?: string;
  key?: string;
  pollUrl?: string;
  salt?: string;
  resultv2?: ResultV2Level;
  tunnel?: Partial<TunnelSettingsDto>;
  notify?: Partial<NotifySettingsDto>;
  language?: Language;
  startAtLogin?: boolean;
  /** Replaces the templates given (per kind and language); an empty text restores the default. */
  buyerTemplates?: BuyerTemplatesDto;
  stale?: Partial<StaleThresholdsDto>;
  pickupHours?: number;
  notificationsSeenAt?: string;
}

export interface TunnelStatusDto {
  mode: TunnelMode;
  state: TunnelState;
  url: string | null;
  error: string | null;
  since: string;
}

export interface StatusDto {
  /** The callback URL new subscriptions are given. */
  callbackUrl: string;
  tunnel: TunnelStatusDto;
  provider: {
    id: ProviderId;
    endpoint: string;
    ready: boolean;
    problem: string | null;
    problemEn: string | null;
    /** What fixes it: appcode (fill in the AppCode / key again), recharge (top up), wait (Kuaidi100's side). */
    fix: 'appcode' | 'recharge' | 'wait' | null;
    /** When the provider's answers began to show the problem. */
    since: string | null;
  };
  counts: Record<StateGroup, number>;
  /** Parcels whose state may be out of date, and parcels late for pickup. */
  attention?: { stale: number; pickupLate: number };
}

export interface NotificationDto {
  /** The parcel to open when clicked; null for a summary of a burst. */
  shipmentId: string | null;
  title: string;
  body: string;
  at: string;
  count: number;
  /** The parcels a summary of a burst stands for (clicking it lists them). */
  shipmentIds?: string[];
}
