import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, type KeyboardEvent } from 'react';
import { useParcel, useT } from '../store-context.js';
import { latestEvent, stateText, toneOf, visibleShipments } from '../view-model.js';
import { AlternativeCarriers, InlinePhone } from './RowActions.js';

const ROW_HEIGHT = 60;

/** The parcel list, virtualised: only the rows in view are in the DOM, so 5,000 parcels stay fast. */
export function ParcelList() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const shipments = useParcel((s) => s.shipments);
  const group = useParcel((s) => s.group);
  const query = useParcel((s) => s.query);
  const selectedId = useParcel((s) => s.selectedId);
  const complete = useParcel((s) => s.complete);
  const select = useParcel((s) => s.select);
  const archived = useParcel((s) => s.archived);
  const rows = useMemo(
    () => [...visibleShipments(Object.values(shipments), group, query), ...visibleShipments(Object.values(archived), group, query)],
    [shipments, archived, group, query],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => rows[i]!.id,
  });

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = rows.findIndex((r) => r.id === selectedId);
    const next = Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    if (rows[next]) {
      select(rows[next].id);
      virtual.scrollToIndex(next);
    }
  };

  if (!rows.length) {
    return (
      <div className="list list-empty" data-testid="parcel-list">
        <p>{Object.keys(shipments).length ? tr('noMatch') : tr('empty')}</p>
      </div>
    );
  }

  return (
    <div className="list" ref={scrollRef} data-testid="parcel-list" data-complete={complete} role="listbox" tabIndex={0} aria-label={tr('all')} onKeyDown={onKey}>
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((v) => {
          const s = rows[v.index]!;
          const last = latestEvent(s, lang);
          const tone = toneOf(s);
          return (
            <div
              key={v.key}
              role="option"
              aria-selected={s.id === selectedId}
              data-testid="parcel-row"
              data-number={s.number}
              className={`row${s.id === selectedId ? ' selected' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              onClick={() => select(s.id)}
            >
              <span className={`badge tone-${tone}`} data-testid="parcel-state" title={stateText(s, lang)}>{stateText(s, lang)}</span>
              <div className="row-main">
                <div className="row-top">
                  <span className="number">{s.number}</span>
                  <span className="carrier" data-testid="row-carrier" data-code={s.company}>{s.companyName ?? (s.company || tr('autoDetect'))}</span>
                  <AlternativeCarriers s={s} />
                  {s.orderNos.length > 0 && <span className="order" data-testid="row-orders" title={s.orderNos.join('、')}>{s.orderNos.join('、')}</span>}
                  {s.buyer && <span className="buyer">{s.buyer}</span>}
                  {s.note && <span className="note">{s.note}</span>}
                  {s.archived && <span className="muted">{tr('archivedTag')}</span>}
                  {s.stale && <span className="stale-tag" data-testid="stale-tag" title={s.stale.reason}>{tr('maybeMissed')}</span>}
                </div>
                <div className="row-bottom">
                  {s.needsPhone ? <InlinePhone s={s} /> : <span className="event" data-testid="row-event">{last?.text ?? ''}</span>}
                  {s.arrivalTime && s.group !== 'delivered' && <span className="eta">{tr('eta')} {s.arrivalTime}</span>}
                </div>
              </div>
              <span className="time">{last?.time ?? ''}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
