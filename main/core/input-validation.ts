/**
 * Validation of what crosses a boundary into the core (HTTP bodies, IPC arguments): unknown
 * in, typed value or a typed ApiError out. Both shells use these, so the rules live once.
 */
import {
  PROVIDER_IDS,
  RESULTV2_LEVELS,
  SORT_KEYS,
  TUNNEL_MODES,
  type ApiError,
  type CarrierQuery,
  type ChannelInput,
  type NewShipmentInput,
  type Result,
  type SettingsPatch,
  type ShipmentPatch,
  type ShipmentQuery,
  type BuyerTemplatesDto,
  type ExportFormat,
  type ImportFileInput,
  EXPORT_FORMATS,
  IMPORT_MAX_BYTES,
} from '../../preload/contract.js';
import { BASIC_STATES } from './kuaidi100/states.js';
import { normalizePhone } from './phone.js';
import { parsePickupHours } from './pickup-watch.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const invalid = (field: string, message: string, messageEn: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'invalid', message, messageEn, field },
});

/** Reads optional string fields, failing on anything that is present and not a string. */
function strings<K extends string>(o: Obj, keys: readonly K[], max = 200): Result<Partial<Record<K, string>>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return invalid(k, `${k} 必须是文本`, `${k} must be text`);
    if (v.length > max) return invalid(k, `${k} 太长（最多 ${max} 个字符）`, `${k} is too long (at most ${max} characters)`);
    out[k] = v;
  }
  return { ok: true, value: out };
}

export function parseNewShipment(body: unknown): Result<NewShipmentInput> {
  if (!isObj(body)) return invalid('body', '请求体必须是 JSON 对象', 'The request body must be a JSON object');
  const s = strings(body, ['company', 'number', 'phone', 'from', 'to', 'note'] as const);
  if (!s.ok) return s;
  if (!s.value.number?.trim()) return invalid('number', '请输入单号', 'Enter a waybill number');
  if (body.autoCom !== undefined && typeof body.autoCom !== 'boolean') return invalid('autoCom', 'autoCom 必须是 true 或 false', 'autoCom must be true or false');
  const orders = parseOrderNos(body.orderNo);
  if (!orders.ok) return orders;
  const buyer = strings(body, ['buyer'] as const, 100);
  if (!buyer.ok) return buyer;
  return {
    ok: true,
    value: {
      ...s.value,
      number: s.value.number,
      autoCom: body.autoCom as boolean | undefined,
      ...(orders.value.length ? { orderNo: orders.value } : {}),
      ...(buyer.value.buyer?.trim() ? { buyer: buyer.value.buyer.trim() } : {}),
    },
  };
}

/** Order numbers as given (one text, or a list of texts): trimmed, without blanks or repeats. */
export function parseOrderNos(v: unknown): Result<string[]> {
  if (v === undefined || v === null) return { ok: true, value: [] };
  const list = Array.isArray(v) ? v : [v];
  if (list.length > 50 || !list.every((x) => typeof x === 'string' && x.length <= 64)) {
    return invalid('orderNo', 'orderNo 须为订单号文本或其列表（每个最多 64 个字符，最多 50 个）', 'orderNo must be an order number or a list of them (each at most 64 characters, at most 50)');
  }
  return { ok: true, value: [...new Set((list as string[]).map((x) => x.trim()).filter(Boolean))] };
}

export function parseExportFormat(v: unknown): Result<ExportFormat> {
  if (v === undefined || v === null || v === '') return { ok: true, value: 'xlsx' };
  if (typeof v === 'string' && EXPORT_FORMATS.includes(v as ExportFormat)) return { ok: true, value: v as ExportFormat };
  return invalid('format', 'format 只能是 xlsx 或 csv', 'format must be xlsx or csv');
}

/** An import file as it crosses IPC: a name and the bytes, at most 20 MB. */
export function parseImportFile(v: unknown): Result<ImportFileInput> {
  if (!isObj(v)) return invalid('file', '需要 { filename, bytes }', '{ filename, bytes } is required');
  const { filename, bytes } = v;
  if (typeof filename !== 'string' || filename.length > 255) return invalid('filename', '文件名须为不超过 255 个字符的文本', 'filename must be text of at most 255 characters');
  if (!(bytes instanceof Uint8Array)) return invalid('bytes', 'bytes 必须是 Uint8Array', 'bytes must be a Uint8Array');
  if (bytes.byteLength > IMPORT_MAX_BYTES) return tooLargeImport();
  if (bytes.byteLength === 0) return invalid('file', '文件是空的', 'The file is empty');
  return { ok: true, value: { filename, bytes } };
}

export const tooLargeImport = (): { ok: false; error: ApiError } =>
  invalid('file', '文件太大（最多 20 MB）：请只导出需要的订单', 'The file is too large (at most 20 MB): export only the orders you need');

function parseBuyerTemplates(v: unknown): Result<BuyerTemplatesDto> {
  const kinds = ['awaitingPickup', 'inTransit', 'delivering', 'delivered', 'problem', 'returned'];
  if (!isObj(v)) return invalid('buyerTemplates', 'buyerTemplates 必须是对象', 'buyerTemplates must be an object');
  const out: BuyerTemplatesDto = {};
  for (const [kind, langs] of Object.entries(v)) {
    if (!kinds.includes(kind)) return invalid('buyerTemplates', `未知的模板 ${kind}`, `Unknown template ${kind}`);
    if (!isObj(langs)) return invalid(`buyerTemplates.${kind}`, '模板须为 { zh, en }', 'A template must be { zh, en }');
    const s = strings(langs, ['zh', 'en'] as const, 500);
    if (!s.ok) return { ok: false, error: { ...s.error, field: `buyerTemplates.${kind}.${s.error.field}` } };
    if (Object.keys(langs).some((k) => k !== 'zh' && k !== 'en')) return invalid(`buyerTemplates.${kind}`, '模板只有 zh 和 en', 'A template has only zh and en');
    out[kind as keyof BuyerTemplatesDto] = s.value;
  }
  return { ok: true, value: out };
}

/** An edit of a parcel: carrier, phone, note (at least one), and whether only to ask what it costs. */
export function parseShipmentPatch(body: unknown): Result<ShipmentPatch> {
  if (!isObj(body)) return invalid('body', '请求体必须是 JSON 对象', 'The request body must be a JSON object');
  const known = ['company', 'phone', 'note', 'dryRun'];
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown) return invalid(unknown, `不能修改 ${unknown}（只能改快递公司、手机号、备注）`, `Unknown field ${unknown} (only company, phone and note can be edited)`);
  const s = strings(body, ['company', 'phone', 'note'] as const);
  if (!s.ok) return s;
  if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean') return invalid('dryRun', 'dryRun 必须是 true 或 false', 'dryRun must be true or false');
  const patch: ShipmentPatch = {};
  if (s.value.company !== undefined) {
    if (!s.value.company.trim()) return invalid('company', '请选择快递公司', 'Choose a carrier');
    patch.company = s.value.company.trim();
  }
  if (s.value.phone !== undefined) {
    const phone = normalizePhone(s.value.phone);
    if (!phone.ok) return phone;
    patch.phone = phone.value;
  }
  if (s.value.note !== undefined) patch.note = s.value.note.trim();
  if (body.dryRun !== undefined) patch.dryRun = body.dryRun;
  if (patch.company === undefined && patch.phone === undefined && patch.note === undefined) {
    return invalid('body', '没有要修改的内容（company、phone 或 note）', 'Nothing to change (company, phone or note)');
  }
  return { ok: true, value: patch };
}

type Params = URLSearchParams | Obj | undefined;
/** A query parameter from a URL (HTTP) or a plain object (IPC). */
const param = (params: Params, k: string): unknown => (params instanceof URLSearchParams ? (params.get(k) ?? undefined) : params?.[k]);

export function parseQuery(params: Params): Result<ShipmentQuery> {
  const get = (k: string): unknown => param(params, k);
  const q = get('q');
  const state = get('state');
  if (q !== undefined && typeof q !== 'string') return invalid('q', 'q 必须是文本', 'q must be text');
  if (state !== undefined && typeof state !== 'string') return invalid('state', 'state 必须是文本', 'state must be text');
  const archived = get('archived');
  if (archived !== undefined && !['1', 'true', true, '0', 'false', false].includes(archived as string | boolean)) {
    return invalid('archived', 'archived 只能是 true 或 false', 'archived must be true or false');
  }
  const full = get('full');
  const limitRaw = get('limit');
  const limit = limitRaw === undefined ? undefined : Number(limitRaw);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100_000)) return invalid('limit', 'limit 须为 1–100000 的整数', 'limit must be a whole number from 1 to 100000');
  const yes = (v: unknown): boolean => v === '1' || v === 'true' || v === true;
  const paging = parsePaging(get);
  if (!paging.ok) return paging;
  return { ok: true, value: { q: q || undefined, state: state || undefined, archived: yes(archived), full: yes(full), limit, ...paging.value } };
}

/** offset, sort, dir, carrier and ids of a list query (all optional). */
function parsePaging(get: (k: string) => unknown): Result<Pick<ShipmentQuery, 'offset' | 'sort' | 'dir' | 'carrier' | 'ids'>> {
  const out: Pick<ShipmentQuery, 'offset' | 'sort' | 'dir' | 'carrier' | 'ids'> = {};
  const offset = get('offset');
  if (offset !== undefined && offset !== '') {
    const n = Number(offset);
    if (!Number.isInteger(n) || n < 0 || n > 10_000_000) return invalid('offset', 'offset 须为不小于 0 的整数', 'offset must be a whole number, 0 or more');
    out.offset = n;
  }
  const sort = get('sort');
  if (sort !== undefined && sort !== '') {
    if (!SORT_KEYS.includes(sort as never)) return invalid('sort', `sort 只能是 ${SORT_KEYS.join(' / ')}`, `sort must be ${SORT_KEYS.join(' / ')}`);
    out.sort = sort as ShipmentQuery['sort'];
  }
  const dir = get('dir');
  if (dir !== undefined && dir !== '') {
    if (dir !== 'asc' && dir !== 'desc') return invalid('dir', 'dir 只能是 asc 或 desc', 'dir must be asc or desc');
    out.dir = dir;
  }
  const carrier = get('carrier');
  if (carrier !== undefined && carrier !== '') {
    if (typeof carrier !== 'string' || !/^[a-z0-9_-]{1,40}$/i.test(carrier)) return invalid('carrier', 'carrier 须为快递公司编码', 'carrier must be a carrier code');
    out.carrier = carrier;
  }
  const ids = get('ids');
  if (ids !== undefined && ids !== '') {
    // HTTP: "a,b,c"; IPC: an array.
    const list = typeof ids === 'string' ? ids.split(',') : ids;
    if (!Array.isArray(list) || list.length > 5000 || !list.every((x) => typeof x === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(x))) {
      return invalid('ids', 'ids 须为包裹 id 列表', 'ids must be a list of parcel ids');
    }
    out.ids = list as string[];
  }
  return { ok: true, value: out };
}

export function parseCarrierQuery(params: Params): Result<CarrierQuery> {
  const out: CarrierQuery = {};
  for (const k of ['q', 'number'] as const) {
    const v = param(params, k);
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > 64) return invalid(k, `${k} 必须是不超过 64 个字符的文本`, `${k} must be text of at most 64 characters`);
    out[k] = v;
  }
  return { ok: true, value: out };
}

export function parseId(id: unknown): Result<string> {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return invalid('id', 'id 无效', 'Invalid id');
  return { ok: true, value: id };
}

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{4,63}[a-z0-9]$/;
const isHttpUrl = (v: string): boolean => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

export function parseSettingsPatch(body: unknown): Result<SettingsPatch> {
  if (!isObj(body)) return invalid('body', '请求体必须是 JSON 对象', 'The request body must be a JSON object');
  const known = ['provider', 'appCode', 'key', 'pollUrl', 'salt', 'resultv2', 'tunnel', 'notify', 'language', 'startAtLogin', 'buyerTemplates', 'stale', 'pickupHours', 'notificationsSeenAt'];
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown) return invalid(unknown, `未知的设置项 ${unknown}`, `Unknown setting ${unknown}`);
  const s = strings(body, ['provider', 'appCode', 'key', 'pollUrl', 'salt', 'resultv2', 'language'] as const, 500);
  if (!s.ok) return s;
  const v = s.value;
  const patch: SettingsPatch = {};
  if (v.provider !== undefined) {
    if (!PROVIDER_IDS.includes(v.provider as never)) return invalid('provider', `provider 只能是 ${PROVIDER_IDS.join(' / ')}`, `provider must be ${PROVIDER_IDS.join(' / ')}`);
    patch.provider = v.provider as SettingsPatch['provider'];
  }
  if (v.appCode !== undefined) patch.appCode = v.appCode.trim();
  if (v.key !== undefined) patch.key = v.key.trim();
  if (v.pollUrl !== undefined) {
    if (v.pollUrl && !isHttpUrl(v.pollUrl)) return invalid('pollUrl', '订阅接口地址必须是 http(s) 网址', 'The subscribe endpoint must be an http(s) URL');
    patch.pollUrl = v.pollUrl.trim();
  }
  if (v.salt !== undefined) {
    if (!/^[A-Za-z0-9]{8,64}$/.test(v.salt)) return invalid('salt', 'salt 须为 8–64 位字母或数字', 'salt must be 8–64 letters or digits');
    patch.salt = v.salt;
  }
  if (v.resultv2 !== undefined) {
    if (!RESULTV2_LEVELS.includes(v.resultv2 as never)) return invalid('resultv2', 'resultv2 只能是 0、1、4 或 8', 'resultv2 must be 0, 1, 4 or 8');
    patch.resultv2 = v.resultv2 as SettingsPatch['resultv2'];
  }
  if (v.language !== undefined) {
    if (v.language !== 'zh' && v.language !== 'en') return invalid('language', 'language 只能是 zh 或 en', 'language must be zh or en');
    patch.language = v.language;
  }
  if (body.startAtLogin !== undefined) {
    if (typeof body.startAtLogin !== 'boolean') return invalid('startAtLogin', 'startAtLogin 必须是 true 或 false', 'startAtLogin must be true or false');
    patch.startAtLogin = body.startAtLogin;
  }
  if (body.buyerTemplates !== undefined) {
    const templates = parseBuyerTemplates(body.buyerTemplates);
    if (!templates.ok) return templates;
    patch.buyerTemplates = templates.value;
  }
  if (body.tunnel !== undefined) {
    const t = body.tunnel;
    if (!isObj(t)) return invalid('tunnel', 'tunnel 必须是对象', 'tunnel must be an object');
    const ts = strings(t, ['mode', 'host', 'subdomain', 'publicUrl'] as const, 500);
    if (!ts.ok) return { ok: false, error: { ...ts.error, field: `tunnel.${ts.error.field}` } };
    const tv = ts.value;
    if (tv.mode !== undefined && !TUNNEL_MODES.includes(tv.mode as never)) {
      return invalid('tunnel.mode', `隧道模式只能是 ${TUNNEL_MODES.join(' / ')}`, `The tunnel mode must be ${TUNNEL_MODES.join(' / ')}`);
    }
    if (tv.host && !isHttpUrl(tv.host)) return invalid('tunnel.host', '隧道服务器必须是 http(s) 网址', 'The tunnel server must be an http(s) URL');
    if (tv.subdomain && !SUBDOMAIN.test(tv.subdomain)) {
      return invalid('tunnel.subdomain', '子域名须为 6–65 位小写字母、数字或连字符，且不以连字符开头或结尾', 'The subdomain must be 6–65 lower-case letters, digits or hyphens, not starting or ending with a hyphen');
    }
    if (tv.publicUrl && !isHttpUrl(tv.publicUrl)) return invalid('tunnel.publicUrl', '公网地址必须是 http(s) 网址', 'The public URL must be an http(s) URL');
    if (t.https !== undefined && typeof t.https !== 'boolean') return invalid('tunnel.https', 'https 必须是 true 或 false', 'https must be true or false');
    patch.tunnel = { ...tv, ...(t.https !== undefined ? { https: t.https as boolean } : {}) } as SettingsPatch['tunnel'];
  }
  if (body.notify !== undefined) {
    const n = body.notify;
    if (!isObj(n)) return invalid('notify', 'notify 必须是对象', 'notify must be an object');
    const out: NonNullable<SettingsPatch['notify']> = {};
    if (n.states !== undefined) {
      if (!Array.isArray(n.states) || !n.states.every((x) => typeof x === 'string' && BASIC_STATES.includes(x as never))) {
        return invalid('notify.states', `notify.states 须为基础状态码列表（${BASIC_STATES.join(', ')}）`, `notify.states must be a list of basic state codes (${BASIC_STATES.join(', ')})`);
      }
      out.states = n.states as string[];
    }
    if (n.aborted !== undefined) {
      if (typeof n.aborted !== 'boolean') return invalid('notify.aborted', 'aborted 必须是 true 或 false', 'aborted must be true or false');
      out.aborted = n.aborted;
    }
    patch.notify = out;
  }
  const hours = parseHourSettings(body);
  if (!hours.ok) return hours;
  Object.assign(patch, hours.value);
  if (body.notificationsSeenAt !== undefined) {
    const at = body.notificationsSeenAt;
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || at.length > 40) {
      return invalid('notificationsSeenAt', 'notificationsSeenAt 须为时间（ISO 格式）', 'notificationsSeenAt must be an ISO time');
    }
    patch.notificationsSeenAt = at;
  }
  return { ok: true, value: patch };
}

/**
 * The shape of a channel list (PUT /api/channels, IPC replaceChannels): an array of at most 50
 * objects. Each field is checked by the channel service, which knows what was stored before.
 */
export function parseChannelList(body: unknown): Result<ChannelInput[]> {
  if (!Array.isArray(body)) return invalid('', '应提交渠道列表（数组）', 'Send the list of channels (an array)');
  if (body.length > 50) return invalid('', '最多 50 个渠道', 'At most 50 channels');
  const bad = body.findIndex((c) => !isObj(c));
  if (bad >= 0) return invalid(`[${bad}]`, `第 ${bad + 1} 个渠道应为对象`, `Channel ${bad + 1} must be an object`);
  return { ok: true, value: body as ChannelInput[] };
}

/** Whole hours from 1 to 30 days: a threshold of 0 would flag everything, a huge one nothing. */
const MAX_HOURS = 720;
const hoursOk = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_HOURS;

function parseHourSettings(body: Obj): Result<Pick<SettingsPatch, 'stale' | 'pickupHours'>> {
  const out: Pick<SettingsPatch, 'stale' | 'pickupHours'> = {};
  if (body.pickupHours !== undefined) {
    const hours = parsePickupHours(body.pickupHours);
    if (!hours.ok) return hours;
    out.pickupHours = hours.value;
  }
  if (body.stale !== undefined) {
    const st = body.stale;
    if (!isObj(st)) return invalid('stale', 'stale 必须是对象', 'stale must be an object');
    const stale: NonNullable<SettingsPatch['stale']> = {};
    for (const k of ['deliveringHours', 'transitHours', 'firstPushHours'] as const) {
      if (st[k] === undefined) continue;
      if (!hoursOk(st[k])) return invalid(`stale.${k}`, `提醒时限须为 1–${MAX_HOURS} 的整数小时`, `Thresholds must be whole hours from 1 to ${MAX_HOURS}`);
      stale[k] = st[k];
    }
    const unknown = Object.keys(st).find((k) => !['deliveringHours', 'transitHours', 'firstPushHours'].includes(k));
    if (unknown) return invalid(`stale.${unknown}`, `未知的设置项 stale.${unknown}`, `Unknown setting stale.${unknown}`);
    out.stale = stale;
  }
  return { ok: true, value: out };
}
