import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runHeadless, type Headless } from '../../main/web/headless.js';
import { WebServer } from '../../main/web/web-server.js';
import { startTestApp, tempDir, TOKEN, type TestApp } from '../helpers/core.js';
import { watchLog } from '../../main/core/log.js';

/** Log watchers a test started; stopped after each test. */
const cleanupWatch: (() => void)[] = [];
afterEach(() => cleanupWatch.splice(0).forEach((f) => f()));

/**
 * Finding 8 of issue 10: `GET /%ZZ` answered 500 with a URIError stack on stderr, and the
 * ui-token file and the data dir kept loose modes they had before the app first ran.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A raw GET: fetch would normalise the path, and the point is to send it as it is. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('UI server: malformed percent-encoding', () => {
  it.each(['/%ZZ', '/assets/%E0%A4%A', '/api/shipments/%E0%A4%A'])('GET %s → 400 in both languages, nothing on stderr', async (path) => {
    const app: TestApp = await startTestApp();
    cleanup.push(() => app.close());
    // A built UI (index.html present) is what sends paths through the static handler.
    const ui = join(app.dataDir, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>t</title>');
    const web = new WebServer({ api: app.core.tracker, token: TOKEN, staticDir: ui });
    await web.listen();
    cleanup.push(() => web.close());
    const stderr = vi.spyOn(process.stderr, 'write');
    const consoleError: string[] = [];
    const unwatch = watchLog((l) => l.level === 'error' && consoleError.push(l.text));
    cleanupWatch.push(unwatch);
    const res = await rawGet(web.port, path, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { error: { code: string; message: string; messageEn: string } };
    expect(body.error.code).toBe('invalid');
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.error.messageEn).toMatch(/percent-encoding/i);
    expect(stderr).not.toHaveBeenCalled();
    expect(consoleError).toEqual([]);
  });
});

describe.skipIf(process.platform === 'win32')('file modes tightened on every start', () => {
  it('headless: ui-token 0644 → 0600 and data dir 0755 → 0700', async () => {
    const dir = tempDir();
    cleanup.push(() => dir.remove());
    writeFileSync(join(dir.path, 'ui-token'), 'a-saved-token-that-is-long-enough', { mode: 0o644 });
    chmodSync(join(dir.path, 'ui-token'), 0o644);
    chmodSync(dir.path, 0o755);
    const app: Headless | null = await runHeadless(['--data-dir', dir.path, '--port', '0']);
    cleanup.push(() => app?.close());
    expect(app!.url).toContain('#token=a-saved-token-that-is-long-enough');
    expect(modeOf(join(dir.path, 'ui-token'))).toBe(0o600);
    expect(modeOf(dir.path)).toBe(0o700);
  });

  it('the core (what the Electron shell starts): data dir 0755 → 0700', async () => {
    const dir = tempDir();
    cleanup.push(() => dir.remove());
    chmodSync(dir.path, 0o755);
    const app = await startTestApp({ dataDir: dir.path });
    cleanup.push(() => app.close());
    expect(modeOf(dir.path)).toBe(0o700);
  });
});

describe('UI server: refusals speak both languages', () => {
  it.each([
    ['a foreign Host', { host: 'evil.example' }, 421],
    ['no token', { authorization: '' }, 401],
  ] as const)('%s → %i with message and messageEn', async (_what, headers, status) => {
    const app: TestApp = await startTestApp();
    cleanup.push(() => app.close());
    const web = new WebServer({ api: app.core.tracker, token: TOKEN, staticDir: app.dataDir });
    await web.listen();
    cleanup.push(() => web.close());
    const res = await rawGet(web.port, '/api/status', { ...headers });
    expect(res.status).toBe(status);
    const body = JSON.parse(res.body) as { error: { message: string; messageEn?: string } };
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.error.messageEn).toMatch(/^[\x20-\x7e]+$/);
  });
});
