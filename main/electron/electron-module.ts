/** The parts of the `electron` module the shell uses; tests pass a fake with this shape. */
import type * as Electron from 'electron';

export type ElectronModule = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'Tray' | 'Menu' | 'Notification' | 'nativeImage' | 'ipcMain' | 'safeStorage' | 'shell' | 'session' | 'dialog'>;
