import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackServer, callbackPath, DEFAULT_CONNECTION_LIMITS, HEALTH_PATH, type ConnectionLimits } from '../../main/core/callback-server.js';
import { encodePushBody } from '../../main/core/kuaidi100/push-parse.js';
import { item, makePush } from '../helpers/push.js';
import { watchLog } from '../../main/core/log.js';

/** Log watchers a test started; stopped after each test. */
const cleanupWatch: (() => void)[] = [];
afterEach(() => cleanupWatch.splice(0).forEach((f) => f()));

/**
 * Finding 7 of issue 10: stalled callback connections (idle, partial headers, partial body)
 * stayed open for minutes; behind localtunnel's pool of ~10 sockets a few could starve real
 * pushes. With small configured limits each kind must be closed by the server.
 */
const SECRET = 'connection-test-secret';
const SMALL: ConnectionLimits = { idleMs: 400, headersMs: 500, requestMs: 800, keepAliveMs: 600, checkIntervalMs: 100 };
const servers: CallbackServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  sockets.splice(0).forEach((s) => s.destroy());
  for (const s of servers.splice(0)) await s.close();
});

async function server(limits: ConnectionLimits = SMALL): Promise<CallbackServer> {
  const s = new CallbackServer({
    secret: SECRET,
    limits,
    sink: { receivePush: () => Promise.resolve({ kind: 'stored' as const, id: 's_1', changed: true, created: false }) },
  });
  servers.push(s);
  await s.listen();
  return s;
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Resolves with the ms the socket lived once the server closes it; fails after `deadlineMs`. */
function closedWithin(socket: Socket, deadlineMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${deadlineMs} ms`)), deadlineMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
    socket.resume();
  });
}

/** Writes one byte every `everyMs` so the socket is never idle, until it closes. */
function trickle(socket: Socket, text: string, everyMs = 100): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('callback server connection hygiene', () => {
  it('closes a socket that connects and sends nothing', async () => {
    const s = await server();
    const socket = await open(s.port);
    expect(await closedWithin(socket, 15_000)).toBeGreaterThanOrEqual(300);
  });

  it('closes a socket that trickles its headers and never finishes them', async () => {
    const s = await server();
    const socket = await open(s.port);
    socket.write(`POST ${callbackPath(SECRET)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    trickle(socket, `X-Slow: ${'a'.repeat(10_000)}`);
    await closedWithin(socket, 15_000);
  });

  it('closes a socket that trickles its body and never finishes it, without an error on stderr', async () => {
    const s = await server();
    const consoleError: string[] = [];
    const unwatch = watchLog((l) => l.level === 'error' && consoleError.push(l.text));
    cleanupWatch.push(unwatch);
    const socket = await open(s.port);
    socket.write(
      `POST ${callbackPath(SECRET)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nparam=`,
    );
    trickle(socket, 'a'.repeat(10_000));
    await closedWithin(socket, 15_000);
    // the handler sees the cut-off body a moment after the socket closes
    await new Promise((r) => setImmediate(r));
    expect(consoleError).toEqual([]);
  });

  it('keeps a busy keep-alive socket (the tunnel pool) open and answers every request on it', async () => {
    const s = await server();
    const socket = await open(s.port);
    let replies = '';
    socket.on('data', (b: Buffer) => (replies += b.toString()));
    // Longer in total than every limit, but never idle for long: it must stay open.
    for (let i = 0; i < 12; i++) {
      socket.write(`GET ${HEALTH_PATH}?nonce=n${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      const deadline = Date.now() + 10_000;
      while (!replies.includes(`"nonce":"n${i}"`)) {
        if (Date.now() > deadline || socket.destroyed) throw new Error(`no reply to request ${i}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(socket.destroyed).toBe(false);
    // and a real push still goes through
    const body = encodePushBody(JSON.stringify(makePush('YT1', 'yuantong', '0', [item('2026-01-01 10:00:00', 'x')])), 'sign');
    const res = await fetch(`http://127.0.0.1:${s.port}${callbackPath(SECRET)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(200);
  });

  it('by default no socket outlives 60 s without completing a request', () => {
    const d = DEFAULT_CONNECTION_LIMITS;
    expect(d.idleMs).toBeLessThanOrEqual(60_000);
    expect(d.keepAliveMs).toBeLessThanOrEqual(60_000);
    // Node checks the headers and request deadlines only every checkIntervalMs.
    expect(d.headersMs + d.checkIntervalMs).toBeLessThanOrEqual(60_000);
    expect(d.requestMs + d.checkIntervalMs).toBeLessThanOrEqual(60_000);
    expect(d.headersMs).toBeLessThanOrEqual(d.requestMs);
  });
});
