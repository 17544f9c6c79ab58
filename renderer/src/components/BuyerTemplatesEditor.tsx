import { useState } from 'react';
import type { BuyerTemplatesDto, Language } from '../../../preload/contract.js';
import { BUYER_MESSAGE_KINDS, DEFAULT_BUYER_TEMPLATES, type BuyerMessageKind } from '../../../preload/buyer-message.js';
import { say, type MessageKey } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';

const KIND_LABEL: Record<BuyerMessageKind, MessageKey> = {
  awaitingPickup: 'tplAwaitingPickup', inTransit: 'tplInTransit', delivering: 'tplDelivering', delivered: 'tplDelivered', problem: 'tplProblem', returned: 'tplReturned',
};
const LANGS: readonly Language[] = ['zh', 'en'];

/** Settings → the buyer-message templates, per state wording, in both languages (empty = default). */
export function BuyerTemplatesEditor() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const saved = useParcel((s) => s.settings?.buyerTemplates);
  const saveSettings = useParcel((s) => s.saveSettings);
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(BUYER_MESSAGE_KINDS.flatMap((k) => LANGS.map((l) => [`${k}.${l}`, saved?.[k]?.[l] ?? '']))),
  );
  const [message, setMessage] = useState<string | null>(null);

  const save = async (): Promise<void> => {
    const patch: BuyerTemplatesDto = {};
    for (const k of BUYER_MESSAGE_KINDS) patch[k] = { zh: texts[`${k}.zh`] ?? '', en: texts[`${k}.en`] ?? '' };
    const r = await saveSettings({ buyerTemplates: patch });
    setMessage(r.ok ? tr('saved') : say(lang, r.error.message, r.error.messageEn));
  };

  return (
    <fieldset className="buyer-templates" data-testid="buyer-templates">
      <legend>{tr('buyerTemplates')}</legend>
      <p className="muted">{tr('buyerTemplatesHelp')}</p>
      {BUYER_MESSAGE_KINDS.map((k) => (
        <div key={k} className="template-row">
          <span className="template-kind">{tr(KIND_LABEL[k])}</span>
          {LANGS.map((l) => (
            <textarea
              key={l}
              rows={2}
              data-testid={`template-${k}-${l}`}
              aria-label={`${tr(KIND_LABEL[k])} (${l === 'zh' ? '中文' : 'English'})`}
              placeholder={DEFAULT_BUYER_TEMPLATES[k][l]}
              value={texts[`${k}.${l}`] ?? ''}
              onChange={(e) => setTexts({ ...texts, [`${k}.${l}`]: e.target.value })}
            />
          ))}
        </div>
      ))}
      <div className="actions">
        <button type="button" data-testid="save-templates" onClick={() => void save()}>{tr('saveTemplates')}</button>
        {message && <span className="info" role="status">{message}</span>}
      </div>
    </fieldset>
  );
}
