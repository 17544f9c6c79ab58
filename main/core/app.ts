/**
 * Composition root of the core, shared by the Electron shell and the headless mode: opens
 * the store, starts the sandbox, the callback server and the tunnel, and wires the tracker.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { CallbackServer, callbackPath } from './callback-server.js';
import type { Clock } from './clock.js';
import { SandboxServer, type SandboxOptions } from './sandbox/sandbox-server.js';
import { FileSecretStore, type SecretStore } from './secrets.js';
import { DurableJSONFile } from './store/durable-json-file.js';
import type { DbShape, Settings } from './store/schema.js';
import { ShipmentStore } from './store/shipment-store.js';
import { defaultSettings, Tracker } from './tracker.js';
import { NoTunnel, type Tunnel } from './tunnel/tunnel.js';

export interface CoreOptions {
  dataDir: string;
  callbackPort?: number;
  callbackHost?: string;
  secrets?: SecretStore;
  sandbox?: SandboxOptions;
  clock?: Clock;
  /** Replaces the store file adapter (tests inject failures here). */
  storeAdapter?: Adapter<DbShape>;
  /** Builds the tunnel for the settings; defaults to none (local only). */
  createTunnel?: (settings: Settings, localPort: number) => Tunnel;
  subscribeTimeoutMs?: number;
  retryIntervalMs?: number;
  /** Overrides of the settings a new install starts with. */
  initialSettings?: Partial<Settings>;
}

export interface Core {
  tracker: Tracker;
  store: ShipmentStore;
  callbackServer: CallbackServer;
  sandbox: SandboxServer;
  tunnel: Tunnel;
  close(): Promise<void>;
}

export const STORE_FILE = 'parceltray.json';

/** Opens the store; a file that is not JSON is moved aside, never overwritten. */
async function openStore(options: CoreOptions): Promise<ShipmentStore> {
  const defaults = (): DbShape => ({
    version: 1,
    shipments: {},
    settings: { ...defaultSettings(), ...options.initialSettings },
  });
  if (options.storeAdapter) return ShipmentStore.open(options.storeAdapter, defaults);
  const file = join(options.dataDir, STORE_FILE);
  try {
    return await ShipmentStore.open(new DurableJSONFile<DbShape>(file), defaults);
  } catch (e) {
    if (!(e instanceof SyntaxError) || !existsSync(file)) throw e;
    const aside = `${file}.corrupt-${Date.now()}`;
    renameSync(file, aside);
    console.error(`ParcelTray: the store was not valid JSON; kept it as ${aside} and started a new one.`);
    return ShipmentStore.open(new DurableJSONFile<DbShape>(file), defaults);
  }
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const store = await openStore(options);
  const secrets = options.secrets ?? new FileSecretStore(join(options.dataDir, 'secrets.json'));
  const sandbox = new SandboxServer({ clock: options.clock, ...options.sandbox });
  await sandbox.listen();

  let tracker: Tracker | null = null;
  const callbackServer = new CallbackServer({
    sink: { receivePush: (raw, push, sign) => tracker!.receivePush(raw, push, sign) },
    secret: store.settings.callbackSecret,
    host: options.callbackHost,
    port: options.callbackPort,
  });
  await callbackServer.listen();

  const tunnel = options.createTunnel?.(store.settings, callbackServer.port) ?? new NoTunnel();
  const path = callbackPath(store.settings.callbackSecret);
  tracker = new Tracker({
    store,
    secrets,
    clock: options.clock,
    callback: {
      local: () => callbackServer.localUrl,
      public: () => {
        const origin = tunnel.publicOrigin();
        if (!origin) return tunnel.status().mode === 'none' ? callbackServer.localUrl : null;
        return `${store.settings.tunnel.https ? origin : origin.replace(/^https:/, 'http:')}${path}`;
      },
    },
    tunnelStatus: () => tunnel.status(),
    sandboxUrl: () => sandbox.url,
    subscribeTimeoutMs: options.subscribeTimeoutMs,
    retryIntervalMs: options.retryIntervalMs,
  });
  const stopTunnelEvents = tunnel.onChange(() => tracker!.statusChanged());
  await tunnel.start();
  tracker.start();

  return {
    tracker,
    store,
    callbackServer,
    sandbox,
    tunnel,
    async close() {
      await tracker!.stop();
      stopTunnelEvents();
      await tunnel.stop();
      await callbackServer.close();
      await sandbox.close();
    },
  };
}
