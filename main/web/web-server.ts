/**
 * The headless shell's HTTP server: the renderer's static files and the JSON API, bound to
 * 127.0.0.1 only. Every /api request carries the bearer token printed at start; requests
 * for another Host are refused, so a web page elsewhere cannot reach it by DNS rebinding.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { ExportFileDto, ParcelTrayApi } from '../../preload/contract.js';
import { routeApi } from './api-routes.js';
import { logFor } from '../core/log.js';

const log = logFor('web');

export interface WebServerOptions {
  api: ParcelTrayApi;
  token: string;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
}

/** The UI's policy: nothing but this origin, no inline script, no framing. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>ParcelTray</title>
<p>包裹提醒 API 正在运行。界面尚未构建：请运行 <code>npm run build</code>。</p>`;

export class WebServer {
  readonly #opts: WebServerOptions;
  readonly #server: Server;
  readonly #token: Buffer;
  readonly #streams = new Set<ServerResponse>();

  constructor(opts: WebServerOptions) {
    this.#opts = opts;
    this.#token = Buffer.from(opts.token);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        log.error('web server:', e);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: '内部错误', messageEn: 'Internal error' } });
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.#streams) s.end();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
  }

  #authorised(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization ?? '';
    // EventSource cannot send headers; the event stream alone may carry the token in the query.
    const given = header.startsWith('Bearer ')
      ? header.slice(7)
      : url.pathname === '/api/events'
        ? (url.searchParams.get('token') ?? '')
        : '';
    const g = Buffer.from(given);
    return g.length === this.#token.length && timingSafeEqual(g, this.#token);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!this.#hostAllowed(req)) {
      send(res, 421, { error: { code: 'not-allowed', message: 'Host 不被接受', messageEn: 'Host not accepted' } });
      return;
    }
    const url = parseUrl(req.url, `http://127.0.0.1:${this.port}`);
    // Checked once here, so no handler below meets a URIError or an Invalid URL (each was a 500
    // and a stack on stderr): `GET /%ZZ`, or an absolute-form target such as `GET http://[`.
    if (!url || !percentEncodingValid(url.pathname)) {
      req.resume();
      send(res, 400, {
        error: { code: 'invalid', message: '请求路径的百分号编码无效', messageEn: 'malformed percent-encoding in the request path', field: 'path' },
      });
      return;
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      res.setHeader('cache-control', 'no-store');
      if (!this.#authorised(req, url)) {
        req.resume();
        send(res, 401, { error: { code: 'unauthorized', message: '需要令牌（Authorization: Bearer TOKEN）', messageEn: 'A token is required (Authorization: Bearer TOKEN)' } });
        return;
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        this.#events(req, res);
        return;
      }
      const { status, body, file } = await routeApi(this.#opts.api, req, url);
      if (file) sendFile(res, file);
      else send(res, status, body);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: { code: 'invalid', message: '不支持的请求方法', messageEn: 'Method not allowed' } });
      return;
    }
    this.#static(url.pathname, res);
  }

  /** Server-sent events: every ChangeEvent, plus a comment every 15 s to keep proxies open. */
  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    this.#streams.add(res);
    const off = this.#opts.api.onChange((event) => res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`));
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    beat.unref();
    const done = (): void => {
      off();
      clearInterval(beat);
      this.#streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  #static(pathname: string, res: ServerResponse): void {
    const root = this.#opts.staticDir;
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'content-security-policy': CSP });
      res.end(PLACEHOLDER);
      return;
    }
    let file = normalize(join(root, decodeURIComponent(pathname)));
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) file = index;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': file === index ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    createReadStream(file).pipe(res);
  }
}

/** The request target as a URL; null when it is not one (`http://[` parses as absolute and fails). */
function parseUrl(target: string | undefined, base: string): URL | null {
  try {
    return new URL(target ?? '/', base);
  } catch {
    return null;
  }
}

function percentEncodingValid(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** A download: the name in RFC 5987 form, so a Chinese file name survives every browser. */
function sendFile(res: ServerResponse, file: ExportFileDto): void {
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': file.bytes.byteLength,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
  });
  res.end(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
