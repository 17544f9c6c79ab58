/**
 * The browser implementation of the contract, for the headless mode: the JSON API plus
 * server-sent events. The token comes from the address the server printed (#token=…).
 */
import type { ApiError, ChangeEvent, ParcelTrayApi, Result } from '../../../preload/contract.js';

const UNREACHABLE: ApiError = { code: 'internal', message: '无法连接 ParcelTray 服务（它还在运行吗？）', messageEn: 'Cannot reach the ParcelTray service (is it still running?)' };

export class HttpApi implements ParcelTrayApi {
  readonly #base: string;
  readonly #token: string;
  #streamDown = false;

  constructor(token: string, base = '') {
    this.#base = base;
    this.#token = token;
  }

  async #fetch(method: string, path: string, body?: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response | null> {
    try {
      return await fetch(`${this.#base}/api${path}`, { method, headers: { authorization: `Bearer ${this.#token}`, ...headers }, body });
    } catch {
      return null;
    }
  }

  async #call<T>(method: string, path: string, body?: unknown, raw?: { bytes: Uint8Array; headers: Record<string, string> }): Promise<Result<T>> {
    const res = raw
      ? await this.#fetch(method, path, raw.bytes as unknown as BodyInit, raw.headers)
      : await this.#fetch(method, path, body === undefined ? undefined : JSON.stringify(body));
    if (!res) return { ok: false, error: UNREACHABLE };
    const json = (await res.json().catch(() => null)) as T | { error: ApiError } | null;
    if (res.ok) return { ok: true, value: json as T };
    const error = json && typeof json === 'object' && 'error' in json ? json.error : { code: 'internal' as const, message: `HTTP ${res.status}` };
    return { ok: false, error };
  }

  listShipments: ParcelTrayApi['listShipments'] = (query = {}) => {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]);
    return this.#call('GET', `/shipments${qs.size ? `?${qs}` : ''}`);
  };
  listPage: ParcelTrayApi['listPage'] = (query) => {
    // While the event stream is broken the server is most likely gone (stopped, restarting):
    // a page asked for now would only fail; the stream's return asks again (resync).
    if (this.#streamDown) return Promise.resolve({ ok: false, error: { code: 'internal', message: '与 ParcelTray 服务的连接已断开', messageEn: 'Lost the connection to the ParcelTray service' } });
    const entries = Object.entries({ ...query, offset: query.offset ?? 0 })
      .filter(([, v]) => v !== undefined && v !== false && v !== '')
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)] as [string, string]);
    return this.#call('GET', `/shipments?${new URLSearchParams(entries)}`);
  };
  getShipment: ParcelTrayApi['getShipment'] = (id) => this.#call('GET', `/shipments/${encodeURIComponent(id)}`);
  addShipment: ParcelTrayApi['addShipment'] = (input) => this.#call('POST', '/shipments', input);
  resubscribe: ParcelTrayApi['resubscribe'] = (id) => this.#call('POST', `/shipments/${encodeURIComponent(id)}/resubscribe`);
  removeShipment: ParcelTrayApi['removeShipment'] = (id) => this.#call('DELETE', `/shipments/${encodeURIComponent(id)}`);
  updateShipment: ParcelTrayApi['updateShipment'] = (id, patch) => this.#call('PATCH', `/shipments/${encodeURIComponent(id)}`, patch);
  getSettings: ParcelTrayApi['getSettings'] = () => this.#call('GET', '/settings');
  updateSettings: ParcelTrayApi['updateSettings'] = (patch) => this.#call('PUT', '/settings', patch);
  getStatus: ParcelTrayApi['getStatus'] = () => this.#call('GET', '/status');
  listCarriers: ParcelTrayApi['listCarriers'] = (query) => {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.#call('GET', `/carriers?${qs}`);
  };

  checkTunnel: ParcelTrayApi['checkTunnel'] = () => this.#call('POST', '/tunnel/check');
  listNotifications: ParcelTrayApi['listNotifications'] = () => this.#call('GET', '/notifications');
  planRepair: ParcelTrayApi['planRepair'] = () => this.#call('GET', '/repair');
  repair: ParcelTrayApi['repair'] = () => this.#call('POST', '/repair');
  listChannels: ParcelTrayApi['listChannels'] = () => this.#call('GET', '/channels');
  replaceChannels: ParcelTrayApi['replaceChannels'] = (inputs) => this.#call('PUT', '/channels', inputs);
  testChannel: ParcelTrayApi['testChannel'] = (id) => this.#call('POST', `/channels/${encodeURIComponent(id)}/test`);

  previewImport: ParcelTrayApi['previewImport'] = ({ filename, bytes }) =>
    this.#call('POST', '/imports', undefined, { bytes, headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(filename) } });
  remapImport: ParcelTrayApi['remapImport'] = (id, mapping) => this.#call('POST', `/imports/${encodeURIComponent(id)}/mapping`, { mapping });
  commitImport: ParcelTrayApi['commitImport'] = (id, options = {}) => this.#call('POST', `/imports/${encodeURIComponent(id)}/commit`, options);
  /** The same file GET /api/export serves, fetched with the token in the header (never in a link). */
  exportView: ParcelTrayApi['exportView'] = async (query, format) => {
    const qs = new URLSearchParams(Object.entries({ ...query, format }).filter(([, v]) => v !== undefined && v !== false && v !== '') as [string, string][]);
    const res = await this.#fetch('GET', `/export?${qs}`);
    if (!res) return { ok: false, error: UNREACHABLE };
    if (!res.ok) {
      const json = (await res.json().catch(() => null)) as { error?: ApiError } | null;
      return { ok: false, error: json?.error ?? { code: 'internal', message: `HTTP ${res.status}` } };
    }
    const disposition = res.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const filename = star ? decodeURIComponent(star) : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? `parcels.${format}`);
    return { ok: true, value: { filename, contentType: res.headers.get('content-type') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) } };
  };

  onChange(listener: (event: ChangeEvent) => void): () => void {
    const source = new EventSource(`${this.#base}/api/events?token=${encodeURIComponent(this.#token)}`);
    const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data) as ChangeEvent);
    source.addEventListener('change', handler);
    source.addEventListener('error', () => {
      this.#streamDown = true;
    });
    source.addEventListener('open', () => {
      if (!this.#streamDown) return;
      this.#streamDown = false;
      listener({ type: 'ui', command: 'resync' });
    });
    return () => source.close();
  }
}
