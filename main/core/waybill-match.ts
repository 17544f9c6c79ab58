/** Which stored waybill a new entry or a push refers to. */
import type { ShipmentRecord } from './store/schema.js';

/**
 * Same number, and the same carrier (or a former one, or one Kuaidi100 corrected it to), or
 * one side not knowing the carrier; a lone record when nobody names a carrier.
 */
export function findWaybill(candidates: readonly ShipmentRecord[], company: string, aliases: readonly string[] = []): ShipmentRecord | undefined {
  const codes = [company, ...aliases].filter(Boolean);
  return (
    candidates.find((r) => codes.includes(r.company) || (r.comOld !== null && codes.includes(r.comOld))) ??
    candidates.find((r) => !r.company || !company) ??
    (candidates.length === 1 && !codes.length ? candidates[0] : undefined)
  );
}
