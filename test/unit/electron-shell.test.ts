import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type ChangeEvent, type Result, type ShipmentDto } from '../../preload/contract.js';
import { runElectronApp, type DesktopOptions, type Shell } from '../../main/electron/app-shell.js';
import { APP_ID } from '../../main/electron/app-identity.js';
import { logFor, stopLogFile } from '../../main/core/log.js';
import { startCore } from '../../main/core/app.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { tempDir, waitFor } from '../helpers/core.js';
import { FakeAutoUpdater, fakeDecrypt, fakeElectron, FakeNotification, FakeTray, FakeWindow } from '../helpers/fake-electron.js';

const dirs: ReturnType<typeof tempDir>[] = [];
const shells: Shell[] = [];
afterEach(async () => {
  for (const s of shells.splice(0)) await s.core.close();
  stopLogFile();
  dirs.splice(0).forEach((d) => d.remove());
});

async function launch(opts: { lockAvailable?: boolean } = {}) {
  const dir = tempDir();
  dirs.push(dir);
  const fake = fakeElectron(dir.path, opts);
  const paths = { indexHtml: join(dir.path, 'renderer', 'index.html'), preload: join(dir.path, 'preload.cjs'), assets: join(dir.path, 'assets') };
  const shell = await runElectronApp(fake.module, paths, { sandbox: { stepMs: 30, firstPushMs: 30 }, retryIntervalMs: 50 });
  if (shell) shells.push(shell);
  const page = pathToFileURL(paths.indexHtml).href;
  const invoke = async <T>(method: string, args: unknown[], url: string | null = page): Promise<Result<T>> =>
    (await fake.handlers.get(IPC_CHANNELS.invoke(method as never))!({ senderFrame: url === null ? null : { url } }, ...args)) as Result<T>;
  return { fake, shell, paths, dir: dir.path, invoke };
}

describe('Electron shell with a fake electron module', () => {
  it('creates a secure window and hides it on close instead of quitting', async () => {
    const { shell } = await launch();
    const win = FakeWindow.all[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(win.loaded).toMatch(/index\.html$/);
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(win.userClose()).toBe(true);
    expect(win.visible).toBe(false);
    expect(shell!.window).toBe(win);
  });

  it('a second launch focuses the first; without the lock it quits', async () => {
    const { fake } = await launch();
    const win = FakeWindow.all[0]!;
    win.hide();
    fake.app.emit('second-instance');
    expect(win.visible).toBe(true);
    expect(win.focused).toBeGreaterThan(0);
    const second = await launch({ lockAvailable: false });
    expect(second.shell).toBeNull();
    expect(second.fake.app.quitCalls).toBe(1);
  });

  it('another ParcelTray on the data dir (the headless mode): an error box in both languages, then quit', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const other = await startCore({ dataDir: dir.path, secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
    try {
      const fake = fakeElectron(dir.path);
      const paths = { indexHtml: join(dir.path, 'index.html'), preload: join(dir.path, 'preload.cjs'), assets: join(dir.path, 'assets') };
      const shell = await runElectronApp(fake.module, paths, { sandbox: { stepMs: 1e9 } });
      expect(shell).toBeNull();
      expect(fake.errorBoxes).toHaveLength(1);
      expect(fake.errorBoxes[0]!.content).toContain(`另一个 ParcelTray（PID ${process.pid}）正在使用 ${dir.path}`);
      expect(fake.errorBoxes[0]!.content).toContain(`another ParcelTray (PID ${process.pid}) is using ${dir.path}`);
      expect(fake.app.quitCalls + (fake.app.exitCode === null ? 0 : 1)).toBeGreaterThan(0);
      expect(FakeTray.last).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('a store whose settings are gone: an error box naming the file in both languages, then quit, the file left alone', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // A data dir whose only store file is damaged beyond reading its settings (no .prev, no settings file, no log).
    const file = join(dir.path, 'parceltray.json');
    writeFileSync(file, '{"version":1,"settings":{"broken');
    const fake = fakeElectron(dir.path);
    const paths = { indexHtml: join(dir.path, 'index.html'), preload: join(dir.path, 'preload.cjs'), assets: join(dir.path, 'assets') };
    const shell = await runElectronApp(fake.module, paths, { sandbox: { stepMs: 1e9 } });
    expect(shell).toBeNull();
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]!.content).toContain(file);
    expect(fake.errorBoxes[0]!.content).toMatch(/无法读取 ParcelTray 的设置/);
    expect(fake.errorBoxes[0]!.content).toMatch(/settings/i);
    expect(fake.app.quitCalls + (fake.app.exitCode === null ? 0 : 1)).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"settings":{"broken');
  });

  it('validates IPC senders and arguments', async () => {
    const { invoke } = await launch();
    expect(await invoke('getStatus', [], 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke('getStatus', [], null)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke('addShipment', [{ number: 42 }])).toMatchObject({ ok: false, error: { code: 'invalid', field: 'number' } });
    expect(await invoke('addShipment', [])).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await invoke('getShipment', ['../../etc'])).toMatchObject({ ok: false, error: { code: 'invalid', field: 'id' } });
    expect(await invoke('getSettings', ['extra'])).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await invoke('updateSettings', [{ provider: 'ups' }])).toMatchObject({ ok: false, error: { field: 'provider' } });
    // an edit takes an id and the changes, checked like PATCH /api/shipments/:id
    expect(await invoke('updateShipment', [{ note: 'x' }])).toMatchObject({ ok: false, error: { code: 'invalid', field: 'args' } });
    expect(await invoke('updateShipment', ['../x', { note: 'x' }])).toMatchObject({ ok: false, error: { field: 'id' } });
    expect(await invoke('updateShipment', ['s_1', { phone: '12' }])).toMatchObject({ ok: false, error: { field: 'phone' } });
    expect(await invoke('updateShipment', ['s_1', { note: 'x' }])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await invoke('getStatus', [])).toMatchObject({ ok: true });
  });

  it('routes notifications with the right parcel id, sends change events, and counts in the tray', async () => {
    const { invoke, shell } = await launch();
    // The tray counts from the status, not from a list of every parcel (30,000 rows per redraw).
    const listed = vi.spyOn(shell!.core.tracker, 'list');
    const win = FakeWindow.all[0]!;
    const added = await invoke<ShipmentDto>('addShipment', [{ number: 'YT5000000000010', company: 'yuantong', note: '赵六' }]);
    expect(added.ok).toBe(true);
    const id = added.ok ? added.value.id : '';
    // the sandbox moves it to 派件 and then 签收: two notifications for this parcel
    const note = await waitFor(() => FakeNotification.shown.find((n) => n.options.title.includes('派件')), 10_000, 'a 派件 notification');
    expect(note.options.title).toContain('赵六');
    win.hide();
    note.emit('click');
    expect(win.visible).toBe(true);
    const ui = win.webContents.sent.map((s) => s.payload as ChangeEvent).find((e) => e.type === 'ui');
    expect(ui).toEqual({ type: 'ui', command: 'open-shipment', id });
    expect(win.webContents.sent.some((s) => s.channel === IPC_CHANNELS.change && (s.payload as ChangeEvent).type === 'shipment')).toBe(true);
    await waitFor(() => FakeTray.last!.menu.some((m) => m.label === '今日签收 1'), 10_000, 'tray counts');
    expect(FakeTray.last!.image).toMatch(/tray-normal\.png$/);
    expect(FakeTray.last!.tooltip).toContain('派件中 0');
    expect(listed).not.toHaveBeenCalled();
  });

  it('starts 今日签收 again at midnight in China, though no change comes to redraw the tray', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const seeded = await ShipmentStore.openDir(dir.path, () => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] }));
    const r = newShipmentRecord({ company: 'yuantong', number: 'YT5000000000099', now: '2026-06-01T10:00:00.000Z', autoCom: false, subscription: { status: 'active' } });
    const signed = { time: '2026-06-01 18:00:00', ftime: '2026-06-01 18:00:00', context: '已签收', status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null };
    await seeded.putMany([{ ...r, state: '3', statusCode: '3', updatedAt: '2026-06-01T10:00:00.000Z', events: [signed] }]);
    await seeded.close();
    const clock = new FakeClock(Date.UTC(2026, 5, 1, 15, 59, 0)); // 2026-06-01 23:59 in China
    const fake = fakeElectron(dir.path);
    const paths = { indexHtml: join(dir.path, 'renderer', 'index.html'), preload: join(dir.path, 'preload.cjs'), assets: join(dir.path, 'assets') };
    const shell = (await runElectronApp(fake.module, paths, { clock, sandbox: { stepMs: 1e9 } }))!;
    shells.push(shell);
    expect(FakeTray.last!.menu.some((m) => m.label === '今日签收 1')).toBe(true);
    clock.advance(2 * 60_000);
    await waitFor(() => FakeTray.last!.menu.some((m) => m.label === '今日签收 0') || undefined, 2000, 'the tray redrawn after midnight');
  });

  it('tray menu: add waybill focuses the entry, pause stops pop-ups, quit quits', async () => {
    const { fake } = await launch();
    const win = FakeWindow.all[0]!;
    const item = (label: string) => FakeTray.last!.menu.find((m) => m.label === label)!;
    win.hide();
    item('添加单号…').click!();
    expect(win.visible).toBe(true);
    expect(win.webContents.sent.map((s) => s.payload)).toContainEqual({ type: 'ui', command: 'focus-entry' });
    item('暂停通知 1 小时').click!();
    await waitFor(() => FakeTray.last!.menu.some((m) => m.label === '恢复通知'));
    item('退出').click!();
    expect(fake.app.quitCalls).toBe(1);
    // once quitting, closing the window really closes it
    expect(win.userClose()).toBe(false);
  });

  it('keeps secrets encrypted with safeStorage', async () => {
    const { invoke, dir } = await launch();
    await invoke('updateSettings', [{ appCode: 'my-app-code' }]);
    const file = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('my-app-code');
    expect(file).not.toContain(Buffer.from('my-app-code').toString('base64'));
    // what is stored is the keychain's ciphertext: only decryptString turns it back
    const stored = (JSON.parse(file) as { appCode: string }).appCode;
    expect(fakeDecrypt(Buffer.from(stored, 'base64'))).toBe('my-app-code');
    expect(await invoke('getSettings', [])).toMatchObject({ ok: true, value: { appCodeSet: true, secretStorage: 'os-encrypted' } });
  });

  it('keeps a channel’s webhook URL and robot secret encrypted with safeStorage, and never answers them over IPC', async () => {
    const { invoke, dir } = await launch();
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=4f2c9a7d1e6b';
    const saved = await invoke<{ hasUrl: boolean; hasSecret: boolean }[]>('replaceChannels', [[{ name: '客服群', kind: 'dingtalk', url, secret: 'SECe1b2c3d4' }]]);
    expect(saved).toMatchObject({ ok: true, value: [{ hasUrl: true, hasSecret: true }] });
    const file = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('4f2c9a7d1e6b');
    expect(file).not.toContain('SECe1b2c3d4');
    expect(JSON.stringify(await invoke('listChannels', []))).not.toContain('SECe1b2c3d4');
  });
});

describe('desktop conventions', () => {
  async function launchWith(desktop: DesktopOptions) {
    const dir = tempDir();
    dirs.push(dir);
    const fake = fakeElectron(dir.path);
    const assets = fileURLToPath(new URL('../../assets', import.meta.url));
    const paths = { indexHtml: join(dir.path, 'renderer', 'index.html'), preload: join(dir.path, 'preload.cjs'), assets };
    const shell = (await runElectronApp(fake.module, paths, { sandbox: { stepMs: 30, firstPushMs: 30 } }, desktop))!;
    shells.push(shell);
    return { fake, shell };
  }
  const item = (label: string) => FakeTray.last!.menu.find((m) => m.label === label);

  it('sets the Windows AppUserModelId to electron-builder’s appId', async () => {
    const yml = readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8');
    expect(/^appId:\s*(\S+)\s*$/m.exec(yml)?.[1]).toBe(APP_ID);
    const { fake } = await launchWith({ platform: 'win32' });
    expect(fake.app.appUserModelId).toBe(APP_ID);
  });

  it('uses template tray images on macOS (black + alpha, 1x and @2x) and colour ones elsewhere', async () => {
    const mac = await launchWith({ platform: 'darwin' });
    expect(FakeTray.last!.image).toMatch(/tray-normalTemplate\.png$/);
    expect(FakeTray.last!.template).toBe(true);
    for (const name of ['normal', 'attention', 'offline']) {
      for (const file of [`tray-${name}Template.png`, `tray-${name}Template@2x.png`]) {
        const { size, pixels } = decodePng(readFileSync(join(fileURLToPath(new URL('../../assets', import.meta.url)), file)));
        expect(size, file).toBe(file.includes('@2x') ? 32 : 16);
        // Only alpha carries the shape: every pixel is black, and some are opaque.
        expect(pixels.every(([r, g, b]) => r === 0 && g === 0 && b === 0), file).toBe(true);
        expect(pixels.some(([, , , a]) => a > 0), file).toBe(true);
      }
    }
    await mac.shell.core.close();
    shells.splice(shells.indexOf(mac.shell), 1);
    await launchWith({ platform: 'linux' });
    expect(FakeTray.last!.image).toMatch(/tray-normal\.png$/);
    expect(FakeTray.last!.template).toBe(false);
  });

  it('denies every permission request and check', async () => {
    const { fake } = await launchWith({});
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) fake.permissions.request!({}, p, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(fake.permissions.check!({}, 'media', 'file://', {})).toBe(false);
  });

  it('never checks for updates by itself; the menu item checks and reports in a dialog', async () => {
    const updater = new FakeAutoUpdater({ available: false, version: '0.1.0' });
    let loads = 0;
    const { fake, shell } = await launchWith({ loadAutoUpdater: async () => (loads++, updater) });
    // electron-updater takes ~60 ms to load: not at launch, at the first check.
    expect(loads).toBe(0);
    expect(updater.checks).toBe(0);
    expect(item('检查更新')).toBeDefined();
    item('检查更新')!.click!();
    await waitFor(() => fake.dialogs.length === 1);
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(false);
    expect(fake.dialogs[0]).toMatchObject({ type: 'info', message: expect.stringContaining('已是最新版本') });
    expect(await shell.checkForUpdates()).toBe('latest');
    expect(loads).toBe(2);
  });

  it('an available update is downloaded and installed only when the seller says so; a failure is shown', async () => {
    const updater = new FakeAutoUpdater({ available: true, version: '0.2.0' });
    const { fake, shell } = await launchWith({ loadAutoUpdater: async () => updater });
    fake.dialogAnswer.response = 1;
    expect(await shell.checkForUpdates()).toBe('later');
    expect(updater.downloads).toBe(0);
    fake.dialogAnswer.response = 0;
    expect(await shell.checkForUpdates()).toBe('installing');
    expect(fake.dialogs.at(-1)).toMatchObject({ message: expect.stringContaining('0.2.0') });
    expect([updater.downloads, updater.installs]).toEqual([1, 1]);

    const failing = await launchWith({ loadAutoUpdater: async () => new FakeAutoUpdater('fail') });
    expect(await failing.shell.checkForUpdates()).toBe('failed');
    expect(failing.fake.dialogs[0]).toMatchObject({ type: 'error', message: expect.stringContaining('检查更新失败') });

    const unloadable = await launchWith({ loadAutoUpdater: () => Promise.reject(new Error('Cannot find module electron-updater')) });
    expect(await unloadable.shell.checkForUpdates()).toBe('failed');
    expect(unloadable.fake.dialogs[0]).toMatchObject({ type: 'error', detail: 'Cannot find module electron-updater' });
  });

  it('electron-builder publishes to a generic URL the distributor sets', () => {
    const yml = readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8');
    expect(yml).toMatch(/^publish:\n\s+provider: generic\n\s+url: https:\/\/\S+/m);
  });
});

/** Decodes the 8-bit RGBA, unfiltered PNGs scripts/make-icons.mjs writes. */
function decodePng(png: Buffer): { size: number; pixels: [number, number, number, number][] } {
  const size = png.readUInt32BE(16);
  const idat: Buffer[] = [];
  for (let i = 8; i < png.length; ) {
    const n = png.readUInt32BE(i);
    if (png.toString('latin1', i + 4, i + 8) === 'IDAT') idat.push(png.subarray(i + 8, i + 8 + n));
    i += 12 + n;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels: [number, number, number, number][] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = y * (size * 4 + 1) + 1 + x * 4;
      pixels.push([raw[o]!, raw[o + 1]!, raw[o + 2]!, raw[o + 3]!]);
    }
  }
  return { size, pixels };
}

describe('log file', () => {
  it('the shell logs to DATADIR/logs/parceltray.log and Settings says where it is', async () => {
    const { invoke, dir } = await launch();
    const settings = await invoke<{ logFile?: string }>('getSettings', []);
    expect(settings).toMatchObject({ ok: true, value: { logFile: join(dir, 'logs', 'parceltray.log') } });
    const updated = await invoke<{ logFile?: string }>('updateSettings', [{ language: 'en' }]);
    expect(updated).toMatchObject({ ok: true, value: { logFile: join(dir, 'logs', 'parceltray.log') } });
    // an IPC failure is logged there, with the secret redacted
    await invoke('updateSettings', [{ appCode: 'appcode-that-must-not-leak' }]);
    const bad = await invoke('getShipment', [42]);
    expect(bad.ok).toBe(false);
    logFor('test').error('while using appcode-that-must-not-leak');
    const text = readFileSync(join(dir, 'logs', 'parceltray.log'), 'utf8');
    expect(text).toContain('while using [redacted]');
    expect(text).not.toContain('appcode-that-must-not-leak');
  });
});
