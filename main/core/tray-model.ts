/**
 * What the tray shows, as a pure function of the status (its counts, the tunnel, the provider)
 * and 今日签收: the icon variant, the tooltip and the menu's counts. The Electron tray is a thin
 * renderer of this model. Counts, not parcels: a redraw costs the same at 30,000 parcels.
 */
import type { Language, StatusDto } from '../../preload/contract.js';

export type TrayIcon = 'normal' | 'attention' | 'offline';

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  counts: { delivering: number; exception: number; signedToday: number; pickupLate: number };
  /** Menu labels in the UI language. */
  labels: { delivering: string; exception: string; signedToday: string; pickupLate: string; open: string; add: string; pause1h: string; pauseTomorrow: string; resume: string; quit: string };
}

/** `signedToday`: delivered parcels whose newest scan is dated today in China (the tracker's signedToday()). */
export function trayModel(status: Pick<StatusDto, 'tunnel' | 'provider' | 'counts' | 'attention'>, signedToday: number, lang: Language = 'zh'): TrayModel {
  const { delivering, exception } = status.counts;
  const pickupLate = status.attention?.pickupLate ?? 0;
  // Pushes cannot reach us: the worst news, whatever the parcels say.
  const offline = status.provider.id !== 'sandbox' && status.tunnel.mode !== 'none' && status.tunnel.state === 'down';
  const doubtful = (status.attention?.stale ?? 0) > 0;
  const icon: TrayIcon = offline ? 'offline' : exception > 0 || pickupLate > 0 || doubtful || !status.provider.ready ? 'attention' : 'normal';
  const en = lang === 'en';
  const labels = {
    delivering: en ? `Out for delivery ${delivering}` : `派件中 ${delivering}`,
    exception: en ? `Problems ${exception}` : `异常 ${exception}`,
    signedToday: en ? `Delivered today ${signedToday}` : `今日签收 ${signedToday}`,
    pickupLate: en ? `Not picked up in time ${pickupLate}` : `待揽收超时 ${pickupLate}`,
    open: en ? 'Open ParcelTray' : '打开包裹提醒',
    add: en ? 'Add waybill…' : '添加单号…',
    pause1h: en ? 'Pause notifications for 1 hour' : '暂停通知 1 小时',
    pauseTomorrow: en ? 'Pause notifications until tomorrow' : '暂停通知到明天',
    resume: en ? 'Resume notifications' : '恢复通知',
    quit: en ? 'Quit' : '退出',
  };
  const head = en ? 'ParcelTray' : '包裹提醒';
  const problem = offline ? (en ? ' — pushes cannot arrive' : ' — 推送无法到达') : '';
  return {
    icon,
    tooltip: `${head}${problem}\n${labels.delivering} · ${labels.exception} · ${labels.signedToday}${pickupLate ? ` · ${labels.pickupLate}` : ''}`,
    counts: { delivering, exception, signedToday, pickupLate },
    labels,
  };
}

/** The next midnight in China (epoch ms): when 今日签收 starts again from nothing. */
export function nextChinaMidnight(now: number): number {
  return Math.floor((now + 8 * 3600_000) / 86_400_000 + 1) * 86_400_000 - 8 * 3600_000;
}

/** Tomorrow 08:00 China time: when "pause until tomorrow" ends. */
export function tomorrowMorning(now: number): number {
  return nextChinaMidnight(now) + 8 * 3600_000;
}
