/**
 * Supervises a localtunnel connection so that the public callback URL stays the same.
 *
 * localtunnel 2.0.2's own Tunnel retries its setup request forever without a timeout, never
 * reports a dropped server, and crashes the process on an unhandled `error`. So we make the
 * setup request ourselves (with a timeout, and reading the id we got back), drive the
 * client's TunnelCluster (the socket pool that forwards requests to our port), and watch it:
 * socket errors, dead sockets and a periodic self-check through the public URL all lead to
 * `down` and a reconnect with backoff, asking for the same subdomain again.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import type { TunnelStatusDto } from '../../../preload/contract.js';
import type { TunnelStatusWithEn } from '../../../preload/tunnel-status-en.js';
import { systemClock, type Clock } from '../clock.js';
import type { HealthProbe } from './health-probe.js';
import { selfCheck } from './self-check.js';
import type { Tunnel } from './tunnel.js';

const require = createRequire(import.meta.url);

/** The part of localtunnel's TunnelCluster we use (lib/TunnelCluster.js in localtunnel 2.0.2). */
interface TunnelCluster extends EventEmitter {
  open(): void;
}
type TunnelClusterCtor = new (info: Record<string, unknown>) => TunnelCluster;
/** Required at the first connection, not at start: a store without a tunnel never needs it. */
const tunnelCluster = (): TunnelClusterCtor => require('localtunnel/lib/TunnelCluster') as TunnelClusterCtor;

/** A setup failure we word ourselves, in both languages (others carry the server's or Node's text). */
class SetupError extends Error {
  constructor(
    readonly zh: string,
    en: string,
  ) {
    super(en);
  }
}

export const SUBDOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{4,63}[a-z0-9]$/;

export interface LocaltunnelOptions {
  /** The localtunnel server, e.g. https://localtunnel.me or a self-hosted one. */
  host: string;
  subdomain: string;
  localPort: number;
  probe: HealthProbe;
  clock?: Clock;
  setupTimeoutMs?: number;
  checkIntervalMs?: number;
  checkTimeoutMs?: number;
  backoffMs?: { first: number; max: number };
}

interface SetupAnswer {
  id: string;
  port: number;
  max_conn_count?: number;
  url: string;
  ip?: string;
}

export class LocaltunnelTunnel implements Tunnel {
  readonly #o: Required<Omit<LocaltunnelOptions, 'clock'>>;
  readonly #clock: Clock;
  readonly #events = new EventEmitter();
  #status: TunnelStatusWithEn;
  #url: string | null = null;
  #cluster: TunnelCluster | null = null;
  #sockets = new Set<Socket>();
  #timer: unknown = null;
  #failures = 0;
  #running = false;
  /** Incremented on every (re)connect so that stale callbacks of an old cluster are ignored. */
  #generation = 0;
  /** The subdomain was taken and another one was assigned: new subscriptions would get a URL we cannot keep. */
  subdomainTaken = false;

  constructor(options: LocaltunnelOptions) {
    if (!SUBDOMAIN_PATTERN.test(options.subdomain)) {
      throw new Error(`invalid localtunnel subdomain "${options.subdomain}": must match ${SUBDOMAIN_PATTERN}`);
    }
    this.#o = {
      setupTimeoutMs: 10_000,
      checkIntervalMs: 60_000,
      checkTimeoutMs: 10_000,
      // The server forgets a client 1 s after its sockets close; asking sooner looks like "taken".
      backoffMs: { first: 2000, max: 60_000 },
      ...options,
      host: options.host.replace(/\/+$/, ''),
    };
    this.#clock = options.clock ?? systemClock;
    this.#status = this.#make('off', null);
  }

  #make(state: TunnelStatusDto['state'], error: string | null, errorEn: string | null = error): TunnelStatusWithEn {
    return { mode: 'localtunnel', state, url: this.#url, error, errorEn, since: new Date(this.#clock.now()).toISOString() };
  }

  #set(state: TunnelStatusDto['state'], error: string | null, errorEn: string | null = error): void {
    if (this.#status.state === state && this.#status.error === error && this.#status.url === this.#url) return;
    this.#status = this.#make(state, error, errorEn);
    this.#events.emit('change');
  }

  status(): TunnelStatusDto {
    return this.#status;
  }

  /** Only a URL that has passed the self-check is handed out. */
  publicOrigin(): string | null {
    return this.#status.state === 'up' ? this.#url : null;
  }

  onChange(listener: () => void): () => void {
    this.#events.on('change', listener);
    return () => this.#events.off('change', listener);
  }

  async start(): Promise<void> {
    this.#running = true;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clock.clearTimeout(this.#timer);
    this.#teardown();
    this.#set('off', null);
  }

  /** Runs the self-check now (the UI's "test now" button). */
  async checkNow(): Promise<TunnelStatusDto> {
    if (this.#url && this.#cluster) await this.#check(this.#generation);
    return this.#status;
  }

  #teardown(): void {
    this.#generation += 1;
    this.#cluster?.removeAllListeners();
    // A cluster without listeners must not crash the process on a late socket error.
    this.#cluster?.on('error', () => {});
    this.#cluster = null;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }

  #schedule(fn: () => void, ms: number): void {
    this.#clock.clearTimeout(this.#timer);
    if (this.#running) this.#timer = this.#clock.setTimeout(fn, ms);
  }

  #fail(error: string, errorEn: string): void {
    if (!this.#running) return;
    this.#teardown();
    this.#failures += 1;
    const { first, max } = this.#o.backoffMs;
    const delay = Math.min(max, first * 2 ** Math.min(this.#failures - 1, 16));
    const seconds = Math.round(delay / 1000);
    this.#set('down', `${error}（${seconds} 秒后重连）`, `${errorEn} (reconnecting in ${seconds} s)`);
    this.#schedule(() => void this.#connect(), delay);
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    this.#teardown();
    const generation = this.#generation;
    this.#set('connecting', this.#status.error, this.#status.errorEn ?? null);
    let answer: SetupAnswer;
    try {
      answer = await this.#setup();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      const whyZh = e instanceof SetupError ? e.zh : why;
      this.#fail(`无法连接隧道服务器 ${this.#o.host}：${whyZh}`, `Cannot reach the tunnel server ${this.#o.host}: ${why}`);
      return;
    }
    if (generation !== this.#generation || !this.#running) return;
    this.subdomainTaken = answer.id !== this.#o.subdomain;
    this.#url = answer.url;
    const TunnelClusterImpl = tunnelCluster();
    const cluster = new TunnelClusterImpl({
      name: answer.id,
      url: answer.url,
      max_conn: answer.max_conn_count ?? 1,
      remote_host: new URL(this.#o.host).hostname,
      remote_ip: answer.ip,
      remote_port: answer.port,
      local_port: this.#o.localPort,
      local_host: '127.0.0.1',
    });
    this.#cluster = cluster;
    cluster.on('open', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    cluster.on('error', (err: Error) => {
      if (generation === this.#generation) this.#fail(`隧道连接出错：${err.message}`, `The tunnel connection failed: ${err.message}`);
    });
    cluster.on('dead', () => {
      // A socket closed (the server recycles them); open another. If the server is gone
      // the new socket fails with ECONNREFUSED and that error takes us down.
      if (generation === this.#generation && this.#running) cluster.open();
    });
    for (let i = 0; i < (answer.max_conn_count ?? 1); i++) cluster.open();
    await this.#check(generation);
  }

  async #setup(): Promise<SetupAnswer> {
    const res = await fetch(`${this.#o.host}/${this.#o.subdomain}`, { signal: AbortSignal.timeout(this.#o.setupTimeoutMs) });
    const text = await res.text();
    let body: Partial<SetupAnswer> & { message?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new SetupError(`HTTP ${res.status}，不是 localtunnel 服务器的回答`, `HTTP ${res.status}: not a localtunnel server's answer`);
    }
    if (res.status !== 200) throw new Error(body.message ?? `HTTP ${res.status}`);
    if (!body.id || !body.url || typeof body.port !== 'number') throw new SetupError('localtunnel 服务器的回答不完整', "the localtunnel server's answer is incomplete");
    return body as SetupAnswer;
  }

  async #check(generation: number): Promise<void> {
    if (!this.#url) return;
    const result = await selfCheck(this.#url, this.#o.probe, this.#o.host, this.#o.checkTimeoutMs, this.#clock);
    if (generation !== this.#generation || !this.#running) return;
    if (!result.ok) {
      this.#fail(result.error ?? '自检失败', result.errorEn ?? 'The self-check failed');
      return;
    }
    this.#failures = 0;
    if (this.subdomainTaken) {
      this.#set(
        'up',
        `子域名 ${this.#o.subdomain} 已被占用，临时使用 ${this.#url}：此前订阅的包裹推送会丢失，稍后自动尝试取回`,
        `The subdomain ${this.#o.subdomain} is taken; using ${this.#url} for now: pushes for parcels subscribed earlier will be lost until it is won back (retried automatically)`,
      );
    } else this.#set('up', null, null);
    // Try to win the wanted subdomain back sooner than the regular check.
    this.#schedule(() => void (this.subdomainTaken ? this.#connect() : this.#check(generation)), this.subdomainTaken ? Math.min(this.#o.checkIntervalMs, 5 * 60_000) : this.#o.checkIntervalMs);
  }
}
