/**
 * Quiet hours in China time (UTC+8 all year): "22:00"–"08:00" spans midnight. Pure, so the
 * outbox can ask "may I send now, and if not, until when?".
 */
import type { QuietHoursDto } from '../../../preload/channel-dtos.js';

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const minuteOfDay = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** When the quiet period containing `nowMs` ends, or null when `nowMs` is not in one. */
export function quietUntil(nowMs: number, quiet: QuietHoursDto | null | undefined): number | null {
  if (!quiet) return null;
  const from = minuteOfDay(quiet.from);
  const to = minuteOfDay(quiet.to);
  if (from === to) return null;
  const local = nowMs + CHINA_OFFSET_MS;
  const dayStart = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const minute = Math.floor((local - dayStart) / 60_000);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  // The end is today at `to`, or tomorrow when the period started before midnight.
  const endDay = from < to || minute < to ? dayStart : dayStart + DAY_MS;
  return endDay + to * 60_000 - CHINA_OFFSET_MS;
}
