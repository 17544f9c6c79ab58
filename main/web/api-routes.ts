/**
 * The headless mode's JSON API: a thin translation of HTTP to the ParcelTrayApi contract.
 * Validation of bodies and parameters is the core's (input-validation.ts); this file only
 * maps paths, methods and error codes.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiError, ErrorCode, ParcelTrayApi, Result } from '../../preload/contract.js';
import { BodyTooLargeError, readBody } from '../core/http-body.js';
import { parseCarrierQuery, parseChannelList, parseId, parseNewShipment, parseQuery, parseSettingsPatch, parseShipmentPatch } from '../core/input-validation.js';

export interface ApiResponse {
  status: number;
  body: unknown;
}

const STATUS_OF: Record<ErrorCode, number> = {
  invalid: 400,
  duplicate: 409,
  'not-found': 404,
  'not-allowed': 409,
  storage: 500,
  unauthorized: 401,
  internal: 500,
};

export const errorResponse = (error: ApiError): ApiResponse => ({ status: STATUS_OF[error.code], body: { error } });

function respond<T>(result: Result<T>, okStatus = 200): ApiResponse {
  return result.ok ? { status: okStatus, body: result.value } : errorResponse(result.error);
}

async function jsonBody(req: IncomingMessage): Promise<Result<unknown>> {
  let text: string;
  try {
    text = await readBody(req, 64 * 1024);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return { ok: false, error: { code: 'invalid', message: '请求体太大', messageEn: 'The request body is too large', field: 'body' } };
    throw e;
  }
  try {
    return { ok: true, value: text ? (JSON.parse(text) as unknown) : {} };
  } catch {
    return { ok: false, error: { code: 'invalid', message: '请求体不是有效的 JSON', messageEn: 'The request body is not valid JSON', field: 'body' } };
  }
}

const notFound = (): ApiResponse => errorResponse({ code: 'not-found', message: '没有这个接口', messageEn: 'No such endpoint' });
const methodNotAllowed = (): ApiResponse => ({ status: 405, body: { error: { code: 'invalid', message: '不支持的请求方法', messageEn: 'Method not allowed' } } });

/** Routes one /api request (not /api/events) to the contract. */
export async function routeApi(api: ParcelTrayApi, req: IncomingMessage, url: URL): Promise<ApiResponse> {
  const method = req.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "api"
  const [resource, id, action] = parts;

  if (resource === 'status' && parts.length === 1) {
    return method === 'GET' ? respond(await api.getStatus()) : methodNotAllowed();
  }
  if (resource === 'repair' && parts.length === 1) {
    if (method === 'GET') return respond(await api.planRepair());
    return method === 'POST' ? respond(await api.repair()) : methodNotAllowed();
  }
  if (resource === 'notifications' && parts.length === 1) {
    return method === 'GET' ? respond(await api.listNotifications()) : methodNotAllowed();
  }
  if (resource === 'tunnel' && id === 'check' && parts.length === 2) {
    return method === 'POST' ? respond(await api.checkTunnel()) : methodNotAllowed();
  }
  if (resource === 'carriers' && parts.length === 1) {
    if (method !== 'GET') return methodNotAllowed();
    const query = parseCarrierQuery(url.searchParams);
    return query.ok ? respond(await api.listCarriers(query.value)) : errorResponse(query.error);
  }
  if (resource === 'settings' && parts.length === 1) {
    if (method === 'GET') return respond(await api.getSettings());
    if (method !== 'PUT') return methodNotAllowed();
    const body = await jsonBody(req);
    if (!body.ok) return errorResponse(body.error);
    const patch = parseSettingsPatch(body.value);
    return patch.ok ? respond(await api.updateSettings(patch.value)) : errorResponse(patch.error);
  }
  if (resource === 'channels') return routeChannels(api, req, method, parts);
  if (resource !== 'shipments') return notFound();

  if (parts.length === 1) {
    if (method === 'GET') {
      const query = parseQuery(url.searchParams);
      return query.ok ? respond(await api.listShipments(query.value)) : errorResponse(query.error);
    }
    if (method !== 'POST') return methodNotAllowed();
    const body = await jsonBody(req);
    if (!body.ok) return errorResponse(body.error);
    const input = parseNewShipment(body.value);
    return input.ok ? respond(await api.addShipment(input.value), 201) : errorResponse(input.error);
  }
  const shipmentId = parseId(id);
  if (!shipmentId.ok) return errorResponse(shipmentId.error);
  if (parts.length === 2) {
    if (method === 'GET') return respond(await api.getShipment(shipmentId.value));
    if (method === 'DELETE') return respond(await api.removeShipment(shipmentId.value));
    if (method === 'PATCH') {
      const body = await jsonBody(req);
      if (!body.ok) return errorResponse(body.error);
      const patch = parseShipmentPatch(body.value);
      return patch.ok ? respond(await api.updateShipment(shipmentId.value, patch.value)) : errorResponse(patch.error);
    }
    return methodNotAllowed();
  }
  if (parts.length === 3 && action === 'resubscribe') {
    return method === 'POST' ? respond(await api.resubscribe(shipmentId.value)) : methodNotAllowed();
  }
  return notFound();
}

/** GET/PUT /api/channels (the whole list), POST /api/channels/:id/test. Secrets never go out. */
async function routeChannels(api: ParcelTrayApi, req: IncomingMessage, method: string, parts: string[]): Promise<ApiResponse> {
  if (parts.length === 1) {
    if (method === 'GET') return respond(await api.listChannels());
    if (method !== 'PUT') return methodNotAllowed();
    const body = await jsonBody(req);
    if (!body.ok) return errorResponse(body.error);
    const list = parseChannelList(body.value);
    return list.ok ? respond(await api.replaceChannels(list.value)) : errorResponse(list.error);
  }
  if (parts.length === 3 && parts[2] === 'test') {
    if (method !== 'POST') return methodNotAllowed();
    const id = parseId(parts[1]);
    return id.ok ? respond(await api.testChannel(id.value)) : errorResponse(id.error);
  }
  return notFound();
}
