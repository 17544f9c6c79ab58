import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TrackingEventDto } from '../../preload/contract.js';
import { historiesLostCount, historiesParsedCount, HistoryMovedError } from '../../main/core/store/lazy-history.js';
import type { ShipmentRecord } from '../../main/core/store/schema.js';
import { serializeDb, ShipmentStore } from '../../main/core/store/shipment-store.js';
import { readSnapshot } from '../../main/core/store/snapshot-reader.js';
import { startCore, type Core } from '../../main/core/app.js';
import { Archive } from '../../main/core/store/archive.js';
import type { PushDataItem } from '../../main/core/kuaidi100/wire-types.js';
import { bytesOf, db, emptyDb, record, scan } from '../helpers/history-records.js';
import { tempResources } from '../helpers/temp-resources.js';
import { FaultyFs } from '../helpers/faulty-fs.js';
import { nodeFs, type FsPort } from '../../main/core/store/fs-port.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MemorySecretStore } from '../helpers/memory-secrets.js';
import { item, makePush, postPush } from '../helpers/push.js';
import { startOn } from '../helpers/store-scenario.js';

/**
 * Found by the third breaker (issue 15): histories left on disk meet files that change under the
 * running app (a backup tool restoring an older copy in place, a disk cutting the file short),
 * hand edits and damaged separators. A snapshot must never write a history that fails its own
 * check (the next start would drop the record), and damage costs only what it touches.
 */
const { dir, keep, close: closeStore } = tempResources('parceltray-breaker3-');


const FILE = 'parceltray.json';

async function openStore(d: string): Promise<ShipmentStore> {
  const store = await ShipmentStore.openDir(d, emptyDb, { fsync: false });
  keep(store);
  return store;
}
/** Every record as plain data (histories read), by id. */
const plain = (store: ShipmentStore): Record<string, ShipmentRecord> => Object.fromEntries(store.list().map((r) => [r.id, { ...r }]));
/** The records of the snapshot file as plain data, read apart from the store (whose histories stay unread). */
async function onDisk(d: string): Promise<Record<string, ShipmentRecord>> {
  const read = await readSnapshot(join(d, FILE));
  const out = Object.fromEntries(Object.values(read.shipments).map((r) => [r.id, { ...r }]));
  read.source?.close();
  return out;
}

describe('the snapshot file changed under the running app', () => {
  it('overwritten in place by an older copy: the next snapshot takes each history from where it still is, and a restart has the store as it ran', async () => {
    const d = dir();
    const initial = bytesOf(db([record(1), record(2), record(3), record(4)]));
    writeFileSync(join(d, FILE), initial);
    const store = await openStore(d);
    // s_2 and s_4 get new histories, s_1 and s_3 new notes only; the snapshot holds them all.
    const two = store.get('s_2')!;
    const four = store.get('s_4')!;
    await store.putMany([
      { ...store.get('s_1')!, note: '新备注 1' },
      { ...two, events: [scan('2026-11-22 09:00:00', '【上海市】 派件中 #2'), ...two.events] },
      { ...store.get('s_3')!, note: '新备注 3' },
      { ...four, events: [scan('2026-11-22 09:30:00', '【宁波市】 派件中 #4'), ...four.events] },
    ]);
    await store.snapshot();
    const asRun = await onDisk(d);
    // s_2's history is read (in memory); s_4's new history is on disk in the current file only.
    expect(store.get('s_2')!.events).toHaveLength(3);
    // A backup tool restores the first file in place (same inode: the open file now reads it).
    writeFileSync(join(d, FILE), initial);
    const lost = historiesLostCount();
    await store.snapshot();
    await closeStore(store);

    const again = await openStore(d);
    expect(again.recoveryReport.issues).toEqual([]);
    const now = plain(again);
    expect(Object.keys(now).sort()).toEqual(['s_1', 's_2', 's_3', 's_4']);
    // s_1 and s_3: found in the restored copy; s_2: from memory; notes as the app had them.
    for (const id of ['s_1', 's_2', 's_3']) expect(now[id]).toEqual(asRun[id]);
    // s_4's new history was nowhere any more: the record stays (its next push brings the history), the loss is counted.
    expect({ ...now['s_4'], events: null }).toEqual({ ...asRun['s_4'], events: null });
    expect(now['s_4']!.events).toEqual([]);
    expect(historiesLostCount()).toBe(lost + 1);
  });

  it('replaced by an older copy renamed over it: histories still read from the file they were read from, and a restart has the store as it ran', async () => {
    const d = dir();
    const initial = bytesOf(db([record(1), record(2), record(3)]));
    writeFileSync(join(d, FILE), initial);
    const store = await openStore(d);
    const two = store.get('s_2')!;
    await store.put({ ...two, note: '改', events: [scan('2026-11-22 09:00:00', '【上海市】 派件中 #2'), ...two.events] });
    await store.snapshot();
    const asRun = await onDisk(d);
    writeFileSync(join(d, 'older.json'), initial);
    renameSync(join(d, 'older.json'), join(d, FILE));
    expect(store.get('s_2')!.events).toEqual(asRun['s_2']!.events);
    await store.snapshot();
    await closeStore(store);
    const again = await openStore(d);
    expect(again.recoveryReport.issues).toEqual([]);
    expect(plain(again)).toEqual(asRun);
  });

  it('cut short in place: the next snapshot still succeeds and keeps every record with its history (found in the file before it)', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2), record(3)])));
    const store = await openStore(d);
    await store.put({ ...store.get('s_2')!, note: '改过' });
    await store.snapshot();
    const asRun = await onDisk(d);
    truncateSync(join(d, FILE), 300);
    await store.snapshot();
    await closeStore(store);
    const again = await openStore(d);
    expect(again.recoveryReport.issues).toEqual([]);
    expect(plain(again)).toEqual(asRun);
  });

  it('a snapshot never writes a history that fails its check: the next start finds nothing damaged', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2), record(3)])));
    const stamp = new Date('2026-11-20T00:00:00Z');
    utimesSync(join(d, FILE), stamp, stamp);
    const store = await openStore(d);
    // Bytes rot under the app, its size and time unchanged: one byte different in every history.
    const bytes = readFileSync(join(d, FILE));
    for (let at = bytes.indexOf('#', bytes.indexOf('$histories')); at >= 0; at = bytes.indexOf('#', at + 1)) bytes[at + 1] = 0x39;
    writeFileSync(join(d, FILE), bytes);
    utimesSync(join(d, FILE), stamp, stamp);
    await store.snapshot();
    await closeStore(store);
    const read = await readSnapshot(join(d, FILE));
    read.source?.close();
    expect(read.issues).toEqual([]);
    expect(Object.keys(read.shipments).sort()).toEqual(['s_1', 's_2', 's_3']);
  });
});

describe('a history assigned in memory', () => {
  it('is what the next snapshot writes, not the one on disk', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1)])));
    const store = await openStore(d);
    const events = [scan('2026-11-22 10:00:00', '改写的轨迹')];
    (store.get('s_1') as { events: TrackingEventDto[] }).events = events;
    await store.snapshot();
    await closeStore(store);
    const again = await openStore(d);
    expect(again.get('s_1')!.events).toEqual(events);
  });

  it('read first, then assigned: still what the next snapshot writes', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1)])));
    const store = await openStore(d);
    const rec = store.get('s_1') as { events: TrackingEventDto[] };
    expect(rec.events).toHaveLength(2);
    const events = [scan('2026-11-22 10:00:00', '读过之后改写的轨迹')];
    rec.events = events;
    await store.snapshot();
    await closeStore(store);
    const again = await openStore(d);
    expect(again.get('s_1')!.events).toEqual(events);
  });
});

describe('a history read or assigned while a snapshot is written (between its two sections)', () => {
  /** A snapshot of the records read lazily from `file`, its pieces taken up to the line that opens the histories. */
  async function halfWritten(file: string): Promise<{ read: Awaited<ReturnType<typeof readSnapshot>>; pieces: Generator<Uint8Array>; head: Uint8Array[] }> {
    const read = await readSnapshot(file);
    const pieces = serializeDb({ ...db([]), shipments: read.shipments });
    const head: Uint8Array[] = [];
    // next(), not for…of: a break would close the generator.
    for (let piece = pieces.next(); !piece.done; piece = pieces.next()) {
      head.push(piece.value);
      if (Buffer.from(piece.value).toString('utf8').startsWith('},"$histories":[')) break;
    }
    return { read, pieces, head };
  }

  it('read or assigned: the snapshot is whole, each history the one its line names', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2)])));
    const { read, pieces, head } = await halfWritten(join(d, FILE));
    (read.shipments['s_1'] as { events: TrackingEventDto[] }).events = [scan('2026-11-22 10:00:00', '写快照时改写的轨迹')];
    expect(read.shipments['s_2']!.events).toHaveLength(2);
    writeFileSync(join(d, 'next.json'), Buffer.concat([...head, ...pieces]));
    read.source?.close();
    const next = await readSnapshot(join(d, 'next.json'));
    expect(next.issues).toEqual([]);
    expect(next.shipments).toEqual({ s_1: record(1), s_2: record(2) });
    next.source?.close();
  });

  it('found lost (its file cut short under the app): the snapshot fails as one the store takes again', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1)])));
    const { read, pieces } = await halfWritten(join(d, FILE));
    truncateSync(join(d, FILE), 100);
    expect(read.shipments['s_1']!.events).toEqual([]);
    expect(() => [...pieces]).toThrow(HistoryMovedError);
    read.source?.close();
  });
});

describe('a history assigned once the snapshot is written, before the store points its records at it', () => {
  it('stays: the store does not point the record back at the history the snapshot holds', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2)])));
    let meanwhile = (): void => {};
    // The new snapshot is in place (renamed over the name); the store has not pointed its records at it yet.
    const fs: FsPort = {
      ...nodeFs,
      rename: async (from, to) => {
        await nodeFs.rename(from, to);
        if (to === join(d, FILE)) meanwhile();
      },
    };
    const store = await ShipmentStore.openDir(d, emptyDb, { fsync: false, fs });
    keep(store);
    // s_1 still on disk, s_2 in memory (written from there by the snapshot)
    (store.get('s_2') as { events: TrackingEventDto[] }).events = [scan('2026-11-22 09:00:00', '第一次改写')];
    const one = [scan('2026-11-22 10:00:00', '写完快照后改写 1')];
    const two = [scan('2026-11-22 10:00:00', '写完快照后改写 2')];
    meanwhile = () => {
      (store.get('s_1') as { events: TrackingEventDto[] }).events = one;
      (store.get('s_2') as { events: TrackingEventDto[] }).events = two;
    };
    await store.snapshot();
    meanwhile = () => {};
    expect([store.get('s_1')!.events, store.get('s_2')!.events]).toEqual([one, two]);
    await store.snapshot();
    await closeStore(store);
    const again = await openStore(d);
    expect([again.get('s_1')!.events, again.get('s_2')!.events]).toEqual([one, two]);
  });
});

describe('hand edits and damaged separators', () => {
  it('a file pretty-printed by hand, one history deleted and two swapped: no record takes another one\'s history', async () => {
    const d = dir();
    const records = [record(1), record(2), record(3), record(4)];
    const doc = JSON.parse(bytesOf(db(records)).toString('utf8')) as { $histories: unknown[] };
    doc.$histories.splice(0, 1);
    doc.$histories.reverse();
    writeFileSync(join(d, 'snap.json'), JSON.stringify(doc, null, 2));
    const read = await readSnapshot(join(d, 'snap.json'));
    read.source?.close();
    expect(read.shipments).toEqual(Object.fromEntries(records.slice(1).map((r) => [r.id, r])));
    expect(read.issues).toEqual([expect.objectContaining({ reasonEn: expect.stringContaining('scan history of record s_1 is damaged') })]);
  });

  for (const [name, damage] of [
    ['a byte flipped in the line that opens the histories', (b: Buffer, at: number) => void (b[at + 4] = 0x48)],
    ['that line run into the last record by a lost newline', (b: Buffer, at: number) => void (b[at - 1] = 0x20)],
  ] as const) {
    it(`${name}, and no .prev: the records before it keep their histories, the damage is reported`, async () => {
      const d = dir();
      const records = [record(1), record(2), record(3)];
      const bytes = bytesOf(db(records));
      damage(bytes, bytes.indexOf('},"$histories":['));
      writeFileSync(join(d, FILE), bytes);
      for (const workerFromBytes of [undefined, 0]) {
        const read = await readSnapshot(join(d, FILE), { scan: { workerFromBytes } });
        const kept = name.startsWith('that line') ? records.slice(0, 2) : records;
        expect(read.shipments).toEqual(Object.fromEntries(kept.map((r) => [r.id, r])));
        read.source?.close();
        expect(read.issues.map((i) => [i.line, i.reasonEn])).toEqual([[5 - (3 - kept.length), 'this line is damaged and was skipped']]);
      }
    });
  }
});

describe('a running app on a lazily loaded store', () => {
  /** Parcel n's full history once it has k scans, newest first (scans of different lengths move every offset). */
  const history = (n: number, k: number): PushDataItem[] =>
    Array.from({ length: k }, (_, i) => k - i).map((j) => item(`2026-06-0${1 + Math.floor(j / 24)} ${String(j % 24).padStart(2, '0')}:00:00`, `【杭州市】 第 ${j} 次扫描 ${n} ${'长'.repeat((n * 7 + j) % 40)}`));
  const NUMBERS = Array.from({ length: 12 }, (_, i) => `YT76000000000${String(i).padStart(2, '0')}`);

  it('pushes to parcels whose histories were never read, snapshots back to back, restarts: every history as last pushed, byte for byte', async () => {
    const d = dir();
    const pushed = new Map<string, number>();
    const send = async (core: Core, number: string, k: number): Promise<void> => {
      const res = await postPush(core.callbackServer.localUrl, makePush(number, 'yuantong', '0', history(NUMBERS.indexOf(number), k)), core.store.settings.salt);
      expect(res.status).toBe(200);
      pushed.set(number, k);
    };
    const first = await startOn(d, { closeSnapshotBytes: 0 });
    for (const n of NUMBERS) await send(first, n, 2);
    await first.close();

    const core = await startOn(d, { closeSnapshotBytes: 0 });
    try {
      for (let round = 0; round < 4; round++) {
        // Every other parcel (a different half each round) gets its next, longer history.
        for (const n of NUMBERS.filter((_, i) => i % 2 === round % 2)) await send(core, n, pushed.get(n)! + 3);
        await Promise.all([core.store.snapshot(), core.store.snapshot()]);
        await core.store.snapshot();
      }
    } finally {
      await core.close();
    }
    const again = await startOn(d);
    try {
      expect(again.store.recoveryReport.issues).toEqual([]);
      for (const n of NUMBERS) {
        const [rec] = again.store.byNumber(n);
        expect(JSON.stringify(rec!.events.map((e) => [e.ftime, e.context]))).toBe(JSON.stringify(history(NUMBERS.indexOf(n), pushed.get(n)!).map((e) => [e.ftime, e.context])));
      }
    } finally {
      await again.close();
    }
  });

  it('twenty snapshots keep at most two snapshot files open, and a close leaves none', async () => {
    const d = dir();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2)])));
    const openSnapshots = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(d, FILE));
      } catch {
        return false;
      }
    }).length;
    const store = await openStore(d);
    let most = openSnapshots();
    for (let i = 0; i < 20; i++) {
      await store.put({ ...store.get('s_1')!, note: `第 ${i} 次` });
      // a history read now and then, from whichever file its record points at
      expect(store.get(i % 2 ? 's_1' : 's_2')!.events).toHaveLength(2);
      await store.snapshot();
      most = Math.max(most, openSnapshots());
    }
    expect(most).toBe(2);
    await closeStore(store);
    expect(openSnapshots()).toBe(0);
  });
});

describe('archiving parcels loaded lazily', () => {
  it('moves each with its whole history, never read before', async () => {
    const d = dir();
    const done = (i: number): ShipmentRecord => ({ ...record(i), state: '3', statusCode: '301', isCheck: true, updatedAt: '2026-01-02T00:00:00.000Z', lastPushAt: '2026-01-02T00:00:00.000Z' });
    const records = [done(1), done(2), record(3)];
    writeFileSync(join(d, FILE), bytesOf(db(records)));
    const before = historiesParsedCount();
    const core = await startCore({ dataDir: d, clock: new FakeClock(Date.UTC(2026, 5, 1)), secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
    try {
      expect(historiesParsedCount()).toBe(before);
      expect(await core.tracker.archiveDone()).toBe(2);
    } finally {
      await core.close();
    }
    const archive = new Archive(join(d, 'archive'), { fsync: false });
    for (const r of records.slice(0, 2)) expect(await archive.get(r.id)).toEqual(r);
  });
});

describe('the start reads what it checks', () => {
  it('the file renamed over while the worker starts: the histories are checked in the file the records were read from', async () => {
    const d = dir();
    const records = [record(1), record(2)];
    writeFileSync(join(d, FILE), bytesOf(db(records)));
    writeFileSync(join(d, 'newer.json'), bytesOf(db([record(1, '另一个'), { ...record(2), events: [] }])));
    const reading = readSnapshot(join(d, FILE), { scan: { workerFromBytes: 0 } });
    // A sync tool replaces the file: the records were read from the old one, which stays open.
    renameSync(join(d, 'newer.json'), join(d, FILE));
    const read = await reading;
    expect(read.issues).toEqual([]);
    expect(read.shipments).toEqual(Object.fromEntries(records.map((r) => [r.id, r])));
    read.source?.close();
  });

  it('a snapshot the disk fails to read (here: EISDIR) is unusable, not a failed start: .prev and the log have every record', async () => {
    const d = dir();
    writeFileSync(join(d, `${FILE}.prev`), bytesOf(db([record(1), record(2)])));
    mkdirSync(join(d, FILE));
    const store = await openStore(d);
    expect(store.list().map((r) => r.id).sort()).toEqual(['s_1', 's_2']);
    expect(store.get('s_1')!.events).toEqual(record(1).events);
    expect(store.recoveryReport.issues).toContainEqual(expect.objectContaining({ file: join(d, FILE), reasonEn: 'the file could not be read (EISDIR)' }));
  });
});

describe('damage at start, with a .prev and a log', () => {
  /**
   * A store as it ran: a snapshot (now the .prev), changes, a snapshot (the current file),
   * a change in the log only. Two parcels have byte-identical (empty) histories.
   */
  async function ran(d: string): Promise<Record<string, ShipmentRecord>> {
    const records = [record(1), record(2), { ...record(3), events: [] }, { ...record(4), events: [] }, record(5)];
    writeFileSync(join(d, FILE), bytesOf(db(records)));
    const store = await openStore(d);
    await store.snapshot();
    const five = store.get('s_5')!;
    await store.putMany([{ ...store.get('s_2')!, note: '第二次' }, { ...five, events: [scan('2026-11-22 08:00:00', '【宁波市】 派件中'), ...five.events] }]);
    await store.snapshot();
    await store.put({ ...store.get('s_1')!, note: '只在日志里' });
    const asRun = plain(store);
    await closeStore(store);
    return asRun;
  }
  const historyLine = (l: string[], id: number): number => l.findIndex((x) => x.startsWith('{"$p":') && x.includes(`#${id}`));
  const inLines = (f: (l: string[]) => void) => (text: string): string => {
    const l = text.split('\n');
    f(l);
    return l.join('\n');
  };
  const flipByte = (at: (text: string) => number) => (text: string): Buffer => {
    const b = Buffer.from(text);
    const i = Buffer.byteLength(text.slice(0, at(text)));
    b[i] = b[i]! ^ 0x04;
    return b;
  };
  /** What damage costs: the records it touches come back from .prev and the log, and it is reported (unless nothing needed the damaged bytes). */
  const DAMAGE: [string, (text: string) => string | Buffer, 'reported' | 'nothing lost'][] = [
    ['a byte flipped in a history', flipByte((t) => t.indexOf('#2', t.indexOf('$histories')) + 1), 'reported'],
    ['a byte flipped in a $h', flipByte((t) => t.indexOf('"c":', t.indexOf('"s_2":')) + 5), 'reported'],
    ['a byte flipped in the line that opens the histories', flipByte((t) => t.indexOf('},"$histories":[') + 5), 'reported'],
    ['a byte flipped in the end', flipByte((t) => t.length - 2), 'reported'],
    ['cut short in the histories', (t) => t.slice(0, t.indexOf('#2', t.indexOf('$histories'))), 'reported'],
    ['cut short in the records', (t) => t.slice(0, t.indexOf('"s_3":') + 30), 'reported'],
    ['a history line twice', inLines((l) => l.splice(historyLine(l, 2), 0, l[historyLine(l, 2)]!)), 'nothing lost'],
    [
      'two history lines swapped',
      inLines((l) => {
        const [a, b] = [historyLine(l, 1), historyLine(l, 2)];
        [l[a], l[b]] = [l[b]!, l[a]!];
      }),
      'nothing lost',
    ],
    [
      'one of two identical histories damaged',
      inLines((l) => {
        const empty = l.findIndex((x) => x.startsWith('{"$p":[],"events":[]'));
        l[empty] = l[empty]!.replace('"events":[]', '"events":[}');
      }),
      'nothing lost',
    ],
  ];

  for (const [name, damage, outcome] of DAMAGE) {
    it(`${name}: every record back as it ran${outcome === 'reported' ? ', the damage reported,' : ''} and again after a restart`, async () => {
      const d = dir();
      const asRun = await ran(d);
      writeFileSync(join(d, FILE), damage(readFileSync(join(d, FILE), 'utf8')));
      const store = await openStore(d);
      expect(plain(store)).toEqual(asRun);
      if (outcome === 'reported') expect(store.recoveryReport.issues.filter((i) => i.file === join(d, FILE)).length).toBeGreaterThan(0);
      await closeStore(store);
      const again = await openStore(d);
      expect(plain(again)).toEqual(asRun);
      expect(again.recoveryReport.issues).toEqual([]);
    });
  }

  for (const [name, change] of [
    ['CRLF line ends', (t: string) => t.replace(/\n/g, '\r\n')],
    ['a byte-order mark', (t: string) => `\uFEFF${t}`],
    ['pretty-printed by hand', (t: string) => JSON.stringify(JSON.parse(t), null, 2)],
    ['a note edited by hand', (t: string) => t.replace('店铺 4', '手改的备注')],
  ] as const) {
    it(`${name}: not damage; every record as it ran`, async () => {
      const d = dir();
      const asRun = await ran(d);
      writeFileSync(join(d, FILE), change(readFileSync(join(d, FILE), 'utf8')));
      const store = await openStore(d);
      expect(store.recoveryReport.issues).toEqual([]);
      const edited = name.startsWith('a note') ? { ...asRun, s_4: { ...asRun['s_4']!, note: '手改的备注' } } : asRun;
      expect(plain(store)).toEqual(edited);
    });
  }
});

describe('a fault at every file call of a snapshot of a lazily loaded store', () => {
  /** Which of the faulty store's file calls the first snapshot made (the same in every run). */
  const snapshotCalls = { from: 0, to: 0 };
  /** A store opened on lazily loaded parcels (with a .prev), changed, snapshotted through `fs`, then changed and snapshotted again. */
  async function scenario(d: string, fs: FaultyFs): Promise<Record<string, ShipmentRecord>> {
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2), record(3)])));
    const setup = await openStore(d);
    await setup.snapshot();
    await closeStore(setup);
    const store = await ShipmentStore.openDir(d, emptyDb, { fsync: false, fs });
    keep(store);
    const two = store.get('s_2')!;
    await store.putMany([{ ...two, events: [scan('2026-11-22 08:00:00', '【宁波市】 派件中'), ...two.events] }, { ...store.get('s_3')!, note: '改' }]);
    snapshotCalls.from = fs.calls.length;
    await store.snapshot().catch(() => {});
    snapshotCalls.to = fs.calls.length;
    await store.put({ ...store.get('s_1')!, note: '之后' });
    await store.snapshot();
    await store.put({ ...store.get('s_3')!, note: '再之后' });
    const asRun = plain(store);
    await closeStore(store);
    return asRun;
  }

  it('loses nothing, histories byte for byte, whichever call fails and how', async () => {
    const expected = await scenario(dir(), new FaultyFs());
    const { from, to } = snapshotCalls;
    expect(to - from).toBeGreaterThan(5);
    let injected = 0;
    for (const fault of ['ENOSPC', 'EIO', 'short'] as const) {
      for (let i = from; i < to; i++) {
        const d = dir();
        const fs = new FaultyFs();
        fs.failAt = { index: i, fault };
        const asRun = await scenario(d, fs);
        injected += fs.injected;
        expect(asRun).toEqual(expected);
        const again = await openStore(d);
        expect(plain(again), `${fault} at ${fs.calls[i]}`).toEqual(expected);
        await closeStore(again);
      }
    }
    expect(injected).toBe(3 * (to - from));
  });
});

describe('a .prev that could not be kept', () => {
  for (const how of ['renamed over it', 'written into it'] as const) {
    it(`is not kept as .prev: an older copy ${how} by another program leaves .prev and the log whole`, async () => {
      const d = dir();
      const initial = bytesOf(db([record(1), record(2)]));
      writeFileSync(join(d, FILE), initial);
      const store = await openStore(d);
      await store.put({ ...store.get('s_2')!, note: '只改过这一次' });
      await store.snapshot();
      await store.put({ ...store.get('s_1')!, note: '第二次快照之前' });
      await store.snapshot();
      // A sync tool restores the first file over the name while the app runs (or a backup tool
      // writes it into the same file).
      if (how === 'renamed over it') {
        writeFileSync(join(d, 'older.json'), initial);
        renameSync(join(d, 'older.json'), join(d, FILE));
      } else writeFileSync(join(d, FILE), initial);
      await store.put({ ...store.get('s_1')!, note: '之后' });
      await store.snapshot();
      const asRun = plain(store);
      await closeStore(store);
      writeFileSync(join(d, FILE), 'garbage');
      const again = await openStore(d);
      expect(plain(again)).toEqual(asRun);
    });
  }

  it('keeps the log it needs: the snapshot damaged later, .prev and the log still have every change', async () => {
    const d = dir();
    const fs = new FaultyFs();
    writeFileSync(join(d, FILE), bytesOf(db([record(1), record(2)])));
    const store = await ShipmentStore.openDir(d, emptyDb, { fsync: false, fs });
    keep(store);
    await store.snapshot();
    await store.put({ ...store.get('s_2')!, note: '只改过这一次' });
    await store.snapshot();
    await store.put({ ...store.get('s_1')!, note: '第三次快照之前' });
    // The disk is full when the snapshot about to be replaced should become .prev (a hard link).
    fs.rules.push({ call: 'link', fault: 'ENOSPC', times: 1 });
    await store.snapshot();
    expect(fs.injected).toBe(1);
    await store.put({ ...store.get('s_1')!, note: '之后' });
    const asRun = plain(store);
    await closeStore(store);
    writeFileSync(join(d, FILE), 'garbage');
    const again = await openStore(d);
    expect(plain(again)).toEqual(asRun);
    expect(again.recoveryReport.issues.map((i) => i.reasonEn)).not.toContain('part of the log after the snapshot is gone; changes made in that time may be lost');
  });
});

describe('archiving while a parcel changes', () => {
  it('a change made while the archive is written stays: the parcel is not dropped from the active store with it', async () => {
    const d = dir();
    const done = (i: number): ShipmentRecord => ({ ...record(i), state: '3', statusCode: '301', isCheck: true, updatedAt: '2026-01-02T00:00:00.000Z', lastPushAt: '2026-01-02T00:00:00.000Z' });
    writeFileSync(join(d, FILE), bytesOf(db([done(1), done(2)])));
    const core = await startCore({ dataDir: d, clock: new FakeClock(Date.UTC(2026, 5, 1)), secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
    const add = Archive.prototype.add;
    const spy = vi.spyOn(Archive.prototype, 'add').mockImplementation(async function (this: Archive, records) {
      await add.call(this, records);
      // The seller writes a note on one of them meanwhile (a late push would do the same).
      await core.store.put({ ...core.store.get('s_2')!, note: '归档时写的备注' });
    });
    try {
      expect(await core.tracker.archiveDone()).toBe(1);
      expect(core.store.get('s_2')?.note).toBe('归档时写的备注');
      expect(core.store.get('s_1')).toBeUndefined();
      spy.mockRestore();
      // The next pass takes the older archived copy out and archives the parcel as it is now.
      expect(await core.tracker.archiveDone()).toBe(1);
    } finally {
      spy.mockRestore();
      await core.close();
    }
    const archive = new Archive(join(d, 'archive'), { fsync: false });
    expect((await archive.get('s_2'))?.note).toBe('归档时写的备注');
    expect(await archive.findByNumber(record(2).number)).toHaveLength(1);
  });
});
