import { useEffect, useRef, useState } from 'react';
import {
  IMPORT_FIELD_NAMES, IMPORT_MAX_BYTES,
  type ImportCommitDto, type ImportFieldDto, type ImportMappingDto, type ImportPreviewDto, type ImportRowStatusDto,
} from '../../../preload/contract.js';
import { fill, say, type MessageKey } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { Dialog } from './Dialog.js';

const FIELD_LABEL: Record<ImportFieldDto, MessageKey> = {
  number: 'fieldNumber', company: 'fieldCompany', orderNo: 'fieldOrderNo', buyer: 'fieldBuyer', phone: 'fieldPhone', orderStatus: 'fieldOrderStatus',
};
const STATUS_LABEL: Record<ImportRowStatusDto, MessageKey> = {
  new: 'statusNew', duplicate: 'statusDuplicate', invalid: 'statusInvalid', 'needs-phone': 'statusNeedsPhone', 'no-waybill': 'statusNoWaybill',
};
/** Rows drawn in the table; the counts cover every row (a 10,000-row file stays responsive). */
const SHOWN_ROWS = 300;
const ENCODING_NAME: Record<string, string> = { 'utf-8-bom': 'UTF-8 (BOM)', 'utf-8': 'UTF-8', gb18030: 'GBK / GB18030', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16', binary: '—' };

/**
 * "导入订单": a marketplace order file → the core's preview (platform, encoding, header row,
 * columns, each row's status and why) → the seller corrects columns if needed → "添加 N 个包裹".
 * The file is parsed by the core; this dialog only sends its bytes and shows the answer.
 */
export function ImportDialog({ file, onClose }: { file: File | null; onClose: () => void }) {
  const tr = useT();
  const lang = useParcel((s) => s.lang);
  const previewImport = useParcel((s) => s.previewImport);
  const remapImport = useParcel((s) => s.remapImport);
  const commitImport = useParcel((s) => s.commitImport);
  const [preview, setPreview] = useState<ImportPreviewDto | null>(null);
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportCommitDto | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const read = async (f: File): Promise<void> => {
    setError(null);
    setResult(null);
    setPreview(null);
    setEdited(false);
    if (f.size > IMPORT_MAX_BYTES) {
      setError(tr('fileTooLarge'));
      return;
    }
    setBusy(true);
    const r = await previewImport({ filename: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
    setBusy(false);
    if (r.ok) setPreview(r.value);
    else setError(say(lang, r.error.message, r.error.messageEn));
  };

  // A file dropped on the window opens the dialog with it.
  useEffect(() => {
    if (file) void read(file);
  }, [file]); // only a new file, not a new `read`, starts a preview

  const remap = async (field: ImportFieldDto, column: number | null): Promise<void> => {
    if (!preview) return;
    const mapping: ImportMappingDto = { ...preview.mapping };
    // One column feeds one field: choosing it here frees it elsewhere.
    for (const f of IMPORT_FIELD_NAMES) if (column !== null && mapping[f] === column) mapping[f] = null;
    mapping[field] = column;
    setBusy(true);
    const r = await remapImport(preview.id, mapping);
    setBusy(false);
    if (r.ok) {
      setPreview(r.value);
      setEdited(true);
      setError(null);
    } else setError(say(lang, r.error.message, r.error.messageEn));
  };

  const commit = async (): Promise<void> => {
    if (!preview) return;
    setBusy(true);
    const r = await commitImport(preview.id, edited ? { mapping: preview.mapping } : {});
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(say(lang, r.error.message, r.error.messageEn));
  };

  return (
    <Dialog title={tr('importOrders')} onClose={onClose} wide>
      {/* Once a file is read, its rows need the room more than the help does. */}
      {!preview && <p className="muted">{tr('importHelp')}</p>}
      <div className="actions">
        <input
          ref={inputRef}
          type="file"
          data-testid="import-file"
          accept=".xlsx,.xls,.csv,.txt,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          className="visually-hidden"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void read(f);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={() => inputRef.current?.click()} disabled={busy}>{tr('chooseFile')}</button>
        {preview && <span className="muted import-file-name" title={preview.filename}>{preview.filename}</span>}
        {busy && <span className="muted" role="status">{tr('reading')}</span>}
      </div>
      {error && <p className="error" role="alert" data-testid="import-error">{error}</p>}
      {preview && !result && (
        <>
          <dl className="import-facts" data-testid="import-facts">
            <dt>{tr('importPlatform')}</dt>
            <dd data-testid="import-platform">{preview.platformName[lang]}</dd>
            <dt>{tr('importEncoding')}</dt>
            <dd data-testid="import-encoding">{preview.format.toUpperCase()} · {ENCODING_NAME[preview.encoding] ?? preview.encoding}</dd>
            <dd data-testid="import-header-row">{fill(tr('importHeaderRow'), { n: preview.headerRow })}</dd>
          </dl>
          {preview.warnings.map((w, i) => <p key={i} className="warn" role="note">{say(lang, w.message, w.messageEn)}</p>)}
          <fieldset className="import-mapping">
            <legend>{tr('importColumns')}</legend>
            {IMPORT_FIELD_NAMES.map((f) => (
              <label key={f}>
                <span>{tr(FIELD_LABEL[f])}</span>
                <select
                  data-testid={`map-${f}`}
                  value={preview.mapping[f] ?? ''}
                  disabled={busy}
                  onChange={(e) => void remap(f, e.target.value === '' ? null : Number(e.target.value))}
                >
                  <option value="">{tr('columnNone')}</option>
                  {preview.columns.map((c, i) => (
                    <option key={i} value={i}>{c || `#${i + 1}`}</option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <p className="muted" data-testid="import-counts">
            {fill(tr('importCounts'), { rows: preview.counts.rows, new: preview.counts.new, duplicate: preview.counts.duplicate, invalid: preview.counts.invalid, needsPhone: preview.counts.needsPhone, noWaybill: preview.counts.noWaybill })}
          </p>
          <div className="import-table-wrap">
            <table className="report import-table" data-testid="import-rows">
              <thead>
                <tr>
                  <th>{tr('line')}</th>
                  <th>{tr('fieldNumber')}</th>
                  <th>{tr('fieldCompany')}</th>
                  <th>{tr('fieldOrderNo')}</th>
                  <th>{tr('fieldBuyer')}</th>
                  <th>{tr('colStatus')}</th>
                  <th>{tr('colReason')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, SHOWN_ROWS).map((r) => (
                  <tr key={`${r.line}-${r.number ?? ''}`} className={`import-${r.status}`} data-testid="import-row" data-status={r.status} data-number={r.number ?? ''}>
                    <td>{r.lines.join(', ')}</td>
                    <td className="mono">{r.number ?? '—'}</td>
                    <td title={r.company ?? r.companyChoices.join(' / ')}>{r.carrierText ?? r.company ?? '—'}</td>
                    <td className="mono">{r.orderNo.join(', ')}</td>
                    <td>{r.buyer ?? ''}</td>
                    <td className="import-status">{tr(STATUS_LABEL[r.status])}</td>
                    <td className="muted">{r.reason ? say(lang, r.reason, r.reasonEn) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.rows.length > SHOWN_ROWS && <p className="muted">{fill(tr('importMore'), { n: preview.rows.length - SHOWN_ROWS })}</p>}
          </div>
          <div className="actions">
            <button type="button" className="primary" data-testid="import-commit" disabled={busy || preview.counts.new === 0} onClick={() => void commit()}>
              {fill(tr('importAddN'), { n: preview.counts.new })}
            </button>
            <button type="button" onClick={onClose}>{tr('close')}</button>
          </div>
        </>
      )}
      {result && (
        <>
          <p className="info" role="status" data-testid="import-result">
            {fill(tr('importResult'), { added: result.added, skipped: result.skipped, needsPhone: result.needsPhone, failed: result.failed })}
          </p>
          {result.rows.some((r) => r.outcome === 'failed') && (
            <table className="report">
              <tbody>
                {result.rows.filter((r) => r.outcome === 'failed').map((r) => (
                  <tr key={`${r.line}-${r.number ?? ''}`} className="outcome-rejected">
                    <td>{tr('line')} {r.line}</td>
                    <td>{r.number}</td>
                    <td className="muted">{r.message ? say(lang, r.message, r.messageEn) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={onClose}>{tr('close')}</button>
          </div>
        </>
      )}
    </Dialog>
  );
}
