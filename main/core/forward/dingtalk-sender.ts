/**
 * 钉钉自定义机器人. As documented (open.dingtalk.com "自定义机器人安全设置" and "自定义机器人发送群消息",
 * checked through the search tool): POST JSON to `https://oapi.dingtalk.com/robot/send?access_token=…`;
 * with 加签 append `&timestamp=<ms>&sign=<urlEncode(base64(HmacSHA256(key = secret, message =
 * timestamp + "\n" + secret)))>` (the timestamp within an hour of DingTalk's clock); a keyword-
 * protected robot needs the keyword somewhere in the text. Body `{"msgtype":"markdown","markdown":
 * {"title":…,"text":…}}`. Answer `{"errcode":0,"errmsg":"ok"}`; 310000 covers the security checks
 * ("sign not match", "keywords not in content" / "关键词不匹配", IP not allowed), 300001 a wrong
 * token, 130101 "send too fast". At most 20 messages a minute.
 */
import { createHmac } from 'node:crypto';
import type { ChannelMessage } from './message-format.js';
import type { RobotRequest } from './wecom-sender.js';
import { cutBytes, postJson, transportFailure, type FetchLike, type SendResult } from './send-result.js';

/** The `sign` parameter, already URL-encoded. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(mac);
}

export function buildDingtalkRequest(webhook: string, secret: string | null, msg: ChannelMessage, nowMs: number): RobotRequest {
  const url = secret ? `${webhook}&timestamp=${nowMs}&sign=${dingtalkSign(secret, nowMs)}` : webhook;
  return { url, body: { msgtype: 'markdown', markdown: { title: msg.title, text: cutBytes(msg.markdown, 18_000) } } };
}

export function parseDingtalkAnswer(errcode: unknown, errmsg: unknown): SendResult {
  if (errcode === 0) return { ok: true };
  const code = typeof errcode === 'number' ? errcode : Number(errcode);
  const text = typeof errmsg === 'string' ? errmsg : '';
  let hint: [string, string] | null = null;
  if (/sign/i.test(text)) hint = ['加签密钥不对，或电脑时间与北京时间相差超过 1 小时', 'Wrong signing secret, or this computer’s clock is more than an hour off'];
  else if (/keyword|关键词/i.test(text)) hint = ['消息里没有机器人的自定义关键词：请在渠道设置里填写关键词', 'The robot’s keyword is missing: set it in the channel'];
  else if (code === 300001) hint = ['Webhook 地址里的 access_token 无效：请重新复制', 'The access_token is not valid: copy the webhook again'];
  else if (code === 130101) hint = ['发送太频繁（每分钟最多 20 条）', 'Too many messages (20 a minute)'];
  return {
    ok: false,
    error: `钉钉返回 ${code}：${text}${hint ? `（${hint[0]}）` : ''}`,
    errorEn: `DingTalk answered ${code}: ${text}${hint ? ` (${hint[1]})` : ''}`,
    retryable: code === 130101 || code === -1,
    ...(code === 130101 ? { retryAfterMs: 60_000 } : {}),
  };
}

export async function sendDingtalk(fetchFn: FetchLike, webhook: string, secret: string | null, msg: ChannelMessage, nowMs: number, timeoutMs: number): Promise<SendResult> {
  const req = buildDingtalkRequest(webhook, secret, msg, nowMs);
  const a = await postJson(fetchFn, req.url, req.body, timeoutMs);
  if (a.kind === 'answer' && a.json && 'errcode' in a.json) return parseDingtalkAnswer(a.json.errcode, a.json.errmsg);
  return transportFailure('钉钉', 'DingTalk', a);
}
