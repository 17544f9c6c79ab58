import { fill } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { BuyerCopyButton } from './BuyerCopyButton.js';

/**
 * What can be done with the ticked rows: 复制给买家 for all of them, or clear the ticks. Shown
 * only while something is ticked; the parcels are asked of the store at click time, because a
 * ticked row may have scrolled out of the page the window holds.
 */
export function SelectionBar() {
  const tr = useT();
  const count = useParcel((s) => s.checkedIds.length);
  const clear = useParcel((s) => s.clearChecked);
  const checkedShipments = useParcel((s) => s.checkedShipments);
  if (!count) return null;
  return (
    <div className="selection-bar" role="toolbar" aria-label={fill(tr('selectedCount'), { n: count })} data-testid="selection-bar">
      <span data-testid="selected-count">{fill(tr('selectedCount'), { n: count })}</span>
      <BuyerCopyButton load={checkedShipments} />
      <button type="button" data-testid="clear-selection" onClick={clear}>{tr('clearSelection')}</button>
    </div>
  );
}
