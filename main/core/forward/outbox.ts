/**
 * The durable outbox: one queue per channel, saved through a port after every change, so a
 * message accepted is delivered even across a crash or restart. A failed send keeps its place
 * at the head and is retried with backoff (30 s, 2 min, 10 min, 30 min, then every 30 min) —
 * never dropped unless the channel is deleted. The rate limit and quiet hours only delay.
 */
import type { ChannelDeliveryDto } from '../../../preload/channel-dtos.js';
import type { Clock } from '../clock.js';
import type { QuietHoursDto } from '../../../preload/channel-dtos.js';
import type { ChannelMessage } from './message-format.js';
import type { SendResult } from './send-result.js';
import type { ForwardItem } from './forward-events.js';
import { quietUntil } from './quiet-hours.js';
import { nextSlot, pruneSent, ROBOT_RATE_LIMIT, type RateLimit } from './rate-window.js';

export interface QueuedMessage {
  id: string;
  /** Dedupe keys of the transitions it carries. */
  keys: string[];
  message: ChannelMessage;
  createdAt: number;
}

export interface ChannelOutboxState {
  queue: QueuedMessage[];
  /** Times of successful sends inside the rate window. */
  sentAt: number[];
  /** Consecutive failures of the message at the head. */
  failures: number;
  nextAttemptAt: number | null;
  lastOkAt: number | null;
  lastError: string | null;
  lastErrorEn: string | null;
  /** Keys already delivered (newest last, capped): a transition is never sent twice. */
  sentKeys: string[];
  /** Items held back to be sent as one message at `until` (e-mail digest, end of quiet hours). */
  held: { until: number; items: ForwardItem[] } | null;
}

export interface OutboxState {
  version: 1;
  channels: Record<string, ChannelOutboxState>;
}

/** Where the outbox lives; the integrator backs it with the store. */
export interface OutboxPort {
  load(): OutboxState | null | undefined;
  save(state: OutboxState): Promise<void>;
}

export interface OutboxOptions {
  port: OutboxPort;
  clock: Clock;
  send(channelId: string, message: ChannelMessage): Promise<SendResult>;
  /** The channel's quiet hours now (settings may change while messages wait). */
  quietHours(channelId: string): QuietHoursDto | null;
  rateLimit?: RateLimit;
  backoffMs?: readonly number[];
  sentKeysCap?: number;
  /** Called after each delivery attempt (for the UI). */
  changed?(channelId: string): void;
  /** Held items are due: format them and enqueue (the service's job). */
  release?(channelId: string, items: ForwardItem[]): void;
}

export const DEFAULT_BACKOFF_MS: readonly number[] = [30_000, 120_000, 600_000, 1_800_000];

export function emptyChannelState(): ChannelOutboxState {
  return { queue: [], sentAt: [], failures: 0, nextAttemptAt: null, lastOkAt: null, lastError: null, lastErrorEn: null, sentKeys: [], held: null };
}

/** Accepts a saved state of unknown age; anything unreadable is dropped channel by channel. */
function sanitize(raw: OutboxState | null | undefined): OutboxState {
  const out: OutboxState = { version: 1, channels: {} };
  if (!raw || typeof raw !== 'object' || !raw.channels || typeof raw.channels !== 'object') return out;
  for (const [id, c] of Object.entries(raw.channels)) {
    if (!c || !Array.isArray(c.queue)) continue;
    const held = c.held && Array.isArray(c.held.items) && typeof c.held.until === 'number' ? c.held : null;
    out.channels[id] = { ...emptyChannelState(), ...c, held, queue: c.queue.filter((m) => m && m.message && Array.isArray(m.keys)) };
  }
  return out;
}

export class Outbox {
  readonly #o: OutboxOptions;
  readonly #state: OutboxState;
  readonly #timers = new Map<string, unknown>();
  readonly #holdTimers = new Map<string, unknown>();
  readonly #busy = new Set<string>();
  readonly #inflight = new Set<Promise<void>>();
  #saving: Promise<void> = Promise.resolve();
  #closed = false;
  #seq = 0;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#state = sanitize(options.port.load());
  }

  /** Starts delivering what a previous run left queued. */
  start(): void {
    for (const [id, c] of Object.entries(this.#state.channels)) {
      if (c.held) this.#scheduleRelease(id);
      this.#pump(id);
    }
  }

  #channel(id: string): ChannelOutboxState {
    let c = this.#state.channels[id];
    if (!c) {
      c = emptyChannelState();
      this.#state.channels[id] = c;
    }
    return c;
  }

  /** True when this transition was already delivered or is waiting. */
  known(channelId: string, key: string): boolean {
    const c = this.#state.channels[channelId];
    if (!c) return false;
    return c.sentKeys.includes(key) || c.queue.some((m) => m.keys.includes(key)) || (c.held?.items.some((i) => i.key === key) ?? false);
  }

  /** Keeps items (persisted) until `until`, then hands them to `release` together. */
  hold(channelId: string, items: ForwardItem[], until: number): void {
    if (this.#closed) return;
    const c = this.#channel(channelId);
    if (!c.held) c.held = { until, items: [] };
    for (const i of items) if (!c.held.items.some((x) => x.key === i.key)) c.held.items.push(i);
    this.#save();
    this.#scheduleRelease(channelId);
  }

  #scheduleRelease(id: string): void {
    const c = this.#state.channels[id];
    if (!c?.held || this.#holdTimers.has(id) || this.#closed) return;
    this.#holdTimers.set(id, this.#o.clock.setTimeout(() => {
      this.#holdTimers.delete(id);
      const now = this.#state.channels[id];
      if (!now?.held || this.#closed) return;
      const items = now.held.items;
      now.held = null;
      this.#save();
      this.#o.release?.(id, items);
    }, Math.max(0, c.held.until - this.#o.clock.now())));
  }

  enqueue(channelId: string, keys: string[], message: ChannelMessage): void {
    if (this.#closed) return;
    const c = this.#channel(channelId);
    c.queue.push({ id: `${this.#o.clock.now().toString(36)}-${(this.#seq++).toString(36)}`, keys, message, createdAt: this.#o.clock.now() });
    this.#save();
    this.#pump(channelId);
  }

  /** Records a send made outside the queue (a test message) so the rate window and state see it. */
  record(channelId: string, result: SendResult): void {
    const c = this.#channel(channelId);
    const now = this.#o.clock.now();
    if (result.ok) {
      c.sentAt = [...pruneSent(c.sentAt, now, this.#rate), now];
      c.lastOkAt = now;
      c.lastError = c.lastErrorEn = null;
    } else {
      c.lastError = result.error;
      c.lastErrorEn = result.errorEn;
    }
    this.#save();
  }

  /** Earliest time the rate limit lets the next message go. */
  nextSlot(channelId: string): number {
    return nextSlot(this.#state.channels[channelId]?.sentAt ?? [], this.#o.clock.now(), this.#rate);
  }

  /** Settings changed (new secret, keyword…): what failed may succeed now, so try at once. */
  retryNow(channelId: string): void {
    const c = this.#state.channels[channelId];
    if (!c) return;
    c.failures = 0;
    c.nextAttemptAt = null;
    this.#save();
    this.#pump(channelId);
  }

  /** The channel is gone: so is its queue (the only way a message is dropped). */
  remove(channelId: string): void {
    this.#clearTimer(channelId);
    const h = this.#holdTimers.get(channelId);
    if (h !== undefined) this.#o.clock.clearTimeout(h);
    this.#holdTimers.delete(channelId);
    delete this.#state.channels[channelId];
    this.#save();
  }

  channelIds(): string[] {
    return Object.keys(this.#state.channels);
  }

  delivery(channelId: string): ChannelDeliveryDto {
    const c = this.#state.channels[channelId] ?? emptyChannelState();
    const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
    return { lastOkAt: iso(c.lastOkAt), lastError: c.lastError, lastErrorEn: c.lastErrorEn, queued: c.queue.length, nextAttemptAt: c.queue.length ? iso(this.#dueAt(channelId, c)) : null };
  }

  /** A copy of what is persisted (for tests and diagnostics). */
  snapshot(): OutboxState {
    return structuredClone(this.#state);
  }

  /** Resolves when no send is in flight and the last save is written. */
  async idle(): Promise<void> {
    while (this.#inflight.size) await Promise.all([...this.#inflight]);
    await this.#saving;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id);
    // Held items stay in the saved state: the next start releases them.
    for (const h of this.#holdTimers.values()) this.#o.clock.clearTimeout(h);
    this.#holdTimers.clear();
    await this.idle();
  }

  get #rate(): RateLimit {
    return this.#o.rateLimit ?? ROBOT_RATE_LIMIT;
  }

  #dueAt(id: string, c: ChannelOutboxState): number {
    const now = this.#o.clock.now();
    return Math.max(now, c.nextAttemptAt ?? 0, quietUntil(now, this.#o.quietHours(id)) ?? 0, nextSlot(c.sentAt, now, this.#rate));
  }

  #clearTimer(id: string): void {
    const t = this.#timers.get(id);
    if (t !== undefined) this.#o.clock.clearTimeout(t);
    this.#timers.delete(id);
  }

  #save(): void {
    const copy = structuredClone(this.#state);
    // Saves are chained so an older state can never land after a newer one.
    this.#saving = this.#saving.then(() => this.#o.port.save(copy)).catch(() => undefined);
  }

  #pump(id: string): void {
    if (this.#closed || this.#busy.has(id)) return;
    this.#clearTimer(id);
    const c = this.#state.channels[id];
    if (!c?.queue.length) return;
    const now = this.#o.clock.now();
    const due = this.#dueAt(id, c);
    if (due > now) {
      this.#timers.set(id, this.#o.clock.setTimeout(() => {
        this.#timers.delete(id);
        this.#pump(id);
      }, due - now));
      return;
    }
    this.#busy.add(id);
    const head = c.queue[0]!;
    const run = this.#attempt(id, head).finally(() => {
      this.#busy.delete(id);
      this.#inflight.delete(run);
      this.#pump(id);
    });
    this.#inflight.add(run);
  }

  async #attempt(id: string, head: QueuedMessage): Promise<void> {
    let result: SendResult;
    try {
      result = await this.#o.send(id, head.message);
    } catch (e) {
      result = { ok: false, error: `发送出错：${String(e)}`, errorEn: `Sending failed: ${String(e)}`, retryable: true };
    }
    const c = this.#state.channels[id];
    // Deleted while sending: nothing left to record.
    if (!c) return;
    const now = this.#o.clock.now();
    if (result.ok || result.uncertain) {
      c.queue = c.queue.filter((m) => m.id !== head.id);
      c.sentAt = [...pruneSent(c.sentAt, now, this.#rate), now];
      c.sentKeys = [...c.sentKeys, ...head.keys].slice(-(this.#o.sentKeysCap ?? 5000));
      c.failures = 0;
      c.nextAttemptAt = null;
      if (result.ok) {
        c.lastOkAt = now;
        c.lastError = c.lastErrorEn = null;
      } else {
        c.lastError = result.error;
        c.lastErrorEn = result.errorEn;
      }
    } else {
      c.failures += 1;
      const backoff = this.#o.backoffMs ?? DEFAULT_BACKOFF_MS;
      const wait = result.retryAfterMs ?? backoff[Math.min(c.failures, backoff.length) - 1]!;
      c.nextAttemptAt = now + wait;
      c.lastError = result.error;
      c.lastErrorEn = result.errorEn;
    }
    this.#save();
    this.#o.changed?.(id);
  }
}
