import { useParcel, useT } from '../store-context.js';
import { exactTime, relativeTime } from '../time-text.js';
import { Dialog } from './Dialog.js';

/** The in-app history of notifications; a click opens the parcel. */
export function NotificationsDialog({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const items = useParcel((s) => s.notifications);
  const select = useParcel((s) => s.select);
  const showOnly = useParcel((s) => s.showOnly);
  const lang = useParcel((s) => s.lang);
  const now = Date.now();
  return (
    <Dialog title={tr('notifications')} onClose={onClose}>
      {items.length === 0 ? (
        <p className="muted">{tr('noNotifications')}</p>
      ) : (
        <ul className="notifications" data-testid="notification-history">
          {items.map((n, i) => (
            <li key={`${n.at}-${i}`}>
              <button
                type="button"
                className="link"
                data-testid="notification-item"
                disabled={!n.shipmentId && !n.shipmentIds?.length}
                onClick={() => {
                  if (n.shipmentId) select(n.shipmentId);
                  // A summary ("17 个包裹有新动态") lists exactly its parcels.
                  else if (n.shipmentIds?.length) showOnly(n.shipmentIds);
                  onClose();
                }}
              >
                <strong>{n.title}</strong>
                <span className="muted" title={exactTime(n.at, lang)}> {relativeTime(n.at, now, lang)}</span>
                <div>{n.body}</div>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
