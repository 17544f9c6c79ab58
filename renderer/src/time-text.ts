/**
 * Times as a seller reads them: "3 小时前" / "3 hours ago" in the list, the exact China time
 * (UTC+8, whatever the machine's zone) on hover. Pure, so it is unit-tested.
 */
import type { Language } from '../../preload/contract.js';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** Epoch ms of an ISO time, or of a Kuaidi100 time ("2026-11-30 10:21:00", China local). */
export function epochOf(time: string): number | null {
  const kuaidi = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (kuaidi) {
    const [, y, mo, d, h, mi, s] = kuaidi;
    return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0)) - CHINA_OFFSET_MS;
  }
  const t = Date.parse(time);
  return Number.isNaN(t) ? null : t;
}

/** "2026-11-30 10:21" in China time. */
export function chinaTime(epoch: number): string {
  return new Date(epoch + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The exact time for a tooltip, saying which clock it is. */
export function exactTime(time: string, lang: Language): string {
  const e = epochOf(time);
  if (e === null) return time;
  return lang === 'en' ? `${chinaTime(e)} (China time)` : `${chinaTime(e)}（北京时间）`;
}

/** "刚刚", "5 分钟前", "3 小时前", "2 天前"; older than a week: the China date. */
export function relativeTime(time: string, now: number, lang: Language): string {
  const e = epochOf(time);
  if (e === null) return time;
  const s = Math.max(0, Math.round((now - e) / 1000));
  const en = lang === 'en';
  if (s < 60) return en ? 'just now' : '刚刚';
  const m = Math.floor(s / 60);
  if (m < 60) return en ? `${m} min ago` : `${m} 分钟前`;
  const h = Math.floor(m / 60);
  if (h < 24) return en ? `${h} hour${h === 1 ? '' : 's'} ago` : `${h} 小时前`;
  const d = Math.floor(h / 24);
  if (d < 7) return en ? `${d} day${d === 1 ? '' : 's'} ago` : `${d} 天前`;
  return chinaTime(e).slice(0, 10);
}

/** Days on the way, as the list shows it ("3.5 天" / "3.5 d"). */
export function daysText(days: number, lang: Language): string {
  const v = days < 10 ? days.toFixed(1) : String(Math.round(days));
  return lang === 'en' ? `${v} d` : `${v} 天`;
}
