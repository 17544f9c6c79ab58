/**
 * The HTTP server Kuaidi100 pushes to (through the tunnel). It answers exactly two things:
 * pushes on the secret callback path, and a health path the tunnel self-check calls. The
 * UI and its API never live on this port, because this is the one exposed to the internet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readBody } from './http-body.js';
import { handlePush, type PushSink } from './push-handler.js';
import { logFor } from './log.js';

const log = logFor('callback');

export const MAX_PUSH_BYTES = 1024 * 1024;
export const HEALTH_PATH = '/parceltray-health';

export const callbackPath = (secret: string): string => `/kuaidi100/callback/${secret}`;

/**
 * How long a connection may stall. The callback port faces the internet through a pool of
 * about ten tunnel sockets: a few stalled ones must not starve real pushes.
 */
export interface ConnectionLimits {
  /** A socket with no traffic at all (connected and silent, or between bytes) is closed. */
  idleMs: number;
  /** The whole header block must arrive within this (a trickle of bytes does not help). */
  headersMs: number;
  /** The whole request, body included, must arrive within this. */
  requestMs: number;
  /** A kept-alive socket waits this long for its next request. */
  keepAliveMs: number;
  /** Node checks headersMs and requestMs only this often, so the worst case is their sum. */
  checkIntervalMs: number;
}

/**
 * No socket outlives 60 s without completing a request: silent 30 s, headers 20 + 5 s,
 * request 30 + 5 s. Kuaidi100 itself waits 20 s for an answer, so a push never needs longer.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  idleMs: 30_000,
  headersMs: 20_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  checkIntervalMs: 5_000,
};

export interface CallbackServerOptions {
  sink: PushSink;
  secret: string;
  host?: string;
  port?: number;
  /** Called with every push and how it was answered (the audit log). */
  onPush?: (body: string, httpStatus: number, outcome: string) => void;
  /** Called for every health check that reaches us (the tunnel self-check listens). */
  onHealth?: (nonce: string) => void;
  /** Stalled-connection limits (tests make them small). */
  limits?: Partial<ConnectionLimits>;
}

export class CallbackServer {
  readonly #opts: CallbackServerOptions;
  readonly #server: Server;

  constructor(opts: CallbackServerOptions) {
    this.#opts = opts;
    const limits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.limits };
    this.#server = createServer(
      {
        headersTimeout: limits.headersMs,
        requestTimeout: limits.requestMs,
        keepAliveTimeout: limits.keepAliveMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
      },
      (req, res) => {
        this.#handle(req, res).catch((e: unknown) => {
          // A body cut short (the sender went away, or we cut it off for stalling) is not a
          // server error; nothing was stored and there is no one left to answer.
          if (!req.complete && req.destroyed) return;
          log.error('callback server:', e);
          if (!res.headersSent) json(res, 500, { result: false, returnCode: '500', message: '服务器错误' });
        });
      },
    );
    // Without a 'timeout' listener Node destroys the socket: that is the idle limit. The
    // headers and request limits do not cover a socket that never sends a byte.
    this.#server.timeout = limits.idleMs;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#opts.port ?? 0, this.#opts.host ?? '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.port;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The callback URL on loopback. */
  get localUrl(): string {
    return `http://127.0.0.1:${this.port}${callbackPath(this.#opts.secret)}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A target that is no URL (`GET http://[`) is the sender's error, not ours: 400, no stack on stderr.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback');
    } catch {
      req.resume();
      json(res, 400, { result: false, returnCode: '400', message: '请求地址无效' });
      return;
    }
    if (url.pathname === HEALTH_PATH && req.method === 'GET') {
      const nonce = url.searchParams.get('nonce') ?? '';
      this.#opts.onHealth?.(nonce);
      json(res, 200, { ok: true, nonce });
      return;
    }
    if (url.pathname !== callbackPath(this.#opts.secret)) {
      req.resume();
      json(res, 404, { result: false, returnCode: '404', message: 'not found' });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      json(res, 405, { result: false, returnCode: '405', message: '只接受 POST' });
      return;
    }
    let body: string;
    try {
      body = await readBody(req, MAX_PUSH_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        json(res, 413, { result: false, returnCode: '413', message: '推送内容超过 1 MiB' });
        return;
      }
      throw e;
    }
    const { httpStatus, reply } = await handlePush(body, this.#opts.sink);
    json(res, httpStatus, reply);
    this.#opts.onPush?.(body, httpStatus, httpStatus === 200 ? 'stored' : httpStatus === 500 ? 'storage-failed' : 'rejected');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}
