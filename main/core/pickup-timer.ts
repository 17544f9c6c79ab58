/**
 * The one timer of the pickup watch: it sleeps until the earliest pickup deadline, then lets
 * the list index re-decide lateness and announces the parcels that turned late, so the flag
 * (and its one notification) appears without waiting for a push. The rule itself is pure
 * (pickup-watch.ts); this is its clock. (A shared scheduler can take this over later.)
 */
import type { Clock } from './clock.js';
import type { PickupCheck, ShipmentListIndex } from './shipment-list-index.js';
import type { ShipmentRecord } from './store/schema.js';

export interface PickupTimerDeps {
  clock: Clock;
  index: ShipmentListIndex;
  /** Announces a parcel whose flag changed (a change event: window, tray, notifier). */
  announce(rec: ShipmentRecord): void;
}

export class PickupTimer {
  readonly #d: PickupTimerDeps;
  #timer: unknown = null;
  #armedFor: number | null = null;
  #running = false;

  constructor(deps: PickupTimerDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#running = true;
    this.check();
  }

  stop(): void {
    this.#running = false;
    this.#disarm();
  }

  /** A record changed: wake earlier if its deadline comes before the one we sleep until. */
  noticeDeadline(due: number | null): void {
    if (!this.#running || due === null) return;
    if (this.#armedFor === null || due < this.#armedFor) this.#arm(due);
  }

  /** Re-decides every deadline now (start, a changed hours setting) and sleeps until the next. */
  check({ changed, next }: PickupCheck = this.#d.index.checkPickups(this.#d.clock.now())): void {
    // Armed before announcing: a deadline a listener's change brings earlier still wakes us (noticeDeadline).
    if (this.#running) {
      if (next === null) this.#disarm();
      else this.#arm(next);
    }
    for (const id of changed) {
      const e = this.#d.index.get(id);
      if (e) this.#d.announce(e.rec);
    }
  }

  #arm(at: number): void {
    this.#disarm();
    this.#armedFor = at;
    this.#timer = this.#d.clock.setTimeout(() => {
      this.#timer = null;
      this.#armedFor = null;
      if (this.#running) this.check();
    }, Math.max(0, at - this.#d.clock.now()));
  }

  #disarm(): void {
    if (this.#timer !== null) this.#d.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#armedFor = null;
  }
}
