/**
 * Turns forward items into a message a seller reads on a phone in a group chat: one parcel per
 * message with carrier, number, order and buyer, the state in words and the latest scan; a
 * burst becomes one message ("12 个包裹已签收") with a capped list. Scan times are Kuaidi100's
 * `ftime`, already China time; the app's own times are converted to China time here.
 */
import type { Language } from '../../../preload/contract.js';
import type { ChannelEventKind } from '../../../preload/channel-dtos.js';
import type { ForwardItem } from './forward-events.js';
import { epochToKuaidiTime } from '../kuaidi100/time.js';

export interface ChannelMessage {
  title: string;
  /** Plain text (企业微信 text, 飞书 text, e-mail body). */
  text: string;
  /** Markdown (企业微信 / 钉钉 markdown). */
  markdown: string;
}

export interface FormatOptions {
  lang: Language;
  /** 钉钉/飞书 keyword-protected robots refuse a message without it. */
  keyword?: string | null;
  /** Lines listed in a burst before "…and N more". */
  listCap?: number;
}

const KIND_WORDS: Record<ChannelEventKind, { zh: string; en: string; zhDone: string; enDone: string }> = {
  collected: { zh: '揽收', en: 'picked up', zhDone: '已揽收', enDone: 'picked up' },
  transit: { zh: '在途', en: 'in transit', zhDone: '在途', enDone: 'in transit' },
  delivering: { zh: '派件', en: 'out for delivery', zhDone: '正在派件', enDone: 'out for delivery' },
  delivered: { zh: '签收', en: 'delivered', zhDone: '已签收', enDone: 'delivered' },
  exception: { zh: '异常', en: 'exception', zhDone: '异常', enDone: 'in trouble' },
  aborted: { zh: '跟踪中止', en: 'tracking aborted', zhDone: '跟踪中止', enDone: 'with tracking aborted' },
  'pickup-late': { zh: '揽收超时', en: 'pickup late', zhDone: '揽收超时', enDone: 'not picked up in time' },
  stale: { zh: '可能漏推送', en: 'stale', zhDone: '可能漏推送', enDone: 'possibly missing updates' },
  'provider-down': { zh: '服务不可用', en: 'provider down', zhDone: '服务不可用', enDone: 'provider down' },
};

/** "2026-06-01 10:05" in China time (UTC+8, no daylight saving). */
export function chinaTime(epochMs: number): string {
  return epochToKuaidiTime(epochMs).slice(0, 16);
}

const minutes = (t: string): string => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(t) ? t.slice(0, 16) : t);

function who(i: ForwardItem, lang: Language): string {
  return [i.carrier, i.number].filter(Boolean).join(' ') || (lang === 'en' ? 'ParcelTray' : '包裹提醒');
}

function single(i: ForwardItem, lang: Language): { title: string; lines: string[] } {
  const en = lang === 'en';
  const state = en ? i.state.en : i.state.zh;
  const lines: string[] = [];
  const order = [
    i.orderNo ? (en ? `Order ${i.orderNo}` : `订单 ${i.orderNo}`) : null,
    i.buyer ? (en ? `Buyer ${i.buyer}` : `买家 ${i.buyer}`) : null,
  ].filter(Boolean);
  if (order.length) lines.push(order.join(' · '));
  if (i.note && !order.length) lines.push(en ? `Note: ${i.note}` : `备注：${i.note}`);
  lines.push(en ? `State: ${state}` : `状态：${state}`);
  if (i.detail) lines.push(en ? i.detail.en : i.detail.zh);
  if (i.latest) {
    lines.push(en ? `Latest: ${i.latest.context}` : `最新：${i.latest.context}`);
    lines.push(en ? `At: ${minutes(i.latest.time)} (China time)` : `时间：${minutes(i.latest.time)}（北京时间）`);
  }
  return { title: `【${state}】${who(i, lang)}`, lines };
}

function burst(items: readonly ForwardItem[], lang: Language, cap: number): { title: string; lines: string[] } {
  const en = lang === 'en';
  const kinds = [...new Set(items.map((i) => i.kind))];
  let title: string;
  if (kinds.length === 1) {
    const w = KIND_WORDS[kinds[0]!];
    title = en ? `${items.length} parcels ${w.enDone}` : `${items.length} 个包裹${w.zhDone}`;
  } else {
    const counts = kinds.map((k) => `${en ? KIND_WORDS[k].en : KIND_WORDS[k].zh} ${items.filter((i) => i.kind === k).length}`);
    title = en ? `${items.length} parcels changed (${counts.join(', ')})` : `${items.length} 个包裹有新动态（${counts.join('，')}）`;
  }
  const lines = items.slice(0, cap).map((i) => {
    const extra = [i.orderNo, i.buyer ?? i.note].filter(Boolean).join(' ');
    const state = kinds.length > 1 ? ` ${en ? i.state.en : i.state.zh}` : '';
    const at = i.latest ? ` ${minutes(i.latest.time).slice(5)}` : '';
    return `· ${who(i, lang)}${extra ? `（${extra}）` : ''}${state}${at}`;
  });
  if (items.length > cap) lines.push(en ? `…and ${items.length - cap} more (see ParcelTray)` : `…另有 ${items.length - cap} 个，详见包裹提醒`);
  return { title, lines };
}

/** One message for these items (one item, or a folded burst). */
export function formatMessage(items: readonly ForwardItem[], options: FormatOptions): ChannelMessage {
  const cap = options.listCap ?? 20;
  const { title, lines } = items.length === 1 ? single(items[0]!, options.lang) : burst(items, options.lang, cap);
  return withKeyword({ title, lines }, options);
}

/** The message of 发送测试消息. */
export function testMessage(options: FormatOptions, at: number): ChannelMessage {
  const en = options.lang === 'en';
  return withKeyword({
    title: en ? 'ParcelTray test message' : '包裹提醒测试消息',
    lines: [en ? `This channel works. Sent ${chinaTime(at)} (China time).` : `此渠道可以收到包裹提醒。发送于 ${chinaTime(at)}（北京时间）`],
  }, options);
}

function withKeyword(m: { title: string; lines: string[] }, options: FormatOptions): ChannelMessage {
  const msg = {
    title: m.title,
    text: [m.title, ...m.lines].join('\n'),
    // 钉钉 markdown breaks a line only at a blank line; 企业微信 renders the blank line as spacing.
    markdown: [`**${m.title}**`, ...m.lines].join('\n\n'),
  };
  return ensureKeyword(msg, options.keyword);
}

/**
 * Adds the robot's keyword when the message lacks it. Applied again at send time, so a message
 * queued before the seller set the keyword goes out once they have.
 */
export function ensureKeyword(msg: ChannelMessage, keyword: string | null | undefined): ChannelMessage {
  if (!keyword || msg.text.includes(keyword)) return msg;
  return { title: msg.title, text: `${msg.text}\n${keyword}`, markdown: `${msg.markdown}\n\n${keyword}` };
}
