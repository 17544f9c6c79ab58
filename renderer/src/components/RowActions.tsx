import { useState, type FormEvent, type MouseEvent } from 'react';
import type { Language, ShipmentDto, ShipmentPatch, ShipmentUpdateDto } from '../../../preload/contract.js';
import { say, t, fill } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';

type Cost = NonNullable<ShipmentUpdateDto['cost']>;

/** Asks before a subscription is spent: "此修改将重新订阅：本月第 2/4 次订阅。继续吗？" */
export function confirmSpend(lang: Language, cost: Cost): boolean {
  return window.confirm(fill(t(lang, 'confirmSpend'), { cost: say(lang, cost.message, cost.messageEn) }));
}

/** The edit command with the window's confirm; the error (or nothing) in the seller's language. */
export function useEdit(): (id: string, patch: ShipmentPatch, ask?: boolean) => Promise<string | null> {
  const edit = useParcel((s) => s.edit);
  const lang = useParcel((s) => s.lang);
  return async (id, patch, ask = true) => {
    const r = await edit(id, patch, (cost) => !ask || confirmSpend(lang, cost));
    if (!r.ok) return say(lang, r.error.message, r.error.messageEn);
    return r.value.applied ? null : t(lang, 'notChanged');
  };
}

const stop = (e: MouseEvent): void => e.stopPropagation();

/** The other carriers the number fits, one click each (after the cost is confirmed). */
export function AlternativeCarriers({ s }: { s: ShipmentDto }) {
  const tr = useT();
  const edit = useEdit();
  const [error, setError] = useState<string | null>(null);
  if (!s.alternatives.length) return null;
  return (
    <span className="alternatives" data-testid="alternatives" onClick={stop}>
      <span className="muted">{tr('alsoPossible')}</span>
      {s.alternatives.map((a) => (
        <button
          key={a.code}
          type="button"
          className="link"
          data-testid="alt-carrier"
          data-code={a.code}
          title={`${tr('changeCarrier')} ${a.name}`}
          onClick={() => void edit(s.id, { company: a.code }).then(setError)}
        >
          {a.name}
        </button>
      ))}
      {error && <span className="field-error" role="alert">{error}</span>}
    </span>
  );
}

/** SF waits for a phone: the row asks for it (the last 4 digits, or a masked 138****1234). */
export function InlinePhone({ s }: { s: ShipmentDto }) {
  const tr = useT();
  const edit = useEdit();
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!phone.trim()) return;
    // Nothing was spent for this parcel yet: giving the phone is its first subscription.
    void edit(s.id, { phone }, s.subscription.attempts > 0).then(setError);
  };
  return (
    <form className="inline-phone" data-testid="row-phone-form" onSubmit={submit} onClick={stop}>
      <span className="warn-text">{tr('needsPhone')}</span>
      <input data-testid="row-phone" aria-label={tr('phoneShort')} placeholder={tr('phoneShort')} value={phone} onChange={(e) => setPhone(e.target.value)} onKeyDown={(e) => e.stopPropagation()} />
      <button type="submit" data-testid="row-phone-save">{tr('givePhone')}</button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </form>
  );
}
