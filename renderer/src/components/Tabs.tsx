import { useEffect } from 'react';
import { SORT_KEYS, type SortDir, type SortKey } from '../../../preload/contract.js';
import { FILTER_CARRIERS } from '../carrier-filter.js';
import { useParcel, useT } from '../store-context.js';
import { GROUP_TABS } from '../view-model.js';
import { fill } from '../i18n.js';

const SORT_LABEL = { updated: 'sortUpdated', added: 'sortAdded', state: 'sortState', days: 'sortDays' } as const;

export function Tabs() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const group = useParcel((s) => s.group);
  const query = useParcel((s) => s.query);
  const sort = useParcel((s) => s.sort);
  const dir = useParcel((s) => s.dir);
  const carrier = useParcel((s) => s.carrier);
  const onlyIds = useParcel((s) => s.onlyIds);
  const setGroup = useParcel((s) => s.setGroup);
  const setQuery = useParcel((s) => s.setQuery);
  const setSort = useParcel((s) => s.setSort);
  const setCarrier = useParcel((s) => s.setCarrier);
  const showOnly = useParcel((s) => s.showOnly);
  const includeArchived = useParcel((s) => s.includeArchived);
  const setIncludeArchived = useParcel((s) => s.setIncludeArchived);
  const searchArchive = useParcel((s) => s.searchArchive);
  useEffect(() => {
    const t = setTimeout(() => void searchArchive(), 200);
    return () => clearTimeout(t);
  }, [query, includeArchived, searchArchive]);
  // The core's counters: the window holds one page, never every parcel.
  const counts = useParcel((s) => s.status?.counts);

  return (
    <>
      <nav className="tabs">
        <div role="tablist" aria-label={tr('states')} className="tablist">
          {GROUP_TABS.map((g) => {
            const n = counts?.[g] ?? 0;
            return (
              <button
                key={g}
                type="button"
                role="tab"
                aria-selected={group === g}
                className={`tab tab-${g}`}
                data-testid={`tab-${g}`}
                onClick={() => setGroup(g)}
              >
                {tr(g)} <span className={`count${n === 0 ? ' zero' : ''}`}>{n}</span>
              </button>
            );
          })}
        </div>
        <input
          className="search"
          type="search"
          aria-label={tr('search')}
          placeholder={tr('search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </nav>
      <div className="list-tools">
        <label className="tool">
          {tr('sortBy')}
          <select data-testid="sort-key" value={sort} onChange={(e) => setSort(e.target.value as SortKey, dir)}>
            {SORT_KEYS.map((k) => <option key={k} value={k}>{tr(SORT_LABEL[k])}</option>)}
          </select>
        </label>
        <button
          type="button"
          className="tool dir"
          data-testid="sort-dir"
          aria-label={dir === 'desc' ? tr('sortDesc') : tr('sortAsc')}
          title={dir === 'desc' ? tr('sortDesc') : tr('sortAsc')}
          onClick={() => setSort(sort, (dir === 'desc' ? 'asc' : 'desc') as SortDir)}
        >
          {dir === 'desc' ? '↓' : '↑'}
        </button>
        <label className="tool">
          {tr('carrierFilter')}
          <select data-testid="carrier-filter" value={carrier} onChange={(e) => setCarrier(e.target.value)}>
            <option value="">{tr('allCarriers')}</option>
            {FILTER_CARRIERS.map((c) => <option key={c.code} value={c.code}>{lang === 'en' ? c.en : c.zh}</option>)}
          </select>
        </label>
        <label className="check archived-toggle">
          <input type="checkbox" data-testid="include-archived" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          {tr('includeArchived')}
        </label>
        {onlyIds && (
          <span className="only-ids" data-testid="only-ids">
            {fill(tr('showingOnly'), { n: onlyIds.length })}
            <button type="button" className="link" onClick={() => showOnly(null)}>{tr('showAll')}</button>
          </span>
        )}
      </div>
    </>
  );
}
