/**
 * Turns shipment change events into notifications: remembers what each parcel looked like,
 * asks the policy, never repeats a key, folds a burst (a backlog after the tunnel came back,
 * a batch import) into one summary, honours a pause, and keeps a short history for the UI.
 */
import type { ChangeEvent, Language, NotificationDto, NotifySettingsDto } from '../../../preload/contract.js';
import { systemClock, type Clock } from '../clock.js';
import { noticeFor, notifyMemoryOf, summarise, type Notice, type NotifyMemory } from './notify-policy.js';
import { providerNotice, type ProviderStatus } from './provider-notice.js';

export interface NotifierOptions {
  settings(): { notify: NotifySettingsDto; language: Language };
  /** Pops a notification up (the shell's job); called only when not paused. */
  show(n: NotificationDto): void;
  /** Every notification, paused or not (for the in-app history). */
  recorded?(n: NotificationDto): void;
  clock?: Clock;
  /** Notices within this window are shown together… */
  foldWindowMs?: number;
  /** …and folded into one summary when there are more than this many. */
  foldAbove?: number;
  historySize?: number;
}

export class Notifier {
  readonly #o: NotifierOptions;
  readonly #clock: Clock;
  /** A few fields per parcel (not its list row: 30,000 of those were tens of megabytes). */
  readonly #seen = new Map<string, NotifyMemory>();
  readonly #notified = new Set<string>();
  #pending: Notice[] = [];
  #timer: unknown = null;
  #pausedUntil = 0;
  #provider: ProviderStatus | null = null;
  readonly history: NotificationDto[] = [];

  constructor(options: NotifierOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * What is already known is not news: call at start with every parcel's marks (a few fields
   * from the list index; building every list row here cost 1.7 s at 30,000 parcels). A late
   * pickup is among them, so a restart does not announce it again at the parcel's next change.
   */
  prime(marks: Iterable<NotifyMemory & { id: string }>): void {
    for (const m of marks) this.#seen.set(m.id, notifyMemoryOf(m));
  }

  /** The provider's state at start is not news either (a restart does not notify it again). */
  primeProvider(provider: ProviderStatus): void {
    this.#provider = provider;
  }

  pauseUntil(epochMs: number): void {
    this.#pausedUntil = epochMs;
  }

  get pausedUntil(): number | null {
    return this.#pausedUntil > this.#clock.now() ? this.#pausedUntil : null;
  }

  handle(event: ChangeEvent): void {
    if (event.type === 'shipment-removed') {
      this.#seen.delete(event.id);
      return;
    }
    if (event.type === 'status') {
      this.#providerChanged(event.status.provider);
      return;
    }
    if (event.type !== 'shipment') return;
    const s = event.shipment;
    const before = this.#seen.get(s.id);
    this.#seen.set(s.id, notifyMemoryOf(s));
    const { notify, language } = this.#o.settings();
    const notice = noticeFor(before, s, notify, language);
    if (!notice || this.#notified.has(notice.key)) return;
    this.#notified.add(notice.key);
    this.#pending.push(notice);
    this.#timer ??= this.#clock.setTimeout(() => this.flush(), this.#o.foldWindowMs ?? 1500);
  }

  /** The provider turned not ready: one notification at once, never folded with parcels. */
  #providerChanged(provider: ProviderStatus): void {
    const notice = providerNotice(this.#provider, provider, this.#o.settings().language);
    this.#provider = provider;
    if (!notice || this.#notified.has(notice.key)) return;
    this.#notified.add(notice.key);
    this.announce(notice);
  }

  /** Records and shows a notice that is about the app, not a parcel (damaged files mended at start). */
  announce(notice: { title: string; body: string }): void {
    this.#record({ shipmentId: null, title: notice.title, body: notice.body, at: new Date(this.#clock.now()).toISOString(), count: 1 });
    this.history.splice(this.#o.historySize ?? 100);
  }

  #record(n: NotificationDto): void {
    this.history.unshift(n);
    this.#o.recorded?.(n);
    // Paused: kept in the history, not popped up.
    if (this.#clock.now() >= this.#pausedUntil) this.#o.show(n);
  }

  /** Shows what is pending now (also called when the fold window closes). */
  flush(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (!batch.length) return;
    const at = new Date(this.#clock.now()).toISOString();
    const shown: NotificationDto[] =
      batch.length > (this.#o.foldAbove ?? 3)
        ? [{ shipmentId: null, ...summarise(batch, this.#o.settings().language), at, count: batch.length, shipmentIds: [...new Set(batch.map((n) => n.shipmentId))] }]
        : batch.map((n) => ({ shipmentId: n.shipmentId, title: n.title, body: n.body, at, count: 1 }));
    for (const n of shown) this.#record(n);
    this.history.splice(this.#o.historySize ?? 100);
  }
}
