/**
 * What a repair of the parcels marked "可能漏推送" would do: resubscribe each one Kuaidi100
 * would accept now, and say for the others when it becomes possible. Pure: the caller says
 * which parcels are stale and what blocks a resubscribe.
 */
import type { RepairItemDto, RepairPlanDto, ShipmentDto } from '../../preload/contract.js';
import type { Blocked } from './subscription-rules.js';

export interface RepairCandidate {
  id: string;
  number: string;
  stale: ShipmentDto['stale'];
  blocked: Blocked<'wait' | 'monthly-limit'> | null;
}

export function planRepair(candidates: Iterable<RepairCandidate>): RepairPlanDto {
  const items: RepairItemDto[] = [];
  for (const c of candidates) {
    if (!c.stale) continue;
    const { blocked } = c;
    items.push(
      blocked
        ? { id: c.id, number: c.number, action: blocked.action, reason: blocked.reason, reasonEn: blocked.reasonEn, notBefore: new Date(blocked.notBefore).toISOString() }
        : {
            id: c.id,
            number: c.number,
            action: 'resubscribe',
            // If Kuaidi100 still tracks it, it answers 501 and the next push repairs the history.
            reason: `${c.stale.reason}。重新订阅后快递100会推送完整轨迹（若仍在跟踪则返回 501，无需处理）`,
            reasonEn: `${c.stale.reasonEn}. After a resubscribe Kuaidi100 pushes the full history (if it still tracks the parcel it answers 501: nothing to do)`,
            notBefore: null,
          },
    );
  }
  return { calls: items.filter((i) => i.action === 'resubscribe').length, items };
}
