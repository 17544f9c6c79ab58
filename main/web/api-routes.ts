/**
 * The headless mode's JSON API: a thin translation of HTTP to the ParcelTrayApi contract.
 * Validation of bodies and parameters is the core's (input-validation.ts); this file only
 * maps paths, methods and error codes.
 */
import type { IncomingMessage } from 'node:http';
import { IMPORT_MAX_BYTES, type ApiError, type ErrorCode, type ExportFileDto, type ImportMappingDto, type ParcelTrayApi, type Result } from '../../preload/contract.js';
import { BodyTooLargeError, readBody, readBodyBytes } from '../core/http-body.js';
import {
  parseCarrierQuery, parseChannelList, parseExportFormat, parseId, parseImportFile, parseNewShipment, parseQuery, parseSettingsPatch, parseShipmentPatch, tooLargeImport,
} from '../core/input-validation.js';

export interface ApiResponse {
  status: number;
  body: unknown;
  /** A download instead of JSON (the export). */
  file?: ExportFileDto;
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

/** The JSON body, checked by `parse`: a body that is not JSON and one that does not parse answer alike. */
async function parsedBody<T>(req: IncomingMessage, parse: (body: unknown) => Result<T>): Promise<Result<T>> {
  const body = await jsonBody(req);
  return body.ok ? parse(body.value) : body;
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
    const patch = await parsedBody(req, parseSettingsPatch);
    return patch.ok ? respond(await api.updateSettings(patch.value)) : errorResponse(patch.error);
  }
  if (resource === 'channels') return routeChannels(api, req, method, parts);
  if (resource === 'imports') return routeImports(api, req, parts, method);
  if (resource === 'export' && parts.length === 1) {
    if (method !== 'GET') return methodNotAllowed();
    const query = parseQuery(url.searchParams);
    if (!query.ok) return errorResponse(query.error);
    const format = parseExportFormat(url.searchParams.get('format'));
    if (!format.ok) return errorResponse(format.error);
    const file = await api.exportView(query.value, format.value);
    return file.ok ? { status: 200, body: null, file: file.value } : errorResponse(file.error);
  }
  if (resource !== 'shipments') return notFound();

  if (parts.length === 1) {
    if (method === 'GET') {
      const query = parseQuery(url.searchParams);
      if (!query.ok) return errorResponse(query.error);
      // With offset: one page { items, total, offset, counts }; without: the whole list (older callers).
      if (url.searchParams.has('offset')) return respond(await api.listPage(query.value));
      return respond(await api.listShipments(query.value));
    }
    if (method !== 'POST') return methodNotAllowed();
    const input = await parsedBody(req, parseNewShipment);
    return input.ok ? respond(await api.addShipment(input.value), 201) : errorResponse(input.error);
  }
  const shipmentId = parseId(id);
  if (!shipmentId.ok) return errorResponse(shipmentId.error);
  if (parts.length === 2) {
    if (method === 'GET') return respond(await api.getShipment(shipmentId.value));
    if (method === 'DELETE') return respond(await api.removeShipment(shipmentId.value));
    if (method === 'PATCH') {
      const patch = await parsedBody(req, parseShipmentPatch);
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
    const list = await parsedBody(req, parseChannelList);
    return list.ok ? respond(await api.replaceChannels(list.value)) : errorResponse(list.error);
  }
  if (parts.length === 3 && parts[2] === 'test') {
    if (method !== 'POST') return methodNotAllowed();
    const id = parseId(parts[1]);
    return id.ok ? respond(await api.testChannel(id.value)) : errorResponse(id.error);
  }
  return notFound();
}

/**
 * POST /api/imports: the file's bytes as the body (x-filename URL-encoded) → the preview.
 * POST /api/imports/:id/mapping { mapping } → the preview with corrected columns.
 * POST /api/imports/:id/commit { mapping? } → what was added, skipped and why.
 */
async function routeImports(api: ParcelTrayApi, req: IncomingMessage, parts: string[], method: string): Promise<ApiResponse> {
  if (parts.length === 1) {
    if (method !== 'POST') return methodNotAllowed();
    let bytes: Uint8Array;
    try {
      bytes = await readBodyBytes(req, IMPORT_MAX_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return { status: 413, body: { error: tooLargeImport().error } };
      throw e;
    }
    let filename = '';
    try {
      filename = decodeURIComponent(String(req.headers['x-filename'] ?? ''));
    } catch {
      return errorResponse({ code: 'invalid', message: 'x-filename 的百分号编码无效', messageEn: 'x-filename has malformed percent-encoding', field: 'filename' });
    }
    const file = parseImportFile({ filename, bytes });
    return file.ok ? respond(await api.previewImport(file.value)) : errorResponse(file.error);
  }
  const id = parseId(parts[1]);
  if (!id.ok) return errorResponse(id.error);
  const action = parts[2];
  if (parts.length !== 3 || (action !== 'commit' && action !== 'mapping')) return notFound();
  if (method !== 'POST') return methodNotAllowed();
  const body = await jsonBody(req);
  if (!body.ok) return errorResponse(body.error);
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    return errorResponse({ code: 'invalid', message: '请求体必须是 JSON 对象', messageEn: 'The request body must be a JSON object', field: 'body' });
  }
  const mapping = (body.value as { mapping?: unknown }).mapping;
  if (action === 'mapping') {
    if (mapping === undefined) return errorResponse({ code: 'invalid', message: '需要 mapping', messageEn: 'mapping is required', field: 'mapping' });
    return respond(await api.remapImport(id.value, mapping as ImportMappingDto));
  }
  // The core checks the mapping against the preview's columns (import/preview.ts parseMapping).
  return respond(await api.commitImport(id.value, mapping === undefined ? {} : { mapping: mapping as ImportMappingDto }));
}
