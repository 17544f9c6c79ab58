/** What the core announces to every listener (the window, the tray, the HTTP event stream). */
import type { NotificationDto, SettingsDto, ShipmentDto, StatusDto } from './dtos.js';
import type { ChannelDto } from './channel-dtos.js';

export type ChangeEvent =
  | { type: 'shipment'; shipment: ShipmentDto }
  | { type: 'shipment-removed'; id: string }
  | { type: 'status'; status: StatusDto }
  | { type: 'settings'; settings: SettingsDto }
  | { type: 'notification'; notification: NotificationDto }
  /** The forwarding channels, after a change of the list or a delivery attempt (delivery state). */
  | { type: 'channels'; channels: ChannelDto[] }
  /** Commands from the shell (tray menu, a clicked notification) to the window. */
  | { type: 'ui'; command: 'focus-entry' }
  | { type: 'ui'; command: 'open-shipment'; id: string }
  /** A clicked summary notification: list exactly these parcels. */
  | { type: 'ui'; command: 'show-shipments'; ids: string[] }
  /** The event stream came back after a break: what was missed must be asked for again. */
  | { type: 'ui'; command: 'resync' };
