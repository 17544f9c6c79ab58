/**
 * The one contract between ParcelTray's UI and its core. The Electron preload exposes it over
 * IPC, the headless mode over HTTP; the renderer only ever sees `ParcelTrayApi`. No Node or
 * Electron types here: the renderer compiles these files with DOM types only.
 *
 * Split by kind under contract/: data shapes (dtos), tabs (groups), the API and its results
 * (api), change events (events), IPC channel names (channels). Import from here.
 */
export * from './contract/dtos.js';
export * from './contract/groups.js';
export * from './contract/events.js';
export * from './contract/api.js';
export * from './contract/channels.js';
export * from './contract/channel-dtos.js';
export * from './contract/imports.js';
