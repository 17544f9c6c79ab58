import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core, type CoreOptions } from '../../main/core/app.js';
import { MemorySecretStore } from './memory-secrets.js';
import { WebServer } from '../../main/web/web-server.js';

export function tempDir(prefix = 'parceltray-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestApp {
  core: Core;
  web: WebServer;
  dataDir: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export const TOKEN = 'test-token-0123456789abcdef';

/** The core and the web shell on loopback, with a fast sandbox. */
export async function startTestApp(options: Partial<CoreOptions> = {}): Promise<TestApp> {
  const dir = options.dataDir ? null : tempDir();
  const dataDir = options.dataDir ?? dir!.path;
  const core = await startCore({
    secrets: new MemorySecretStore(),
    sandbox: { stepMs: 40, firstPushMs: 40, retryDelayMs: 100, resubscribeDelayMs: 200 },
    retryIntervalMs: 50,
    ...options,
    dataDir,
  });
  const web = new WebServer({ api: core.tracker, token: TOKEN, staticDir: join(dataDir, 'no-ui') });
  await web.listen();
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`http://127.0.0.1:${web.port}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
  return {
    core,
    web,
    dataDir,
    api,
    async json<T>(path: string, init?: RequestInit) {
      const res = await api(path, init);
      return { status: res.status, body: (await res.json()) as T };
    },
    async close() {
      await web.close();
      await core.close();
      dir?.remove();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
