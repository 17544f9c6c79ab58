/**
 * IPC channel names, the only place they are spelled. The table is checked against the API:
 * a method missing here (or one that is not in the API) is a compile error, and the list of
 * methods registered over IPC is read from it, so none can be silently left out.
 */
import type { ApiMethod } from './api.js';

export const API_CHANNELS = {
  listShipments: 'parceltray:listShipments',
  listPage: 'parceltray:listPage',
  getShipment: 'parceltray:getShipment',
  addShipment: 'parceltray:addShipment',
  resubscribe: 'parceltray:resubscribe',
  removeShipment: 'parceltray:removeShipment',
  updateShipment: 'parceltray:updateShipment',
  getSettings: 'parceltray:getSettings',
  updateSettings: 'parceltray:updateSettings',
  getStatus: 'parceltray:getStatus',
  listCarriers: 'parceltray:listCarriers',
  checkTunnel: 'parceltray:checkTunnel',
  listNotifications: 'parceltray:listNotifications',
  planRepair: 'parceltray:planRepair',
  repair: 'parceltray:repair',
  listChannels: 'parceltray:listChannels',
  replaceChannels: 'parceltray:replaceChannels',
  testChannel: 'parceltray:testChannel',
  previewImport: 'parceltray:previewImport',
  remapImport: 'parceltray:remapImport',
  commitImport: 'parceltray:commitImport',
  exportView: 'parceltray:exportView',
} as const satisfies { [M in ApiMethod]: `parceltray:${M}` };

/** Request/response methods of the API, in the table's order. */
export const API_METHODS = Object.keys(API_CHANNELS) as readonly ApiMethod[];

export const IPC_CHANNELS = {
  invoke: <M extends ApiMethod>(method: M): (typeof API_CHANNELS)[M] => API_CHANNELS[method],
  change: 'parceltray:change',
} as const;

/** The name under which the preload exposes the API on `window`. */
export const BRIDGE_KEY = 'parcelTray';
