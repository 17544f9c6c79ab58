import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE, STORE_FILE } from '../../main/core/app.js';
import type { Core } from '../../main/core/app.js';
import { tempResources } from '../helpers/temp-resources.js';
import { crashImage, identityOf, push, startOn, type Identity } from '../helpers/store-scenario.js';

/**
 * Damaged files at start (issue 10, findings 3 and 6): a damaged line costs that line only and
 * is reported by file and line, the log replays over the snapshot, the callback URL never
 * changes, and nothing stops the app with a TypeError or a bare SyntaxError.
 */
const { dir, keep } = tempResources('parceltray-damaged-');

const NUMBERS = ['YT7000000000001', 'YT7000000000002', 'YT7000000000003', 'YT7000000000004', 'YT7000000000005'];

/** Five shipments in a closed store (all in the snapshot); returns the identity. */
async function prepared(d: string): Promise<Identity> {
  // A stop after a short log leaves it for replay; these cases damage the snapshot, so take one.
  const core = await startOn(d, { closeSnapshotBytes: 0 });
  for (const n of NUMBERS) expect(await push(core, n)).toBe(200);
  const identity = identityOf(core);
  await core.close();
  return identity;
}

async function reopen(d: string): Promise<Core> {
  const core = await startOn(d);
  keep(core);
  return core;
}

const snapshotLines = (d: string): string[] => readFileSync(join(d, STORE_FILE), 'utf8').split('\n');
const numbersIn = (core: Core): string[] => core.store.list().map((r) => r.number).sort();

function expectSameIdentity(core: Core, identity: Identity): void {
  expect(identityOf(core)).toEqual(identity);
}

describe('a damaged snapshot costs only what is damaged', () => {
  it('one garbage line: the other four records and the callback URL stay, the line is reported', async () => {
    const d = dir();
    const identity = await prepared(d);
    const lines = snapshotLines(d);
    // lines[0] is the head (settings); records follow one a line
    lines[2] = '"x":{"id":garbage';
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    const core = await reopen(d);
    // the record on the damaged line comes back from the .prev and the log (breaker-damaged.test.ts)
    expect(core.store.size).toBe(5);
    expectSameIdentity(core, identity);
    expect(core.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, STORE_FILE), line: 3 }));
    // the damaged original is kept before the file is rewritten clean
    const copies = readdirSync(join(d, 'damaged'));
    expect(copies.some((f) => f.endsWith(STORE_FILE))).toBe(true);
    expect(readFileSync(join(d, 'damaged', copies.find((f) => f.endsWith(STORE_FILE))!), 'utf8')).toContain('"x":{"id":garbage');
  });

  it('a truncated last line: the intact records stay', async () => {
    const d = dir();
    const identity = await prepared(d);
    const text = readFileSync(join(d, STORE_FILE), 'utf8');
    writeFileSync(join(d, STORE_FILE), text.slice(0, text.lastIndexOf('"YT700000000000') + 4));
    const core = await reopen(d);
    // the cut-off record comes back from the .prev and the log (breaker-damaged.test.ts)
    expect(core.store.size).toBe(5);
    expectSameIdentity(core, identity);
    expect(core.store.recoveryReport.issues.length).toBeGreaterThan(0);
    expect(core.store.recoveryReport.issues.every((i) => i.file === join(d, STORE_FILE) && i.reasonEn.length > 0)).toBe(true);
  });

  it('a "s_bad":null line and a record missing fields are skipped with a report, never a TypeError', async () => {
    const d = dir();
    const identity = await prepared(d);
    const lines = snapshotLines(d);
    const broken = JSON.parse(`{${lines[1]!.replace(/,$/, '')}}`) as Record<string, Record<string, unknown>>;
    const [id, rec] = Object.entries(broken)[0]!;
    delete rec.number;
    delete rec.subscription;
    lines[1] = `${JSON.stringify(id)}:${JSON.stringify(rec)},`;
    lines.splice(2, 0, '"s_bad":null,');
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    const core = await reopen(d);
    // the damaged record comes back from the .prev and the log (breaker-damaged.test.ts)
    expect(core.store.size).toBe(5);
    expect(core.tracker.list().length).toBeGreaterThanOrEqual(4);
    expectSameIdentity(core, identity);
    const lineNumbers = core.store.recoveryReport.issues.map((i) => i.line);
    expect(lineNumbers).toEqual(expect.arrayContaining([2, 3]));
  });

  it('a damaged head line: settings come from parceltray.settings.json, the records stay', async () => {
    const d = dir();
    const identity = await prepared(d);
    const lines = snapshotLines(d);
    lines[0] = '{"version":1,"settings":{"installId":"oops';
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    const core = await reopen(d);
    expect(numbersIn(core)).toEqual(NUMBERS);
    expectSameIdentity(core, identity);
    expect(core.store.recoveryReport.settingsFrom).toBe('settings-file');
    expect(existsSync(join(d, SETTINGS_FILE))).toBe(true);
  });

  it('an empty snapshot with a log: the log survives, the callback URL too', async () => {
    const d = dir();
    const identity = await prepared(d);
    const core = await startOn(d);
    expect(await push(core, 'YT7100000000001')).toBe(200);
    const image = dir();
    crashImage(d, image);
    await core.close();
    writeFileSync(join(image, STORE_FILE), '');
    const again = await reopen(image);
    expect(again.store.byNumber('YT7100000000001')).toHaveLength(1);
    expect(again.store.size).toBe(NUMBERS.length + 1);
    expectSameIdentity(again, identity);
    expect(again.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(image, STORE_FILE), line: null }));
  });

  it('an unreadable snapshot: the previous one (.prev) and the log it lacks bring back every record', async () => {
    const d = dir();
    const identity = await prepared(d);
    for (const extra of ['YT7300000000001', 'YT7300000000002']) {
      const core = await startOn(d);
      expect(await push(core, extra)).toBe(200);
      await core.close();
    }
    writeFileSync(join(d, STORE_FILE), 'garbage\n"x":1\n');
    const core = await reopen(d);
    expect(numbersIn(core)).toEqual([...NUMBERS, 'YT7300000000001', 'YT7300000000002'].sort());
    expectSameIdentity(core, identity);
    expect(core.store.recoveryReport.damagedCopies.some((f) => f.endsWith(STORE_FILE))).toBe(true);
    expect(core.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, `${STORE_FILE}.prev`) }));
  });

  it('the settings lost everywhere: refuses to start, naming the file, rather than a new callback URL', async () => {
    const d = dir();
    await prepared(d);
    writeFileSync(join(d, STORE_FILE), '');
    rmSync(join(d, `${STORE_FILE}.prev`), { force: true });
    rmSync(join(d, SETTINGS_FILE), { force: true });
    const err = (await startOn(d).catch((e: unknown) => e)) as Error & { messageEn?: string; code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('store-unrecoverable');
    expect(err.message).toContain(join(d, STORE_FILE));
    expect(err.messageEn).toContain(join(d, STORE_FILE));
  });
});

describe('a damaged log', () => {
  it('a null line and a put of null are skipped with a report; the good lines around them replay', async () => {
    const d = dir();
    const identity = await prepared(d);
    const core = await startOn(d);
    expect(await push(core, 'YT7200000000001')).toBe(200);
    const image = dir();
    crashImage(d, image);
    await core.close();
    const segment = readdirSync(image).filter((f) => f.startsWith('parceltray.wal.')).sort().at(-1)!;
    const text = readFileSync(join(image, segment), 'utf8');
    writeFileSync(join(image, segment), `null\n{"op":"put","rec":null}\n${text}{"op":"drop"}\n`);
    const again = await reopen(image);
    expect(again.store.byNumber('YT7200000000001')).toHaveLength(1);
    expect(again.store.size).toBe(NUMBERS.length + 1);
    expectSameIdentity(again, identity);
    const issues = again.store.recoveryReport.issues.filter((i) => i.file === join(image, segment));
    expect(issues.map((i) => i.line)).toEqual(expect.arrayContaining([1, 2]));
  });
});

describe('a torn log line', () => {
  it('is kept in damaged/, cut off at start, and the next push lands on a whole line', async () => {
    const d = dir();
    const identity = await prepared(d);
    const core = await startOn(d);
    expect(await push(core, 'YT7400000000001')).toBe(200);
    const image = dir();
    crashImage(d, image);
    await core.close();
    const segment = readdirSync(image).filter((f) => f.startsWith('parceltray.wal.')).sort().at(-1)!;
    const whole = readFileSync(join(image, segment), 'utf8');
    writeFileSync(join(image, segment), `${whole}{"op":"put","rec":{"id":"torn`);
    const again = await reopen(image);
    expect(readFileSync(join(image, segment), 'utf8')).toBe(whole);
    expect(readdirSync(join(image, 'damaged')).some((f) => f.endsWith(`${segment}.tail`))).toBe(true);
    expect(await push(again, 'YT7400000000002')).toBe(200);
    const crashed = dir();
    crashImage(image, crashed);
    const { recordsOnDisk } = await import('../helpers/disk.js');
    const numbers = (await recordsOnDisk(crashed)).map((r) => r.number);
    expect(numbers).toEqual(expect.arrayContaining(['YT7400000000001', 'YT7400000000002', ...NUMBERS]));
    expectSameIdentity(again, identity);
  });
});

describe('a damaged secrets.json', () => {
  for (const [name, content] of [
    ['empty', ''],
    ['garbage', '{"appCode":'],
    ['not an object', '[1,2]'],
  ] as const) {
    it(`${name}: moved to damaged/, reported naming the file, the app starts with the same callback URL`, async () => {
      const d = dir();
      const identity = await prepared(d);
      writeFileSync(join(d, 'secrets.json'), content);
      const { startCore } = await import('../../main/core/app.js');
      const core = await startCore({ dataDir: d, sandbox: { stepMs: 1e9 } });
      keep(core);
      expectSameIdentity(core, identity);
      expect(core.store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, 'secrets.json') }));
      expect(existsSync(join(d, 'secrets.json'))).toBe(false);
      expect(readdirSync(join(d, 'damaged')).some((f) => f.endsWith('secrets.json'))).toBe(true);
    });
  }
});

describe('the seller is told what was mended', () => {
  it('a start that skipped a damaged line raises one notification naming the file and the copies, in the UI language', async () => {
    const d = dir();
    await prepared(d);
    const lines = snapshotLines(d);
    lines[2] = '"x":{"id":garbage';
    writeFileSync(join(d, STORE_FILE), lines.join('\n'));
    const core = await reopen(d);
    const notes = await core.tracker.listNotifications();
    expect(notes.ok).toBe(true);
    const mended = notes.ok ? notes.value.filter((n) => n.title === '数据文件有损坏，已修复') : [];
    expect(mended).toHaveLength(1);
    expect(mended[0]!.body).toContain(join(d, STORE_FILE));
    expect(mended[0]!.body).toContain(join(d, 'damaged'));
    expect(mended[0]!.shipmentId).toBeNull();
  });

  it('a clean start raises none', async () => {
    const d = dir();
    await prepared(d);
    const core = await reopen(d);
    const notes = await core.tracker.listNotifications();
    expect(notes.ok && notes.value.some((n) => n.title.includes('损坏'))).toBe(false);
  });
});
