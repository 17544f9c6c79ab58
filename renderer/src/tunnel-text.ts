/** The tunnel's mode and state in the window's language, for the status bar and its banner. */
import type { Language, TunnelStatusDto } from '../../preload/contract.js';
import { t, type MessageKey } from './i18n.js';

type Tunnel = Pick<TunnelStatusDto, 'mode' | 'state'>;

const MODE: Record<Tunnel['mode'], MessageKey> = { localtunnel: 'barModeLocaltunnel', public: 'barModePublic', none: 'barModeNone' };
const STATE: Record<Tunnel['state'], MessageKey> = { off: 'barStateOff', connecting: 'tunnelStateConnecting', up: 'tunnelStateUp', down: 'tunnelStateDown' };

/** "自动 · 连接中"; with no tunnel wanted its state says nothing more, so only the mode is named. */
export function tunnelText(tunnel: Tunnel, lang: Language): string {
  const mode = t(lang, MODE[tunnel.mode]);
  return tunnel.mode === 'none' ? mode : `${mode} · ${t(lang, STATE[tunnel.state])}`;
}
