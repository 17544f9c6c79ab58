import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../../preload/contract.js';
import { saveBytes } from '../download.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';

/** "导出": the tab and search on screen as .xlsx or .csv, made by the core, saved by the browser. */
export function ExportMenu() {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const exportView = useParcel((s) => s.exportView);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent): void => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);

  const run = async (format: ExportFormat): Promise<void> => {
    setOpen(false);
    setBusy(true);
    const r = await exportView(format);
    setBusy(false);
    if (r.ok) {
      setError(null);
      saveBytes(r.value.filename, r.value.contentType, r.value.bytes);
    } else setError(say(lang, r.error.message, r.error.messageEn));
  };

  return (
    <div className="menu" ref={ref}>
      <button type="button" data-testid="export-open" aria-haspopup="menu" aria-expanded={open} disabled={busy} onClick={() => setOpen(!open)}>
        {tr('exportLabel')} ▾
      </button>
      {open && (
        <div className="menu-items" role="menu">
          <button type="button" role="menuitem" data-testid="export-xlsx" onClick={() => void run('xlsx')}>{tr('exportXlsx')}</button>
          <button type="button" role="menuitem" data-testid="export-csv" onClick={() => void run('csv')}>{tr('exportCsv')}</button>
        </div>
      )}
      {error && <p className="error menu-error" role="alert">{error}</p>}
    </div>
  );
}
