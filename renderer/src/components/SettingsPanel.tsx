import { useState, type FormEvent } from 'react';
import type { Language, ProviderId, ResultV2Level, SettingsPatch, TunnelMode } from '../../../preload/contract.js';
import { tunnelErrorIn } from '../../../preload/tunnel-status-en.js';
import { tunnelText } from '../tunnel-text.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { ChannelsPanel } from './ChannelsPanel.js';
import { BuyerTemplatesEditor } from './BuyerTemplatesEditor.js';
import { Dialog } from './Dialog.js';

const NOTIFY_STATES: [string, string, string][] = [
  ['1', '揽收', 'Picked up'], ['0', '在途', 'In transit'], ['5', '派件', 'Out for delivery'], ['3', '签收', 'Delivered'], ['2', '疑难', 'Problem'],
  ['14', '拒签', 'Refused'], ['4', '退签', 'Return signed'], ['6', '退回', 'Returning'], ['7', '转投', 'Redirected'], ['8', '清关', 'Customs'],
];

/** Whole hours as the core accepts them (1–720); anything else is left for the core to refuse in words. */
const hoursOf = (v: string): number => Number(v);

export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const tr = useT();
  const settings = useParcel((s) => s.settings);
  const status = useParcel((s) => s.status);
  const saveSettings = useParcel((s) => s.saveSettings);
  const checkTunnel = useParcel((s) => s.checkTunnel);
  const [checking, setChecking] = useState(false);
  const [provider, setProvider] = useState<ProviderId>(settings?.provider ?? 'sandbox');
  const [appCode, setAppCode] = useState('');
  const [key, setKey] = useState('');
  const [pollUrl, setPollUrl] = useState(settings?.pollUrl ?? '');
  const [resultv2, setResultv2] = useState<ResultV2Level>(settings?.resultv2 ?? '4');
  const [mode, setMode] = useState<TunnelMode>(settings?.tunnel.mode ?? 'localtunnel');
  const [host, setHost] = useState(settings?.tunnel.host ?? '');
  const [subdomain, setSubdomain] = useState(settings?.tunnel.subdomain ?? '');
  const [publicUrl, setPublicUrl] = useState(settings?.tunnel.publicUrl ?? '');
  const [https, setHttps] = useState(settings?.tunnel.https ?? false);
  const [notify, setNotify] = useState<string[]>(settings?.notify.states ?? []);
  const [aborted, setAborted] = useState(settings?.notify.aborted ?? true);
  const [language, setLanguage] = useState<Language>(settings?.language ?? 'zh');
  const lang = useParcel((s) => s.lang);
  const [deliveringHours, setDeliveringHours] = useState(String(settings?.stale.deliveringHours ?? 24));
  const [transitHours, setTransitHours] = useState(String(settings?.stale.transitHours ?? 72));
  const [firstPushHours, setFirstPushHours] = useState(String(settings?.stale.firstPushHours ?? 12));
  const [pickupHours, setPickupHours] = useState(String(settings?.pickupHours ?? 24));
  // The outcome, not its words: a language change must show in the new language.
  const [message, setMessage] = useState<{ ok: true } | { ok: false; text: string } | null>(null);
  const [channelsOpen, setChannelsOpen] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const patch: SettingsPatch = {
      provider,
      pollUrl,
      resultv2,
      language,
      tunnel: { mode, host, subdomain, publicUrl, https },
      notify: { states: notify, aborted },
      stale: { deliveringHours: hoursOf(deliveringHours), transitHours: hoursOf(transitHours), firstPushHours: hoursOf(firstPushHours) },
      pickupHours: hoursOf(pickupHours),
    };
    if (appCode) patch.appCode = appCode;
    if (key) patch.key = key;
    const r = await saveSettings(patch);
    setMessage(r.ok ? { ok: true } : { ok: false, text: `${r.error.field ?? ''} ${say(language, r.error.message, r.error.messageEn)}` });
    if (r.ok) {
      setAppCode('');
      setKey('');
    }
  };

  // The channels replace this dialog while open (one dialog at a time) and come back here.
  if (channelsOpen) return <ChannelsPanel onClose={() => setChannelsOpen(false)} />;

  return (
    <Dialog title={tr('settings')} onClose={onClose}>
      <form className="settings" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{tr('provider')}</legend>
          {(['sandbox', 'huawei', 'kuaidi100'] as const).map((p) => (
            <label key={p} className="radio">
              <input type="radio" name="provider" value={p} checked={provider === p} onChange={() => setProvider(p)} />
              {tr(p === 'sandbox' ? 'providerSandbox' : p === 'huawei' ? 'providerHuawei' : 'providerKuaidi100')}
            </label>
          ))}
          {provider === 'huawei' && (
            <label>{tr('appCode')}
              <input type="password" autoComplete="off" value={appCode} placeholder={settings?.appCodeSet ? tr('secretSet') : ''} onChange={(e) => setAppCode(e.target.value)} />
            </label>
          )}
          {provider === 'kuaidi100' && (
            <label>{tr('key')}
              <input type="password" autoComplete="off" value={key} placeholder={settings?.keySet ? tr('secretSet') : ''} onChange={(e) => setKey(e.target.value)} />
            </label>
          )}
          {provider !== 'sandbox' && (
            <label>{tr('pollUrl')}<input value={pollUrl} onChange={(e) => setPollUrl(e.target.value)} /></label>
          )}
          {settings?.secretStorage === 'file-0600' && <p className="muted">{tr('secretsFile')}</p>}
          {settings?.secretStorage === 'basic-text' && <p className="warn">{tr('secretsBasic')}</p>}
          <label>{tr('resultv2')}
            <select data-testid="settings-resultv2" value={resultv2} onChange={(e) => setResultv2(e.target.value as ResultV2Level)}>
              <option value="0">{tr('resultv2Level0')}</option>
              <option value="1">{tr('resultv2Level1')}</option>
              <option value="4">{tr('resultv2Level4')}</option>
              <option value="8">{tr('resultv2Level8')}</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>{tr('tunnel')}</legend>
          <label>{tr('tunnelMode')}
            <select data-testid="settings-tunnel-mode" value={mode} onChange={(e) => setMode(e.target.value as TunnelMode)}>
              <option value="localtunnel">{tr('modeLocaltunnel')}</option>
              <option value="public">{tr('modePublic')}</option>
              <option value="none">{tr('modeNone')}</option>
            </select>
          </label>
          {mode === 'localtunnel' && (
            <>
              <label>{tr('tunnelHost')}<input value={host} onChange={(e) => setHost(e.target.value)} /></label>
              <label>{tr('subdomain')}<input value={subdomain} onChange={(e) => setSubdomain(e.target.value)} /></label>
            </>
          )}
          {mode === 'public' && <label>{tr('publicUrl')}<input value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} /></label>}
          <label className="check"><input type="checkbox" checked={https} onChange={(e) => setHttps(e.target.checked)} />{tr('useHttps')}</label>
          {status && (
            <p className="muted" data-testid="settings-tunnel-state">
              {tunnelText(status.tunnel, language)}{tunnelErrorIn(status.tunnel, language) ? ` · ${tunnelErrorIn(status.tunnel, language)}` : ''}<br />
              {tr('callbackUrl')}: <code>{status.callbackUrl}</code>
            </p>
          )}
          <button type="button" disabled={checking} onClick={() => { setChecking(true); void checkTunnel().finally(() => setChecking(false)); }}>
            {tr('testNow')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{tr('notifyFor')}</legend>
          <div className="checks">
            {NOTIFY_STATES.map(([code, name, nameEn]) => (
              <label key={code} className="check">
                <input type="checkbox" checked={notify.includes(code)} onChange={(e) => setNotify(e.target.checked ? [...notify, code] : notify.filter((c) => c !== code))} />
                {lang === 'en' ? nameEn : name}
              </label>
            ))}
          </div>
          <label className="check"><input type="checkbox" checked={aborted} onChange={(e) => setAborted(e.target.checked)} />{tr('notifyAborted')}</label>
          <button type="button" data-testid="channels-open" onClick={() => setChannelsOpen(true)}>{tr('channelsOpen')}</button>
        </fieldset>
        <fieldset>
          <legend>{tr('thresholds')}</legend>
          <div className="hours">
            <label>{tr('staleDelivering')}<input type="number" min={1} max={720} data-testid="settings-stale-delivering" value={deliveringHours} onChange={(e) => setDeliveringHours(e.target.value)} /></label>
            <label>{tr('staleTransit')}<input type="number" min={1} max={720} data-testid="settings-stale-transit" value={transitHours} onChange={(e) => setTransitHours(e.target.value)} /></label>
            <label>{tr('staleFirstPush')}<input type="number" min={1} max={720} data-testid="settings-stale-first" value={firstPushHours} onChange={(e) => setFirstPushHours(e.target.value)} /></label>
            <label>{tr('pickupHours')}<input type="number" min={1} max={720} data-testid="settings-pickup-hours" value={pickupHours} onChange={(e) => setPickupHours(e.target.value)} /></label>
          </div>
        </fieldset>
        <fieldset>
          <legend>{tr('language')}</legend>
          <select data-testid="settings-language" aria-label={tr('language')} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </fieldset>
        {settings?.logFile && (
          <p className="muted" data-testid="settings-log-file">
            {tr('logFile')}: <code>{settings.logFile}</code>
          </p>
        )}
        <BuyerTemplatesEditor />
        <div className="actions">
          <button type="submit" className="primary" data-testid="settings-save">{tr('save')}</button>
          <button type="button" onClick={onClose}>{tr('close')}</button>
          {message && <span className={message.ok ? 'ok' : 'field-error'} role="status">{message.ok ? tr('saved') : message.text}</span>}
        </div>
      </form>
    </Dialog>
  );
}
