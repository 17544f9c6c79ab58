/**
 * "复制给买家": a short text for the buyer from an editable template, with the state's own
 * wording. Pure and free of Node so the renderer can build it for the clipboard. Dates are
 * China time (UTC+8) whatever the machine's zone.
 *
 * Template syntax: {carrier} {number} {time} {place} {stateText} {latest} {orderNo} {buyer};
 * a [section] is left out when a placeholder inside it is empty (no place → no "到达【】").
 */
import type { Language, ShipmentDto, TrackingEventDto } from './contract.js';

export type BuyerMessageKind = 'awaitingPickup' | 'inTransit' | 'delivering' | 'delivered' | 'problem' | 'returned';
export const BUYER_MESSAGE_KINDS: readonly BuyerMessageKind[] = ['awaitingPickup', 'inTransit', 'delivering', 'delivered', 'problem', 'returned'];

export const DEFAULT_BUYER_TEMPLATES: Readonly<Record<BuyerMessageKind, { zh: string; en: string }>> = {
  awaitingPickup: {
    zh: '您好，您的包裹（{carrier} {number}）已打包好，正在等待快递揽收，揽收后即可查看物流。',
    en: 'Hello, your parcel ({carrier} {number}) is packed and waiting for the carrier to pick it up; tracking starts once it is collected.',
  },
  inTransit: {
    zh: '您好，您的包裹（{carrier} {number}）[{time} ][到达【{place}】，]正在运输途中，请耐心等待。',
    en: 'Hello, your parcel ({carrier} {number}) is on its way[ — {place}][, {time}].',
  },
  delivering: {
    zh: '您好，您的包裹（{carrier} {number}）[{time} ][到达【{place}】，]正在派送中，请留意电话。',
    en: 'Hello, your parcel ({carrier} {number}) is out for delivery[ — {place}][, {time}]. Please keep your phone on.',
  },
  delivered: {
    zh: '您好，您的包裹（{carrier} {number}）[{time} ]已签收，如有问题请随时联系我们。',
    en: 'Hello, your parcel ({carrier} {number}) was delivered[ at {time}]. Please contact us if anything is wrong.',
  },
  problem: {
    zh: '您好，您的包裹（{carrier} {number}）[{time} ]出现异常（{stateText}），我们正在联系快递处理，有进展会第一时间告诉您。',
    en: 'Hello, your parcel ({carrier} {number}) ran into a problem ({stateText})[ at {time}]. We are on it with the carrier and will keep you posted.',
  },
  returned: {
    zh: '您好，您的包裹（{carrier} {number}）[{time} ]{stateText}，我们会尽快与您联系处理。',
    en: 'Hello, your parcel ({carrier} {number}) is being returned ({stateText})[ since {time}]. We will contact you shortly.',
  },
};

/** The placeholders, for the template editor's help text. */
export const BUYER_PLACEHOLDERS: readonly { key: string; zh: string; en: string }[] = [
  { key: 'carrier', zh: '快递公司', en: 'Carrier' },
  { key: 'number', zh: '快递单号', en: 'Waybill' },
  { key: 'time', zh: '最新时间（北京时间）', en: 'Latest time (China time)' },
  { key: 'place', zh: '最新地点', en: 'Latest place' },
  { key: 'stateText', zh: '状态', en: 'State' },
  { key: 'latest', zh: '最新动态原文', en: 'Latest scan text' },
  { key: 'orderNo', zh: '订单号', en: 'Order no.' },
  { key: 'buyer', zh: '买家', en: 'Buyer' },
];

const DEFAULT_STATE_TEXT: Readonly<Record<BuyerMessageKind, { zh: string; en: string }>> = {
  awaitingPickup: { zh: '待揽收', en: 'awaiting pickup' },
  inTransit: { zh: '运输中', en: 'in transit' },
  delivering: { zh: '派件', en: 'out for delivery' },
  delivered: { zh: '签收', en: 'delivered' },
  problem: { zh: '疑难', en: 'problem' },
  returned: { zh: '正在退回', en: 'returning' },
};

// Advanced codes of spec 2.4 whose basic state is not their first digit.
const ADVANCED_BASIC: Readonly<Record<string, string>> = { '1001': '0', '1002': '0', '1003': '0', '10': '8', '11': '8', '12': '8', '13': '8' };
const basicOf = (code: string | null): string | null => {
  if (!code) return null;
  if (ADVANCED_BASIC[code]) return ADVANCED_BASIC[code];
  return code.length === 3 ? code[0]! : code;
};

export function buyerMessageKind(state: string | null, statusCode: string | null): BuyerMessageKind {
  if (statusCode === '13' || state === '13') return 'problem';
  if (statusCode === '101' || statusCode === '102' || state === '101' || state === '102') return 'awaitingPickup';
  switch (basicOf(state) ?? basicOf(statusCode)) {
    case null:
      return 'awaitingPickup';
    case '5':
      return 'delivering';
    case '3':
      return 'delivered';
    case '2':
      return 'problem';
    case '4':
    case '6':
    case '14':
      return 'returned';
    default:
      return 'inTransit';
  }
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "11月30日 10:21" (or "30 Nov 10:21") in China time, from a Kuaidi100 time (already China
 * local, "2026-11-30 10:21:00") or epoch ms; null when unreadable.
 */
export function chinaTimeText(time: string | number | null | undefined, lang: Language = 'zh'): string | null {
  let parts: [number, number, number, number] | null = null;
  if (typeof time === 'number' && Number.isFinite(time)) {
    const d = new Date(time + 8 * 3_600_000);
    parts = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  } else if (typeof time === 'string') {
    const m = /^\d{4}[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{1,2})/.exec(time.trim());
    if (m) parts = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  }
  if (!parts) return null;
  const [mo, day, h, mi] = parts;
  const hm = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
  return lang === 'zh' ? `${mo}月${day}日 ${hm}` : `${day} ${MONTHS_EN[mo - 1]} ${hm}`;
}

/** Where the parcel was: the 【…】 the carrier wrote in the scan, else Kuaidi100's area name. */
export function placeOf(ev: Pick<TrackingEventDto, 'context' | 'areaName' | 'location'> | null | undefined): string | null {
  if (!ev) return null;
  const bracket = /【([^】]{2,30})】/.exec(ev.context ?? '');
  if (bracket) return bracket[1]!;
  const area = (ev.areaName ?? ev.location ?? '').replace(/,/g, '').trim();
  return area || null;
}

/** Fills {placeholders}; a [section] disappears when any placeholder in it is empty. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string | null | undefined>>): string {
  const fill = (s: string): { text: string; missing: boolean } => {
    let missing = false;
    const text = s.replace(/\{(\w+)\}/g, (whole, key: string) => {
      if (!(key in vars)) return whole;
      const v = vars[key];
      if (v === null || v === undefined || v === '') {
        missing = true;
        return '';
      }
      return v;
    });
    return { text, missing };
  };
  const withSections = template.replace(/\[([^[\]]*)\]/g, (_w, inner: string) => {
    const r = fill(inner);
    return r.missing ? '' : r.text;
  });
  return fill(withSections).text;
}

export interface BuyerMessageInput {
  carrier: string | null;
  number: string;
  state: string | null;
  statusCode: string | null;
  /** Kuaidi100 time (China local) or epoch ms of the latest scan. */
  time: string | number | null;
  place: string | null;
  /** The state's name to show (派件异常…); the wording's default when absent. */
  stateText?: string | null;
  latest?: string | null;
  orderNo?: readonly string[];
  buyer?: string | null;
}

export interface BuyerMessageOptions {
  lang?: Language;
  /** The seller's edited templates; a kind left out uses the default. */
  templates?: Partial<Record<BuyerMessageKind, string>>;
}

export function buyerMessage(input: BuyerMessageInput, opts: BuyerMessageOptions = {}): string {
  const lang = opts.lang ?? 'zh';
  const kind = buyerMessageKind(input.state, input.statusCode);
  const template = opts.templates?.[kind]?.trim() || DEFAULT_BUYER_TEMPLATES[kind][lang];
  return renderTemplate(template, {
    carrier: input.carrier ?? '',
    number: input.number,
    time: chinaTimeText(input.time, lang),
    place: input.place,
    stateText: input.stateText || DEFAULT_STATE_TEXT[kind][lang],
    latest: input.latest ?? null,
    orderNo: input.orderNo?.join('、') ?? null,
    buyer: input.buyer ?? null,
  });
}

type MessageSource = Pick<ShipmentDto, 'companyName' | 'company' | 'number' | 'state' | 'statusCode' | 'stateLabel' | 'events'> & {
  orderNo?: readonly string[] | null;
  buyer?: string | null;
};

/** The message for a parcel as the list holds it (its newest event is enough). */
export function buyerMessageForShipment(s: MessageSource, opts: BuyerMessageOptions = {}): string {
  const lang = opts.lang ?? 'zh';
  const ev = s.events[0] ?? null;
  const kind = buyerMessageKind(s.state, s.statusCode);
  // Problem and return wordings name the precise state (派件异常, 拒签); the others read better plain.
  const precise = kind === 'problem' || kind === 'returned' ? (s.stateLabel?.[lang] ?? null) : null;
  return buyerMessage(
    {
      carrier: s.companyName ?? s.company,
      number: s.number,
      state: s.state,
      statusCode: s.statusCode,
      time: ev?.ftime || ev?.time || null,
      place: placeOf(ev),
      stateText: precise,
      latest: ev?.context ?? null,
      orderNo: s.orderNo ?? undefined,
      buyer: s.buyer ?? null,
    },
    opts,
  );
}

/** One message per selected parcel, a blank line between them. */
export function buyerMessages(list: readonly MessageSource[], opts: BuyerMessageOptions = {}): string {
  return list.map((s) => buyerMessageForShipment(s, opts)).join('\n\n');
}
