import { useEffect, useMemo, useState } from 'react';
import type { RepairPlanDto } from '../../../preload/contract.js';
import { say, fill } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { countStale } from '../view-model.js';
import { Dialog } from './Dialog.js';

/** Shown while any parcel may have missed a push. */
export function StaleBanner({ onRepair }: { onRepair: () => void }) {
  const tr = useT();
  const shipments = useParcel((s) => s.shipments);
  // The core counts every parcel (the window holds one page); the page's own count until then.
  const counted = useParcel((s) => s.status?.attention?.stale);
  const loaded = useMemo(() => countStale(Object.values(shipments)), [shipments]);
  const stale = counted ?? loaded;
  if (!stale) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="stale-banner">
      <span>{stale} {tr('staleBanner')}</span>
      <button type="button" onClick={onRepair}>{tr('repair')}</button>
    </div>
  );
}

/** Shows what a repair will do and cost before doing it, and why the rest must wait. */
export function RepairDialog({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const planRepair = useParcel((s) => s.planRepair);
  const repair = useParcel((s) => s.repair);
  const lang = useParcel((s) => s.lang);
  const [plan, setPlan] = useState<RepairPlanDto | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void planRepair().then((r) => r.ok && setPlan(r.value));
  }, [planRepair]);

  const run = async (): Promise<void> => {
    setBusy(true);
    const r = await repair();
    if (r.ok) setPlan(r.value);
    setDone(true);
    setBusy(false);
  };
  const words = { resubscribe: tr('actionResubscribe'), wait: tr('actionWait'), 'monthly-limit': tr('actionLimit') };

  return (
    <Dialog title={tr('repairTitle')} onClose={onClose}>
      {plan && (
        <>
          <p data-testid="repair-cost">{plan.calls ? fill(tr('repairCost'), { n: plan.calls }) : tr('repairNothing')}</p>
          <table className="report">
            <tbody>
              {plan.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.number}</td>
                  <td className={`action-${i.action}`}>{words[i.action]}</td>
                  <td className="muted">{say(lang, i.reason, i.reasonEn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            {!done && plan.calls > 0 && (
              <button type="button" className="primary" disabled={busy} onClick={() => void run()}>{tr('repairRun')}</button>
            )}
            <button type="button" onClick={onClose}>{tr('close')}</button>
          </div>
        </>
      )}
    </Dialog>
  );
}
