import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackServer } from '../../main/core/callback-server.js';
import { WebServer } from '../../main/web/web-server.js';
import { startTestApp, TOKEN, type TestApp } from '../helpers/core.js';
import { watchLog } from '../../main/core/log.js';

/** Log watchers a test started; stopped after each test. */
const cleanupWatch: (() => void)[] = [];
afterEach(() => cleanupWatch.splice(0).forEach((f) => f()));

/**
 * Found by the breaker (issue 10, finding 8's cousin): an absolute-form request target that is
 * no URL (`GET http://[ HTTP/1.1`) made `new URL` throw, answered 500 with a TypeError stack on
 * stderr, on the UI server and on the callback port that faces the internet.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Sends the request text as it is (no client would send this target) and returns the status line's code. */
function rawStatus(port: number, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (b: Buffer) => (out += b.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
    socket.write(text);
  });
}

describe('breaker: a request target that is no URL', () => {
  it('UI server: 400, nothing on stderr', async () => {
    const app: TestApp = await startTestApp();
    cleanup.push(() => app.close());
    const web = new WebServer({ api: app.core.tracker, token: TOKEN, staticDir: app.dataDir });
    await web.listen();
    cleanup.push(() => web.close());
    const consoleError: string[] = [];
    const unwatch = watchLog((l) => l.level === 'error' && consoleError.push(l.text));
    cleanupWatch.push(unwatch);
    const status = await rawStatus(web.port, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(status).toBe(400);
    expect(consoleError).toEqual([]);
  });

  it('callback server: 400, nothing on stderr', async () => {
    const server = new CallbackServer({
      secret: 'breaker-secret',
      sink: { receivePush: () => Promise.resolve({ kind: 'stored' as const, id: 's_1', changed: true, created: false }) },
    });
    await server.listen();
    cleanup.push(() => server.close());
    const consoleError: string[] = [];
    const unwatch = watchLog((l) => l.level === 'error' && consoleError.push(l.text));
    cleanupWatch.push(unwatch);
    const status = await rawStatus(server.port, 'POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(status).toBe(400);
    expect(consoleError).toEqual([]);
  });
});
