/**
 * Records when the app could not receive pushes, in the store so it survives restarts:
 * - not running: from the last heartbeat of the previous run to this start (a heartbeat file
 *   is rewritten every minute; it is tiny, so the store is not rewritten for it);
 * - tunnel down: while a real provider's callback URL is unreachable.
 * lifecycle.staleOf compares these with Kuaidi100's retry window.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { TunnelStatusDto } from '../../preload/contract.js';
import type { Clock } from './clock.js';
import type { ShipmentStore } from './store/shipment-store.js';

export class OutageJournal {
  #timer: unknown = null;
  #tunnelDown = false;

  constructor(
    private readonly store: ShipmentStore,
    private readonly clock: Clock,
    private readonly file: string,
    private readonly intervalMs = 60_000,
  ) {}

  async start(): Promise<void> {
    const last = this.#readHeartbeat();
    const now = this.clock.now();
    // A tunnel outage still open from the last run ended, as far as we know, when it stopped.
    if (this.store.journal.some((o) => o.reason === 'tunnel-down' && o.to === null)) {
      await this.store.closeOutage('tunnel-down', new Date(last ?? now).toISOString());
    }
    if (last !== null && now - last > 2 * this.intervalMs) {
      await this.store.addOutage({ from: new Date(last).toISOString(), to: new Date(now).toISOString(), reason: 'not-running' });
    }
    this.#beat();
  }

  stop(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#write(this.clock.now());
  }

  /** Called on every tunnel change; `relevant` is false when pushes do not need the tunnel (sandbox). */
  async tunnelChanged(status: TunnelStatusDto, relevant: boolean): Promise<void> {
    const down = relevant && status.state === 'down';
    if (down === this.#tunnelDown) return;
    this.#tunnelDown = down;
    if (down) await this.store.addOutage({ from: status.since, to: null, reason: 'tunnel-down' });
    else await this.store.closeOutage('tunnel-down', new Date(this.clock.now()).toISOString());
  }

  #beat(): void {
    this.#write(this.clock.now());
    this.#timer = this.clock.setTimeout(() => this.#beat(), this.intervalMs);
  }

  #write(at: number): void {
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify({ at }));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (e) {
      console.error('heartbeat:', e);
    }
  }

  #readHeartbeat(): number | null {
    try {
      const { at } = JSON.parse(readFileSync(this.file, 'utf8')) as { at?: unknown };
      return typeof at === 'number' ? at : null;
    } catch {
      return null;
    }
  }
}
