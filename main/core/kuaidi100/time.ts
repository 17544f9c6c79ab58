/**
 * Kuaidi100 times come as "2025-06-16 07:34:28", "2012/8/28 16:33" or "2025-04-18 06" (ETA).
 * They are Beijing local times without a zone; we keep them as text and normalise them to
 * "YYYY-MM-DD HH:mm:ss" so that string order is time order.
 */
const TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?)?/;

const pad = (s: string | undefined): string => (s ?? '0').padStart(2, '0');

export function normaliseTime(raw: string | null | undefined): string {
  if (!raw) return '';
  const m = TIME.exec(raw.trim());
  if (!m) return raw.trim();
  return `${m[1]}-${pad(m[2])}-${pad(m[3])} ${pad(m[4])}:${pad(m[5])}:${pad(m[6])}`;
}

/** Formats an epoch as a Kuaidi100-style China Standard Time string (used by the sandbox). */
export function epochToKuaidiTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
