import { tunnelErrorIn } from '../../../preload/tunnel-status-en.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';

/** Tunnel and provider health, always visible; a banner when pushes cannot reach the app. */
export function StatusBar() {
  const tr = useT();
  const status = useParcel((s) => s.status);
  const lang = useParcel((s) => s.lang);
  if (!status) return <footer className="statusbar" />;
  const { tunnel, provider } = status;
  // The sandbox pushes over loopback; only a real provider needs the public URL.
  const blocked = provider.id !== 'sandbox' && tunnel.mode !== 'none' && tunnel.state !== 'up';
  return (
    <>
      {blocked && (
        <div className="banner banner-error" role="alert" data-testid="push-banner">
          {tr('pushesBlocked')}{tunnel.mode} {tunnel.state}{tunnelErrorIn(tunnel, lang) ? ` — ${tunnelErrorIn(tunnel, lang)}` : ''}
        </div>
      )}
      <footer className="statusbar" data-testid="statusbar">
        <span className={`dot ${provider.ready ? 'dot-ok' : 'dot-bad'}`} />
        {tr('providerState')}: {provider.id}{provider.problem ? ` — ${say(lang, provider.problem, provider.problemEn)}` : ` · ${tr('ready')}`}
        <span className="sep" />
        {/* off (sandbox, mode none) and connecting are not trouble: only down is red */}
        <span className={`dot ${tunnel.state === 'up' ? 'dot-ok' : tunnel.state === 'down' ? 'dot-bad' : 'dot-idle'}`} />
        {tr('tunnelState')}: {tunnel.mode} · {tunnel.state}
        {tunnel.url && <> · <code>{tunnel.url}</code></>}
      </footer>
    </>
  );
}
