/**
 * What a channel is and what a valid one looks like. Pure: the service resolves secrets kept
 * from before, then asks here. Webhook URLs are checked against each platform's documented
 * shape so a pasted wrong link fails at once, not at the first parcel.
 */
import type { ApiError, NotifySettingsDto, Result } from '../../../preload/contract.js';
import {
  CHANNEL_EVENT_KINDS, CHANNEL_KINDS,
  type ChannelEventKind, type ChannelInput, type ChannelKind, type EmailSettingsInput, type QuietHoursDto,
} from '../../../preload/channel-dtos.js';

/** The non-secret part, as the settings store keeps it. */
export interface StoredChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  keyword: string | null;
  /** 企业微信 message type; the others have one format each. */
  format: 'markdown' | 'text';
  email: Omit<EmailSettingsInput, 'pass'> | null;
  events: ChannelEventKind[] | null;
  quietHours: QuietHoursDto | null;
}

/** A channel with its secrets, as the senders need it. */
export interface ResolvedChannel extends StoredChannel {
  url: string | null;
  secret: string | null;
  pass: string | null;
}

export interface ChannelValidationOptions {
  /**
   * Hosts accepted besides the platforms' own (http or https, any port), e.g. ['127.0.0.1'] for
   * the fake robots of the tests. Empty in production: nothing loosens the check by default.
   */
  allowedHosts?: readonly string[];
}

const invalid = (field: string, message: string, messageEn: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'invalid', message, messageEn, field },
});

/** Each robot's documented webhook: host(s), path, and the query parameter holding its key. */
const WEBHOOK_SHAPES: Record<Exclude<ChannelKind, 'email'>, { hosts: string[]; path: RegExp; key: string | null; example: string }> = {
  wecom: { hosts: ['qyapi.weixin.qq.com'], path: /^\/cgi-bin\/webhook\/send$/, key: 'key', example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' },
  dingtalk: { hosts: ['oapi.dingtalk.com'], path: /^\/robot\/send$/, key: 'access_token', example: 'https://oapi.dingtalk.com/robot/send?access_token=…' },
  feishu: { hosts: ['open.feishu.cn', 'open.larksuite.com'], path: /^\/open-apis\/bot\/v2\/hook\/[\w-]+$/, key: null, example: 'https://open.feishu.cn/open-apis/bot/v2/hook/…' },
};

const KIND_NAMES: Record<ChannelKind, [string, string]> = {
  wecom: ['企业微信群机器人', 'WeCom group robot'],
  dingtalk: ['钉钉自定义机器人', 'DingTalk custom robot'],
  feishu: ['飞书自定义机器人', 'Feishu custom bot'],
  email: ['邮件', 'E-mail'],
};

export function checkWebhookUrl(kind: Exclude<ChannelKind, 'email'>, raw: string, options: ChannelValidationOptions = {}): Result<string> {
  const shape = WEBHOOK_SHAPES[kind];
  const [zh, en] = KIND_NAMES[kind];
  const wrong = invalid('url', `${zh}的 Webhook 地址应形如 ${shape.example}`, `A ${en} webhook looks like ${shape.example}`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return wrong;
  }
  const test = options.allowedHosts?.includes(url.hostname) ?? false;
  const platform = url.protocol === 'https:' && !url.port && shape.hosts.includes(url.hostname);
  if (!platform && !(test && (url.protocol === 'http:' || url.protocol === 'https:'))) return wrong;
  if (!shape.path.test(url.pathname)) return wrong;
  if (shape.key && !url.searchParams.get(shape.key)) return wrong;
  return { ok: true, value: url.toString() };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** Addresses as a seller types them: comma, semicolon or space separated. */
export function emailList(raw: string): string[] {
  return raw.split(/[,;，；\s]+/).map((s) => s.trim()).filter(Boolean);
}

/** What a channel without its own `events` forwards: the desktop notifications' choice. */
export function defaultEventsFrom(notify: NotifySettingsDto): ChannelEventKind[] {
  const out: ChannelEventKind[] = [];
  if (notify.states.includes('1')) out.push('collected');
  if (notify.states.includes('0')) out.push('transit');
  if (notify.states.includes('5')) out.push('delivering');
  if (notify.states.includes('3')) out.push('delivered');
  if (['2', '4', '6', '14'].some((s) => notify.states.includes(s))) out.push('exception');
  if (notify.aborted) out.push('aborted');
  return out;
}

/**
 * Validates one input against what was stored under its id (secrets omitted are kept). The
 * answer carries the id the caller chose for a new channel.
 */
export function resolveChannel(
  input: ChannelInput,
  previous: ResolvedChannel | undefined,
  id: string,
  options: ChannelValidationOptions = {},
): Result<ResolvedChannel> {
  if (typeof input !== 'object' || input === null) return invalid('', '渠道格式不对', 'A channel must be an object');
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 40) return invalid('name', '请填写渠道名称（最多 40 字）', 'Give the channel a name (at most 40 characters)');
  if (!CHANNEL_KINDS.includes(input.kind)) return invalid('kind', '渠道类型只能是企业微信、钉钉、飞书或邮件', 'The kind must be wecom, dingtalk, feishu or email');
  const kind = input.kind;
  const same = previous?.kind === kind ? previous : undefined;

  let events: ChannelEventKind[] | null = null;
  if (input.events !== undefined && input.events !== null) {
    if (!Array.isArray(input.events) || input.events.some((e) => !CHANNEL_EVENT_KINDS.includes(e))) {
      return invalid('events', `可转发的事件：${CHANNEL_EVENT_KINDS.join('、')}`, `Events may be: ${CHANNEL_EVENT_KINDS.join(', ')}`);
    }
    events = [...new Set(input.events)];
  }
  let quietHours: QuietHoursDto | null = null;
  if (input.quietHours) {
    const { from, to } = input.quietHours;
    if (!HHMM.test(from ?? '') || !HHMM.test(to ?? '') || from === to) {
      return invalid('quietHours', '免打扰时段应为两个不同的时刻，如 22:00 到 08:00（北京时间）', 'Quiet hours are two different times such as 22:00 to 08:00 (China time)');
    }
    quietHours = { from, to };
  }
  const keyword = typeof input.keyword === 'string' && input.keyword.trim() ? input.keyword.trim() : null;
  if (keyword && kind !== 'dingtalk' && kind !== 'feishu') {
    return invalid('keyword', '只有钉钉和飞书机器人有自定义关键词', 'Only DingTalk and Feishu robots have a keyword');
  }
  if (input.format !== undefined && input.format !== 'markdown' && input.format !== 'text') {
    return invalid('format', '消息格式只能是 markdown 或 text', 'The format must be markdown or text');
  }
  const format = kind === 'wecom' && input.format === 'text' ? 'text' as const : 'markdown' as const;
  const base = { id, name, kind, keyword, format, events, quietHours };

  if (kind === 'email') {
    const e = input.email;
    if (!e || typeof e !== 'object') return invalid('email', '请填写邮件服务器设置', 'Fill in the mail server settings');
    if (typeof e.host !== 'string' || !/^[\w.-]+$/.test(e.host.trim())) return invalid('email.host', 'SMTP 服务器地址不对（如 smtp.qq.com）', 'The SMTP host is not valid (e.g. smtp.qq.com)');
    if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) return invalid('email.port', 'SMTP 端口应为 1–65535（QQ/163 用 465）', 'The SMTP port must be 1–65535 (QQ/163 use 465)');
    if (typeof e.user !== 'string' || !e.user.trim()) return invalid('email.user', '请填写邮箱账号', 'Fill in the mailbox user');
    if (typeof e.from !== 'string' || !EMAIL.test(e.from.trim().replace(/^.*<(.+)>$/, '$1'))) return invalid('email.from', '发件人地址不对', 'The sender address is not valid');
    const to = typeof e.to === 'string' ? emailList(e.to) : [];
    if (!to.length || to.some((a) => !EMAIL.test(a))) return invalid('email.to', '收件人地址不对（多个用逗号分隔）', 'The recipient address is not valid (separate several with commas)');
    const digest = e.digestMinutes ?? 0;
    if (!Number.isInteger(digest) || digest < 0 || digest > 1440) return invalid('email.digestMinutes', '汇总间隔应为 0–1440 分钟', 'The digest interval must be 0–1440 minutes');
    const pass = typeof e.pass === 'string' && e.pass ? e.pass : same?.pass ?? null;
    if (!pass) return invalid('email.pass', '请填写邮箱授权码', 'Fill in the mailbox authorisation code');
    return {
      ok: true,
      value: {
        ...base, keyword: null, url: null, secret: null, pass,
        email: { host: e.host.trim(), port: e.port, secure: e.secure === true, user: e.user.trim(), from: e.from.trim(), to: to.join(', '), digestMinutes: digest },
      },
    };
  }

  const rawUrl = typeof input.url === 'string' && input.url.trim() ? input.url : same?.url ?? null;
  if (!rawUrl) return invalid('url', '请粘贴机器人的 Webhook 地址', 'Paste the robot’s webhook URL');
  const url = checkWebhookUrl(kind, rawUrl, options);
  if (!url.ok) return url;
  const secret = input.secret === '' ? null : typeof input.secret === 'string' ? input.secret.trim() : same?.secret ?? null;
  if (secret && kind === 'wecom') return invalid('secret', '企业微信群机器人没有签名密钥', 'WeCom robots have no signing secret');
  if (secret && kind === 'dingtalk' && !/^SEC\w+$/.test(secret)) return invalid('secret', '钉钉加签密钥以 SEC 开头', 'A DingTalk signing secret starts with SEC');
  return { ok: true, value: { ...base, url: url.value, secret, pass: null, email: null } };
}

/** The webhook's host and the key's tail, so the seller recognises a URL they cannot read back. */
export function urlHint(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    const key = u.searchParams.get('key') ?? u.searchParams.get('access_token') ?? u.pathname.split('/').pop() ?? '';
    return `${u.host} …${key.slice(-4)}`;
  } catch {
    return null;
  }
}

export function storedPart(c: ResolvedChannel): StoredChannel {
  return { id: c.id, name: c.name, kind: c.kind, keyword: c.keyword, format: c.format, email: c.email, events: c.events, quietHours: c.quietHours };
}
