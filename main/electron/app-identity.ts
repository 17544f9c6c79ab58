/**
 * The app's identity as the OS knows it. Windows groups toasts and taskbar entries by the
 * AppUserModelId, and an installed app's shortcut carries electron-builder's appId: the two
 * must match or notifications come from "electron.app.ParcelTray". A test parses
 * electron-builder.yml to keep them equal.
 */
export const APP_ID = 'com.parceltray.app';
