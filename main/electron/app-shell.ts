/**
 * The desktop app: lifecycle, window, tray, notifications and IPC as thin adapters over the
 * core. `electron` is passed in (main/index.ts passes the real module, tests a fake), so this
 * file is the whole shell and is tested without an Electron binary.
 */
import type { BrowserWindow as BrowserWindowType, Tray as TrayType } from 'electron';
import { join } from 'node:path';
import { IPC_CHANNELS, type ChangeEvent, type NotificationDto } from '../../preload/contract.js';
import { startCore, type Core, type CoreOptions } from '../core/app.js';
import { DataDirLockedError } from '../core/data-dir-lock.js';
import { StoreUnrecoverableError } from '../core/store/recovery-report.js';
import { startLogFile } from '../core/log.js';
import type { Task } from '../core/scheduler.js';
import { nextChinaMidnight, tomorrowMorning, trayModel, type TrayIcon, type TrayModel } from '../core/tray-model.js';
import { APP_ID } from './app-identity.js';
import type { ElectronModule } from './electron-module.js';
import { registerIpc } from './ipc.js';
import { SafeStorageSecretStore } from './safe-secret-store.js';
import { hardenContents, limitPermissions, secureWebPreferences, trustedPage } from './security.js';
import { checkForUpdates, type AutoUpdaterLike, type UpdateOutcome } from './update-check.js';

export interface DesktopOptions {
  /**
   * Loads electron-updater's autoUpdater, at the first check rather than at launch (the module
   * takes ~60 ms to load); without it there is no "check for updates" item.
   */
  loadAutoUpdater?: () => Promise<AutoUpdaterLike>;
  /** process.platform, injectable so each platform's conventions are tested anywhere. */
  platform?: NodeJS.Platform;
}

const UPDATE_LABEL = { zh: '检查更新', en: 'Check for updates' } as const;

export interface ShellPaths {
  /** dist/renderer/index.html */
  indexHtml: string;
  /** dist/preload/index.cjs (a single CommonJS bundle: sandboxed preloads cannot import) */
  preload: string;
  /** Folder with tray-normal.png, tray-attention.png, tray-offline.png and icon.png */
  assets: string;
}

export interface Shell {
  core: Core;
  showWindow(): void;
  quit(): void;
  /** For tests: the current window and tray. */
  readonly window: BrowserWindowType | null;
  readonly tray: TrayType | null;
  /** What the tray shows now (Electron's Tray has no getters). */
  readonly trayModel: TrayModel | null;
  /** The menu's "check for updates" (resolves when its dialog is done). */
  checkForUpdates(): Promise<UpdateOutcome | null>;
}

export async function runElectronApp(
  electron: ElectronModule,
  paths: ShellPaths,
  coreOverrides: Partial<CoreOptions> = {},
  desktop: DesktopOptions = {},
): Promise<Shell | null> {
  const { app, BrowserWindow, Tray, Menu, Notification, nativeImage, ipcMain, safeStorage, shell, session, dialog } = electron;
  const platform = desktop.platform ?? process.platform;
  // Before any notification: Windows attributes toasts to this id (electron-builder's appId).
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  // A second launch (a click on the desktop icon while we sit in the tray) focuses the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  let win: BrowserWindowType | null = null;
  let tray: TrayType | null = null;
  let quitting = false;
  let core: Core | null = null;
  const isTrusted = trustedPage(paths.indexHtml);
  const send = (event: ChangeEvent): void => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.change, event);
  };

  const createWindow = (): BrowserWindowType => {
    const w = new BrowserWindow({
      width: 1100,
      height: 720,
      minWidth: 800,
      minHeight: 600,
      show: false,
      title: '包裹提醒 ParcelTray',
      icon: join(paths.assets, 'icon.png'),
      webPreferences: secureWebPreferences(paths.preload),
    });
    hardenContents(w.webContents, isTrusted, (url) => void shell.openExternal(url));
    // Closing the window hides it: the app keeps watching parcels from the tray.
    w.on('close', (e) => {
      if (!quitting) {
        e.preventDefault();
        w.hide();
      }
    });
    w.once('ready-to-show', () => w.show());
    void w.loadFile(paths.indexHtml);
    return w;
  };

  const showWindow = (): void => {
    if (!win || win.isDestroyed()) win = createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const quit = (): void => {
    quitting = true;
    app.quit();
  };

  app.on('second-instance', showWindow);
  // The tray is the app: closing the last window is not quitting.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => {
    quitting = true;
  });

  await app.whenReady();
  limitPermissions(session.defaultSession, isTrusted);
  const dataDir = coreOverrides.dataDir ?? app.getPath('userData');
  startLogFile(dataDir);

  const showNotification = (n: NotificationDto): void => {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body, icon: join(paths.assets, 'icon.png') });
    note.on('click', () => {
      showWindow();
      if (n.shipmentId) send({ type: 'ui', command: 'open-shipment', id: n.shipmentId });
      else if (n.shipmentIds?.length) send({ type: 'ui', command: 'show-shipments', ids: n.shipmentIds });
    });
    note.show();
  };

  try {
    core = await startCore({
      dataDir,
      secrets: new SafeStorageSecretStore(safeStorage, join(dataDir, 'secrets.json')),
      showNotification,
      shell: 'electron',
      ...coreOverrides,
    });
  } catch (e) {
    // The headless mode (npm run serve) on the same data folder: Electron's own single-instance
    // lock does not see it, ours does. A store whose settings are gone must not start fresh
    // (every callback URL given to Kuaidi100 would break). Say which and why, then go.
    if (!(e instanceof DataDirLockedError) && !(e instanceof StoreUnrecoverableError)) throw e;
    dialog.showErrorBox('包裹提醒 ParcelTray', `${e.message}\n\n${e.messageEn}`);
    quit();
    return null;
  }
  const c = core;
  registerIpc(ipcMain, c.tracker, isTrusted);

  // ---- tray ------------------------------------------------------------------------------
  // macOS menu bars draw template images (black + alpha) in the bar's own colour, light or dark.
  const template = platform === 'darwin';
  const iconPath = (icon: TrayIcon): string => join(paths.assets, template ? `tray-${icon}Template.png` : `tray-${icon}.png`);
  const trayImage = (icon: TrayIcon): ReturnType<typeof nativeImage.createFromPath> => {
    const image = nativeImage.createFromPath(iconPath(icon));
    if (template) image.setTemplateImage(true);
    return image;
  };
  let shown: TrayIcon = 'normal';
  let lastModel: TrayModel | null = null;
  let updating: Promise<UpdateOutcome> | null = null;
  const runUpdateCheck = (): Promise<UpdateOutcome | null> => {
    if (!desktop.loadAutoUpdater) return Promise.resolve(null);
    // A second click while the dialog is open joins the first check.
    updating ??= checkForUpdates(desktop.loadAutoUpdater, dialog, app.getVersion(), c.store.settings.language).finally(() => (updating = null));
    return updating;
  };
  tray = new Tray(trayImage('normal'));
  tray.on('click', showWindow);
  let midnight: Task | null = null;
  const updateTray = async (): Promise<void> => {
    const status = await c.tracker.getStatus();
    if (!tray || !status.ok) return;
    // 今日签收 starts again at midnight, whether or not a change comes then to redraw the tray.
    const now = c.scheduler.now();
    midnight?.cancel();
    midnight = c.scheduler.after('tray-midnight', nextChinaMidnight(now) - now, () => updateTray());
    const model = trayModel(status.value, c.tracker.signedToday(), c.store.settings.language);
    lastModel = model;
    if (model.icon !== shown) {
      shown = model.icon;
      tray.setImage(trayImage(model.icon));
    }
    tray.setToolTip(model.tooltip);
    const paused = c.notifier.pausedUntil !== null;
    const L = model.labels;
    // Linux shows a tray icon only when it has a context menu.
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: L.delivering, enabled: false },
        { label: L.exception, enabled: false },
        { label: L.signedToday, enabled: false },
        { label: L.pickupLate, enabled: false, visible: model.counts.pickupLate > 0 },
        { type: 'separator' },
        { label: L.open, click: showWindow },
        {
          label: L.add,
          click: () => {
            showWindow();
            send({ type: 'ui', command: 'focus-entry' });
          },
        },
        { type: 'separator' },
        paused
          ? { label: L.resume, click: () => (c.notifier.pauseUntil(0), void updateTray()) }
          : { label: L.pause1h, click: () => (c.notifier.pauseUntil(Date.now() + 3600_000), void updateTray()) },
        { label: L.pauseTomorrow, enabled: !paused, click: () => (c.notifier.pauseUntil(tomorrowMorning(Date.now())), void updateTray()) },
        { type: 'separator' },
        ...(desktop.loadAutoUpdater ? [{ label: UPDATE_LABEL[c.store.settings.language], click: () => void runUpdateCheck() }] : []),
        { label: L.quit, click: quit },
      ]),
    );
  };
  let trayPending = false;
  // Change events come in bursts: redraw the tray at most every 500 ms. The core's scheduler
  // owns the timer, so a redraw can never run into a closed core.
  const scheduleTray = (): void => {
    if (trayPending) return;
    trayPending = true;
    c.scheduler.after('tray-redraw', 500, () => {
      trayPending = false;
      return updateTray();
    });
  };
  await updateTray();

  const applyLoginItem = (): void => {
    if (process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: c.store.settings.startAtLogin, args: ['--hidden'] });
  };
  applyLoginItem();

  c.tracker.onChange((event) => {
    send(event);
    if (event.type === 'shipment' || event.type === 'shipment-removed' || event.type === 'status' || event.type === 'settings') scheduleTray();
    if (event.type === 'settings') applyLoginItem();
  });

  app.on('will-quit', (e) => {
    if (!core) return;
    // Let the core finish writing before the process goes.
    e.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.exit(0));
  });

  if (!process.argv.includes('--hidden')) showWindow();

  return {
    core: c,
    showWindow,
    quit,
    get window() {
      return win;
    },
    get tray() {
      return tray;
    },
    get trayModel() {
      return lastModel;
    },
    checkForUpdates: runUpdateCheck,
  };
}
