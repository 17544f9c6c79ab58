/**
 * What the tray shows, as a pure function of the shipments and the tunnel: the icon variant,
 * the tooltip and the menu's counts. The Electron tray is a thin renderer of this model.
 */
import type { Language, ShipmentDto, StatusDto } from '../../preload/contract.js';
import { epochToKuaidiTime } from './kuaidi100/time.js';

export type TrayIcon = 'normal' | 'attention' | 'offline';

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  counts: { delivering: number; exception: number; signedToday: number; pickupLate: number };
  /** Menu labels in the UI language. */
  labels: { delivering: string; exception: string; signedToday: string; pickupLate: string; open: string; add: string; pause1h: string; pauseTomorrow: string; resume: string; quit: string };
}

export function trayModel(shipments: readonly ShipmentDto[], status: Pick<StatusDto, 'tunnel' | 'provider'>, now: number, lang: Language = 'zh'): TrayModel {
  // Kuaidi100 times are China time: "today" is the date in UTC+8.
  const today = epochToKuaidiTime(now).slice(0, 10);
  let delivering = 0;
  let exception = 0;
  let signedToday = 0;
  let pickupLate = 0;
  for (const s of shipments) {
    if (s.pickupLate) pickupLate += 1;
    if (s.group === 'delivering') delivering += 1;
    else if (s.group === 'exception') exception += 1;
    else if (s.group === 'delivered' && s.events[0]?.ftime.startsWith(today)) signedToday += 1;
  }
  // Pushes cannot reach us: the worst news, whatever the parcels say.
  const offline = status.provider.id !== 'sandbox' && status.tunnel.mode !== 'none' && status.tunnel.state === 'down';
  const doubtful = shipments.some((s) => s.stale !== null);
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

/** Tomorrow 08:00 China time: when "pause until tomorrow" ends. */
export function tomorrowMorning(now: number): number {
  const chinaMidnight = Math.floor((now + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
  return chinaMidnight + 86_400_000 + 8 * 3600_000;
}
