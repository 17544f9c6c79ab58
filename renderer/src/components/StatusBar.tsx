import { tunnelErrorIn } from '../../../preload/tunnel-status-en.js';
import { say } from '../i18n.js';
import { useParcel, useT } from '../store-context.js';
import { tunnelText } from '../tunnel-text.js';

/**
 * Tunnel and provider health, always visible; a banner when pushes cannot reach the app. The
 * provider's problem (from its own answers) is red, with what fixes it: a button to Settings
 * for a bad AppCode, the words for an account to top up.
 */
export function StatusBar({ onOpenSettings }: { onOpenSettings?: () => void }) {
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
          {tr('pushesBlocked')}{tunnelText(tunnel, lang)}{tunnelErrorIn(tunnel, lang) ? ` — ${tunnelErrorIn(tunnel, lang)}` : ''}
        </div>
      )}
      <footer className={`statusbar${provider.ready ? '' : ' provider-bad'}`} data-testid="statusbar">
        <span className={`dot ${provider.ready ? 'dot-ok' : 'dot-bad'}`} data-testid="provider-dot" data-ready={provider.ready} />
        {tr('providerState')}: {provider.id}
        {provider.problem ? <span data-testid="provider-problem"> — {say(lang, provider.problem, provider.problemEn)}</span> : ` · ${tr('ready')}`}
        {provider.fix === 'appcode' && (
          <button type="button" className="link" data-testid="provider-fix" onClick={onOpenSettings}>{tr('fixAppCode')}</button>
        )}
        {provider.fix === 'recharge' && <span data-testid="provider-fix"> · {tr('fixRecharge')}</span>}
        {provider.fix === 'wait' && <span data-testid="provider-fix"> · {tr('fixWait')}</span>}
        <span className="sep" />
        {/* off (sandbox, mode none) and connecting are not trouble: only down is red */}
        <span className={`dot ${tunnel.state === 'up' ? 'dot-ok' : tunnel.state === 'down' ? 'dot-bad' : 'dot-idle'}`} />
        <span data-testid="tunnel-text">{tr('tunnelState')}: {tunnelText(tunnel, lang)}</span>
        {tunnel.url && <> · <code>{tunnel.url}</code></>}
      </footer>
    </>
  );
}
