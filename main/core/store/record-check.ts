/**
 * Structural checks of what is read back from disk: a record, a log operation and the
 * install's identity settings. A file edited by hand or damaged must cost the line it is on,
 * never a TypeError deep in the tracker, so every field the app relies on is checked here.
 * Returns the reason (Chinese and English) or null when the value is sound.
 */
import type { Outage } from '../lifecycle.js';
import type { Settings, ShipmentRecord } from './schema.js';

export interface Flaw {
  reason: string;
  reasonEn: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const isArrOrNull = (v: unknown): boolean => v === null || Array.isArray(v);
const flaw = (field: string): Flaw => ({ reason: `记录的字段 ${field} 缺失或类型不对`, reasonEn: `the record's field ${field} is missing or of the wrong type` });

const RECORD_STRINGS = ['id', 'company', 'number', 'createdAt', 'updatedAt'] as const;
const RECORD_NULLABLE_STRINGS = [
  'phone', 'from', 'to', 'note', 'tracking', 'trackingMessage', 'state', 'statusCode', 'arrivalTime', 'totalTime', 'remainTime',
  'routeFrom', 'routeCur', 'routeTo', 'autoCheck', 'comOld', 'comNew', 'lastPushAt', 'endedAt', 'removedAt',
] as const;
const SUBSCRIPTION_STATUSES = new Set(['pending', 'active', 'failed']);

/**
 * `historyChecked`: the snapshot reader verified the history's bytes (record-line.ts) and left
 * them unparsed; reading `events` here would parse every history at start.
 */
export function recordFlaw(v: unknown, historyChecked = false): Flaw | null {
  if (!isObj(v)) return { reason: '记录不是一个对象', reasonEn: 'the record is not an object' };
  for (const f of RECORD_STRINGS) if (!isStr(v[f]) || !v[f]) return flaw(f);
  for (const f of RECORD_NULLABLE_STRINGS) if (!isStrOrNull(v[f])) return flaw(f);
  if (typeof v.autoCom !== 'boolean') return flaw('autoCom');
  if (typeof v.isCheck !== 'boolean') return flaw('isCheck');
  if (!historyChecked) {
    if (!Array.isArray(v.events) || !v.events.every(isObj)) return flaw('events');
    if (!isArrOrNull(v.destEvents)) return flaw('destEvents');
    if (!isArrOrNull(v.predictedRoute)) return flaw('predictedRoute');
  }
  const s = v.subscription;
  if (!isObj(s)) return flaw('subscription');
  if (!isStr(s.status) || !SUBSCRIPTION_STATUSES.has(s.status)) return flaw('subscription.status');
  if (typeof s.attempts !== 'number') return flaw('subscription.attempts');
  if (!Array.isArray(s.attemptLog) || !s.attemptLog.every(isStr)) return flaw('subscription.attemptLog');
  for (const f of ['returnCode', 'message', 'messageEn', 'reason', 'lastAttemptAt', 'nextAttemptAt', 'callbackUrl', 'salt', 'resultv2']) {
    if (!isStrOrNull(s[f])) return flaw(`subscription.${f}`);
  }
  return null;
}

export const isShipmentRecord = (v: unknown): v is ShipmentRecord => recordFlaw(v) === null;

/** The fields that make up the callback URL and the signatures: without them the install is lost. */
export function identityFlaw(v: unknown): Flaw | null {
  if (!isObj(v)) return { reason: '设置不是一个对象', reasonEn: 'the settings are not an object' };
  for (const f of ['installId', 'callbackSecret', 'salt']) {
    if (!isStr(v[f]) || !v[f]) return { reason: `设置中的 ${f} 缺失或无效`, reasonEn: `${f} is missing or invalid in the settings` };
  }
  if (v.previousSalts !== undefined && !(Array.isArray(v.previousSalts) && v.previousSalts.every(isStr))) {
    return { reason: '设置中的 previousSalts 无效', reasonEn: 'previousSalts is invalid in the settings' };
  }
  return null;
}

/** Settings as stored: the identity must be sound; the rest is filled in from the defaults. */
export const isStoredSettings = (v: unknown): v is Partial<Settings> & Pick<Settings, 'installId' | 'callbackSecret' | 'salt'> =>
  identityFlaw(v) === null;

export function isJournal(v: unknown): v is Outage[] {
  return Array.isArray(v) && v.every((o) => isObj(o) && isStr(o.from) && isStrOrNull(o.to) && (o.reason === 'not-running' || o.reason === 'tunnel-down'));
}

/** One line of the write-ahead log (a StoreOp). */
export function storeOpFlaw(v: unknown): Flaw | null {
  if (!isObj(v)) return { reason: '不是一个操作对象', reasonEn: 'not an operation object' };
  switch (v.op) {
    case 'put': {
      const f = recordFlaw(v.rec);
      return f && { reason: `put 的记录无效：${f.reason}`, reasonEn: `the put's record is invalid: ${f.reasonEn}` };
    }
    case 'drop':
      return Array.isArray(v.ids) && v.ids.every(isStr) ? null : { reason: 'drop 的 ids 无效', reasonEn: "the drop's ids are invalid" };
    case 'settings': {
      const f = identityFlaw(v.settings);
      return f && { reason: `settings 无效：${f.reason}`, reasonEn: `invalid settings: ${f.reasonEn}` };
    }
    case 'journal':
      return isJournal(v.journal) ? null : { reason: 'journal 无效', reasonEn: 'invalid journal' };
    default:
      return { reason: '未知的操作', reasonEn: 'unknown operation' };
  }
}
