/**
 * The browser implementation of the contract, for the headless mode: the JSON API plus
 * server-sent events. The token comes from the address the server printed (#token=…).
 */
import type { ApiError, ChangeEvent, ParcelTrayApi, Result } from '../../../preload/contract.js';

export class HttpApi implements ParcelTrayApi {
  readonly #base: string;
  readonly #token: string;

  constructor(token: string, base = '') {
    this.#base = base;
    this.#token = token;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      return { ok: false, error: { code: 'internal', message: '无法连接 ParcelTray 服务（它还在运行吗？）' } };
    }
    const json = (await res.json().catch(() => null)) as T | { error: ApiError } | null;
    if (res.ok) return { ok: true, value: json as T };
    const error = json && typeof json === 'object' && 'error' in json ? json.error : { code: 'internal' as const, message: `HTTP ${res.status}` };
    return { ok: false, error };
  }

  listShipments: ParcelTrayApi['listShipments'] = (query = {}) => {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]);
    return this.#call('GET', `/shipments${qs.size ? `?${qs}` : ''}`);
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

  onChange(listener: (event: ChangeEvent) => void): () => void {
    const source = new EventSource(`${this.#base}/api/events?token=${encodeURIComponent(this.#token)}`);
    const handler = (e: MessageEvent<string>): void => listener(JSON.parse(e.data) as ChangeEvent);
    source.addEventListener('change', handler);
    return () => source.close();
  }
}
