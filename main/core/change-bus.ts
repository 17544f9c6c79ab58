/**
 * Every change the core announces goes through here: to the window, the tray and the HTTP
 * event stream. Status counts cover every shipment, so a burst of pushes announces them once
 * (coalesced on one timer), and once stopped no status timer can fire any more.
 */
import type { ChangeEvent, ShipmentDto, StatusDto } from '../../preload/contract.js';
import type { Clock } from './clock.js';
import type { ShipmentRecord } from './store/schema.js';
import { logFor } from './log.js';

const log = logFor('change-bus');

/** A burst of pushes within this window announces the counts once. */
export const STATUS_COALESCE_MS = 200;

export interface ChangeBusDeps {
  clock: Clock;
  /** The status as it is now (counts, tunnel, provider). */
  status(): StatusDto;
  /** A stored record as a list shows it. */
  summary(rec: ShipmentRecord): ShipmentDto;
}

export class ChangeBus {
  readonly #d: ChangeBusDeps;
  readonly #listeners = new Set<(e: ChangeEvent) => void>();
  #statusTimer: unknown = null;
  #stopped = false;

  constructor(deps: ChangeBusDeps) {
    this.#d = deps;
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One listener that throws must not keep the event from the others. */
  emit(event: ChangeEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        log.error('change listener failed:', e);
      }
    }
  }

  /** Announces the status now. */
  status(): void {
    this.emit({ type: 'status', status: this.#d.status() });
  }

  /** Announces a stored shipment (not a removed one) and, soon after, the new counts. */
  shipment(rec: ShipmentRecord): void {
    if (rec.removedAt) return;
    this.emit({ type: 'shipment', shipment: this.#d.summary(rec) });
    this.statusSoon();
  }

  statusSoon(): void {
    if (this.#stopped || this.#statusTimer !== null) return;
    this.#statusTimer = this.#d.clock.setTimeout(() => {
      this.#statusTimer = null;
      // A clock may still run a callback it was asked to cancel; after stop the servers are gone.
      if (this.#stopped) return;
      this.status();
    }, STATUS_COALESCE_MS);
  }

  /** No status timer runs after this; direct emits still reach listeners (work finishing during stop). */
  stop(): void {
    this.#stopped = true;
    if (this.#statusTimer !== null) this.#d.clock.clearTimeout(this.#statusTimer);
    this.#statusTimer = null;
  }
}
