/** Electron main entry (bundled to dist/main/electron.js). Everything else is in app-shell. */
import * as electron from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runElectronApp } from './electron/app-shell.js';
import { logFor } from './core/log.js';

const here = dirname(fileURLToPath(import.meta.url));

// A portable install (or a test) keeps its store elsewhere; must be set before the app is ready.
if (process.env.PARCELTRAY_DATA_DIR) electron.app.setPath('userData', process.env.PARCELTRAY_DATA_DIR);

runElectronApp(electron, {
  indexHtml: join(here, '../renderer/index.html'),
  preload: join(here, '../preload/index.cjs'),
  assets: join(here, '../assets'),
}, {}, { loadAutoUpdater: async () => (await import('electron-updater')).default.autoUpdater }).then((shell) => {
  // The Playwright _electron test reads the tray through the main process.
  if (process.env.PARCELTRAY_E2E === '1') (globalThis as Record<string, unknown>).__parcelTrayShell = shell;
}).catch((e: unknown) => {
  logFor('main').error('ParcelTray failed to start:', e);
  electron.app.exit(1);
});
