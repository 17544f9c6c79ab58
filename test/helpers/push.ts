import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodePushBody } from '../../main/core/kuaidi100/push-parse.js';
import { signPush } from '../../main/core/kuaidi100/signature.js';
import type { PushDataItem, PushParam } from '../../main/core/kuaidi100/wire-types.js';

/** The push example of spec 2.3, copied from ../shared/fixtures. */
export function specExamplePush(): PushParam {
  const path = fileURLToPath(new URL('../fixtures/push-example-from-spec.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as PushParam;
}

export function item(ftime: string, context: string, status = '在途', statusCode = '0'): PushDataItem {
  return { time: ftime, ftime, context, status, statusCode, areaCode: null, areaName: null };
}

/** A push for `number` whose history is `data` (newest first). */
export function makePush(number: string, com: string, state: string, data: PushDataItem[], status: PushParam['status'] = 'polling'): PushParam {
  return {
    status,
    billstatus: 'got',
    message: '',
    lastResult: { message: 'ok', nu: number, ischeck: state === '3' ? '1' : '0', com, status: '200', state, condition: '00', data },
  };
}

/** Posts a push the way Kuaidi100 does: a form with param and sign. */
export async function postPush(url: string, push: PushParam | string, salt: string | null): Promise<{ status: number; body: unknown }> {
  const raw = typeof push === 'string' ? push : JSON.stringify(push);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodePushBody(raw, salt === null ? null : signPush(raw, salt)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}
