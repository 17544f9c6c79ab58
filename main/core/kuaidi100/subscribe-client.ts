/**
 * Sends a subscribe request and maps every outcome to a typed result. The request is a form
 * POST with `param` in the body (spec 1.2); the Huawei Cloud store authenticates with the
 * X-Apig-AppCode header, Kuaidi100's own endpoint with `key` inside param and schema=json.
 */
import { returnCodeInfo, type ReturnCodeInfo } from './return-codes.js';
import type { SubscribeParam, SubscribeResponse } from './wire-types.js';

export const HUAWEI_POLL_URL = 'https://kdpoll.apistore.huaweicloud.com/poll';
export const KUAIDI100_POLL_URL = 'https://poll.kuaidi100.com/poll';
export const SUBSCRIBE_TIMEOUT_MS = 5000;

export type SubscribeAuth = { kind: 'appcode'; appCode: string } | { kind: 'key'; key: string };

export type SubscribeOutcome =
  /** Kuaidi100 answered with a return code of spec 1.6 (200 included). */
  | { kind: 'answered'; returnCode: string; message: string; messageEn?: string; info: ReturnCodeInfo; httpStatus: number }
  /** No answer within the timeout. */
  | { kind: 'timeout'; message: string; messageEn: string }
  /** Could not reach the endpoint at all. */
  | { kind: 'network'; message: string; messageEn: string }
  /** An answer that is not Kuaidi100's (a gateway error, an unknown code). */
  | { kind: 'http'; httpStatus: number; message: string; messageEn: string };

export interface SubscribeRequest {
  endpoint: string;
  auth: SubscribeAuth;
  param: SubscribeParam;
  timeoutMs?: number;
}

export function encodeSubscribeBody(param: SubscribeParam, auth: SubscribeAuth): string {
  const form = new URLSearchParams();
  if (auth.kind === 'key') form.set('schema', 'json');
  form.set('param', JSON.stringify(auth.kind === 'key' ? { ...param, key: auth.key } : param));
  return form.toString();
}

export async function subscribe(req: SubscribeRequest): Promise<SubscribeOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (req.auth.kind === 'appcode') headers['X-Apig-AppCode'] = req.auth.appCode;
  const timeoutMs = req.timeoutMs ?? SUBSCRIBE_TIMEOUT_MS;
  let res: Response;
  let text: string;
  try {
    res = await fetch(req.endpoint, {
      method: 'POST',
      headers,
      body: encodeSubscribeBody(req.param, req.auth),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      return { kind: 'timeout', message: `快递100 ${timeoutMs / 1000} 秒内没有响应`, messageEn: `No answer from Kuaidi100 within ${timeoutMs / 1000} s` };
    }
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    return { kind: 'network', message: `无法连接订阅接口：${cause}`, messageEn: `Cannot reach the subscribe endpoint: ${cause}` };
  }
  return interpretSubscribeResponse(res.status, text);
}

/** Pure mapping of an HTTP answer to an outcome. */
export function interpretSubscribeResponse(httpStatus: number, text: string): SubscribeOutcome {
  const body = parseJson(text);
  if (body && typeof body === 'object' && 'returnCode' in body) {
    const r = body as Partial<SubscribeResponse>;
    const code = String(r.returnCode ?? '');
    const info = returnCodeInfo(code);
    if (info) return { kind: 'answered', returnCode: code, message: String(r.message ?? info.message), info, httpStatus };
    return { kind: 'http', httpStatus, message: `未知的返回码 ${code}：${String(r.message ?? '')}`, messageEn: `Unknown return code ${code}: ${String(r.message ?? '')}` };
  }
  // Huawei's API gateway answers for itself before Kuaidi100 sees the request.
  if (httpStatus === 401 || httpStatus === 403) {
    const info = returnCodeInfo('600')!;
    return { kind: 'answered', returnCode: '600', message: `AppCode 无效（网关 HTTP ${httpStatus}）`, messageEn: `Invalid AppCode (gateway HTTP ${httpStatus})`, info, httpStatus };
  }
  if (httpStatus === 400 && /Invalid query parameter/i.test(text)) {
    return {
      kind: 'http',
      httpStatus,
      message: '接口要求 param 作为 URL 查询参数（与文档不符）：请在设置中确认订阅接口地址',
      messageEn: 'The endpoint wants param as a URL query parameter (unlike its documentation): check the subscribe endpoint in Settings',
    };
  }
  const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
  return {
    kind: 'http',
    httpStatus,
    message: `订阅接口返回 HTTP ${httpStatus}${snippet ? `：${snippet}` : ''}`,
    messageEn: `The subscribe endpoint answered HTTP ${httpStatus}${snippet ? `: ${snippet}` : ''}`,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
