/**
 * A stand-in for the `electron` module with just the behaviour the shell relies on, recording
 * what the shell does so tests can assert it.
 */
import { EventEmitter } from 'node:events';
import type { ElectronModule } from '../../main/electron/electron-module.js';

type Handler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  session = {
    requestHandler: null as unknown,
    checkHandler: null as unknown,
    setPermissionRequestHandler(h: unknown): void {
      this.requestHandler = h;
    },
    setPermissionCheckHandler(h: unknown): void {
      this.checkHandler = h;
    },
  };
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

export class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  webContents = new FakeWebContents();
  visible = false;
  focused = 0;
  destroyed = false;
  loaded: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.all.push(this);
  }
  loadFile(path: string): Promise<void> {
    this.loaded = path;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused += 1;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What the OS does when the user clicks the close button. */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroyed = true;
    return prevented;
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export class FakeImage {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
}

export class FakeTray extends EventEmitter {
  static last: FakeTray | null = null;
  image: string;
  template: boolean;
  tooltip = '';
  menu: { label?: string; type?: string; enabled?: boolean; click?: () => void }[] = [];
  constructor(image: FakeImage) {
    super();
    this.image = image.path;
    this.template = image.template;
    FakeTray.last = this;
  }
  setImage(image: FakeImage): void {
    this.image = image.path;
    this.template = image.template;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(menu: { items: FakeTray['menu'] }): void {
    this.menu = menu.items;
  }
}

type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;

export interface FakeElectron {
  module: ElectronModule;
  app: EventEmitter & { locked: boolean; quitCalls: number; exitCode: number | null; appUserModelId: string | null };
  handlers: Map<string, Handler>;
  /** Every dialog.showErrorBox(title, content) the shell showed. */
  errorBoxes: { title: string; content: string }[];
  permissions: { request: PermissionRequest | null; check: ((...args: unknown[]) => boolean) | null };
  dialogs: { type: string; message: string; buttons?: string[] }[];
  /** The button the next dialog answers with (0: the first). */
  dialogAnswer: { response: number };
}

/** electron-updater's autoUpdater, recording what the shell asks of it. */
export class FakeAutoUpdater {
  autoDownload = true;
  checks = 0;
  downloads = 0;
  installs = 0;
  constructor(private readonly answer: { available: boolean; version: string } | 'fail' | null) {}
  async checkForUpdates() {
    this.checks += 1;
    if (this.answer === 'fail') throw new Error('ENOTFOUND updates.example.invalid');
    return this.answer && { isUpdateAvailable: this.answer.available, updateInfo: { version: this.answer.version } };
  }
  async downloadUpdate() {
    this.downloads += 1;
    return [];
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
}

/**
 * A reversible stand-in for the OS keychain: XOR with a key, so the bytes on disk are neither
 * the plaintext nor its base64, and only decryptString gets the value back.
 */
export const FAKE_KEYCHAIN_KEY = Buffer.from('fake-keychain-key-7f3c91');
const xor = (b: Buffer): Buffer => Buffer.from(b.map((byte, i) => byte ^ FAKE_KEYCHAIN_KEY[i % FAKE_KEYCHAIN_KEY.length]!));
export const fakeEncrypt = (s: string): Buffer => xor(Buffer.from(s, 'utf8'));
export const fakeDecrypt = (b: Buffer): string => xor(b).toString('utf8');

export function fakeElectron(userData: string, options: { lockAvailable?: boolean } = {}): FakeElectron {
  FakeWindow.all = [];
  FakeNotification.shown = [];
  FakeTray.last = null;
  const handlers = new Map<string, Handler>();
  const errorBoxes: { title: string; content: string }[] = [];
  const permissions: FakeElectron['permissions'] = { request: null, check: null };
  const dialogs: FakeElectron['dialogs'] = [];
  const dialogAnswer = { response: 0 };
  const app = Object.assign(new EventEmitter(), {
    locked: options.lockAvailable ?? true,
    quitCalls: 0,
    exitCode: null as number | null,
    appUserModelId: null as string | null,
    setAppUserModelId(id: string) {
      this.appUserModelId = id;
    },
    getVersion: () => '0.1.0',
    requestSingleInstanceLock() {
      return this.locked;
    },
    quit() {
      this.quitCalls += 1;
    },
    exit(code: number) {
      this.exitCode = code;
    },
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? userData : `/tmp/${name}`),
    setLoginItemSettings: () => {},
  });
  const module = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (items: unknown[]) => ({ items }) },
    Notification: FakeNotification,
    nativeImage: { createFromPath: (path: string) => new FakeImage(path) },
    ipcMain: { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: (ch: string) => handlers.delete(ch) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: fakeEncrypt,
      decryptString: fakeDecrypt,
    },
    shell: { openExternal: () => Promise.resolve() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: PermissionRequest) => (permissions.request = h),
        setPermissionCheckHandler: (h: (...args: unknown[]) => boolean) => (permissions.check = h),
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
      showMessageBox: (o: { type: string; message: string; buttons?: string[] }) => {
        dialogs.push(o);
        return Promise.resolve({ response: dialogAnswer.response });
      },
    },
  } as unknown as ElectronModule;
  return { module, app, handlers, errorBoxes, permissions, dialogs, dialogAnswer };
}
