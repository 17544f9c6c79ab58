/**
 * The list's view as export rows, in the UI's language: the state's name, the newest scan and
 * its time (China time, as Kuaidi100 writes it), how long the parcel has been on the way, and
 * what the seller should look at (exception, failed subscription, possibly missed pushes).
 */
import type { Language, ShipmentDto } from '../../../preload/contract.js';
import type { ExportRow } from './export-row.js';

const HOUR = 3_600_000;

/** "2天3小时" / "2d 3h"; under an hour "不到1小时" / "<1h". */
export function elapsedText(ms: number, lang: Language): string | null {
  if (!Number.isFinite(ms) || ms < 0) return null;
  const hours = Math.floor(ms / HOUR);
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  if (lang === 'en') return hours < 1 ? '<1h' : days ? `${days}d ${h}h` : `${h}h`;
  return hours < 1 ? '不到1小时' : days ? `${days}天${h}小时` : `${h}小时`;
}

/** A Kuaidi100 time ("2026-11-30 10:21:00", China local) as epoch ms. */
function chinaLocalMs(t: string | undefined): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?/.exec(t ?? '');
  if (!m) return null;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!, +(m[6] ?? 0));
}

const DONE_GROUPS = new Set(['delivered']);

function stateOf(s: ShipmentDto, lang: Language): string {
  if (s.stateLabel) return s.stateLabel[lang];
  if (s.subscription.status === 'failed') return lang === 'zh' ? '订阅失败' : 'Subscription failed';
  if (s.subscription.status === 'pending') return lang === 'zh' ? '等待订阅' : 'Subscribing';
  return lang === 'zh' ? '已订阅，等待推送' : 'Awaiting update';
}

function alertOf(s: ShipmentDto, lang: Language): string | null {
  const say = (zh: string | null, en: string | null): string | null => (lang === 'en' && en ? en : zh);
  const out: string[] = [];
  if (s.group === 'exception' && s.stateLabel) out.push(s.stateLabel[lang]);
  if (s.subscription.status === 'failed') {
    out.push(`${lang === 'zh' ? '订阅失败' : 'Subscription failed'}${s.subscription.message ? `：${say(s.subscription.message, s.subscription.messageEn)}` : ''}`);
  }
  if (s.tracking === 'abort') out.push(lang === 'zh' ? '跟踪中止' : 'Tracking aborted');
  if (s.stale) out.push(`${lang === 'zh' ? '可能漏推送' : 'May have missed updates'}：${say(s.stale.reason, s.stale.reasonEn)}`);
  const pickupLate = (s as ShipmentDto & { pickupLate?: { hours: number } | null }).pickupLate;
  if (pickupLate) out.push(lang === 'zh' ? `待揽收超时（${pickupLate.hours} 小时）` : `No pickup scan after ${pickupLate.hours} h`);
  return out.length ? out.join('；') : null;
}

export function toExportRow(s: ShipmentDto, lang: Language, now: number): ExportRow {
  const ev = s.events[0];
  const latestMs = chinaLocalMs(ev?.ftime || ev?.time);
  const start = Date.parse(s.createdAt);
  // A delivered parcel's time on the way ends with its last scan; the others run until now.
  const end = DONE_GROUPS.has(s.group) && latestMs !== null ? latestMs : now;
  return {
    orderNo: s.orderNos ?? [],
    buyer: s.buyer ?? null,
    carrier: s.companyName ?? (s.company || null),
    number: s.number,
    state: stateOf(s, lang),
    latestScan: ev?.context ?? null,
    latestTime: (ev?.ftime || ev?.time)?.slice(0, 16) ?? null,
    elapsed: Number.isFinite(start) ? elapsedText(end - start, lang) : null,
    alert: alertOf(s, lang),
    note: s.note,
  };
}
