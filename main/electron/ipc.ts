/**
 * The IPC side of the contract: one handler per API method, each checking who calls (only
 * our own page) and what it passes (the same validators as the HTTP API), then calling the
 * tracker. Answers are always a Result, so errors cross IPC typed.
 */
import { API_CHANNELS, API_METHODS, type ApiMethod, type ImportMappingDto, type ParcelTrayApi, type Result } from '../../preload/contract.js';
import { logFor } from '../core/log.js';
import {
  invalid, parseCarrierQuery, parseChannelList, parseExportFormat, parseId, parseImportFile, parseNewShipment, parseQuery, parseSettingsPatch, parseShipmentPatch,
} from '../core/input-validation.js';

export interface IpcEventLike {
  senderFrame: { url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

const log = logFor('ipc');

type Call = (api: ParcelTrayApi, args: unknown[]) => Promise<Result<unknown>>;

const noArgs = (fn: (api: ParcelTrayApi) => Promise<Result<unknown>>): Call => async (api, args) =>
  args.length ? invalid('args', '此方法不接受参数', 'This method takes no arguments') : fn(api);

const withId = (fn: (api: ParcelTrayApi, id: string) => Promise<Result<unknown>>): Call => async (api, args) => {
  const id = parseId(args[0]);
  return args.length !== 1 ? invalid('args', '需要一个 id', 'An id is required') : id.ok ? fn(api, id.value) : id;
};

const withBody = <T>(parse: (v: unknown) => Result<T>, fn: (api: ParcelTrayApi, v: T) => Promise<Result<unknown>>, optional = false): Call => async (api, args) => {
  if (args.length > 1 || (!optional && args.length === 0)) return invalid('args', '参数个数不对', 'Wrong number of arguments');
  const v = parse(args[0] ?? {});
  return v.ok ? fn(api, v.value) : v;
};

/** An id and a body: (id, patch). */
const withIdAndBody = <T>(parse: (v: unknown) => Result<T>, fn: (api: ParcelTrayApi, id: string, v: T) => Promise<Result<unknown>>): Call => async (api, args) => {
  if (args.length !== 2) return invalid('args', '需要 id 和修改内容', 'An id and the changes are required');
  const id = parseId(args[0]);
  if (!id.ok) return id;
  const v = parse(args[1]);
  return v.ok ? fn(api, id.value, v.value) : v;
};

export const IPC_CALLS: Record<ApiMethod, Call> = {
  listShipments: withBody((v) => parseQuery(v as Record<string, unknown>), (api, q) => api.listShipments(q), true),
  listPage: withBody((v) => parseQuery(v as Record<string, unknown>), (api, q) => api.listPage(q), true),
  getShipment: withId((api, id) => api.getShipment(id)),
  addShipment: withBody(parseNewShipment, (api, input) => api.addShipment(input)),
  resubscribe: withId((api, id) => api.resubscribe(id)),
  removeShipment: withId((api, id) => api.removeShipment(id)),
  updateShipment: withIdAndBody(parseShipmentPatch, (api, id, patch) => api.updateShipment(id, patch)),
  getSettings: noArgs((api) => api.getSettings()),
  updateSettings: withBody(parseSettingsPatch, (api, patch) => api.updateSettings(patch)),
  getStatus: noArgs((api) => api.getStatus()),
  listCarriers: withBody((v) => parseCarrierQuery(v as Record<string, unknown>), (api, q) => api.listCarriers(q)),
  checkTunnel: noArgs((api) => api.checkTunnel()),
  listNotifications: noArgs((api) => api.listNotifications()),
  planRepair: noArgs((api) => api.planRepair()),
  repair: noArgs((api) => api.repair()),
  listChannels: noArgs((api) => api.listChannels()),
  // The list is checked field by field by the channel service (the HTTP API's PUT does the same).
  replaceChannels: withBody(parseChannelList, (api, list) => api.replaceChannels(list)),
  testChannel: withId((api, id) => api.testChannel(id)),
  // Bytes arrive as a Uint8Array (structured clone); size and type are checked before parsing.
  previewImport: withBody(parseImportFile, (api, file) => api.previewImport(file)),
  remapImport: async (api, args) => {
    const id = parseId(args[0]);
    if (args.length !== 2) return invalid('args', '需要 id 和 mapping', 'An id and a mapping are required');
    return id.ok ? api.remapImport(id.value, args[1] as ImportMappingDto) : id;
  },
  commitImport: async (api, args) => {
    const id = parseId(args[0]);
    if (args.length < 1 || args.length > 2) return invalid('args', '需要 id（和可选的 { mapping }）', 'An id (and optionally { mapping }) is required');
    if (!id.ok) return id;
    const opts = args[1];
    if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) return invalid('options', '选项必须是对象', 'Options must be an object');
    const mapping = (opts as { mapping?: unknown } | undefined)?.mapping;
    return api.commitImport(id.value, mapping === undefined ? {} : { mapping: mapping as ImportMappingDto });
  },
  exportView: async (api, args) => {
    if (args.length !== 2) return invalid('args', '需要查询条件和格式', 'A query and a format are required');
    const query = parseQuery((args[0] ?? {}) as Record<string, unknown>);
    if (!query.ok) return query;
    const format = parseExportFormat(args[1]);
    return format.ok ? api.exportView(query.value, format.value) : format;
  },
};

export function registerIpc(ipcMain: IpcMainLike, api: ParcelTrayApi, isTrusted: (url: string | undefined) => boolean): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(API_CHANNELS[method], async (event, ...args) => {
      if (!isTrusted(event.senderFrame?.url)) {
        return { ok: false, error: { code: 'unauthorized', message: '来自不受信任页面的调用', messageEn: 'IPC from an untrusted page' } } satisfies Result<never>;
      }
      try {
        return await IPC_CALLS[method](api, args);
      } catch (e) {
        log.error(`${method} failed:`, e);
        return { ok: false, error: { code: 'internal', message: '内部错误（详情见日志文件）', messageEn: 'Internal error (details in the log file)' } } satisfies Result<never>;
      }
    });
  }
  return () => API_METHODS.forEach((m) => ipcMain.removeHandler(API_CHANNELS[m]));
}
