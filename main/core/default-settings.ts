/** The settings of a new install. */
import { randomAlnum } from './ids.js';
import { DEFAULT_THRESHOLDS } from './lifecycle.js';
import type { Settings } from './store/schema.js';

/** Sandbox provider, a fresh callback secret and salt, notifications for what a seller acts on. */
export function defaultSettings(): Settings {
  return {
    installId: randomAlnum(12),
    callbackSecret: randomAlnum(24),
    salt: randomAlnum(24),
    previousSalts: [],
    provider: 'sandbox',
    pollUrl: '',
    resultv2: '4',
    tunnel: { mode: 'localtunnel', host: 'https://localtunnel.me', subdomain: '', publicUrl: '', https: false },
    notify: { states: ['5', '3', '2', '4', '6', '14'], aborted: true },
    language: 'zh',
    startAtLogin: false,
    stale: { ...DEFAULT_THRESHOLDS },
    archiveAfterDays: 30,
    channels: [],
    pickupHours: 24,
    notificationsSeenAt: null,
  };
}
