/**
 * One push, from request body to Kuaidi100's expected reply. Persist first, then answer: the
 * success reply (spec 2.6) goes out only once the push is on disk; a storage failure answers
 * returnCode 500 so that Kuaidi100 retries; forged or malformed pushes get a 4xx and nothing
 * is stored. status=abort is answered with success like any other push, as the spec demands.
 */
import { parsePushBody } from './kuaidi100/push-parse.js';
import type { PushReply } from './kuaidi100/wire-types.js';
import type { PushOutcome } from './push-intake.js';
import type { PushParam } from './kuaidi100/wire-types.js';

export interface PushSink {
  receivePush(rawParam: string, push: PushParam, sign: string | null): Promise<PushOutcome>;
}

export interface PushResponse {
  httpStatus: number;
  reply: PushReply;
}

export const PUSH_ACCEPTED: PushReply = { result: true, returnCode: '200', message: '提交成功' };

const refuse = (httpStatus: number, returnCode: string, message: string): PushResponse => ({
  httpStatus,
  reply: { result: false, returnCode, message },
});

export async function handlePush(body: string, sink: PushSink): Promise<PushResponse> {
  const parsed = parsePushBody(body);
  if (!parsed.ok) return refuse(400, '400', parsed.message);
  const outcome = await sink.receivePush(parsed.rawParam, parsed.param, parsed.sign);
  switch (outcome.kind) {
    case 'stored':
      return { httpStatus: 200, reply: PUSH_ACCEPTED };
    case 'rejected':
      return refuse(outcome.httpStatus, String(outcome.httpStatus), outcome.message);
    case 'storage-failed':
      return refuse(500, '500', `保存失败，请重试：${outcome.message}`);
  }
}
