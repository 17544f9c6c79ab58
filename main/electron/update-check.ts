/**
 * "检查更新 / Check for updates", on demand only: the app never checks by itself (a seller's
 * distributor decides when there is something to ship), so this runs from the menu item and
 * reports what it found in a dialog. electron-updater comes through a loader (main/index.ts
 * imports the real one at the first check), so tests check the menu without an update server.
 */
import { logFor } from '../core/log.js';

const log = logFor('update');

/** The part of electron-updater's autoUpdater this uses. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface DialogLike {
  showMessageBox(options: { type: 'info' | 'error' | 'question'; title: string; message: string; detail?: string; buttons?: string[] }): Promise<{ response: number }>;
}

export type UpdateOutcome = 'latest' | 'installing' | 'later' | 'unavailable' | 'failed';

const TEXT = {
  zh: {
    title: '检查更新',
    latest: (v: string) => `已是最新版本（${v}）。`,
    available: (v: string) => `有新版本 ${v}。现在下载并重启安装吗？`,
    install: '下载并重启',
    later: '以后再说',
    unavailable: '此版本不能自动更新（开发版本或未设置更新地址）。',
    failed: '检查更新失败，请稍后再试或联系软件提供方。',
  },
  en: {
    title: 'Check for updates',
    latest: (v: string) => `You have the latest version (${v}).`,
    available: (v: string) => `Version ${v} is available. Download it and restart to install?`,
    install: 'Download and restart',
    later: 'Later',
    unavailable: 'This build cannot update itself (a development build, or no update address set).',
    failed: 'Could not check for updates. Try again later or ask whoever gave you the app.',
  },
} as const;

export async function checkForUpdates(loadUpdater: () => Promise<AutoUpdaterLike>, dialog: DialogLike, currentVersion: string, language: 'zh' | 'en'): Promise<UpdateOutcome> {
  const t = TEXT[language];
  try {
    const updater = await loadUpdater();
    // Nothing downloads unless the seller says so in the dialog.
    updater.autoDownload = false;
    const result = await updater.checkForUpdates();
    if (!result) {
      await dialog.showMessageBox({ type: 'info', title: t.title, message: t.unavailable });
      return 'unavailable';
    }
    if (!result.isUpdateAvailable) {
      await dialog.showMessageBox({ type: 'info', title: t.title, message: t.latest(currentVersion) });
      return 'latest';
    }
    const { response } = await dialog.showMessageBox({ type: 'question', title: t.title, message: t.available(result.updateInfo.version), buttons: [t.install, t.later] });
    if (response !== 0) return 'later';
    await updater.downloadUpdate();
    updater.quitAndInstall();
    return 'installing';
  } catch (e) {
    log.error('update check failed:', e);
    await dialog.showMessageBox({ type: 'error', title: t.title, message: t.failed, detail: e instanceof Error ? e.message : String(e) });
    return 'failed';
  }
}
