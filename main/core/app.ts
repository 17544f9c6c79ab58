/**
 * Composition root of the core, shared by the Electron shell and the headless mode: opens
 * the store, starts the sandbox, the callback server and the tunnel, and wires the tracker.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { CallbackServer, callbackPath } from './callback-server.js';
import { systemClock, type Clock } from './clock.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { addSecret, logFor } from './log.js';
import { OutageJournal } from './outage-journal.js';
import { Scheduler } from './scheduler.js';
import { SandboxServer, type SandboxOptions } from './sandbox/sandbox-server.js';
import { FileSecretStore, type SecretStore } from './secrets.js';
import type { FsPort } from './store/fs-port.js';
import { openChannelService } from './forward/channel-wiring.js';
import type { ChannelService } from './forward/channel-service.js';
import type { DbShape, Settings } from './store/schema.js';
import { Archive } from './store/archive.js';
import { PushLog } from './store/push-log.js';
import { ShipmentStore } from './store/shipment-store.js';
import { defaultSettings, Tracker } from './tracker.js';
import { HealthProbe } from './tunnel/health-probe.js';
import { LocaltunnelTunnel } from './tunnel/localtunnel-tunnel.js';
import { PublicUrlTunnel } from './tunnel/public-url-tunnel.js';
import { NoTunnel, type Tunnel } from './tunnel/tunnel.js';
import { Notifier } from './notify/notifier.js';
import { recoveryNotice } from './notify/recovery-notice.js';
import type { NotificationDto } from '../../preload/contract.js';

export interface CoreOptions {
  dataDir: string;
  callbackPort?: number;
  callbackHost?: string;
  secrets?: SecretStore;
  sandbox?: SandboxOptions;
  /** A sandbox that outlives this core (tests of restarts); not closed by close(). */
  sandboxServer?: SandboxServer;
  clock?: Clock;
  /** Replaces the store file adapter (tests inject failures here). */
  storeAdapter?: Adapter<DbShape>;
  /** The store's file layer (tests inject short writes, ENOSPC and EIO here). */
  fs?: FsPort;
  /** A clean stop snapshots the store only past this many log bytes (0: always; tests of the stop's own snapshot). */
  closeSnapshotBytes?: number;
  /** Builds the tunnel for the settings (default: createTunnelFor). */
  createTunnel?: (settings: Settings, localPort: number, probe: HealthProbe, clock: Clock) => Tunnel;
  subscribeTimeoutMs?: number;
  retryIntervalMs?: number;
  /** Pops up an OS notification (the Electron shell); the headless mode has none. */
  showNotification?: (n: NotificationDto) => void;
  /** Overrides of the settings a new install starts with. */
  initialSettings?: Partial<Settings>;
  /** Which shell runs the core ('electron', 'headless'): written into the data dir's lock. */
  shell?: string;
  /**
   * Webhook hosts accepted besides the platforms' own, for the fake robots of tests only
   * (PARCELTRAY_ALLOW_WEBHOOK_HOSTS in the headless shell). Empty by default.
   */
  allowWebhookHosts?: readonly string[];
}

export interface Core {
  tracker: Tracker;
  /** Owns every timer of the core (the tracker's included); closed first by close(). */
  scheduler: Scheduler;
  notifier: Notifier;
  /** Forwarding to group robots and e-mail (issue 14). */
  channels: ChannelService;
  store: ShipmentStore;
  callbackServer: CallbackServer;
  sandbox: SandboxServer;
  /** The current tunnel (replaced when its settings change). */
  readonly tunnel: Tunnel;
  close(): Promise<void>;
}

/** The per-install subdomain: stable across restarts, derived from a random id. */
export const defaultSubdomain = (settings: Settings): string => settings.tunnel.subdomain || `parceltray-${settings.installId}`;

/**
 * The tunnel the settings ask for. With the sandbox there is none: it pushes over loopback,
 * so nothing is exposed to the internet until a real provider needs it.
 */
export function createTunnelFor(settings: Settings, localPort: number, probe: HealthProbe, clock?: Clock): Tunnel {
  if (settings.provider === 'sandbox') return new NoTunnel(settings.tunnel.mode);
  switch (settings.tunnel.mode) {
    case 'none':
      return new NoTunnel('none');
    case 'public':
      return new PublicUrlTunnel({ publicUrl: settings.tunnel.publicUrl, probe, clock });
    case 'localtunnel':
      return new LocaltunnelTunnel({ host: settings.tunnel.host, subdomain: defaultSubdomain(settings), localPort, probe, clock });
  }
}

const tunnelKey = (s: Settings): string =>
  JSON.stringify([s.provider === 'sandbox', s.tunnel.mode, s.tunnel.host, s.tunnel.subdomain, s.tunnel.publicUrl]);

export { STORE_FILE, SETTINGS_FILE } from './store/shipment-store.js';
const ARCHIVE_EVERY_MS = 6 * 3600_000;
const log = logFor('core');
/** How soon a lock file deleted by hand is written again. */
export const LOCK_WATCH_MS = 30_000;
/**
 * Temp files a killed process can leave (a snapshot cut off mid-write is megabytes): on a nearly
 * full disk they hold the space the log needs. Removed once the lock says nobody writes them.
 */
const LEFTOVER_TEMPS = ['.parceltray.json.tmp', '.parceltray.settings.json.tmp', 'parceltray.json.prev.tmp', 'parceltray.settings.json.prev.tmp', 'heartbeat.json.tmp'];

/**
 * Opens the store, keeping everything intact in damaged files (see store/recover.ts): what was
 * mended is in store.recoveryReport; settings that cannot be recovered throw
 * StoreUnrecoverableError rather than starting with a new callback URL.
 */
async function openStore(options: CoreOptions): Promise<ShipmentStore> {
  const defaults = (): DbShape => ({
    version: 1,
    shipments: {},
    settings: { ...defaultSettings(), ...options.initialSettings },
    journal: [],
  });
  if (options.storeAdapter) return ShipmentStore.open(options.storeAdapter, defaults);
  return ShipmentStore.openDir(options.dataDir, defaults, { fs: options.fs, closeSnapshotBytes: options.closeSnapshotBytes });
}

/**
 * The data dir holds the callback secret and the store: this user only (0700), tightened on
 * every start, not only when created. Windows has no such modes (its ACLs are per user).
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  try {
    chmodSync(dir, 0o700);
  } catch (e) {
    // A folder of another owner (a shared one, chosen with --data-dir) cannot be tightened by
    // us; that is worth saying, not worth refusing to start over.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    log.warn(`无法把 ${dir} 的权限收紧为 0700（不是它的所有者）/ cannot tighten ${dir} to 0700 (not its owner)`);
  }
}

/**
 * Starts the core with the data dir's lock held: taken before the store opens, given back
 * after it closes, or at once if starting fails (a DataDirLockedError when another process
 * holds it).
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  prepareDataDir(options.dataDir);
  const lock = acquireDataDirLock(options.dataDir, { shell: options.shell });
  try {
    return await startLockedCore(options, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startLockedCore(options: CoreOptions, lock: DataDirLock): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const scheduler = new Scheduler(clock);
  for (const name of LEFTOVER_TEMPS) rmSync(join(options.dataDir, name), { force: true });
  const store = await openStore(options);
  const secrets = options.secrets ?? new FileSecretStore(join(options.dataDir, 'secrets.json'));
  // One report for the shells to show: the store's files and the secrets file.
  if (secrets instanceof FileSecretStore) store.recoveryReport.issues.push(...secrets.issues);
  // What must never reach the log file; settings changes register the new values below.
  const registerSecrets = (): void => {
    addSecret(store.settings.salt, store.settings.callbackSecret, secrets.get('appCode'), secrets.get('key'));
  };
  registerSecrets();
  const ownSandbox = !options.sandboxServer;
  const sandbox = options.sandboxServer ?? new SandboxServer({ clock: scheduler.clockFor('sandbox'), ...options.sandbox });
  if (ownSandbox) await sandbox.listen();
  const journal = new OutageJournal(store, scheduler, join(options.dataDir, 'heartbeat.json'));
  await journal.start();

  let tracker: Tracker | null = null;
  const probe = new HealthProbe(scheduler.clockFor('health-probe'));
  const pushLog = new PushLog(join(options.dataDir, 'pushes'));
  const callbackServer = new CallbackServer({
    sink: { receivePush: (raw, push, sign) => tracker!.receivePush(raw, push, sign) },
    secret: store.settings.callbackSecret,
    host: options.callbackHost,
    port: options.callbackPort,
    onHealth: (nonce) => probe.arrived(nonce),
    onPush: (body, httpStatus, outcome) => pushLog.append({ at: new Date(clock.now()).toISOString(), outcome, httpStatus, body }),
  });
  await callbackServer.listen();
  // Group robots and e-mail (issue 14), fed the same change events as the notifier. Opened
  // after the last likely failure of a start (the callback port), so a failed start leaves no
  // outbox timers behind.
  const channels = await openChannelService({
    dataDir: options.dataDir,
    store,
    secrets,
    clock: scheduler.clockFor('channels'),
    allowedHosts: options.allowWebhookHosts,
    fs: options.fs,
    issues: store.recoveryReport.issues,
    changed: (list) => tracker?.publish({ type: 'channels', channels: list }),
  });

  const makeTunnel = options.createTunnel ?? createTunnelFor;
  const tunnelClock = scheduler.clockFor('tunnel');
  let tunnel = makeTunnel(store.settings, callbackServer.port, probe, tunnelClock);
  let currentKey = tunnelKey(store.settings);
  const path = callbackPath(store.settings.callbackSecret);
  tracker = new Tracker({
    store,
    secrets,
    clock: scheduler.clockFor('tracker'),
    callback: {
      local: () => callbackServer.localUrl,
      public: () => {
        const origin = tunnel.publicOrigin();
        if (!origin) return tunnel.status().mode === 'none' ? callbackServer.localUrl : null;
        return `${store.settings.tunnel.https ? origin : origin.replace(/^https:/, 'http:')}${path}`;
      },
    },
    tunnelStatus: () => tunnel.status(),
    checkTunnel: () => tunnel.checkNow(),
    notifications: () => notifier.history,
    archive: new Archive(join(options.dataDir, 'archive')),
    sandboxUrl: () => sandbox.url,
    channels,
    subscribeTimeoutMs: options.subscribeTimeoutMs,
    retryIntervalMs: options.retryIntervalMs,
  });
  // Data flows one way: store → change event → notifier → OS notification and the window.
  const notifier = new Notifier({
    clock: scheduler.clockFor('notifier'),
    settings: () => store.settings,
    show: (n) => options.showNotification?.(n),
    recorded: (n) => tracker!.publish({ type: 'notification', notification: n }),
  });
  // A late pickup the previous run saw was announced then; one that came while the app was
  // closed (its deadline after the last heartbeat) is news now, announced once listeners are on.
  const lateWhileAway = new Set(journal.lastAlive === null ? [] : tracker.lateSince(journal.lastAlive));
  const marks = [...tracker.marks()].map((m) => (lateWhileAway.has(m.id) ? { ...m, pickupLate: false } : m));
  notifier.prime(marks);
  const started = await tracker.getStatus();
  if (started.ok) notifier.primeProvider(started.value.provider);
  for (const i of store.recoveryReport.issues) log.warn(`damaged data: ${i.file}${i.line === null ? '' : `:${i.line}`}: ${i.reasonEn}`);
  const mended = recoveryNotice(store.recoveryReport, options.dataDir, store.settings.language);
  if (mended) notifier.announce(mended);
  const stopNotifier = tracker.onChange((e) => notifier.handle(e));
  channels.prime(marks);
  const stopChannels = tracker.onChange((e) => channels.handle(e));
  tracker.announce(lateWhileAway);
  const onTunnel = (): void => {
    void journal.tunnelChanged(tunnel.status(), store.settings.provider !== 'sandbox').catch((e: unknown) => log.error('journal:', e));
    tracker!.statusChanged();
  };
  let stopTunnelEvents = tunnel.onChange(onTunnel);
  await tunnel.start();
  // New tunnel settings take effect at once: the old tunnel stops, the new one starts.
  let swapping = Promise.resolve();
  const stopSettingsEvents = tracker.onChange((e) => {
    if (e.type === 'settings') registerSecrets();
    if (e.type !== 'settings' || tunnelKey(store.settings) === currentKey) return;
    currentKey = tunnelKey(store.settings);
    swapping = swapping.then(async () => {
      stopTunnelEvents();
      await tunnel.stop();
      tunnel = makeTunnel(store.settings, callbackServer.port, probe, tunnelClock);
      stopTunnelEvents = tunnel.onChange(onTunnel);
      await tunnel.start();
      tracker!.statusChanged();
    });
  });
  tracker.start();
  // Done-with parcels leave the hot store now and then (soon after start, then every 6 hours).
  scheduler.every('archive', ARCHIVE_EVERY_MS, () => tracker!.archiveDone(), { firstMs: 5_000 });
  // The lock file deleted by hand would let a second process in: put it back within seconds.
  scheduler.every('lock-watch', LOCK_WATCH_MS, () => {
    const state = lock.reassert();
    if (state === 'restored') log.warn(`the data dir's lock file was gone; wrote it again (${lock.file})`);
    if (state === 'taken') log.error(`另一个进程接管了数据目录的锁 / another process took over the data dir's lock: ${lock.file}`);
  });

  return {
    tracker,
    scheduler,
    notifier,
    channels,
    store,
    callbackServer,
    sandbox,
    get tunnel() {
      return tunnel;
    },
    async close() {
      // Refuse new timers and drain the running ones first: nothing can fire into a closed server.
      await scheduler.close();
      stopSettingsEvents();
      stopNotifier();
      notifier.flush();
      await swapping;
      await tracker!.stop();
      // After the tracker: the last pushes' changes are in the outbox before it is saved.
      stopChannels();
      await channels.close();
      stopTunnelEvents();
      await tunnel.stop();
      journal.stop();
      await callbackServer.close();
      if (ownSandbox) await sandbox.close();
      try {
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}
