/**
 * The seller's own public URL (a domain with a reverse proxy to the callback port). Nothing
 * to connect, but it is self-checked all the same: a proxy pointing elsewhere loses pushes
 * just as surely as a dead tunnel.
 */
import { EventEmitter } from 'node:events';
import type { TunnelStatusDto } from '../../../preload/contract.js';
import type { TunnelStatusWithEn } from '../../../preload/tunnel-status-en.js';
import { systemClock, type Clock } from '../clock.js';
import type { HealthProbe } from './health-probe.js';
import { selfCheck } from './self-check.js';
import type { Tunnel } from './tunnel.js';

export interface PublicUrlOptions {
  publicUrl: string;
  probe: HealthProbe;
  clock?: Clock;
  checkIntervalMs?: number;
  checkTimeoutMs?: number;
}

export class PublicUrlTunnel implements Tunnel {
  readonly #o: PublicUrlOptions;
  readonly #clock: Clock;
  readonly #origin: string;
  readonly #events = new EventEmitter();
  #status: TunnelStatusWithEn;
  #timer: unknown = null;
  #running = false;

  constructor(options: PublicUrlOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#origin = new URL(options.publicUrl).origin;
    this.#status = this.#make('off', null);
  }

  #make(state: TunnelStatusDto['state'], error: string | null, errorEn: string | null = error): TunnelStatusWithEn {
    return { mode: 'public', state, url: this.#origin, error, errorEn, since: new Date(this.#clock.now()).toISOString() };
  }

  status(): TunnelStatusDto {
    return this.#status;
  }

  /** The seller's URL does not change, so it is handed out even while a check fails. */
  publicOrigin(): string | null {
    return this.#origin;
  }

  onChange(listener: () => void): () => void {
    this.#events.on('change', listener);
    return () => this.#events.off('change', listener);
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#status = this.#make('connecting', null);
    this.#events.emit('change');
    void this.checkNow();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clock.clearTimeout(this.#timer);
    this.#status = this.#make('off', null);
    this.#events.emit('change');
  }

  async checkNow(): Promise<TunnelStatusDto> {
    const r = await selfCheck(this.#origin, this.#o.probe, null, this.#o.checkTimeoutMs ?? 10_000, this.#clock);
    if (!this.#running) return this.#status;
    const next = r.ok ? this.#make('up', null) : this.#make('down', r.error, r.errorEn);
    if (next.state !== this.#status.state || next.error !== this.#status.error) {
      this.#status = next;
      this.#events.emit('change');
    }
    this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(() => void this.checkNow(), this.#o.checkIntervalMs ?? 60_000);
    return this.#status;
  }
}
