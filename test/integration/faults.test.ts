import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import { STORE_FILE } from '../../main/core/app.js';
import { watchLog } from '../../main/core/log.js';
import { FileSecretStore, type SyncFsPort } from '../../main/core/secrets.js';
import * as nodeFsSync from 'node:fs';
import { tempDir } from '../helpers/core.js';
import { FaultyFs, faultCount, type FaultRule } from '../helpers/faulty-fs.js';
import { crashImage, expectNothingLost, identityOf, push, startOn } from '../helpers/store-scenario.js';

/**
 * A full or failing disk under a running core (issue 10, findings 1 and 2), through the
 * injectable file layer: a push that did not wholly reach the disk is answered 500 (Kuaidi100
 * retries) and the log is cut back to its last whole line; a snapshot that fails never
 * replaces the good one nor drops the log; a stop on a full disk loses nothing.
 */
const dirs: ReturnType<typeof tempDir>[] = [];
const dir = (): string => {
  const d = tempDir('parceltray-faults-');
  dirs.push(d);
  return d.path;
};
const cores: Core[] = [];
const tally = { acked: 0, lost: 0 };
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  dirs.splice(0).forEach((d) => d.remove());
});
afterAll(() => {
  console.log(`fault-injection (core): ${faultCount.injected} faults injected, ${tally.acked} pushes acknowledged, ${tally.lost} lost, 0 callback URL changes`);
});

async function faultyCore(d: string): Promise<{ core: Core; fs: FaultyFs }> {
  const fs = new FaultyFs();
  // The stop takes its snapshot even after a short log: its faults are what is tested here.
  const core = await startOn(d, { fs, closeSnapshotBytes: 0 });
  cores.push(core);
  return { core, fs };
}

/** Every line of every log segment is whole JSON: nothing torn is left for the next append. */
function logIsWhole(d: string): void {
  for (const f of readdirSync(d).filter((n) => n.startsWith('parceltray.wal.'))) {
    const text = readFileSync(join(d, f), 'utf8');
    if (!text) continue;
    expect(text.endsWith('\n'), f).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown, `${f}: ${line.slice(0, 60)}`).not.toThrow();
  }
}

async function checked(d: string, acked: string[], identity: ReturnType<typeof identityOf>): Promise<void> {
  tally.acked += acked.length;
  const { recordsOnDisk } = await import('../helpers/disk.js');
  const stored = new Set((await recordsOnDisk(d)).map((r) => r.number));
  tally.lost += acked.filter((n) => !stored.has(n)).length;
  await expectNothingLost(d, acked, identity);
}

const WAL = /parceltray\.wal\.\d+$/;
const SNAPSHOT_TMP = /\.parceltray\.json\.tmp$/;

describe('a full disk during a push', () => {
  const cases: [string, FaultRule[]][] = [
    ['ENOSPC on the append', [{ call: 'write', path: WAL, fault: 'ENOSPC', times: 1 }]],
    ['a short write, then ENOSPC', [{ call: 'write', path: WAL, fault: 'short', times: 1 }, { call: 'write', path: WAL, fault: 'ENOSPC', times: 1 }]],
    ['EIO on fsync', [{ call: 'datasync', path: WAL, fault: 'EIO', times: 1 }]],
  ];
  for (const [name, rules] of cases) {
    it(`${name}: answers 500, then the retry and the next push are stored and survive a crash`, async () => {
      const d = dir();
      const { core, fs } = await faultyCore(d);
      const identity = identityOf(core);
      const acked: string[] = [];
      expect(await push(core, 'YT9000000000001')).toBe(200);
      acked.push('YT9000000000001');
      fs.rules = rules;
      // a big push (30 kB, as in the issue) so a short write tears it mid-line
      expect(await push(core, 'YT9000000000002', '派件', 30_000)).toBe(500);
      expect(core.store.byNumber('YT9000000000002')).toHaveLength(0);
      expect(fs.injected).toBe(rules.length);
      fs.rules = [];
      // Kuaidi100 retries; then another push lands right after the torn line was
      expect(await push(core, 'YT9000000000002', '派件', 30_000)).toBe(200);
      expect(await push(core, 'YT9000000000003')).toBe(200);
      acked.push('YT9000000000002', 'YT9000000000003');
      logIsWhole(d);
      const image = dir();
      crashImage(d, image);
      await checked(image, acked, identity);
    });
  }

  it('a short write that the loop completes is a whole write: 200 and stored', async () => {
    const d = dir();
    const { core, fs } = await faultyCore(d);
    const identity = identityOf(core);
    fs.rules = [{ call: 'write', path: WAL, fault: 'short', times: 3 }];
    expect(await push(core, 'YT9000000000011', '派件', 30_000)).toBe(200);
    expect(fs.injected).toBe(3);
    logIsWhole(d);
    const image = dir();
    crashImage(d, image);
    await checked(image, ['YT9000000000011'], identity);
  });
});

describe('a full disk during a snapshot', () => {
  const cases: [string, FaultRule[]][] = [
    ['ENOSPC writing it', [{ call: 'write', path: SNAPSHOT_TMP, fault: 'ENOSPC' }]],
    ['a short write, then ENOSPC', [{ call: 'write', path: SNAPSHOT_TMP, fault: 'short', times: 1 }, { call: 'write', path: SNAPSHOT_TMP, fault: 'ENOSPC' }]],
    ['EIO on fsync', [{ call: 'sync', path: SNAPSHOT_TMP, fault: 'EIO' }]],
    ['EIO on close', [{ call: 'close', path: SNAPSHOT_TMP, fault: 'EIO' }]],
    ['EIO on the rename', [{ call: 'rename', path: new RegExp(`${STORE_FILE.replace('.', '\\.')}$`), fault: 'EIO' }]],
  ];
  for (const [name, rules] of cases) {
    it(`${name}: the good snapshot and the log stay, nothing acknowledged is lost`, async () => {
      const d = dir();
      const { core, fs } = await faultyCore(d);
      const identity = identityOf(core);
      const acked = ['YT9100000000001', 'YT9100000000002', 'YT9100000000003'];
      for (const n of acked) expect(await push(core, n)).toBe(200);
      const before = readFileSync(join(d, STORE_FILE));
      const segments = readdirSync(d).filter((f) => WAL.test(f));
      fs.rules = rules;
      await expect(core.store.snapshot()).rejects.toThrow();
      expect(fs.injected).toBeGreaterThan(0);
      expect(readFileSync(join(d, STORE_FILE)).equals(before)).toBe(true);
      for (const s of segments) expect(readdirSync(d)).toContain(s);
      expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // pushes still work while snapshots fail
      expect(await push(core, 'YT9100000000004')).toBe(200);
      acked.push('YT9100000000004');
      const image = dir();
      crashImage(d, image);
      await checked(image, acked, identity);
      // space comes back: the next snapshot works and keeps the replaced one as .prev
      fs.rules = [];
      await core.store.snapshot();
      expect(readdirSync(d)).toContain(`${STORE_FILE}.prev`);
      await checked(d, acked, identity);
    });
  }
});

describe('a full disk during stop', () => {
  it('close() resolves, keeps the log, and a restart has every acknowledged push and the same callback URL', async () => {
    const d = dir();
    const { core, fs } = await faultyCore(d);
    const identity = identityOf(core);
    const acked: string[] = [];
    for (let i = 0; i < 25; i++) {
      const n = `YT92000000000${String(i).padStart(2, '0')}`;
      expect(await push(core, n)).toBe(200);
      acked.push(n);
    }
    fs.rules = [
      { call: 'write', path: SNAPSHOT_TMP, fault: 'short', times: 1 },
      { call: 'write', path: SNAPSHOT_TMP, fault: 'ENOSPC' },
    ];
    const logged: string[] = [];
    const unwatch = watchLog((l) => logged.push(l.text));
    cores.splice(cores.indexOf(core), 1);
    await core.close();
    unwatch();
    expect(logged.some((t) => t.includes('the log keeps every change'))).toBe(true);
    expect(fs.injected).toBe(2);
    expect(readdirSync(d).filter((f) => WAL.test(f)).length).toBeGreaterThan(0);
    const again = await startOn(d);
    cores.push(again);
    expect(identityOf(again).callbackSecret).toBe(identity.callbackSecret);
    expect(again.store.settings.salt).toBe(identity.salt);
    expect(again.store.size).toBe(25);
    await checked(d, acked, identity);
  });
});

describe('secrets.json writes', () => {
  it('a short write then ENOSPC fails the save and leaves the old file whole', () => {
    const d = dir();
    const path = join(d, 'secrets.json');
    const ok = new FileSecretStore(path);
    ok.set('key', 'old-key-123');
    let writes = 0;
    const fs: SyncFsPort = {
      ...nodeFsSync,
      writeSync: (fd, buffer, offset, length) => {
        writes += 1;
        faultCount.injected += 1;
        if (writes === 1) return nodeFsSync.writeSync(fd, buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const failing = new FileSecretStore(path, fs);
    expect(() => failing.set('key', 'new-key-456')).toThrow(/ENOSPC/);
    expect(failing.get('key')).toBe('old-key-123');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ key: 'old-key-123' });
    expect(readdirSync(d)).toEqual(['secrets.json']);
  });
});
