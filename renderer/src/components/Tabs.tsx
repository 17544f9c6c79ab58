import { useEffect, useMemo } from 'react';
import { useParcel, useT } from '../store-context.js';
import { countGroups, GROUP_TABS } from '../view-model.js';

export function Tabs() {
  const tr = useT();
  const shipments = useParcel((s) => s.shipments);
  const group = useParcel((s) => s.group);
  const query = useParcel((s) => s.query);
  const setGroup = useParcel((s) => s.setGroup);
  const setQuery = useParcel((s) => s.setQuery);
  const includeArchived = useParcel((s) => s.includeArchived);
  const setIncludeArchived = useParcel((s) => s.setIncludeArchived);
  const searchArchive = useParcel((s) => s.searchArchive);
  useEffect(() => {
    const t = setTimeout(() => void searchArchive(), 200);
    return () => clearTimeout(t);
  }, [query, includeArchived, searchArchive]);
  const complete = useParcel((s) => s.complete);
  const statusCounts = useParcel((s) => s.status?.counts);
  const loadedCounts = useMemo(() => countGroups(Object.values(shipments)), [shipments]);
  // Until every parcel is loaded, the core's counts are the true ones.
  const counts = complete || !statusCounts ? loadedCounts : statusCounts;

  return (
    <nav className="tabs">
      <div role="tablist" aria-label={tr('states')}>
        {GROUP_TABS.map((g) => (
          <button
            key={g}
            type="button"
            role="tab"
            aria-selected={group === g}
            className={`tab tab-${g}`}
            data-testid={`tab-${g}`}
            onClick={() => setGroup(g)}
          >
            {tr(g)} <span className="count">{counts[g]}</span>
          </button>
        ))}
      </div>
      <label className="check archived-toggle">
        <input type="checkbox" data-testid="include-archived" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
        {tr('includeArchived')}
      </label>
      <input
        className="search"
        type="search"
        aria-label={tr('search')}
        placeholder={tr('search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
    </nav>
  );
}
