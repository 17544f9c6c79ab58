/**
 * The seller's settings as the UI sees them (secrets only as "set or not") and changing them.
 * A change is one step: everything is checked before anything is written, and when the
 * settings cannot be saved the secrets written with them are put back, so nothing half-applies.
 */
import type { BuyerTemplatesDto, Language, Result, SettingsDto, SettingsPatch } from '../../preload/contract.js';
import { invalid } from './input-validation.js';
import { logFilePath } from './log.js';
import type { SecretName } from './secrets.js';
import type { Settings } from './store/schema.js';
import type { CoreDeps } from './tracker-deps.js';
import { logFor } from './log.js';

const log = logFor('settings');

/** How many former salts are still accepted for pushes. */
const KEPT_SALTS = 20;

export function settingsDto(deps: Pick<CoreDeps, 'store' | 'secrets'>): SettingsDto {
  const s = deps.store.settings;
  return {
    provider: s.provider,
    appCodeSet: !!deps.secrets.get('appCode'),
    keySet: !!deps.secrets.get('key'),
    pollUrl: s.pollUrl,
    resultv2: s.resultv2,
    tunnel: { ...s.tunnel },
    notify: { ...s.notify, states: [...s.notify.states] },
    language: s.language,
    startAtLogin: s.startAtLogin,
    secretStorage: deps.secrets.protection,
    logFile: logFilePath() ?? '',
    buyerTemplates: structuredClone(s.buyerTemplates ?? {}),
    stale: { ...s.stale },
    pickupHours: s.pickupHours,
    notificationsSeenAt: s.notificationsSeenAt ?? null,
  };
}

/** The settings a patch leads to, or why it is refused. Pure. */
export function applySettingsPatch(prev: Settings, patch: SettingsPatch): Result<Settings> {
  const next: Settings = {
    ...prev,
    provider: patch.provider ?? prev.provider,
    pollUrl: patch.pollUrl ?? prev.pollUrl,
    resultv2: patch.resultv2 ?? prev.resultv2,
    language: patch.language ?? prev.language,
    startAtLogin: patch.startAtLogin ?? prev.startAtLogin,
    tunnel: { ...prev.tunnel, ...patch.tunnel },
    notify: { ...prev.notify, ...patch.notify },
    stale: { ...prev.stale, ...patch.stale },
    pickupHours: patch.pickupHours ?? prev.pickupHours,
    notificationsSeenAt: patch.notificationsSeenAt ?? prev.notificationsSeenAt ?? null,
  };
  if (patch.buyerTemplates) next.buyerTemplates = mergeTemplates(prev.buyerTemplates ?? {}, patch.buyerTemplates);
  if (next.tunnel.mode === 'public' && !next.tunnel.publicUrl) {
    return invalid('tunnel.publicUrl', '公网模式需要填写公网地址（例如 https://shop.example.com）', 'Public mode needs a public URL (e.g. https://shop.example.com)');
  }
  if (patch.salt && patch.salt !== prev.salt) {
    next.salt = patch.salt;
    next.previousSalts = [prev.salt, ...prev.previousSalts.filter((s) => s !== patch.salt)].slice(0, KEPT_SALTS);
  }
  return { ok: true, value: next };
}

/** Per kind and language: a text replaces, an empty text goes back to the default. */
function mergeTemplates(prev: BuyerTemplatesDto, patch: BuyerTemplatesDto): BuyerTemplatesDto {
  const out: BuyerTemplatesDto = structuredClone(prev);
  for (const [kind, langs] of Object.entries(patch) as [keyof BuyerTemplatesDto, Partial<Record<Language, string>>][]) {
    const merged: Partial<Record<Language, string>> = { ...out[kind] };
    for (const [lang, text] of Object.entries(langs) as [Language, string][]) {
      if (text.trim()) merged[lang] = text;
      else delete merged[lang];
    }
    if (Object.keys(merged).length) out[kind] = merged;
    else delete out[kind];
  }
  return out;
}

/** Does this change give credentials-failed subscriptions another chance? */
export function credentialsChanged(prev: Settings, patch: SettingsPatch): boolean {
  return patch.appCode !== undefined || patch.key !== undefined || (!!patch.provider && patch.provider !== prev.provider);
}

/**
 * Saves settings and secrets as one step. Secrets are written first (their store cannot take
 * part in the settings file's write); if anything fails, the secrets as they were are restored.
 */
export async function saveSettings(deps: Pick<CoreDeps, 'store' | 'secrets'>, patch: SettingsPatch): Promise<Result<SettingsDto>> {
  const next = applySettingsPatch(deps.store.settings, patch);
  if (!next.ok) return next;
  const changes: [SecretName, string | null][] = [];
  if (patch.appCode !== undefined) changes.push(['appCode', patch.appCode || null]);
  if (patch.key !== undefined) changes.push(['key', patch.key || null]);
  const before = changes.map(([name]) => [name, deps.secrets.get(name)] as const);
  try {
    for (const [name, value] of changes) deps.secrets.set(name, value);
    await deps.store.updateSettings(next.value);
  } catch (e) {
    for (const [name, value] of before) {
      try {
        deps.secrets.set(name, value);
      } catch (again) {
        log.error(`could not restore secret ${name}:`, again instanceof Error ? again.message : String(again));
      }
    }
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: 'storage', message: `无法保存设置：${why}`, messageEn: `Could not save the settings: ${why}` } };
  }
  return { ok: true, value: settingsDto(deps) };
}
