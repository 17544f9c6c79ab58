import { useState } from 'react';
import type { BatchReportLine } from '../store.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { Dialog } from './Dialog.js';

export function BatchDialog({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const importBatch = useParcel((s) => s.importBatch);
  const lang = useParcel((s) => s.lang);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<BatchReportLine[] | null>(null);

  const run = async (): Promise<void> => {
    setBusy(true);
    setReport(await importBatch(text));
    setBusy(false);
  };
  const words = { added: tr('added'), duplicate: tr('duplicate'), rejected: tr('rejected') };

  return (
    <Dialog title={tr('batch')} onClose={onClose}>
      <p className="muted">{tr('batchHelp')}</p>
      <textarea data-testid="batch-text" rows={8} value={text} onChange={(e) => setText(e.target.value)} aria-label={tr('batchHelp')} autoFocus />
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !text.trim()} onClick={() => void run()}>{tr('import')}</button>
        <button type="button" onClick={onClose}>{tr('close')}</button>
      </div>
      {report && (
        <table className="report" data-testid="batch-report">
          <tbody>
            {report.map((r) => (
              <tr key={r.line} className={`outcome-${r.outcome}`} data-outcome={r.outcome}>
                <td>{tr('line')} {r.line}</td>
                <td>{r.number}</td>
                <td>{words[r.outcome]}</td>
                <td className="muted">{r.outcome === 'added' ? '' : say(lang, r.message, r.messageEn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
