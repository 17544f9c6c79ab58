/**
 * What ParcelTray persists. Records are the store's own shape (they keep the salt a waybill
 * was subscribed with, which never leaves the main process); the UI sees ShipmentDto.
 */
import type {
  Language,
  NotifySettingsDto,
  PredictedRouteNodeDto,
  ProviderId,
  ResultV2Level,
  SubscriptionStatus,
  TrackingEventDto,
  TrackingStatus,
  TunnelSettingsDto,
} from '../../../preload/contract.js';
import type { BuyerTemplatesDto } from '../../../preload/contract.js';
import type { ColumnMapping } from '../import/headers.js';
import type { Outage, StaleThresholds } from '../lifecycle-types.js';
import type { ProviderHealthState } from '../provider-health.js';
import type { StoredChannel } from '../forward/channel-model.js';

export interface SubscriptionRecord {
  status: SubscriptionStatus;
  returnCode: string | null;
  message: string | null;
  messageEn: string | null;
  /**
   * Why it is not active: decides when it is retried. needs-phone: the carrier needs a phone
   * and none is given (nothing is sent until it is). manual: automatic retries stopped (the
   * backoff is done, or only the month's last subscription is left): the seller decides.
   */
  reason: 'retry' | 'fix-input' | 'fix-credentials' | 'contact' | 'needs-phone' | 'manual' | null;
  /** Transient failures in a row (server error, timeout, network): which retry of the backoff is next. */
  failures?: number;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  /** The callback URL and salt this waybill was subscribed with: its pushes are checked against them. */
  callbackUrl: string | null;
  salt: string | null;
  resultv2: ResultV2Level | null;
  /** ISO times of every subscribe request sent for this waybill (Kuaidi100 allows 4 a month). */
  attemptLog: string[];
}

export interface ShipmentRecord {
  id: string;
  company: string;
  number: string;
  phone: string | null;
  /** Other carriers the number fits, most likely first (the core picked `company`). */
  alternatives?: string[];
  from: string | null;
  to: string | null;
  note: string | null;
  autoCom: boolean;
  createdAt: string;
  updatedAt: string;
  subscription: SubscriptionRecord;
  tracking: TrackingStatus | null;
  trackingMessage: string | null;
  state: string | null;
  statusCode: string | null;
  isCheck: boolean;
  events: TrackingEventDto[];
  /** interCom=1: the destination country's history. */
  destEvents: TrackingEventDto[] | null;
  arrivalTime: string | null;
  totalTime: string | null;
  remainTime: string | null;
  predictedRoute: PredictedRouteNodeDto[] | null;
  routeFrom: string | null;
  routeCur: string | null;
  routeTo: string | null;
  autoCheck: string | null;
  comOld: string | null;
  comNew: string | null;
  lastPushAt: string | null;
  /** When tracking ended (abort/shutdown arrived): a resubscribe must wait 30 minutes after it. */
  endedAt: string | null;
  /** Removed by the seller. Kept as a tombstone: Kuaidi100 keeps pushing and nothing it sends is dropped. */
  removedAt: string | null;
  /** Marketplace order numbers this parcel ships (one waybill may serve several orders). Absent in older stores: []. */
  orderNos?: string[];
  /** The buyer as the marketplace exported it (masked names stay masked). Absent in older stores: null. */
  buyer?: string | null;
}

export interface Settings {
  /** Random per install; names the install (tunnel subdomain) without revealing anything. */
  installId: string;
  /** Unguessable path segment of the callback URL. */
  callbackSecret: string;
  /** Sent as `salt` with every subscription so that every push is signed. */
  salt: string;
  /** Salts used before the current one, still accepted for pushes of unknown waybills. */
  previousSalts: string[];
  provider: ProviderId;
  pollUrl: string;
  resultv2: ResultV2Level;
  tunnel: TunnelSettingsDto;
  notify: NotifySettingsDto;
  language: Language;
  startAtLogin: boolean;
  stale: StaleThresholds;
  /** Days after which delivered and ended parcels move to the monthly archive files. */
  archiveAfterDays: number;
  /** What the provider's answers showed (provider-health.ts): kept until a success, across restarts. */
  providerHealth?: ProviderHealthState;
  /** Forwarding channels (issue 14), without their secrets (those live in the SecretStore). */
  channels: StoredChannel[];
  /** Import column mappings the seller corrected, by header signature (import/headers.ts). */
  importMappings?: Record<string, ColumnMapping>;
  /** The seller's buyer-message templates; a kind left out uses the default. */
  buyerTemplates?: BuyerTemplatesDto;
  /** Hours after adding without 揽收 before a parcel is 待揽收超时. */
  pickupHours: number;
  /** The newest notification time the seller has seen, so the unread count survives a reload. */
  notificationsSeenAt: string | null;
}

export interface DbShape {
  version: 1;
  /** Log segments up to this one are contained in this snapshot (absent: replay them all). */
  walSeq?: number;
  shipments: Record<string, ShipmentRecord>;
  settings: Settings;
  /** When the app could not receive pushes (not running, tunnel down), newest last. */
  journal: Outage[];
}
