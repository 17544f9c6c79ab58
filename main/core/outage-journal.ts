/**
 * Records when the app could not receive pushes, in the store so it survives restarts:
 * - not running: from the last heartbeat of the previous run to this start (a tiny heartbeat
 *   file, not the store, is rewritten every HEARTBEAT_MS and on a clean stop);
 * - tunnel down: while a real provider's callback URL is unreachable.
 * lifecycle.staleOf compares these with Kuaidi100's retry window.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { TunnelStatusDto } from '../../preload/contract.js';
import { PUSH_RETRY_WINDOW_MS } from './lifecycle.js';
import { logFor } from './log.js';
import type { Scheduler, Task } from './scheduler.js';
import type { ShipmentStore } from './store/shipment-store.js';

const log = logFor('journal');

/**
 * Coarse on purpose: Kuaidi100 retries a failed push for PUSH_RETRY_WINDOW_MS, so an outage
 * shorter than that loses nothing and need not be seen. A crash stamps the outage from the last
 * beat, up to one interval early: the safe side (a parcel is checked, never silently missed).
 */
export const HEARTBEAT_MS = 5 * 60_000;
/** A gap longer than two beats is an outage; a late timer (a busy or sleeping machine) is not. */
export const outageGapMs = (intervalMs: number): number => 2 * intervalMs;

export class OutageJournal {
  #task: Task | null = null;
  #fd: number | null = null;
  #tunnelDown = false;

  constructor(
    private readonly store: ShipmentStore,
    private readonly scheduler: Scheduler,
    private readonly file: string,
    private readonly intervalMs = HEARTBEAT_MS,
  ) {
    // Beats further apart than the retry window would hide outages that lose pushes.
    if (outageGapMs(intervalMs) >= PUSH_RETRY_WINDOW_MS) throw new Error(`heartbeat interval ${intervalMs} ms is too coarse`);
  }

  /** When the previous run was last known to be running (its last heartbeat), or null: none found. */
  lastAlive: number | null = null;

  async start(): Promise<void> {
    const last = this.#readHeartbeat();
    this.lastAlive = last;
    const now = this.scheduler.now();
    // A tunnel outage still open from the last run ended, as far as we know, when it stopped.
    if (this.store.journal.some((o) => o.reason === 'tunnel-down' && o.to === null)) {
      await this.store.closeOutage('tunnel-down', new Date(last ?? now).toISOString());
    }
    if (last !== null && now - last > outageGapMs(this.intervalMs)) {
      await this.store.addOutage({ from: new Date(last).toISOString(), to: new Date(now).toISOString(), reason: 'not-running' });
    }
    this.#write(now);
    this.#task = this.scheduler.every('heartbeat', this.intervalMs, () => this.#write(this.scheduler.now()));
  }

  /** A clean stop is the last moment the app was listening. */
  stop(): void {
    this.#task?.cancel();
    this.#task = null;
    this.#write(this.scheduler.now());
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  /** Called on every tunnel change; `relevant` is false when pushes do not need the tunnel (sandbox). */
  async tunnelChanged(status: TunnelStatusDto, relevant: boolean): Promise<void> {
    const down = relevant && status.state === 'down';
    if (down === this.#tunnelDown) return;
    this.#tunnelDown = down;
    if (down) await this.store.addOutage({ from: status.since, to: null, reason: 'tunnel-down' });
    else await this.store.closeOutage('tunnel-down', new Date(this.scheduler.now()).toISOString());
  }

  /**
   * One small write in place, padded to a fixed width: a single pwrite of 32 bytes is never
   * seen half-done after a process crash, and costs far less than write-and-rename each beat.
   */
  #write(at: number): void {
    try {
      this.#fd ??= openSync(this.file, 'w', 0o600);
      writeSync(this.#fd, JSON.stringify({ at }).padEnd(32, ' '), 0, 'utf8');
    } catch (e) {
      log.error('heartbeat not written:', e);
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
