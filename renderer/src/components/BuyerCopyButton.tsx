import { useState } from 'react';
import type { BuyerTemplatesDto, Language, ShipmentDto } from '../../../preload/contract.js';
import { BUYER_MESSAGE_KINDS, buyerMessages, type BuyerMessageKind } from '../../../preload/buyer-message.js';
import { useParcel, useT } from '../store-context.js';

/** The seller's templates for one language, as buyer-message.ts takes them. */
export function templatesFor(saved: BuyerTemplatesDto | undefined, lang: Language): Partial<Record<BuyerMessageKind, string>> {
  const out: Partial<Record<BuyerMessageKind, string>> = {};
  for (const k of BUYER_MESSAGE_KINDS) {
    const text = saved?.[k]?.[lang];
    if (text?.trim()) out[k] = text;
  }
  return out;
}

/**
 * "复制给买家": the message for these parcels, from the seller's templates, onto the clipboard.
 * The detail pane passes its one parcel; the selection bar passes `load`, asked at click time,
 * since ticked parcels may lie outside the page the window holds.
 */
export function BuyerCopyButton({ shipments = [], load }: { shipments?: readonly ShipmentDto[]; load?: () => Promise<readonly ShipmentDto[]> }) {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const templates = useParcel((s) => s.settings?.buyerTemplates);
  const [note, setNote] = useState<string | null>(null);

  const copy = async (): Promise<void> => {
    const list = load ? await load() : shipments;
    const text = buyerMessages(list.map((s) => ({ ...s, orderNo: s.orderNos })), { lang, templates: templatesFor(templates, lang) });
    try {
      await navigator.clipboard.writeText(text);
      setNote(tr('copiedForBuyer'));
    } catch {
      // No clipboard permission: show the text so it can still be copied by hand.
      setNote(text);
    }
  };

  return (
    <>
      <button type="button" data-testid="copy-for-buyer" onClick={() => void copy()} disabled={!load && !shipments.length}>{tr('copyForBuyer')}</button>
      {note && <span className="info buyer-copied" role="status" data-testid="buyer-copied">{note}</span>}
    </>
  );
}
