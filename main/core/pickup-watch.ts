/**
 * 待揽收超时: marketplaces penalise a shipment with no pickup scan within their deadline
 * (commonly 24 h after 发货; the rules change, so the hours are a setting). A parcel counts
 * as picked up from 揽收 (basic state 1) on, except the advanced codes 101 已下单 and
 * 102 待揽收, which say the opposite.
 */
import type { Result } from '../../preload/contract.js';
import { basicStateOf } from './kuaidi100/states.js';

export const DEFAULT_PICKUP_HOURS = 24;
const MAX_PICKUP_HOURS = 720;

export interface PickupInput {
  /** ISO time the parcel was added (the seller's 发货). */
  createdAt: string;
  state: string | null;
  statusCode: string | null;
}

export interface PickupLate {
  /** ISO time the deadline passed (added + hours). */
  since: string;
  /** The deadline in hours that was applied. */
  hours: number;
}

const NOT_YET = new Set(['101', '102']);

export function pickedUp(p: Pick<PickupInput, 'state' | 'statusCode'>): boolean {
  if (basicStateOf(p.state) === undefined) return false;
  if (NOT_YET.has(p.statusCode ?? '') || NOT_YET.has(p.state ?? '')) return false;
  return true;
}

/** Epoch ms at which the parcel turns late, or null once picked up (or with no valid time). */
export function pickupDueAt(p: PickupInput, hours = DEFAULT_PICKUP_HOURS): number | null {
  if (pickedUp(p)) return null;
  const added = Date.parse(p.createdAt);
  return Number.isNaN(added) ? null : added + hours * 3_600_000;
}

export function pickupLate(p: PickupInput, now: number, hours = DEFAULT_PICKUP_HOURS): PickupLate | null {
  const due = pickupDueAt(p, hours);
  return due !== null && now >= due ? { since: new Date(due).toISOString(), hours } : null;
}

export function parsePickupHours(v: unknown): Result<number> {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_PICKUP_HOURS) {
    return {
      ok: false,
      error: {
        code: 'invalid',
        field: 'pickupHours',
        message: `揽收时限须为 1–${MAX_PICKUP_HOURS} 的整数小时`,
        messageEn: `The pickup deadline must be a whole number of hours from 1 to ${MAX_PICKUP_HOURS}`,
      },
    };
  }
  return { ok: true, value: v };
}
