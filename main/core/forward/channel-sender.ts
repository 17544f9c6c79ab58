/** Sends one message to one channel, whatever its kind. */
import type { ResolvedChannel } from './channel-model.js';
import type { ChannelMessage } from './message-format.js';
import type { FetchLike, SendResult } from './send-result.js';
import { sendWecom } from './wecom-sender.js';
import { sendDingtalk } from './dingtalk-sender.js';
import { sendFeishu } from './feishu-sender.js';
import { sendEmail } from './email-sender.js';

export interface SendDeps {
  fetch: FetchLike;
  /** Wall-clock time for signatures (the platforms check it against theirs). */
  now(): number;
  timeoutMs: number;
}

export type ChannelSender = (channel: ResolvedChannel, msg: ChannelMessage) => Promise<SendResult>;

const missing = (zh: string, en: string): SendResult => ({ ok: false, error: zh, errorEn: en, retryable: false });

export function channelSender(deps: SendDeps): ChannelSender {
  return async (c, msg) => {
    if (c.kind === 'email') {
      if (!c.email || !c.pass) return missing('邮件设置不完整', 'The mail settings are incomplete');
      return sendEmail({ ...c.email, pass: c.pass }, msg, deps.timeoutMs);
    }
    if (!c.url) return missing('没有 Webhook 地址', 'No webhook URL');
    if (c.kind === 'wecom') return sendWecom(deps.fetch, c.url, msg, c.format, deps.timeoutMs);
    if (c.kind === 'dingtalk') return sendDingtalk(deps.fetch, c.url, c.secret, msg, deps.now(), deps.timeoutMs);
    return sendFeishu(deps.fetch, c.url, c.secret, msg, deps.now(), deps.timeoutMs);
  };
}
