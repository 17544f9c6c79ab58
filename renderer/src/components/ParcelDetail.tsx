import { useEffect, useState } from 'react';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { exactTime } from '../time-text.js';
import { stateText, toneOf } from '../view-model.js';
import { ParcelEdit } from './ParcelEdit.js';
import { AlternativeCarriers, InlinePhone } from './RowActions.js';
import { BuyerCopyButton } from './BuyerCopyButton.js';

export function ParcelDetail({ id }: { id: string }) {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const summary = useParcel((st) => st.shipments[id] ?? st.archived[id]);
  const full = useParcel((st) => st.details[id]);
  const loadDetail = useParcel((st) => st.loadDetail);
  // The list carries summaries; fetch the whole history, again whenever the parcel changes.
  useEffect(() => {
    void loadDetail(id);
  }, [id, summary?.updatedAt, loadDetail]);
  const s = full && summary && full.updatedAt >= summary.updatedAt ? full : (summary ?? full);
  const select = useParcel((st) => st.select);
  const resubscribe = useParcel((st) => st.resubscribe);
  const remove = useParcel((st) => st.remove);
  const [note, setNote] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  if (!s) return null;

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(s.number);
      setNote(tr('copied'));
    } catch {
      setNote(s.number);
    }
  };
  const act = async (fn: () => Promise<{ ok: boolean; error?: { message: string; messageEn?: string } }>): Promise<void> => {
    const r = await fn();
    setNote(r.ok ? null : say(lang, r.error?.message ?? '', r.error?.messageEn));
  };
  const trackingWord = s.tracking === 'shutdown' ? tr('trackingEnded') : s.tracking === 'abort' ? tr('trackingAborted') : null;

  return (
    <aside className="detail" data-testid="parcel-detail" aria-label={s.number}>
      <header className="detail-head">
        <div>
          <h2 className="number">{s.number}</h2>
          <div className="muted">
            <span data-testid="detail-carrier" data-code={s.company}>{s.companyName ?? (s.company || tr('autoDetect'))}</span>
            {s.phone ? ` · ${s.phone}` : ''}{s.note ? ` · ${s.note}` : ''}
          </div>
          <AlternativeCarriers s={s} />
        </div>
        <button type="button" className="icon" aria-label={tr('close')} onClick={() => select(null)}>×</button>
      </header>
      <div className="detail-state">
        <span className={`badge tone-${toneOf(s)}`}>{stateText(s, lang)}</span>
        {/* Kuaidi100's message is Chinese: in English it is the tooltip, not half of the label. */}
        {trackingWord && <span className="muted" title={s.trackingMessage ?? undefined}>{trackingWord}{s.trackingMessage && lang !== 'en' ? `：${s.trackingMessage}` : ''}</span>}
      </div>
      {s.needsPhone && <InlinePhone s={s} />}
      {s.stale && (
        <p className="warn" role="note" data-testid="stale-reason">{tr('maybeMissed')}: {say(lang, s.stale.reason, s.stale.reasonEn)}</p>
      )}
      {s.callbackChanged && (
        <p className="warn" role="note" data-testid="callback-changed">
          {tr(s.callbackChanged.remedy === 'resubscribe' ? 'callbackChangedResubscribe' : 'callbackChangedWait')}
        </p>
      )}
      {s.comNew && (
        <p className="info">{tr('carrierCorrected')}：{s.comOld} → {s.comNew}</p>
      )}
      {(s.arrivalTime || s.remainTime) && s.group !== 'delivered' && (
        <p className="info" data-testid="eta">
          {s.arrivalTime && <>{tr('eta')} {s.arrivalTime}{lang === 'zh' ? ' 时' : ':00'}</>}
          {s.remainTime && <> · {tr('remain')} {s.remainTime}</>}
        </p>
      )}
      <dl className="facts">
        {s.orderNos.length > 0 && (
          <>
            <dt>{tr('orderNo')}</dt>
            <dd data-testid="detail-orders">{s.orderNos.join('、')}</dd>
          </>
        )}
        {s.buyer && (
          <>
            <dt>{tr('buyer')}</dt>
            <dd data-testid="detail-buyer">{s.buyer}</dd>
          </>
        )}
        <dt>{tr('subscription')}</dt>
        <dd data-testid="subscription">{s.subscription.message ? say(lang, s.subscription.message, s.subscription.messageEn) : s.subscription.status}</dd>
        {s.subscription.nextAttemptAt && (
          <>
            <dt>{tr('nextAttempt')}</dt>
            <dd data-testid="next-attempt">{exactTime(s.subscription.nextAttemptAt, lang)}</dd>
          </>
        )}
        <dt>{tr('attemptsMonth')}</dt>
        <dd>{s.attemptsThisMonth} / 4</dd>
        {s.resubscribeAfter && (
          <>
            <dt>{tr('resubscribeAfter')}</dt>
            <dd>{exactTime(s.resubscribeAfter, lang)}</dd>
          </>
        )}
      </dl>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>{tr('copy')}</button>
        <button type="button" data-testid="edit-open" onClick={() => setEditing(true)}>{tr('edit')}</button>
        <BuyerCopyButton shipments={[s]} />
        <button type="button" onClick={() => void act(() => resubscribe(s.id))}>{tr('resubscribe')}</button>
        <button type="button" className="danger" onClick={() => void act(() => remove(s.id))}>{tr('remove')}</button>
      </div>
      {editing && (
        <ParcelEdit
          s={s}
          onDone={(message) => {
            setEditing(message !== null);
            setNote(message);
          }}
        />
      )}
      {note && <p className="info" role="status">{note}</p>}
      {s.predictedRoute && s.predictedRoute.length > 0 && s.group !== 'delivered' && (
        <section>
          <h3>{tr('predictedRoute')}</h3>
          <ol className="route">
            {s.predictedRoute.map((n, i) => (
              <li key={i} className={n.state === '预估途径节点' ? 'future' : 'past'}>
                {[n.province, n.city, n.name].filter(Boolean).join(' ')} <span className="muted">{n.state}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      <section>
        <h3>{tr('timeline')}</h3>
        {s.events.length === 0 ? (
          <p className="muted">{tr('noEvents')}</p>
        ) : (
          <ol className="timeline" data-testid="timeline">
            {s.events.map((e, i) => (
              <li key={`${e.ftime}-${i}`}>
                <div className="when">{e.ftime.slice(0, 16)}{e.status ? ` · ${e.status}` : ''}</div>
                <div>{e.context}</div>
                {(e.location || e.areaName) && <div className="muted">{e.location ?? e.areaName}</div>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  );
}
