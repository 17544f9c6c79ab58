import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { ShipmentDto } from '../../../preload/contract.js';
import { useParcel, useT } from '../store-context.js';
import { daysText, exactTime, relativeTime } from '../time-text.js';
import { daysOnTheWay } from '../../../preload/view-logic.js';
import { latestEvent, stateText, todoText, toneOf, visibleShipments } from '../view-model.js';
import { AlternativeCarriers, InlinePhone } from './RowActions.js';

const ROW_HEIGHT = 60;
// Stable across renders: the virtualizer re-measures every row (O(total)) when these change.
const estimateSize = (): number => ROW_HEIGHT;
const noop = (): void => undefined;

/** Relative times move on by themselves: one tick a minute for the whole list. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * The parcel list, virtualised and paged: only the rows in view are in the DOM, and only the
 * page around them is in the window's memory; the core answers pages in the chosen order.
 */
export function ParcelList() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const shipments = useParcel((s) => s.shipments);
  const page = useParcel((s) => s.page);
  const total = useParcel((s) => s.total);
  const allCount = useParcel((s) => s.status?.counts.all ?? s.total);
  const group = useParcel((s) => s.group);
  const query = useParcel((s) => s.query);
  const selectedId = useParcel((s) => s.selectedId);
  const complete = useParcel((s) => s.complete);
  const select = useParcel((s) => s.select);
  const checkedIds = useParcel((s) => s.checkedIds);
  const toggleChecked = useParcel((s) => s.toggleChecked);
  const setChecked = useParcel((s) => s.setChecked);
  const checked = useMemo(() => new Set(checkedIds), [checkedIds]);
  // Where a Shift-click range starts: the row last ticked or unticked by hand.
  const anchor = useRef<number | null>(null);
  const showRange = useParcel((s) => s.showRange);
  const archived = useParcel((s) => s.archived);
  const now = useMinuteClock();
  const archivedRows = useMemo(() => visibleShipments(Object.values(archived), group, query), [archived, group, query]);
  const count = total + archivedRows.length;
  const rowAt = (i: number): ShipmentDto | undefined => {
    if (i >= total) return archivedRows[i - total];
    const id = page.ids[i - page.offset];
    return id ? shipments[id] : undefined;
  };
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 8,
    // Keyed by position (the default): a key function that changes with the page would make
    // the virtualizer measure all 30,000 rows again on every change event.
  });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = (items.at(-1)?.index ?? 0) + 1;
  useEffect(() => {
    showRange(first, last);
  }, [first, last, showRange]);

  /** Tick one row; with Shift, every loaded row from the last ticked one to this, as it now is. */
  const tick = (index: number, id: string, shift: boolean): void => {
    const from = anchor.current;
    if (shift && from !== null && from !== index) {
      const ids: string[] = [];
      for (let i = Math.min(from, index); i <= Math.max(from, index); i++) {
        const row = rowAt(i);
        if (row) ids.push(row.id);
      }
      setChecked(ids, !checked.has(id));
    } else {
      toggleChecked(id);
    }
    anchor.current = index;
  };

  const onRowClick = (e: MouseEvent<HTMLDivElement>, index: number, id: string): void => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) {
      e.preventDefault();
      tick(index, id, e.shiftKey);
      return;
    }
    select(id);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    // Space on the row in focus (the open one) ticks it; a checkbox's own Space is its own.
    if (e.key === ' ' && e.target === e.currentTarget && selectedId) {
      e.preventDefault();
      const at = page.ids.indexOf(selectedId);
      tick(at < 0 ? -1 : page.offset + at, selectedId, false);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = page.ids.indexOf(selectedId ?? '');
    const index = at < 0 ? page.offset : page.offset + at + (e.key === 'ArrowDown' ? 1 : -1);
    const next = Math.min(count - 1, Math.max(0, index));
    const row = rowAt(next);
    if (row) {
      select(row.id);
      virtual.scrollToIndex(next);
    }
  };

  if (!count) {
    return (
      <div className="list list-empty" data-testid="parcel-list">
        <p>{allCount ? tr('noMatch') : tr('empty')}</p>
      </div>
    );
  }

  return (
    <div className="list" ref={scrollRef} data-testid="parcel-list" data-complete={complete} data-total={total} role="listbox" tabIndex={0} aria-label={tr('all')} onKeyDown={onKey}>
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const s = rowAt(v.index);
          if (!s) return <div key={v.key} className="row row-loading" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }} aria-hidden="true" />;
          const lastEvent = latestEvent(s, lang);
          const tone = toneOf(s);
          const todo = todoText(s, lang);
          const when = s.events[0]?.ftime ?? s.updatedAt;
          const days = daysOnTheWay(s.createdAt, s.group === 'delivered' ? s.updatedAt : null, now);
          return (
            <div
              key={v.key}
              role="option"
              aria-selected={s.id === selectedId}
              data-testid="parcel-row"
              data-number={s.number}
              className={`row${s.id === selectedId ? ' selected' : ''}${checked.has(s.id) ? ' checked' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              onClick={(e) => onRowClick(e, v.index, s.id)}
            >
              <input
                type="checkbox"
                className="row-check"
                data-testid="row-check"
                aria-label={`${tr('checkRow')} ${s.number}`}
                checked={checked.has(s.id)}
                onClick={(e) => {
                  // Ticking is not opening: the detail stays as it is. Space on the box is a click too.
                  e.stopPropagation();
                  tick(v.index, s.id, e.shiftKey);
                }}
                // The click above does the ticking; the box only mirrors the store.
                onChange={noop}
              />
              <span className={`badge tone-${tone}`} data-testid="parcel-state" title={stateText(s, lang)}>{stateText(s, lang)}</span>
              <div className="row-main">
                <div className="row-top">
                  <span className="number">{s.number}</span>
                  <span className="carrier" data-testid="row-carrier" data-code={s.company}>{s.companyName ?? (s.company || tr('autoDetect'))}</span>
                  <AlternativeCarriers s={s} />
                  {todo && <span className="todo-tag" data-testid="todo-tag">{todo}</span>}
                  {s.orderNos.length > 0 && <span className="order" data-testid="row-orders" title={s.orderNos.join('、')}>{s.orderNos.join('、')}</span>}
                  {s.buyer && <span className="buyer">{s.buyer}</span>}
                  {s.note && <span className="note">{s.note}</span>}
                  {s.archived && <span className="muted">{tr('archivedTag')}</span>}
                  {s.stale && <span className="stale-tag" data-testid="stale-tag" title={lang === 'en' ? s.stale.reasonEn : s.stale.reason}>{tr('maybeMissed')}</span>}
                </div>
                <div className="row-bottom">
                  {s.needsPhone ? <InlinePhone s={s} /> : <span className="event" data-testid="row-event">{lastEvent?.text ?? ''}</span>}
                  {s.arrivalTime && s.group !== 'delivered' && <span className="eta">{tr('eta')} {s.arrivalTime}</span>}
                </div>
              </div>
              <span className="time">
                <span data-testid="parcel-time" title={exactTime(when, lang)}>{relativeTime(when, now, lang)}</span>
                <span className="days muted" title={`${tr('addedAt')} ${exactTime(s.createdAt, lang)}`}>{tr('onTheWay')} {daysText(days, lang)}</span>
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
