import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { useEntryQueue } from '../use-entry-queue.js';

/**
 * Scans the core has not answered yet (添加中) and those it refused, with the reason on the
 * row. An added scan leaves this list as its parcel appears in the list below.
 */
export function PendingEntries() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const { queue, entries } = useEntryQueue();
  if (entries.length === 0) return null;
  return (
    <ul className="pending-entries" aria-label={tr('pendingEntries')} data-testid="pending-entries">
      {entries.map((e) => (
        <li key={e.key} className={`pending-row ${e.status}`} data-testid="pending-row" data-number={e.input.number} data-status={e.status}>
          <span className={`badge ${e.status === 'failed' ? 'tone-exception' : 'tone-transit'}`}>{tr(e.status === 'failed' ? 'notAdded' : 'adding')}</span>
          <span className="number">{e.input.number}</span>
          {e.input.company && <span className="carrier">{e.input.company}</span>}
          {e.error && (
            <span className="field-error" role="alert" data-testid="entry-error">{say(lang, e.error.message, e.error.messageEn)}</span>
          )}
          {e.status === 'failed' && (
            <button type="button" className="icon" aria-label={tr('dismiss')} data-testid="entry-dismiss" onClick={() => queue.dismiss(e.key)}>×</button>
          )}
        </li>
      ))}
    </ul>
  );
}
