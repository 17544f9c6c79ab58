import { useEffect, useState, type FormEvent } from 'react';
import type { CarrierDto, ShipmentDto, ShipmentPatch } from '../../../preload/contract.js';
import { useParcel, useT } from '../store-context.js';
import { useEdit } from './RowActions.js';

/**
 * Carrier, phone and note of the open parcel. Only what changed is sent; a new carrier or
 * phone resubscribes, and the window says first what that spends (a confirm).
 */
export function ParcelEdit({ s, onDone }: { s: ShipmentDto; onDone(message: string | null): void }) {
  const tr = useT();
  const edit = useEdit();
  const listCarriers = useParcel((st) => st.listCarriers);
  const [carrier, setCarrier] = useState(s.companyName ?? s.company);
  const [phone, setPhone] = useState(s.phone ?? '');
  const [note, setNote] = useState(s.note ?? '');
  const [options, setOptions] = useState<CarrierDto[]>([]);

  useEffect(() => {
    let live = true;
    void listCarriers({ q: carrier.trim(), number: s.number }).then((list) => live && list && setOptions(list));
    return () => {
      live = false;
    };
  }, [carrier, s.number, listCarriers]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const patch: ShipmentPatch = {};
    const picked = carrier.trim();
    if (picked && picked !== (s.companyName ?? s.company) && picked !== s.company) patch.company = picked;
    if (phone.trim() && phone.trim() !== (s.phone ?? '')) patch.phone = phone.trim();
    if (note.trim() !== (s.note ?? '')) patch.note = note.trim();
    if (!Object.keys(patch).length) return onDone(null);
    void edit(s.id, patch).then(onDone);
  };

  return (
    <form className="edit-form" data-testid="parcel-edit" onSubmit={submit}>
      <label htmlFor="edit-carrier">{tr('carrier')}</label>
      <input id="edit-carrier" list="edit-carrier-options" data-testid="edit-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} autoComplete="off" />
      <datalist id="edit-carrier-options">
        {options.map((c) => (
          <option key={c.code} value={c.name}>{c.code}</option>
        ))}
      </datalist>
      <label htmlFor="edit-phone">{tr('phone')}</label>
      <input id="edit-phone" data-testid="edit-phone" placeholder={tr('phoneShort')} value={phone} onChange={(e) => setPhone(e.target.value)} />
      <label htmlFor="edit-note">{tr('note')}</label>
      <input id="edit-note" data-testid="edit-note" value={note} onChange={(e) => setNote(e.target.value)} />
      <span />
      <div className="actions">
        <button type="submit" className="primary" data-testid="edit-save">{tr('saveEdit')}</button>
        <button type="button" onClick={() => onDone(null)}>{tr('close')}</button>
      </div>
    </form>
  );
}
