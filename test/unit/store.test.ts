import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, STORE_FILE } from '../../main/core/app.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { DurableJSONFile } from '../../main/core/store/durable-json-file.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape } from '../../main/core/store/schema.js';
import { StoreUnrecoverableError } from '../../main/core/store/recovery-report.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { tempDir } from '../helpers/core.js';

const dirs: ReturnType<typeof tempDir>[] = [];
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const defaults = (): DbShape => ({ version: 1, shipments: {}, settings: defaultSettings(), journal: [] });
const rec = (number: string) => newShipmentRecord({ company: 'yuantong', number, now: new Date().toISOString(), autoCom: false, subscription: { status: 'pending' } });

describe('durable JSON file', () => {
  it('group-commits concurrent writes and resolves each only when its data is on disk', async () => {
    const file = join(dir(), 'db.json');
    const adapter = new DurableJSONFile<{ n: number }>(file);
    const data = { n: 0 };
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 50; i++) {
      data.n = i;
      const seen = i;
      writes.push(adapter.write(data).then(() => expect(JSON.parse(readFileSync(file, 'utf8')).n).toBeGreaterThanOrEqual(seen)));
    }
    await Promise.all(writes);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ n: 50 });
    expect(adapter.writes).toBeLessThan(50);
    expect(adapter.writes).toBeGreaterThanOrEqual(1);
    // the temp file is renamed away, never left behind
    expect(readdirSync(join(file, '..'))).toEqual(['db.json']);
  });

  it('writes the store readable by this user only', async () => {
    const file = join(dir(), 'db.json');
    await new DurableJSONFile(file).write({ a: 1 });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('shipment store', () => {
  it('persists records and settings across reopen, with the number index', async () => {
    const file = join(dir(), 'db.json');
    const store = await ShipmentStore.open(new DurableJSONFile<DbShape>(file), defaults);
    const salt = store.settings.salt;
    await store.putMany([rec('YT0000000001'), rec('YT0000000002')]);
    const again = await ShipmentStore.open(new DurableJSONFile<DbShape>(file), defaults);
    expect(again.size).toBe(2);
    expect(again.settings.salt).toBe(salt);
    expect(again.byNumber(' yt0000000001 ')).toHaveLength(1);
  });

  it('rolls back in memory when a write fails', async () => {
    let fail = false;
    const inner = new DurableJSONFile<DbShape>(join(dir(), 'db.json'));
    const store = await ShipmentStore.open({ read: () => inner.read(), write: (d) => (fail ? Promise.reject(new Error('disk full')) : inner.write(d)) }, defaults);
    const r = rec('YT0000000003');
    await store.put(r);
    fail = true;
    await expect(store.put({ ...r, note: 'changed' })).rejects.toThrow(/disk full/);
    expect(store.get(r.id)?.note).toBeNull();
    await expect(store.put(rec('YT0000000004'))).rejects.toThrow();
    expect(store.byNumber('YT0000000004')).toHaveLength(0);
  });

  it('refuses to start over a store whose settings cannot be recovered, and leaves the file as it was', async () => {
    const d = dir();
    writeFileSync(join(d, STORE_FILE), '{"version":1,"shipments":{"x"');
    const err = await startCore({ dataDir: d, secrets: new MemorySecretStore() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnrecoverableError);
    expect((err as StoreUnrecoverableError).messageEn).toContain(join(d, STORE_FILE));
    expect((err as StoreUnrecoverableError).message).toContain('回调');
    expect(readFileSync(join(d, STORE_FILE), 'utf8')).toContain('"x"');
    expect(existsSync(join(d, 'parceltray.settings.json'))).toBe(false);
  });
});

describe('store serialisation', () => {
  it('writes the JSON of JSON.stringify, piece by piece, each record with the facts of its history beside it', async () => {
    const { serializeDb } = await import('../../main/core/store/shipment-store.js');
    const db: DbShape = { ...defaults(), shipments: {} };
    for (const n of ['YT1', 'YT2', 'YT3']) {
      const r = rec(`${n}0000000`);
      db.shipments[r.id] = { ...r, note: '引号 " 和 \\ 反斜杠' };
    }
    const text = (d: DbShape): string => Buffer.concat([...serializeDb(d)]).toString('utf8');
    // The records, then their histories in the same order (record-line.ts): put back together,
    // the document is the store.
    const doc = JSON.parse(text(db)) as DbShape & { shipments: Record<string, Record<string, unknown>>; $histories: Record<string, unknown>[] };
    const records = Object.values(doc.shipments);
    expect(doc.$histories).toHaveLength(records.length);
    records.forEach((r, i) => {
      expect(r.$h).toEqual(expect.objectContaining({ n: 0, k: 0 }));
      const { $p, ...history } = doc.$histories[i]!;
      expect($p).toEqual([]);
      delete r.$h;
      Object.assign(r, history);
    });
    const { $histories: _h, ...rest } = doc;
    expect(rest).toEqual(JSON.parse(JSON.stringify(db)));
    const { $histories: none, ...empty } = JSON.parse(text({ ...db, shipments: {} })) as Record<string, unknown>;
    expect([none, empty]).toEqual([[], { ...JSON.parse(JSON.stringify(db)), shipments: {} }]);
    // read back line by line, and a plain one-line JSON file too
    const { readSnapshot } = await import('../../main/core/store/snapshot-reader.js');
    const d = dir();
    writeFileSync(join(d, 'lines.json'), Buffer.concat([...serializeDb(db)]));
    writeFileSync(join(d, 'plain.json'), JSON.stringify(db));
    writeFileSync(join(d, 'empty.json'), Buffer.concat([...serializeDb({ ...db, shipments: {} })]));
    const plain = JSON.parse(JSON.stringify(db)) as DbShape;
    for (const name of ['lines.json', 'plain.json']) {
      const read = await readSnapshot(join(d, name));
      expect({ issues: read.issues, shipments: read.shipments, settings: read.settings, journal: read.journal }).toEqual({
        issues: [],
        shipments: plain.shipments,
        settings: plain.settings,
        journal: plain.journal,
      });
    }
    expect((await readSnapshot(join(d, 'empty.json'))).shipments).toEqual({});
    expect((await readSnapshot(join(d, 'missing.json'))).exists).toBe(false);
    writeFileSync(join(d, 'broken.json'), '{"version":1,"shipments":{"x"');
    const broken = await readSnapshot(join(d, 'broken.json'));
    expect(broken.unusable).toBe(true);
    expect(broken.issues).toEqual([expect.objectContaining({ file: join(d, 'broken.json'), line: null })]);
  });
});

describe('snapshot reading in chunks', () => {
  it('reads the same records, issues and line numbers whatever the chunk size: lines split across chunks, CRLF, a damaged line, multi-byte text', async () => {
    const { serializeDb } = await import('../../main/core/store/shipment-store.js');
    const { readSnapshot } = await import('../../main/core/store/snapshot-reader.js');
    const db: DbShape = { ...defaults(), shipments: {} };
    for (let i = 0; i < 12; i++) {
      const r = rec(`YT7${String(i).padStart(9, '0')}`);
      db.shipments[r.id] = { ...r, note: `包裹${'长'.repeat(i * 37)}备注` };
    }
    const lines = Buffer.concat([...serializeDb(db)]).toString('utf8').split('\n');
    lines[5] = lines[5]!.slice(0, 40); // a damaged line
    const d = dir();
    writeFileSync(join(d, 'lf.json'), lines.join('\n'));
    writeFileSync(join(d, 'crlf.json'), lines.join('\r\n'));
    const whole = await readSnapshot(join(d, 'lf.json'));
    expect(Object.keys(whole.shipments)).toHaveLength(11);
    expect(whole.issues).toEqual([expect.objectContaining({ line: 6 })]);
    for (const chunkBytes of [7, 64, 333, 4096]) {
      for (const name of ['lf.json', 'crlf.json']) {
        const read = await readSnapshot(join(d, name), { chunkBytes });
        expect({ shipments: read.shipments, settings: read.settings, lines: read.issues.map((i) => i.line) }).toEqual({
          shipments: whole.shipments,
          settings: whole.settings,
          lines: [6],
        });
      }
    }
  });
});

describe('push log', () => {
  it('appends JSON lines and rotates within its size cap', async () => {
    const { PushLog } = await import('../../main/core/store/push-log.js');
    const d = dir();
    const log = new PushLog(d, { maxFileBytes: 1000, maxFiles: 3 });
    for (let i = 0; i < 60; i++) log.append({ at: `t${i}`, outcome: 'stored', httpStatus: 200, body: `param=${'x'.repeat(80)}${i}` });
    const files = readdirSync(d).sort();
    expect(files).toEqual(['pushes.1.jsonl', 'pushes.2.jsonl', 'pushes.jsonl']);
    for (const f of files) expect(statSync(join(d, f)).size).toBeLessThanOrEqual(1000);
    const newest = readFileSync(join(d, 'pushes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { at: string });
    expect(newest.at(-1)?.at).toBe('t59');
  });
});

describe('write-ahead log', () => {
  const open = async (d: string, snapshotBytes?: number) => {
    const { WriteAheadLog } = await import('../../main/core/store/write-ahead-log.js');
    return ShipmentStore.open(new DurableJSONFile<DbShape>(join(d, 'db.json')), defaults, { wal: new WriteAheadLog(d), snapshotBytes });
  };

  it('acknowledges with one append, and a reopen replays it (a torn last line is skipped)', async () => {
    const d = dir();
    const store = await open(d);
    const a = rec('YT1000000001');
    await store.put(a);
    await store.put({ ...a, note: 'second version' });
    // the snapshot has not been rewritten for these: they are in the log
    expect(readFileSync(join(d, 'db.json'), 'utf8')).not.toContain('YT1000000001');
    const segment = readdirSync(d).find((f) => f.startsWith('parceltray.wal.'))!;
    writeFileSync(join(d, segment), readFileSync(join(d, segment), 'utf8') + '{"op":"put","rec":{"id":"torn');
    const again = await open(d);
    expect(again.get(a.id)?.note).toBe('second version');
    expect(again.size).toBe(1);
  });

  it('takes snapshots past the size limit and drops the segments they contain', async () => {
    const d = dir();
    const store = await open(d, 2000);
    for (let i = 0; i < 20; i++) await store.put(rec(`YT20000000${String(i).padStart(2, '0')}`));
    await store.close();
    // only the segments the previous snapshot lacks are kept (one generation at most)
    const segments = readdirSync(d).filter((f) => f.startsWith('parceltray.wal.'));
    expect(segments.length).toBeLessThanOrEqual(1);
    expect((await open(d)).size).toBe(20);
  });

  it('a clean stop with a short log rewrites nothing: the next start replays the log', async () => {
    const d = dir();
    const first = await ShipmentStore.openDir(d, defaults, { fsync: false });
    const before = readFileSync(join(d, STORE_FILE));
    const a = rec('YT4000000001');
    await first.put(a);
    await first.put({ ...a, note: '改过' });
    await first.close();
    expect(readFileSync(join(d, STORE_FILE)).equals(before)).toBe(true);
    expect(readdirSync(d).filter((f) => f.startsWith('parceltray.wal.'))).toHaveLength(1);
    const again = await ShipmentStore.openDir(d, defaults, { fsync: false });
    expect(again.get(a.id)?.note).toBe('改过');
    await again.close();
  });

  it('the log left by short stops counts at the next start: many of them end in a snapshot, not a pile of segments', async () => {
    const d = dir();
    const ids: string[] = [];
    for (let run = 0; run < 12; run++) {
      const store = await ShipmentStore.openDir(d, defaults, { fsync: false, closeSnapshotBytes: 3000 });
      const r = rec(`YT50000000${String(run).padStart(2, '0')}`);
      ids.push(r.id);
      await store.put(r);
      await store.close();
      // Never more log than one stop's limit plus what one run wrote, and the one generation .prev lacks.
      expect(readdirSync(d).filter((f) => f.startsWith('parceltray.wal.')).length).toBeLessThanOrEqual(8);
    }
    expect(JSON.parse(readFileSync(join(d, STORE_FILE), 'utf8')).walSeq).toBeGreaterThan(0);
    const last = await ShipmentStore.openDir(d, defaults, { fsync: false });
    expect(ids.every((id) => last.get(id))).toBe(true);
    await last.close();
  });

  it('lets the log grow with the store before rewriting it: a quarter of the snapshot, not the fixed minimum', async () => {
    const d = dir();
    const store = await ShipmentStore.openDir(d, defaults, { fsync: false, snapshotBytes: 1000 });
    await store.putMany(Array.from({ length: 200 }, (_, i) => rec(`YT60000${String(i).padStart(5, '0')}`)));
    await store.snapshot();
    const snapshot = readFileSync(join(d, STORE_FILE));
    expect(snapshot.length).toBeGreaterThan(100_000);
    // Well past 4 × 1000 bytes of log (the old forced snapshot), well under a quarter of the store.
    for (let i = 0; i < 10; i++) await store.put(rec(`YT61000${String(i).padStart(5, '0')}`));
    await store.close();
    expect(readFileSync(join(d, STORE_FILE)).equals(snapshot)).toBe(true);
    const again = await ShipmentStore.openDir(d, defaults, { fsync: false });
    expect(again.size).toBe(210);
    await again.close();
  });

  it('rolls back in memory and reports a storage error when the append fails', async () => {
    const d = dir();
    const store = await open(d);
    // a folder where the next segment file should go: the append cannot open it
    mkdirSync(join(d, 'parceltray.wal.1'));
    const r = rec('YT3000000001');
    await expect(store.put(r)).rejects.toThrow(/could not write the store/);
    expect(store.get(r.id)).toBeUndefined();
  });
});
