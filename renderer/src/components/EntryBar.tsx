import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CarrierDto } from '../../../preload/contract.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';

/**
 * The scanner-first entry: the number field has focus when the window opens and keeps it
 * after each add, so a barcode scanner (types the number, presses Enter) can scan parcel
 * after parcel. The carrier is guessed from the number unless the seller picked one.
 */
export function EntryBar() {
  const tr = useT();
  const add = useParcel((s) => s.add);
  const listCarriers = useParcel((s) => s.listCarriers);
  const entryError = useParcel((s) => s.entryError);
  const lang = useParcel((s) => s.lang);
  const focusEntry = useParcel((s) => s.focusEntry);
  const [number, setNumber] = useState('');
  const [carrier, setCarrier] = useState('');
  const [carrierTouched, setCarrierTouched] = useState(false);
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [options, setOptions] = useState<CarrierDto[]>([]);
  const [busy, setBusy] = useState(false);
  const numberRef = useRef<HTMLInputElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);

  useEffect(() => numberRef.current?.focus(), [focusEntry]);

  // Guess the carrier as the number is typed; the seller's own choice always wins.
  useEffect(() => {
    const n = number.trim();
    if (carrierTouched || n.length < 6) return;
    let live = true;
    const timer = setTimeout(() => {
      void listCarriers({ number: n }).then((list) => {
        if (!live || !list) return;
        setOptions(list);
        const guess = list.find((c) => c.guessed);
        setCarrier(guess ? guess.name : '');
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [number, carrierTouched, listCarriers]);

  // Searchable carrier list from the shipped code table.
  useEffect(() => {
    if (!carrierTouched) return;
    let live = true;
    void listCarriers({ q: carrier.trim() }).then((list) => live && list && setOptions(list));
    return () => {
      live = false;
    };
  }, [carrier, carrierTouched, listCarriers]);

  const selected = options.find((c) => c.name === carrier.trim() || c.code === carrier.trim());
  const needsPhone = selected?.needsPhone === true || entryError?.field === 'phone';

  useEffect(() => {
    if (entryError?.field === 'phone') phoneRef.current?.focus();
  }, [entryError]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!number.trim() || busy) return;
    setBusy(true);
    const r = await add({
      number: number.trim(),
      company: carrier.trim() || undefined,
      phone: phone.trim() || undefined,
      note: note.trim() || undefined,
    });
    setBusy(false);
    if (r.ok) {
      setNumber('');
      setNote('');
      setPhone('');
      setCarrier('');
      setCarrierTouched(false);
      numberRef.current?.focus();
    } else if (r.error.field !== 'phone') {
      numberRef.current?.select();
    }
  };

  const errorText = entryError ? say(lang, entryError.message, entryError.messageEn) : null;
  const errorFor = (field: string): string | null => (entryError && (entryError.field ?? 'number') === field ? errorText : null);
  const generalError = entryError && !['number', 'company', 'phone', 'note'].includes(entryError.field ?? 'number') ? errorText : null;

  return (
    <form className="entry" onSubmit={(e) => void submit(e)} aria-label={tr('add')}>
      <div className="field field-number">
        <input
          ref={numberRef}
          autoFocus
          data-testid="entry-number"
          aria-label={tr('numberPlaceholder')}
          aria-invalid={!!errorFor('number')}
          placeholder={tr('numberPlaceholder')}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        {(errorFor('number') ?? generalError) && <div className="field-error" role="alert" data-testid="entry-error">{errorFor('number') ?? generalError}</div>}
      </div>
      <div className="field field-carrier">
        <input
          list="carrier-options"
          data-testid="entry-carrier"
          aria-label={tr('carrierPlaceholder')}
          placeholder={tr('carrierPlaceholder')}
          value={carrier}
          onChange={(e) => {
            setCarrier(e.target.value);
            setCarrierTouched(true);
          }}
        />
        <datalist id="carrier-options">
          {options.map((c) => (
            <option key={c.code} value={c.name}>{c.code}</option>
          ))}
        </datalist>
        {errorFor('company') && <div className="field-error" role="alert" data-testid="entry-error">{errorFor('company')}</div>}
      </div>
      {needsPhone && (
        <div className="field field-phone">
          <input ref={phoneRef} data-testid="entry-phone" aria-label={tr('phonePlaceholder')} placeholder={tr('phonePlaceholder')} value={phone} onChange={(e) => setPhone(e.target.value)} />
          {errorFor('phone') && <div className="field-error" role="alert" data-testid="entry-error">{errorFor('phone')}</div>}
        </div>
      )}
      <div className="field field-note">
        <input data-testid="entry-note" aria-label={tr('notePlaceholder')} placeholder={tr('notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={busy}>{tr('add')}</button>
    </form>
  );
}
