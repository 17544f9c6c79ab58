/**
 * 飞书自定义机器人. As documented (open.feishu.cn "自定义机器人使用指南", checked through the search
 * tool): POST JSON to `https://open.feishu.cn/open-apis/bot/v2/hook/<token>` (Lark:
 * open.larksuite.com), `{"msg_type":"text","content":{"text":…}}` (≤ 20 KB); with 签名校验 the
 * body also carries `timestamp` (seconds, within an hour) and `sign` = base64(HmacSHA256(key =
 * timestamp + "\n" + secret, message = empty)) — the string is the KEY, unlike 钉钉. Answer
 * `{"code":0,"msg":"success"}`; 19021 "sign match fail or timestamp is not within one hour from
 * current time", 19024 "Key Words Not Found", 19022 "Ip Not Allowed", 9499 "Bad Request",
 * 11232 rate limited (100 a minute, 5 a second per bot).
 */
import { createHmac } from 'node:crypto';
import type { ChannelMessage } from './message-format.js';
import type { RobotRequest } from './wecom-sender.js';
import { postJson, transportFailure, type FetchLike, type SendResult } from './send-result.js';

export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
}

export function buildFeishuRequest(webhook: string, secret: string | null, msg: ChannelMessage, nowMs: number): RobotRequest {
  const ts = Math.floor(nowMs / 1000);
  const signed = secret ? { timestamp: String(ts), sign: feishuSign(secret, ts) } : {};
  return { url: webhook, body: { ...signed, msg_type: 'text', content: { text: msg.text } } };
}

const HINTS: Record<number, [string, string]> = {
  19021: ['签名校验失败：密钥不对，或电脑时间与北京时间相差超过 1 小时', 'Signature check failed: wrong secret, or this computer’s clock is more than an hour off'],
  19024: ['消息里没有机器人的自定义关键词：请在渠道设置里填写关键词', 'The bot’s keyword is missing: set it in the channel'],
  19022: ['IP 不在机器人的白名单里', 'This IP is not on the bot’s allow list'],
  11232: ['发送太频繁', 'Too many messages'],
};

export function parseFeishuAnswer(json: Record<string, unknown>): SendResult {
  // Old hooks answer StatusCode/StatusMessage; new ones code/msg (both are documented).
  const raw = 'code' in json ? json.code : json.StatusCode;
  if (raw === 0) return { ok: true };
  const code = Number(raw);
  const text = typeof json.msg === 'string' ? json.msg : typeof json.StatusMessage === 'string' ? json.StatusMessage : '';
  const hint = HINTS[code];
  return {
    ok: false,
    error: `飞书返回 ${code}：${text}${hint ? `（${hint[0]}）` : ''}`,
    errorEn: `Feishu answered ${code}: ${text}${hint ? ` (${hint[1]})` : ''}`,
    retryable: code === 11232,
    ...(code === 11232 ? { retryAfterMs: 60_000 } : {}),
  };
}

export async function sendFeishu(fetchFn: FetchLike, webhook: string, secret: string | null, msg: ChannelMessage, nowMs: number, timeoutMs: number): Promise<SendResult> {
  const req = buildFeishuRequest(webhook, secret, msg, nowMs);
  const a = await postJson(fetchFn, req.url, req.body, timeoutMs);
  if (a.kind === 'answer' && a.json && ('code' in a.json || 'StatusCode' in a.json)) return parseFeishuAnswer(a.json);
  return transportFailure('飞书', 'Feishu', a);
}
