import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE, STORE_FILE } from '../../main/core/app.js';
import type { Core } from '../../main/core/app.js';
import { FileSecretStore } from '../../main/core/secrets.js';
import { tempResources } from '../helpers/temp-resources.js';
import { identityOf, push, startOn, type Identity } from '../helpers/store-scenario.js';

/**
 * Found by the breaker (issue 10): damaged snapshots that still parse cost every record even
 * though the .prev and the log held them all, and a byte-order mark (Notepad) cost the settings.
 */
const { dir, keep, close } = tempResources('parceltray-breaker-');

const FIRST = ['YT7500000000001', 'YT7500000000002', 'YT7500000000003'];
const LATER = 'YT7500000000004';
const ALL = [...FIRST, LATER].sort();

/** Two start/stop cycles: the .prev holds the first three, the snapshot all four. */
async function prepared(d: string): Promise<Identity> {
  // Each stop takes a snapshot (a short log is otherwise left for replay): these cases damage
  // the snapshot and its .prev, so both must exist.
  const core = await startOn(d, { closeSnapshotBytes: 0 });
  for (const n of FIRST) expect(await push(core, n)).toBe(200);
  const identity = identityOf(core);
  await core.close();
  const again = await startOn(d, { closeSnapshotBytes: 0 });
  expect(await push(again, LATER)).toBe(200);
  await again.close();
  return identity;
}

async function reopen(d: string): Promise<Core> {
  const core = await startOn(d);
  keep(core);
  return core;
}
const numbersIn = (core: Core): string[] => core.store.list().map((r) => r.number).sort();

describe('breaker: a damaged snapshot that still parses', () => {
  it('a snapshot of valid JSON but the wrong shape ({}): every record comes back from .prev and the log, also after a restart', async () => {
    const d = dir();
    const identity = await prepared(d);
    writeFileSync(join(d, STORE_FILE), '{}');
    const core = await reopen(d);
    expect(numbersIn(core)).toEqual(ALL);
    expect(identityOf(core)).toEqual(identity);
    expect(core.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, STORE_FILE) }));
    await close(core);
    // the mended snapshot must not have made the damaged file the fallback
    const again = await reopen(d);
    expect(numbersIn(again)).toEqual(ALL);
    expect(readdirSync(join(d, 'damaged')).some((f) => f.endsWith(STORE_FILE))).toBe(true);
  });

  it('a snapshot cut off right after its head line: every record comes back from .prev and the log', async () => {
    const d = dir();
    const identity = await prepared(d);
    const text = readFileSync(join(d, STORE_FILE), 'utf8');
    writeFileSync(join(d, STORE_FILE), text.slice(0, text.indexOf('\n') + 1));
    const core = await reopen(d);
    expect(numbersIn(core)).toEqual(ALL);
    expect(identityOf(core)).toEqual(identity);
  });

  it('one garbage line: the record on it comes back too, and the line is still reported', async () => {
    const d = dir();
    await prepared(d);
    const lines = readFileSync(join(d, STORE_FILE), 'utf8').split('\n');
    lines[1] = '"x":{"id":garbage';
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    const core = await reopen(d);
    expect(numbersIn(core)).toEqual(ALL);
    expect(core.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, STORE_FILE), line: 2 }));
  });
});

describe('breaker: a byte-order mark is not damage', () => {
  it('a snapshot saved with a BOM, with no settings file and no .prev: same callback URL, every record', async () => {
    const d = dir();
    const identity = await prepared(d);
    writeFileSync(join(d, STORE_FILE), `\uFEFF${readFileSync(join(d, STORE_FILE), 'utf8')}`);
    rmSync(join(d, SETTINGS_FILE));
    rmSync(join(d, `${STORE_FILE}.prev`));
    const core = await reopen(d);
    expect(identityOf(core)).toEqual(identity);
    expect(numbersIn(core)).toEqual(ALL);
  });

  it('a settings file saved with a BOM is the settings when the snapshot head is damaged', async () => {
    const d = dir();
    const identity = await prepared(d);
    writeFileSync(join(d, SETTINGS_FILE), `\uFEFF${readFileSync(join(d, SETTINGS_FILE), 'utf8')}`);
    const lines = readFileSync(join(d, STORE_FILE), 'utf8').split('\n');
    lines[0] = 'garbage';
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    rmSync(join(d, `${STORE_FILE}.prev`));
    const core = await reopen(d);
    expect(identityOf(core)).toEqual(identity);
    expect(core.store.recoveryReport.settingsFrom).toBe('settings-file');
  });

  it('secrets.json saved with a BOM keeps the AppCode and key', () => {
    const d = dir();
    const file = join(d, 'secrets.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ appCode: 'CODE123', key: 'KEY456' })}`);
    const secrets = new FileSecretStore(file);
    expect(secrets.get('key')).toBe('KEY456');
    expect(secrets.get('appCode')).toBe('CODE123');
    expect(secrets.issues).toEqual([]);
  });
});
