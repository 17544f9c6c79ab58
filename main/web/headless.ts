/**
 * Headless mode: the core plus the web shell, for a browser on this machine (or an always-on
 * mini PC). `npm run serve -- --help` lists the flags; README documents them.
 */
import { startLogFile, stopLogFile } from '../core/log.js';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareDataDir, startCore, type Core } from '../core/app.js';
import { randomToken } from '../core/ids.js';
import { defaultUserDataDir } from '../core/paths.js';
import { WebServer } from './web-server.js';

export const USAGE = `Usage: npm run serve -- [options]
  --data-dir DIR        where the store lives (default: ${defaultUserDataDir()})
  --port N              UI/API port on 127.0.0.1 (default 7310; 0 picks a free one)
  --callback-port N     port of the callback server Kuaidi100 pushes to (default: any free one)
  --callback-host ADDR  address the callback server binds to (default 127.0.0.1)
  --sandbox-step-ms N   time between the sandbox's pushes (default 4000)
  --new-token           replace the saved UI token
  --help                this text
Environment:
  PARCELTRAY_ALLOW_WEBHOOK_HOSTS=127.0.0.1
                        for tests only: webhook hosts accepted besides the platforms' own
                        (the fake robots of the e2e tests). Never needed by a seller.`;

/** Hosts a channel's webhook may point at besides the platforms' own: tests only, said aloud. */
export function allowedWebhookHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.PARCELTRAY_ALLOW_WEBHOOK_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean);
}

export interface Headless {
  core: Core;
  web: WebServer;
  url: string;
  close(): Promise<void>;
}

function loadToken(dataDir: string, renew: boolean): string {
  const file = join(dataDir, 'ui-token');
  // Whoever reads the token drives the app: this user only, even if it was loosened since.
  if (existsSync(file) && process.platform !== 'win32') chmodSync(file, 0o600);
  if (!renew && existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 20) return saved;
  }
  const token = randomToken(24);
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

function intFlag(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0–65535, got "${value}"`);
  return n;
}

export async function runHeadless(argv: string[]): Promise<Headless | null> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'callback-port': { type: 'string' },
      'callback-host': { type: 'string' },
      'sandbox-step-ms': { type: 'string' },
      'new-token': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return null;
  }
  // Every flag is checked before anything starts or touches the disk.
  const port = intFlag(values.port, 'port', 7310);
  const callbackPort = intFlag(values['callback-port'], 'callback-port', undefined);
  const stepMs = values['sandbox-step-ms'] === undefined ? undefined : Number(values['sandbox-step-ms']);
  if (stepMs !== undefined && !(stepMs >= 10)) throw new Error('--sandbox-step-ms must be a number ≥ 10');
  const dataDir = resolve(values['data-dir'] ?? defaultUserDataDir());
  prepareDataDir(dataDir);
  const logFile = startLogFile(dataDir);
  const webhookHosts = allowedWebhookHosts();
  if (webhookHosts.length) {
    console.warn(`ParcelTray: 测试模式，渠道 Webhook 也可指向 ${webhookHosts.join(', ')} / test mode: channel webhooks may also point at ${webhookHosts.join(', ')} (PARCELTRAY_ALLOW_WEBHOOK_HOSTS)`);
  }

  const core = await startCore({
    dataDir,
    callbackPort,
    callbackHost: values['callback-host'],
    shell: 'headless',
    allowWebhookHosts: webhookHosts,
    sandbox: stepMs === undefined ? undefined : { stepMs },
  });
  const token = loadToken(dataDir, values['new-token'] ?? false);
  const here = dirname(fileURLToPath(import.meta.url));
  const web = new WebServer({
    api: core.tracker,
    token,
    staticDir: resolve(here, '../renderer'),
    port,
  });
  try {
    await web.listen();
  } catch (e) {
    await core.close();
    throw e;
  }
  const url = `http://127.0.0.1:${web.port}/#token=${token}`;
  console.log(`UI: ${url}`);
  console.log(`Data: ${dataDir}`);
  console.log(`Log: ${logFile}`);
  console.log(`Callback (local): ${core.callbackServer.localUrl.replace(/callback\/.*/, 'callback/…')}`);
  console.log('Secrets (AppCode/key) are kept in secrets.json with 0600 permissions: readable by this user only.');
  return {
    core,
    web,
    url,
    async close() {
      await web.close();
      await core.close();
      stopLogFile();
    },
  };
}
