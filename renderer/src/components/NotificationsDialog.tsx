import { useParcel, useT } from '../store-context.js';
import { Dialog } from './Dialog.js';

/** The in-app history of notifications; a click opens the parcel. */
export function NotificationsDialog({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const items = useParcel((s) => s.notifications);
  const select = useParcel((s) => s.select);
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
                disabled={!n.shipmentId}
                onClick={() => {
                  if (n.shipmentId) select(n.shipmentId);
                  onClose();
                }}
              >
                <strong>{n.title}</strong>
                <span className="muted"> {new Date(n.at).toLocaleString()}</span>
                <div>{n.body}</div>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
