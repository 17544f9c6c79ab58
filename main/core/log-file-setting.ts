/**
 * Settings show where the log is. The tracker builds SettingsDto without it (it is not a
 * stored setting), so the path is added to every settings answer and event on the way out.
 * When the settings service is split out of the tracker, this belongs in its DTO builder.
 */
import type { ChangeEvent, Result, SettingsDto } from '../../preload/contract.js';
import type { Tracker } from './tracker.js';

type SettingsSource = Pick<Tracker, 'getSettings' | 'updateSettings' | 'onChange'>;

export function exposeLogFile(tracker: SettingsSource, logFile: string): void {
  const add = (r: Result<SettingsDto>): Result<SettingsDto> => (r.ok ? { ok: true, value: { ...r.value, logFile } } : r);
  const getSettings = tracker.getSettings.bind(tracker);
  const updateSettings = tracker.updateSettings.bind(tracker);
  const onChange = tracker.onChange.bind(tracker);
  tracker.getSettings = async () => add(await getSettings());
  tracker.updateSettings = async (patch) => add(await updateSettings(patch));
  tracker.onChange = (listener: (e: ChangeEvent) => void) =>
    onChange((e) => listener(e.type === 'settings' ? { ...e, settings: { ...e.settings, logFile } } : e));
}
