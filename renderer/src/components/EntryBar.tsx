import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CarrierDto } from '../../../preload/contract.js';
import { useParcel, useT } from '../store-context.js';
import { useQueue } from '../use-entry-queue.js';

/**
 * The scanner-first entry: the number field has focus when the window opens and keeps it,
 * and never waits for the core. Each Enter takes the field's text at that moment as one
 * entry, clears the field at once and queues it (entry-queue.ts); the pending rows show
 * 添加中 and then the outcome. A scanner types the next label while earlier ones are still
 * being added. The carrier is the seller's pick or, left empty, decided by the core.
 */
export function EntryBar() {
  const tr = useT();
  const listCarriers = useParcel((s) => s.listCarriers);
  const focusEntry = useParcel((s) => s.focusEntry);
  const queue = useQueue();
  const [number, setNumber] = useState('');
  const [carrier, setCarrier] = useState('');
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [orderNo, setOrderNo] = useState('');
  const [options, setOptions] = useState<CarrierDto[]>([]);
  const numberRef = useRef<HTMLInputElement>(null);

  useEffect(() => numberRef.current?.focus(), [focusEntry]);

  // Searchable carrier list from the shipped code table (suggestions only: nothing is picked for the seller).
  useEffect(() => {
    let live = true;
    void listCarriers({ q: carrier.trim() }).then((list) => live && list && setOptions(list));
    return () => {
      live = false;
    };
  }, [carrier, listCarriers]);

  const selected = options.find((c) => c.name === carrier.trim() || c.code === carrier.trim());
  const needsPhone = selected?.needsPhone === true;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    // The DOM's value, not React state: at scanner speed it is the only one surely up to date.
    const text = numberRef.current?.value ?? number;
    if (!text.trim()) return;
    queue.enqueue({
      number: text,
      company: carrier.trim() || undefined,
      phone: phone.trim() || undefined,
      note: note.trim() || undefined,
      orderNo: orderNo.trim() || undefined,
    });
    if (numberRef.current) numberRef.current.value = '';
    setNumber('');
    // A carrier, phone or note belongs to the one parcel they were typed for.
    setNote('');
    setOrderNo('');
    setPhone('');
    setCarrier('');
    numberRef.current?.focus();
  };

  return (
    <form className="entry" onSubmit={submit} aria-label={tr('add')}>
      <div className="field field-number">
        <input
          ref={numberRef}
          autoFocus
          data-testid="entry-number"
          aria-label={tr('numberPlaceholder')}
          placeholder={tr('numberPlaceholder')}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="field field-carrier">
        <input
          list="carrier-options"
          data-testid="entry-carrier"
          aria-label={tr('carrierPlaceholder')}
          placeholder={tr('carrierPlaceholder')}
          value={carrier}
          onChange={(e) => setCarrier(e.target.value)}
        />
        <datalist id="carrier-options">
          {options.map((c) => (
            <option key={c.code} value={c.name}>{c.code}</option>
          ))}
        </datalist>
      </div>
      {needsPhone && (
        <div className="field field-phone">
          <input data-testid="entry-phone" aria-label={tr('phonePlaceholder')} placeholder={tr('phonePlaceholder')} value={phone} onChange={(e) => setPhone(e.target.value)} />
        </div>
      )}
      <div className="field field-order">
        <input data-testid="entry-order" aria-label={tr('orderPlaceholder')} placeholder={tr('orderPlaceholder')} value={orderNo} onChange={(e) => setOrderNo(e.target.value)} />
      </div>
      <div className="field field-note">
        <input data-testid="entry-note" aria-label={tr('notePlaceholder')} placeholder={tr('notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="primary">{tr('add')}</button>
    </form>
  );
}
