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
import { normaliseNumber } from './store/shipment-store.js';
import { logFor } from './log.js';
import { isoAt, type CoreDeps } from './tracker-deps.js';
import { findWaybill } from './waybill-match.js';

const log = logFor('push-intake');

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
  /**
   * Pushes for a number the hot store does not hold, one at a time per number: the first may
   * bring the parcel back from the archive (or create it), and the next must find it there
   * rather than rejoin or create it a second time.
   */
  readonly #unknown = new Map<string, Promise<unknown>>();

  constructor(deps: CoreDeps, bus: ChangeBus) {
    this.#d = deps;
    this.#bus = bus;
  }

  /**
   * Verifies and stores one push. A push for a waybill we do not know is kept when it is
   * signed with one of this install's salts (it was subscribed by us, perhaps before a reinstall);
   * one for an archived parcel brings that parcel back to the active list.
   */
  async receivePush(rawParam: string, push: PushParam, sign: string | null): Promise<PushOutcome> {
    const number = (push.lastResult.nu ?? '').trim();
    const key = normaliseNumber(number);
    const hot = this.#unknown.has(key) ? undefined : this.#hot(push, number);
    if (hot) return this.#receive(rawParam, push, sign, number, hot);
    const before = this.#unknown.get(key) ?? Promise.resolve();
    const run = before.then(() => this.#receive(rawParam, push, sign, number));
    const settled = run.catch(() => undefined);
    this.#unknown.set(key, settled);
    void settled.then(() => {
      if (this.#unknown.get(key) === settled) this.#unknown.delete(key);
    });
    return run;
  }

  #hot(push: PushParam, number: string): ShipmentRecord | undefined {
    return findWaybill(this.#d.store.byNumber(number), push.lastResult.com ?? '', pushAliases(push));
  }

  /** The archived parcel a push is about, or undefined (no archive, not archived, or unreadable). */
  async #archived(push: PushParam, number: string): Promise<ShipmentRecord | undefined> {
    const { archive } = this.#d;
    if (!archive || !number) return undefined;
    try {
      const entries = await archive.findByNumber(number);
      const records = (await Promise.all(entries.map((e) => archive.get(e.id)))).filter((r): r is ShipmentRecord => !!r);
      return findWaybill(records, push.lastResult.com ?? '', pushAliases(push));
    } catch (e) {
      // An unreadable archive must not lose the push: it is kept as a new record instead.
      log.error('could not look the push up in the archive:', e);
      return undefined;
    }
  }

  /** `hot`: the active record, when the caller already found it (a queued push looks again: the one before it may have made it). */
  async #receive(rawParam: string, push: PushParam, sign: string | null, number: string, hot = this.#hot(push, number)): Promise<PushOutcome> {
    const { store } = this.#d;
    const lr = push.lastResult;
    const archived = hot ? undefined : await this.#archived(push, number);
    const existing = hot ?? archived;
    const now = isoAt(this.#d.clock);

    // An archived parcel keeps the salt it was subscribed with: the push is checked against it.
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
    // Only once the hot copy is durable does the archive let go: a crash in between leaves the
    // parcel in both (the next archive pass drops the archived copy), never in neither.
    if (archived) {
      await this.#d.archive?.take(archived.id).catch((e: unknown) => log.error('could not take the parcel out of the archive (the next pass will):', e));
    }
    if (changed || created || archived) this.#bus.shipment(record);
    return { kind: 'stored', id: record.id, changed: changed || !!archived, created };
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

/** The carrier codes a push also goes by (Kuaidi100 corrected the carrier: comOld → comNew). */
function pushAliases(push: PushParam): string[] {
  return [push.comOld, push.comNew].filter((c): c is string => !!c);
}
