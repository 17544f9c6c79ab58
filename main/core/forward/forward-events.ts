/**
 * Which parcel changes are worth forwarding, as a pure function of (before, after): a new basic
 * state (or a new kind of trouble within an exception), tracking aborted, a parcel going stale.
 * Each item has a dedupe key (parcel id + state + latest scan time) so a replayed push, a
 * restart or a second window never sends the same transition twice.
 */
import type { ShipmentDto, StatusDto } from '../../../preload/contract.js';
import type { ChannelEventKind } from '../../../preload/channel-dtos.js';
import { basicStateOf, isExceptionCode, stateInfo } from '../kuaidi100/states.js';

export type ForwardSnapshot = Pick<ShipmentDto, 'id' | 'company' | 'companyName' | 'number' | 'note' | 'state' | 'statusCode' | 'tracking' | 'trackingMessage' | 'comNew' | 'events' | 'stale'> &
  Partial<Pick<ShipmentDto, 'orderNos' | 'buyer' | 'pickupLate'>>;

/**
 * What a parcel was, as far as the rules compare it with what it becomes: the channel service
 * keeps one of these per parcel (not a whole list row), primed at start from the records.
 * Only whether it was stale or late matters, so a flag does as well as the reason.
 */
export interface ForwardMemory {
  tracking: ShipmentDto['tracking'];
  state: string | null;
  statusCode: string | null;
  stale: boolean | ShipmentDto['stale'];
  pickupLate?: boolean | ShipmentDto['pickupLate'];
}

/** A parcel's memory with its id: what priming takes for each stored parcel (the tracker's marks()). */
export type ParcelMark = ForwardMemory & { id: string };

/** The memory a change leaves behind. */
export function memoryOf(s: ForwardMemory): ForwardMemory {
  return { tracking: s.tracking, state: s.state, statusCode: s.statusCode, stale: !!s.stale, pickupLate: !!s.pickupLate };
}

export interface ForwardItem {
  key: string;
  kind: ChannelEventKind;
  shipmentId: string | null;
  carrier: string | null;
  number: string | null;
  orderNo: string | null;
  buyer: string | null;
  note: string | null;
  /** The state in words. */
  state: { zh: string; en: string };
  /** Why / what to do, when the state alone does not say it. */
  detail: { zh: string; en: string } | null;
  latest: { context: string; time: string } | null;
}

const BASIC_KIND: Record<string, ChannelEventKind> = {
  '1': 'collected', '0': 'transit', '7': 'transit', '8': 'transit', '5': 'delivering', '3': 'delivered',
  '2': 'exception', '4': 'exception', '6': 'exception', '14': 'exception',
};

const orderText = (v: readonly string[] | undefined): string | null => v?.join('、') || null;

function base(s: ForwardSnapshot): Omit<ForwardItem, 'key' | 'kind' | 'state' | 'detail'> {
  const e = s.events[0];
  return {
    shipmentId: s.id,
    carrier: s.companyName ?? s.company ?? null,
    number: s.number,
    orderNo: orderText(s.orderNos),
    buyer: s.buyer ?? null,
    note: s.note,
    latest: e ? { context: e.context, time: e.ftime || e.time } : null,
  };
}

const latestTime = (s: ForwardSnapshot): string => s.events[0]?.ftime || s.events[0]?.time || '';

/** Everything this change is worth forwarding (usually zero or one item). */
export function forwardItemsFor(before: ForwardMemory | undefined, after: ForwardSnapshot): ForwardItem[] {
  const out: ForwardItem[] = [];
  if (after.tracking === 'abort' && before?.tracking !== 'abort' && !after.comNew) {
    const msg = after.trackingMessage ?? '';
    out.push({
      ...base(after),
      key: `${after.id}|abort|${msg}|${latestTime(after)}`,
      kind: 'aborted',
      state: { zh: '跟踪中止', en: 'Tracking aborted' },
      detail: msg ? { zh: msg, en: msg } : null,
    });
  }
  if (after.pickupLate && !before?.pickupLate) {
    const h = after.pickupLate.hours;
    out.push({
      ...base(after),
      key: `${after.id}|pickup-late|${after.pickupLate.since}`,
      kind: 'pickup-late',
      state: { zh: '揽收超时', en: 'Not picked up in time' },
      detail: { zh: `发货 ${h} 小时仍无揽收扫描，请联系快递员`, en: `No pickup scan ${h} hours after shipping: call the courier` },
    });
  }
  if (after.stale && !before?.stale) {
    out.push({
      ...base(after),
      key: `${after.id}|stale|${after.stale.since}`,
      kind: 'stale',
      state: { zh: '可能漏推送', en: 'May have missed updates' },
      detail: { zh: after.stale.reason, en: after.stale.reasonEn },
    });
  }
  const basic = basicStateOf(after.state);
  if (basic) {
    const code = after.statusCode && basicStateOf(after.statusCode) === basic ? after.statusCode : basic;
    const exception = isExceptionCode(code) || isExceptionCode(basic);
    const changed = basicStateOf(before?.state) !== basic || (exception && before?.statusCode !== after.statusCode);
    if (changed) {
      const info = stateInfo(code) ?? stateInfo(basic)!;
      out.push({
        ...base(after),
        key: `${after.id}|${exception ? code : basic}|${latestTime(after)}`,
        kind: code === '13' ? 'exception' : BASIC_KIND[basic] ?? 'transit',
        state: { zh: info.name, en: info.nameEn },
        detail: after.events.length ? null : { zh: info.meaning, en: info.nameEn },
      });
    }
  }
  return out;
}

/** The provider became unusable (AppCode expired, quota used up…): one item per distinct problem. */
export function providerDownItem(status: StatusDto): ForwardItem | null {
  const p = status.provider;
  if (p.ready || !p.problem) return null;
  return {
    key: `provider|${p.id}|${p.problem}`,
    kind: 'provider-down',
    shipmentId: null, carrier: null, number: null, orderNo: null, buyer: null, note: null,
    state: { zh: '查询服务不可用', en: 'Tracking provider unavailable' },
    detail: { zh: p.problem, en: p.problemEn ?? p.problem },
    latest: null,
  };
}
