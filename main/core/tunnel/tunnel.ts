/** What the core needs from a tunnel: a public base URL and a state to show. */
import type { TunnelStatusDto } from '../../../preload/contract.js';

export interface Tunnel {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): TunnelStatusDto;
  /** The public origin (scheme://host) Kuaidi100 can reach, or null while there is none. */
  publicOrigin(): string | null;
  onChange(listener: () => void): () => void;
  /** Runs the self-check now and returns the resulting state. */
  checkNow(): Promise<TunnelStatusDto>;
}

/** Local only: no public URL; the sandbox still works because it pushes to loopback. */
export class NoTunnel implements Tunnel {
  readonly #since = new Date().toISOString();
  /** The configured mode, shown as is; with the sandbox a configured tunnel simply stays off. */
  constructor(readonly mode: TunnelStatusDto['mode'] = 'none') {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): TunnelStatusDto {
    return { mode: this.mode, state: 'off', url: null, error: null, since: this.#since };
  }
  publicOrigin(): string | null {
    return null;
  }
  onChange(): () => void {
    return () => {};
  }
  async checkNow(): Promise<TunnelStatusDto> {
    return this.status();
  }
}
