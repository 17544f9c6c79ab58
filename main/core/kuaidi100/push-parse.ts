/**
 * Pure parsing of a push body (spec 2.2): form fields `param` (JSON) and `sign`. Real pushes
 * leave optional fields out or send null, so every optional field is read defensively and
 * normalised to `string | null`; only what identifies the waybill is required.
 */
import {
  PUSH_STATUSES,
  type LastResult,
  type PredictedRouteNode,
  type PushDataItem,
  type PushParam,
  type PushStatus,
  type RouteInfo,
  type RoutePoint,
} from './wire-types.js';

export type PushParseErrorCode = 'missing-param' | 'param-not-json' | 'param-invalid';

export type PushParseResult =
  | { ok: true; param: PushParam; rawParam: string; sign: string | null }
  | { ok: false; code: PushParseErrorCode; message: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strings stay, numbers and booleans become text (some carriers send numeric codes), the rest is null. */
function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function dataItem(v: unknown): PushDataItem | null {
  if (!isObject(v)) return null;
  return {
    context: str(v.context) ?? '',
    time: str(v.time) ?? '',
    ftime: str(v.ftime) ?? str(v.time) ?? '',
    status: str(v.status),
    statusCode: str(v.statusCode),
    areaCode: str(v.areaCode),
    areaName: str(v.areaName),
    areaCenter: str(v.areaCenter),
    location: str(v.location),
    areaPinYin: str(v.areaPinYin),
  };
}

function routePoint(v: unknown): RoutePoint | null {
  return isObject(v) ? { number: str(v.number), name: str(v.name) } : null;
}

function routeInfo(v: unknown): RouteInfo | null {
  return isObject(v) ? { from: routePoint(v.from), cur: routePoint(v.cur), to: routePoint(v.to) } : null;
}

function routeNode(v: unknown): PredictedRouteNode | null {
  if (!isObject(v)) return null;
  return {
    arriveTime: str(v.arriveTime),
    leaveTime: str(v.leaveTime),
    province: str(v.province),
    city: str(v.city),
    district: str(v.district),
    name: str(v.name),
    state: str(v.state),
    type: str(v.type),
  };
}

function list<T>(v: unknown, item: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(v)) return null;
  return v.map(item).filter((x): x is T => x !== null);
}

function lastResult(v: Json): LastResult {
  return {
    message: str(v.message),
    state: str(v.state),
    status: str(v.status),
    condition: str(v.condition),
    ischeck: str(v.ischeck),
    com: str(v.com),
    nu: str(v.nu),
    data: list(v.data, dataItem),
    routeInfo: routeInfo(v.routeInfo),
    isLoop: typeof v.isLoop === 'boolean' ? v.isLoop : null,
    arrivalTime: str(v.arrivalTime),
    totalTime: str(v.totalTime),
    remainTime: str(v.remainTime),
    predictedRoute: list(v.predictedRoute, routeNode),
  };
}

/** Validates an already JSON-decoded push param. */
export function parsePushParam(value: unknown): { ok: true; param: PushParam } | { ok: false; message: string } {
  if (!isObject(value)) return { ok: false, message: 'param is not a JSON object' };
  const status = str(value.status);
  if (!status || !PUSH_STATUSES.includes(status as PushStatus)) {
    return { ok: false, message: `status must be one of ${PUSH_STATUSES.join(', ')}` };
  }
  if (!isObject(value.lastResult)) return { ok: false, message: 'lastResult is missing' };
  const lr = lastResult(value.lastResult);
  if (!lr.nu || !lr.nu.trim()) return { ok: false, message: 'lastResult.nu (waybill number) is missing' };
  return {
    ok: true,
    param: {
      status: status as PushStatus,
      billstatus: str(value.billstatus),
      message: str(value.message),
      autoCheck: str(value.autoCheck),
      comOld: str(value.comOld),
      comNew: str(value.comNew),
      lastResult: lr,
      destResult: isObject(value.destResult) ? lastResult(value.destResult) : null,
    },
  };
}

/** Parses an application/x-www-form-urlencoded push body. */
export function parsePushBody(body: string): PushParseResult {
  const form = new URLSearchParams(body);
  const rawParam = form.get('param');
  if (rawParam === null || rawParam.trim() === '') {
    return { ok: false, code: 'missing-param', message: 'form field "param" is missing' };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawParam);
  } catch {
    return { ok: false, code: 'param-not-json', message: 'form field "param" is not valid JSON' };
  }
  const parsed = parsePushParam(json);
  if (!parsed.ok) return { ok: false, code: 'param-invalid', message: parsed.message };
  return { ok: true, param: parsed.param, rawParam, sign: form.get('sign') };
}

/** Encodes a push as Kuaidi100 sends it (the sandbox and tests use this). */
export function encodePushBody(rawParam: string, sign: string | null): string {
  const form = new URLSearchParams({ param: rawParam });
  if (sign !== null) form.set('sign', sign);
  return form.toString();
}
