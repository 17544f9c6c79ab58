/**
 * The sandboxed preload: exposes exactly the contract on window.parcelTray. `satisfies`
 * makes the compiler check this object against ParcelTrayApi, so the bridge and the
 * contract cannot drift apart.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNELS, BRIDGE_KEY, IPC_CHANNELS, type ApiMethod, type ChangeEvent, type ParcelTrayApi } from './contract.js';

const invoke =
  <M extends ApiMethod>(method: M) =>
  (...args: Parameters<ParcelTrayApi[M]>): ReturnType<ParcelTrayApi[M]> =>
    ipcRenderer.invoke(API_CHANNELS[method], ...args) as ReturnType<ParcelTrayApi[M]>;

const api = {
  listShipments: invoke('listShipments'),
  listPage: invoke('listPage'),
  getShipment: invoke('getShipment'),
  addShipment: invoke('addShipment'),
  resubscribe: invoke('resubscribe'),
  removeShipment: invoke('removeShipment'),
  updateShipment: invoke('updateShipment'),
  getSettings: invoke('getSettings'),
  updateSettings: invoke('updateSettings'),
  getStatus: invoke('getStatus'),
  listCarriers: invoke('listCarriers'),
  checkTunnel: invoke('checkTunnel'),
  listNotifications: invoke('listNotifications'),
  planRepair: invoke('planRepair'),
  repair: invoke('repair'),
  listChannels: invoke('listChannels'),
  replaceChannels: invoke('replaceChannels'),
  testChannel: invoke('testChannel'),
  previewImport: invoke('previewImport'),
  remapImport: invoke('remapImport'),
  commitImport: invoke('commitImport'),
  exportView: invoke('exportView'),
  onChange(listener: (event: ChangeEvent) => void): () => void {
    // One subscription for all change events; the IPC event object never reaches the page.
    const handler = (_e: Electron.IpcRendererEvent, event: ChangeEvent): void => listener(event);
    ipcRenderer.on(IPC_CHANNELS.change, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.change, handler);
  },
} satisfies ParcelTrayApi;

contextBridge.exposeInMainWorld(BRIDGE_KEY, api);

