/**
 * Forwarding channels (issue 14): group robots of 企业微信, 钉钉, 飞书 and e-mail. Shared by the
 * core, the HTTP API and the renderer, so no Node types here.
 */

export type ChannelKind = 'wecom' | 'dingtalk' | 'feishu' | 'email';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['wecom', 'dingtalk', 'feishu', 'email'];

/** What a channel may forward. */
export type ChannelEventKind =
  | 'collected' // 揽收
  | 'transit' // 在途
  | 'delivering' // 派件
  | 'delivered' // 签收
  | 'exception' // 疑难, 退签, 退回, 拒签
  | 'aborted' // 跟踪中止
  | 'pickup-late' // 揽收超时
  | 'stale' // 可能漏推送
  | 'provider-down'; // 查询服务不可用
export const CHANNEL_EVENT_KINDS: readonly ChannelEventKind[] = [
  'collected', 'transit', 'delivering', 'delivered', 'exception', 'aborted', 'pickup-late', 'stale', 'provider-down',
];

/** "HH:mm" in China time; from > to spans midnight (22:00 → 08:00). */
export interface QuietHoursDto {
  from: string;
  to: string;
}

export interface EmailSettingsInput {
  host: string;
  port: number;
  /** TLS from the first byte (465); false = plain, upgraded by STARTTLS when offered (587/25). */
  secure: boolean;
  user: string;
  /** 授权码; omitted on an existing channel = keep the stored one. */
  pass?: string;
  from: string;
  to: string;
  /** 0 or absent: one mail per event; N: one digest every N minutes. */
  digestMinutes?: number;
}

/** One channel as PUT /api/channels takes it. Secrets omitted on an existing id are kept. */
export interface ChannelInput {
  id?: string;
  name: string;
  kind: ChannelKind;
  /** The webhook URL (it contains the robot's key, so it is kept as a secret). */
  url?: string;
  /** 钉钉 加签 / 飞书 签名校验 secret; '' removes it. */
  secret?: string;
  /** 钉钉/飞书 自定义关键词: put into every message. */
  keyword?: string;
  /**
   * 企业微信 only: 'markdown' (default; bold title in the 企业微信 app) or 'text' (also readable
   * by members who see the group from personal 微信, where markdown is not shown).
   */
  format?: 'markdown' | 'text';
  email?: EmailSettingsInput;
  /** Absent: forward what desktop notifications show. */
  events?: ChannelEventKind[];
  quietHours?: QuietHoursDto | null;
}

export interface ChannelDeliveryDto {
  lastOkAt: string | null;
  lastError: string | null;
  lastErrorEn: string | null;
  /** Messages waiting (retry, rate limit or quiet hours). */
  queued: number;
  nextAttemptAt: string | null;
}

/** A channel as the API answers it: never a secret, only whether one is set. */
export interface ChannelDto {
  id: string;
  name: string;
  kind: ChannelKind;
  /** The webhook's host and the key's last 4 characters, to recognise it ("qyapi.weixin.qq.com …5aaa"). */
  urlHint: string | null;
  hasUrl: boolean;
  hasSecret: boolean;
  keyword: string | null;
  format: 'markdown' | 'text';
  email: (Omit<EmailSettingsInput, 'pass'> & { hasPass: boolean }) | null;
  events: ChannelEventKind[] | null;
  /** What it forwards in effect (events, or the desktop notifications' choice). */
  effectiveEvents: ChannelEventKind[];
  quietHours: QuietHoursDto | null;
  delivery: ChannelDeliveryDto;
}

/** The platform's verdict on a test message. */
export interface ChannelTestResultDto {
  ok: boolean;
  error: string | null;
  errorEn: string | null;
}
