/**
 * 企业微信群机器人. As documented (developer.work.weixin.qq.com/document/path/99110, "群机器人配置说明",
 * checked through the search tool): POST JSON to the webhook `https://qyapi.weixin.qq.com/cgi-bin/
 * webhook/send?key=…`, `{"msgtype":"markdown","markdown":{"content":…}}` (content ≤ 4096 bytes,
 * UTF-8) or `{"msgtype":"text","text":{"content":…}}` (≤ 2048 bytes); the answer is `{"errcode":0,"errmsg":"ok"}`, anything else an error
 * (93000 "invalid webhook url", 45009 "api freq out of limit", -1 系统繁忙); at most 20
 * messages a minute per robot.
 */
import type { ChannelMessage } from './message-format.js';
import { cutBytes, postJson, transportFailure, type FetchLike, type SendResult } from './send-result.js';

export interface RobotRequest {
  url: string;
  body: Record<string, unknown>;
}

export function buildWecomRequest(webhook: string, msg: ChannelMessage, format: 'markdown' | 'text' = 'markdown'): RobotRequest {
  if (format === 'text') return { url: webhook, body: { msgtype: 'text', text: { content: cutBytes(msg.text, 2048) } } };
  return { url: webhook, body: { msgtype: 'markdown', markdown: { content: cutBytes(msg.markdown, 4096) } } };
}

const HINTS: Record<string, [string, string]> = {
  93000: ['Webhook 地址无效：请在群机器人详情里重新复制', 'Invalid webhook: copy it again from the robot’s details'],
  45009: ['发送太频繁（每个机器人每分钟最多 20 条）', 'Too many messages (20 a minute per robot)'],
  '-1': ['企业微信系统繁忙', 'WeCom is busy'],
};

export function parseWecomAnswer(errcode: unknown, errmsg: unknown): SendResult {
  if (errcode === 0) return { ok: true };
  const code = typeof errcode === 'number' ? errcode : Number(errcode);
  const text = typeof errmsg === 'string' ? errmsg : '';
  const hint = HINTS[String(code)];
  return {
    ok: false,
    error: `企业微信返回 ${code}：${text}${hint ? `（${hint[0]}）` : ''}`,
    errorEn: `WeCom answered ${code}: ${text}${hint ? ` (${hint[1]})` : ''}`,
    retryable: code === 45009 || code === -1,
    ...(code === 45009 ? { retryAfterMs: 60_000 } : {}),
  };
}

export async function sendWecom(fetchFn: FetchLike, webhook: string, msg: ChannelMessage, format: 'markdown' | 'text', timeoutMs: number): Promise<SendResult> {
  const req = buildWecomRequest(webhook, msg, format);
  const a = await postJson(fetchFn, req.url, req.body, timeoutMs);
  if (a.kind === 'answer' && a.json && 'errcode' in a.json) return parseWecomAnswer(a.json.errcode, a.json.errmsg);
  return transportFailure('企业微信', 'WeCom', a);
}
