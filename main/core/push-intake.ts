/**
 * A push from Kuaidi100, after the callback server parsed it: find the waybill it is about,
 * check that it is ours (signed), merge it into the record and store it before it is
 * acknowledged. Every push is signed: we always subscribe with a salt.
 */
import { mergePush } from './kuaidi100/push-merge.js';
import { verifyPushSign } from './kuaidi100/signature.js';
import type { PushParam } from './kuaidi100/wire-types.js';
import type { ChangeBus } from './change-bus.js';
import type { Settings, ShipmentRecord } from './store/schema.js';
import { newShipmentRecord } from './store/new-record.js';
import { isoAt, type CoreDeps } from './tracker-deps.js';
import { findWaybill } from './waybill-match.js';

export type PushOutcome =
  | { kind: 'stored'; id: string; changed: boolean; created: boolean }
  | { kind: 'rejected'; httpStatus: 400 | 403; message: string }
  | { kind: 'storage-failed'; message: string };

/** This install's salts, newest first: what a push for a waybill without its own salt must be signed with. */
export function installSalts(settings: Settings): string[] {
  return [settings.salt, ...settings.previousSalts];
}

/**
 * The salt a push is signed with, or undefined when it is not ours. A waybill subscribed
 * successfully is checked against the salt it was subscribed with; one that never was
 * (pending, failed) or that we do not know against the install's salts, so a forged push
 * can neither mark a parcel delivered nor turn a subscription active.
 */
export function signingSalt(rawParam: string, sign: string | null, record: ShipmentRecord | undefined, settings: Settings): string | undefined {
  const candidates = record?.subscription.salt != null ? [record.subscription.salt] : installSalts(settings);
  return candidates.find((s) => verifyPushSign(rawParam, s, sign));
}

export class PushIntake {
  readonly #d: CoreDeps;
  readonly #bus: ChangeBus;

  constructor(deps: CoreDeps, bus: ChangeBus) {
    this.#d = deps;
    this.#bus = bus;
  }

  /**
   * Verifies and stores one push. A push for a waybill we do not know is kept when it is
   * signed with one of this install's salts (it was subscribed by us, perhaps before a reinstall).
   */
  async receivePush(rawParam: string, push: PushParam, sign: string | null): Promise<PushOutcome> {
    const { store } = this.#d;
    const lr = push.lastResult;
    const number = (lr.nu ?? '').trim();
    const aliases = [push.comOld, push.comNew].filter((c): c is string => !!c);
    const existing = findWaybill(store.byNumber(number), lr.com ?? '', aliases);
    const now = isoAt(this.#d.clock);

    const salt = signingSalt(rawParam, sign, existing, store.settings);
    if (salt === undefined) {
      return { kind: 'rejected', httpStatus: 403, message: existing ? 'sign 校验失败' : 'sign 校验失败（未知单号）' };
    }
    const created = !existing;
    const base = existing ?? newRecordFromPush(number, lr.com ?? push.comNew ?? '', salt, now);
    const { record, changed } = mergePush(base, push, now);
    try {
      await store.put(record);
    } catch (e) {
      return { kind: 'storage-failed', message: e instanceof Error ? e.message : String(e) };
    }
    if (changed || created) this.#bus.shipment(record);
    return { kind: 'stored', id: record.id, changed, created };
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
