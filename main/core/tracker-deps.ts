/**
 * What the tracker's services are given (the store, secrets, callback URLs, the tunnel, the
 * clock), and the few helpers every one of them needs: the callback URL a subscription gets,
 * the records the seller sees, and a save that turns a storage failure into a typed error.
 */
import type { ChannelDto, ChannelTestResultDto, NotificationDto, Result, TunnelStatusDto } from '../../preload/contract.js';
import type { Clock } from './clock.js';
import type { SecretStore } from './secrets.js';
import type { Archive } from './store/archive.js';
import type { Settings, ShipmentRecord } from './store/schema.js';
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
  /** The forwarding channels (forward/channel-service.ts); without them the list is empty. */
  channels?: ChannelsPort;
  clock?: Clock;
  subscribeTimeoutMs?: number;
  /** How often due retries are looked for. */
  retryIntervalMs?: number;
}

/** What the tracker asks of the channel service. */
export interface ChannelsPort {
  list(): ChannelDto[];
  replaceAll(inputs: unknown): Promise<Result<ChannelDto[]>>;
  test(id: string): Promise<Result<ChannelTestResultDto>>;
}

/** TrackerDeps with the clock decided. */
export type CoreDeps = TrackerDeps & { clock: Clock };

export const NOT_FOUND = { code: 'not-found', message: '没有这个包裹', messageEn: 'No such parcel' } as const;

/** The callback URL new subscriptions are given: loopback for the sandbox, else the public one. */
export function callbackUrlFor(callback: CallbackUrls, settings: Settings): string | null {
  return settings.provider === 'sandbox' ? callback.local() : callback.public();
}

/** Every record the seller has not removed. */
export function visibleRecords(store: ShipmentStore): ShipmentRecord[] {
  return store.list().filter((r) => !r.removedAt);
}

export function isoAt(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** Persists a record; a storage failure becomes a typed error. */
export async function saveRecord(store: ShipmentStore, rec: ShipmentRecord): Promise<Result<ShipmentRecord>> {
  try {
    await store.put(rec);
  } catch (e) {
    if (e instanceof StorageError) return { ok: false, error: { code: 'storage', message: `无法保存：${e.message}`, messageEn: `Could not save: ${e.message}` } };
    throw e;
  }
  return { ok: true, value: rec };
}
