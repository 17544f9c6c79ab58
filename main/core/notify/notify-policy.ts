/**
 * What deserves a notification, as a pure function of (before, after, settings). By default:
 * 派件 and 签收, every exception (疑难 and its advanced codes, 拒签, 退签, 退回), and tracking
 * aborted with what to do about it. Each notice has a key; the notifier never shows a key twice.
 */
import type { Language, NotifySettingsDto, ShipmentDto } from '../../../preload/contract.js';
import { basicStateOf, isExceptionCode, stateInfo } from '../kuaidi100/states.js';

/** The fields of a shipment the policy looks at. */
export type NotifySnapshot = Pick<ShipmentDto, 'id' | 'number' | 'note' | 'state' | 'statusCode' | 'tracking' | 'trackingMessage' | 'comNew' | 'companyName' | 'events'> &
  Partial<Pick<ShipmentDto, 'pickupLate'>>;

export type NoticeKind = 'state' | 'exception' | 'aborted' | 'pickup-late';

export interface Notice {
  /** Stable identity of the transition: the same key is never notified twice. */
  key: string;
  shipmentId: string;
  kind: NoticeKind;
  /** Basic state code, for the summary of a burst. */
  state: string | null;
  title: string;
  body: string;
}

const ABORT_ADVICE: Record<Language, { noRecord: string; noChange: string; other: string }> = {
  zh: {
    noRecord: '3 天查不到记录：请核对单号和快递公司，中止半小时后可重新订阅',
    noChange: '60 天无变化：跟踪已结束，请联系快递公司或买家确认',
    other: '跟踪已中止：半小时后可重新订阅',
  },
  en: {
    noRecord: 'No record for 3 days: check the number and carrier; resubscribe 30 minutes after the abort',
    noChange: 'No change for 60 days: tracking ended; check with the carrier or the buyer',
    other: 'Tracking aborted: resubscribe after 30 minutes',
  },
};

function label(s: NotifySnapshot, lang: Language): string {
  const who = s.note ? `${s.number}（${s.note}）` : s.number;
  return lang === 'en' ? who.replace('（', ' (').replace('）', ')') : who;
}

/** What a parcel was, as far as the policy compares it with what it becomes (a few fields, not a list row). */
export type NotifyMemory = Pick<NotifySnapshot, 'state' | 'statusCode' | 'tracking'> & { pickupLate?: unknown };

export const notifyMemoryOf = (s: NotifyMemory): NotifyMemory => ({ state: s.state, statusCode: s.statusCode, tracking: s.tracking, pickupLate: !!s.pickupLate });

/** The notice a transition deserves, or null. `before` is undefined for a shipment not seen yet. */
export function noticeFor(before: NotifyMemory | undefined, after: NotifySnapshot, settings: NotifySettingsDto, lang: Language = 'zh'): Notice | null {
  // 待揽收超时: once per parcel (the key has no time in it), however often it is announced.
  if (after.pickupLate && !before?.pickupLate) {
    const h = after.pickupLate.hours;
    return {
      key: `${after.id}|pickup-late`,
      shipmentId: after.id,
      kind: 'pickup-late',
      state: after.state,
      title: `${lang === 'en' ? 'Not picked up' : '待揽收超时'}：${label(after, lang)}`,
      body: lang === 'en' ? `No pickup scan ${h} h after it was added: check with the carrier before the marketplace penalises it` : `添加 ${h} 小时仍无揽收记录：请联系快递上门揽收，以免平台处罚`,
    };
  }
  // Tracking aborted (not a carrier correction, which Kuaidi100 has already re-subscribed).
  if (after.tracking === 'abort' && before?.tracking !== 'abort' && !after.comNew) {
    if (!settings.aborted) return null;
    const msg = after.trackingMessage ?? '';
    const advice = ABORT_ADVICE[lang];
    const body = /3\s*天/.test(msg) ? advice.noRecord : /60\s*天/.test(msg) ? advice.noChange : advice.other;
    return {
      key: `${after.id}|abort|${msg}`,
      shipmentId: after.id,
      kind: 'aborted',
      state: after.state,
      title: `${lang === 'en' ? 'Tracking aborted' : '跟踪中止'}：${label(after, lang)}`,
      body,
    };
  }
  const basic = basicStateOf(after.state);
  if (!basic || !settings.states.includes(basic)) return null;
  const code = after.statusCode && basicStateOf(after.statusCode) === basic ? after.statusCode : basic;
  const exception = isExceptionCode(code) || isExceptionCode(basic);
  // A new basic state, or (for exceptions) a new kind of trouble within the same state.
  const changed = basicStateOf(before?.state) !== basic || (exception && before?.statusCode !== after.statusCode);
  if (!changed) return null;
  const info = stateInfo(code) ?? stateInfo(basic)!;
  const name = lang === 'en' ? info.nameEn : info.name;
  return {
    key: `${after.id}|${basic}|${exception ? code : ''}`,
    shipmentId: after.id,
    kind: exception ? 'exception' : 'state',
    state: basic,
    title: `${name}：${label(after, lang)}`,
    body: after.events[0]?.context ?? info.meaning,
  };
}

/** One notification for a burst: counts by state, no parcel to open. */
export function summarise(notices: readonly Notice[], lang: Language = 'zh'): { title: string; body: string } {
  const counts = new Map<string, number>();
  for (const n of notices) {
    const name =
      n.kind === 'aborted' ? (lang === 'en' ? 'aborted' : '中止')
      : n.kind === 'pickup-late' ? (lang === 'en' ? 'not picked up' : '待揽收超时')
      : ((lang === 'en' ? stateInfo(n.state)?.nameEn : stateInfo(n.state)?.name) ?? '?');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const parts = [...counts].map(([name, n]) => `${name} ${n}`);
  return lang === 'en'
    ? { title: `${notices.length} parcels changed`, body: parts.join(', ') }
    : { title: `${notices.length} 个包裹有新动态`, body: parts.join('，') };
}
