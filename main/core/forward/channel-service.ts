/**
 * The channels as the rest of the app sees them: the list (secrets never leave), PUT-style
 * replacement, a test message, and `handle(changeEvent)` fed with the same events the desktop
 * notifier gets. Change events are folded per channel (a burst becomes one message; an e-mail
 * digest gathers N minutes; a night of quiet hours becomes one morning message), deduped by
 * transition key, and handed to the durable outbox.
 */
import { randomBytes } from 'node:crypto';
import type { ChangeEvent, Language, NotifySettingsDto, Result } from '../../../preload/contract.js';
import type { ChannelDto, ChannelEventKind, ChannelTestResultDto } from '../../../preload/channel-dtos.js';
import { systemClock, type Clock } from '../clock.js';
import {
  defaultEventsFrom, resolveChannel, storedPart, urlHint,
  type ChannelValidationOptions, type ResolvedChannel, type StoredChannel,
} from './channel-model.js';
import { channelSender, type ChannelSender } from './channel-sender.js';
import { forwardItemsFor, memoryOf, providerDownItem, type ForwardItem, type ForwardMemory, type ParcelMark } from './forward-events.js';
import { ensureKeyword, formatMessage, testMessage } from './message-format.js';
import { Outbox, type OutboxPort } from './outbox.js';
import { quietUntil } from './quiet-hours.js';
import type { RateLimit } from './rate-window.js';
import type { FetchLike } from './send-result.js';
import { addSecret, addSecretUrl } from '../log.js';

/** Where the non-secret part of the channels is kept (the settings store). */
export interface ChannelConfigPort {
  load(): StoredChannel[];
  save(channels: StoredChannel[]): Promise<void>;
}

/** Like main/core/secrets.ts, with names `channel:<id>:url|secret|pass`. */
export interface ChannelSecretPort {
  get(name: string): string | null;
  set(name: string, value: string | null): void;
}

export interface ChannelServiceOptions {
  config: ChannelConfigPort;
  secrets: ChannelSecretPort;
  outbox: OutboxPort;
  settings(): { notify: NotifySettingsDto; language: Language };
  clock?: Clock;
  fetch?: FetchLike;
  /** Replaces the real senders (unit tests). */
  send?: ChannelSender;
  validation?: ChannelValidationOptions;
  newId?(): string;
  /** Items within this window are folded together… */
  foldWindowMs?: number;
  /** …into one message when there are more than this many. */
  foldAbove?: number;
  timeoutMs?: number;
  rateLimit?: RateLimit;
  backoffMs?: readonly number[];
  /** After a delivery attempt or a change of the list (for the UI). */
  changed?(): void;
}

interface SecretFacts {
  urlHint: string | null;
  hasUrl: boolean;
  hasSecret: boolean;
  hasPass: boolean;
}

const SECRET_FIELDS = ['url', 'secret', 'pass'] as const;
const secretName = (id: string, field: (typeof SECRET_FIELDS)[number]): string => `channel:${id}:${field}`;

export class ChannelService {
  readonly #o: ChannelServiceOptions;
  readonly #clock: Clock;
  readonly #send: ChannelSender;
  readonly #outbox: Outbox;
  #channels: StoredChannel[];
  /** What each parcel was at its last change: a few fields, not a list row (30,000 parcels). */
  readonly #seen = new Map<string, ForwardMemory>();
  #providerProblem: string | null = null;
  #pending: ForwardItem[] = [];
  #foldTimer: unknown = null;
  /**
   * What list() shows of each channel's secrets. The list is sent after every delivery attempt,
   * and under Electron each secret read is a decryption: read once, again after replaceAll.
   */
  #secretFacts: Map<string, SecretFacts> | null = null;

  constructor(options: ChannelServiceOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#send = options.send ?? channelSender({
      fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
      now: () => this.#clock.now(),
      timeoutMs: options.timeoutMs ?? 15_000,
    });
    this.#channels = options.config.load().map((c) => ({ ...c, format: c.format === 'text' ? 'text' : 'markdown' }));
    this.#outbox = new Outbox({
      port: options.outbox,
      clock: this.#clock,
      send: (id, msg) => {
        const c = this.#resolved(id);
        if (!c) return Promise.resolve({ ok: false, error: '渠道已删除', errorEn: 'The channel was deleted', retryable: false });
        return this.#send(c, ensureKeyword(msg, c.keyword));
      },
      quietHours: (id) => this.#channels.find((c) => c.id === id)?.quietHours ?? null,
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.backoffMs ? { backoffMs: options.backoffMs } : {}),
      changed: () => options.changed?.(),
      release: (id, items) => {
        const c = this.#channels.find((x) => x.id === id);
        if (c) this.#enqueue(c, items, true);
      },
    });
    // Queues of channels deleted while the app was down go with them.
    for (const id of this.#outbox.channelIds()) if (!this.#channels.some((c) => c.id === id)) this.#outbox.remove(id);
    this.#outbox.start();
  }

  #resolved(id: string): ResolvedChannel | undefined {
    const c = this.#channels.find((x) => x.id === id);
    if (!c) return undefined;
    const s = this.#o.secrets;
    const r = { ...c, url: s.get(secretName(id, 'url')), secret: s.get(secretName(id, 'secret')), pass: s.get(secretName(id, 'pass')) };
    // Every path to a send or a list comes through here, so the log learns each secret before any use.
    addSecretUrl(r.url);
    addSecret(r.secret, r.pass);
    return r;
  }

  #effectiveEvents(c: StoredChannel): ChannelEventKind[] {
    // Desktop notifications have no switch for these; a channel forwards them unless told not to.
    return c.events ?? [...defaultEventsFrom(this.#o.settings().notify), 'pickup-late', 'provider-down'];
  }

  #factsOf(id: string): SecretFacts {
    this.#secretFacts ??= new Map();
    let f = this.#secretFacts.get(id);
    if (!f) {
      const r = this.#resolved(id)!;
      f = { urlHint: urlHint(r.url), hasUrl: r.url !== null, hasSecret: r.secret !== null, hasPass: r.pass !== null };
      this.#secretFacts.set(id, f);
    }
    return f;
  }

  list(): ChannelDto[] {
    return this.#channels.map((c) => {
      const f = this.#factsOf(c.id);
      return {
        id: c.id,
        name: c.name,
        kind: c.kind,
        urlHint: f.urlHint,
        hasUrl: f.hasUrl,
        hasSecret: f.hasSecret,
        keyword: c.keyword,
        format: c.format,
        email: c.email ? { ...c.email, hasPass: f.hasPass } : null,
        events: c.events ? [...c.events] : null,
        effectiveEvents: this.#effectiveEvents(c),
        quietHours: c.quietHours ? { ...c.quietHours } : null,
        delivery: this.#outbox.delivery(c.id),
      };
    });
  }

  /** PUT semantics: the list given is the list kept; ids keep their secrets when omitted. */
  async replaceAll(inputs: unknown): Promise<Result<ChannelDto[]>> {
    if (!Array.isArray(inputs)) return { ok: false, error: { code: 'invalid', message: '应提交渠道列表', messageEn: 'Send the list of channels', field: '' } };
    if (inputs.length > 50) return { ok: false, error: { code: 'invalid', message: '最多 50 个渠道', messageEn: 'At most 50 channels', field: '' } };
    const next: ResolvedChannel[] = [];
    for (const [i, input] of inputs.entries()) {
      const given = typeof input === 'object' && input !== null && typeof (input as { id?: unknown }).id === 'string' ? (input as { id: string }).id : null;
      const previous = given ? this.#resolved(given) : undefined;
      if (given && !previous) {
        return { ok: false, error: { code: 'not-found', message: `第 ${i + 1} 个渠道的 id 不存在`, messageEn: `Channel ${i + 1}: no channel has this id`, field: `[${i}].id` } };
      }
      if (given && next.some((c) => c.id === given)) {
        return { ok: false, error: { code: 'duplicate', message: `第 ${i + 1} 个渠道的 id 重复`, messageEn: `Channel ${i + 1}: the id appears twice`, field: `[${i}].id` } };
      }
      const id = given ?? this.#o.newId?.() ?? `ch_${randomBytes(6).toString('base64url')}`;
      const r = resolveChannel(input as Parameters<typeof resolveChannel>[0], previous, id, this.#o.validation);
      if (!r.ok) {
        const field = r.error.field ? `[${i}].${r.error.field}` : `[${i}]`;
        return { ok: false, error: { ...r.error, field, message: `第 ${i + 1} 个渠道：${r.error.message}`, messageEn: `Channel ${i + 1}: ${r.error.messageEn ?? r.error.message}` } };
      }
      next.push(r.value);
    }
    const before = new Map(this.#channels.map((c) => [c.id, this.#resolved(c.id)!]));
    this.#secretFacts = null;
    for (const c of next) {
      for (const f of SECRET_FIELDS) this.#o.secrets.set(secretName(c.id, f), c[f]);
      addSecretUrl(c.url);
      addSecret(c.secret, c.pass);
    }
    for (const id of before.keys()) {
      if (next.some((c) => c.id === id)) continue;
      for (const f of SECRET_FIELDS) this.#o.secrets.set(secretName(id, f), null);
      this.#outbox.remove(id);
    }
    this.#channels = next.map(storedPart);
    await this.#o.config.save(this.#channels.map((c) => ({ ...c })));
    // A changed setting may be the fix for the last error: retry at once.
    for (const c of next) if (JSON.stringify(before.get(c.id)) !== JSON.stringify(c)) this.#outbox.retryNow(c.id);
    this.#o.changed?.();
    return { ok: true, value: this.list() };
  }

  /** Sends a test message now (bypassing the queue, not the rate limit) and answers the platform's verdict. */
  async test(id: string): Promise<Result<ChannelTestResultDto>> {
    const c = this.#resolved(id);
    if (!c) return { ok: false, error: { code: 'not-found', message: '没有这个渠道', messageEn: 'No such channel' } };
    const slot = this.#outbox.nextSlot(id);
    if (slot > this.#clock.now()) {
      const s = Math.ceil((slot - this.#clock.now()) / 1000);
      return { ok: true, value: { ok: false, error: `每分钟最多发 20 条，请 ${s} 秒后再试`, errorEn: `At most 20 messages a minute: try again in ${s} s` } };
    }
    const result = await this.#send(c, testMessage({ lang: this.#o.settings().language, keyword: c.keyword }, this.#clock.now()));
    this.#outbox.record(id, result);
    this.#o.changed?.();
    return { ok: true, value: result.ok ? { ok: true, error: null, errorEn: null } : { ok: false, error: result.error, errorEn: result.errorEn } };
  }

  /**
   * What is already known is not news: call at start with what every stored parcel is now
   * (the tracker's marks(), made from the records without building a list row for each).
   */
  prime(marks: Iterable<ParcelMark>): void {
    for (const m of marks) this.#seen.set(m.id, memoryOf(m));
  }

  handle(event: ChangeEvent): void {
    if (event.type === 'shipment-removed') {
      this.#seen.delete(event.id);
      return;
    }
    if (event.type === 'status') {
      const item = providerDownItem(event.status);
      const problem = item ? event.status.provider.problem : null;
      if (item && problem !== this.#providerProblem) this.#add([item]);
      this.#providerProblem = problem;
      return;
    }
    if (event.type !== 'shipment') return;
    const s = event.shipment;
    const before = this.#seen.get(s.id);
    this.#seen.set(s.id, memoryOf(s));
    this.#add(forwardItemsFor(before, s));
  }

  /** For alerts found elsewhere (揽收超时 from the watchdog): forwarded like a change. */
  alert(item: ForwardItem): void {
    this.#add([item]);
  }

  #add(items: ForwardItem[]): void {
    if (!items.length) return;
    for (const i of items) if (!this.#pending.some((p) => p.key === i.key)) this.#pending.push(i);
    this.#foldTimer ??= this.#clock.setTimeout(() => this.flush(), this.#o.foldWindowMs ?? 1500);
  }

  /** Hands what is pending to the channels now (also called when the fold window closes). */
  flush(): void {
    if (this.#foldTimer !== null) this.#clock.clearTimeout(this.#foldTimer);
    this.#foldTimer = null;
    const batch = this.#pending;
    this.#pending = [];
    if (!batch.length) return;
    for (const c of this.#channels) {
      const wanted = this.#effectiveEvents(c);
      const items = batch.filter((i) => wanted.includes(i.kind) && !this.#outbox.known(c.id, i.key));
      if (!items.length) continue;
      const now = this.#clock.now();
      const quietEnd = quietUntil(now, c.quietHours);
      const digestMin = c.kind === 'email' ? c.email?.digestMinutes ?? 0 : 0;
      if (quietEnd !== null) this.#hold(c.id, items, quietEnd - now);
      else if (digestMin > 0) this.#hold(c.id, items, digestMin * 60_000);
      else this.#enqueue(c, items);
    }
  }

  #enqueue(c: StoredChannel, items: ForwardItem[], asOne = false): void {
    const opts = { lang: this.#o.settings().language, keyword: c.keyword };
    if (asOne || items.length > (this.#o.foldAbove ?? 3)) {
      this.#outbox.enqueue(c.id, items.map((i) => i.key), formatMessage(items, opts));
    } else {
      for (const i of items) this.#outbox.enqueue(c.id, [i.key], formatMessage([i], opts));
    }
  }

  /** Holds items (durably) for a while, then they go as one message (a digest, the end of quiet hours). */
  #hold(id: string, items: ForwardItem[], ms: number): void {
    this.#outbox.hold(id, items, this.#clock.now() + ms);
  }

  /** Resolves when nothing is being sent and the outbox is saved (tests, shutdown). */
  idle(): Promise<void> {
    return this.#outbox.idle();
  }

  /** A copy of the persisted outbox (diagnostics and tests). */
  outboxSnapshot(): ReturnType<Outbox['snapshot']> {
    return this.#outbox.snapshot();
  }

  /**
   * Stops timers and waits for sends in flight. Items still in the fold window are handed to
   * the outbox first; held items stay saved for the next start: closing loses nothing accepted.
   */
  async close(): Promise<void> {
    this.flush();
    await this.#outbox.close();
  }
}
