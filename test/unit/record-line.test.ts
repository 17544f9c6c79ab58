/**
 * The snapshot's two sections (record-line.ts): records without their histories, then the
 * histories, read only when asked for (lazy-history.ts) and checked at start (history-scan.ts).
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TrackingEventDto } from '../../preload/contract.js';
import { placesOf } from '../../preload/view-logic.js';
import { historyFacts } from '../../main/core/store/history-facts.js';
import { historiesLostCount, historiesParsedCount } from '../../main/core/store/lazy-history.js';
import { ShipmentStore } from '../../main/core/store/shipment-store.js';
import { readSnapshot } from '../../main/core/store/snapshot-reader.js';
import { bytesOf, db, emptyDb, record, scan } from '../helpers/history-records.js';
import { tempResources } from '../helpers/temp-resources.js';

const { dir, keep, close: closeStore } = tempResources();




async function openStore(d: string): Promise<ShipmentStore> {
  const store = await ShipmentStore.openDir(d, emptyDb, { fsync: false });
  keep(store);
  return store;
}

describe('a snapshot read back', () => {
  it('has every record equal, no history parsed until one is read, and the facts without parsing', async () => {
    const d = dir();
    const records = [record(1), record(2), { ...record(3), events: [] }];
    writeFileSync(join(d, 'snap.json'), bytesOf(db(records)));
    const before = historiesParsedCount();
    const read = await readSnapshot(join(d, 'snap.json'));
    expect(read.issues).toEqual([]);
    const got = read.shipments['s_1']!;
    const facts = historyFacts(got);
    expect([facts.count, facts.newest, [...facts.places]]).toEqual([2, records[0]!.events[0], placesOf(records[0]!.events)]);
    expect(historyFacts(read.shipments['s_3']!)).toMatchObject({ count: 0, newest: null });
    expect(historiesParsedCount()).toBe(before);
    expect(got.events).toEqual(records[0]!.events);
    expect(historiesParsedCount()).toBe(before + 1);
    // parsed once: the other history fields came with it
    expect(got.destEvents).toBeNull();
    expect(historiesParsedCount()).toBe(before + 1);
    expect(read.shipments).toEqual(Object.fromEntries(records.map((r) => [r.id, r])));
    read.source?.close();
  });

  it('keeps text that looks like its own layout inside a note or a scan', async () => {
    const d = dir();
    const tricky = record(4, 'a,"$h":{"n":9} b,"$p":["x"],"events":[} \\ " \n },"$histories":[');
    tricky.events = [scan('2026-11-21 10:00:00', ',"$p":[ ,"events":[{"context":"】【假的】\n]}'), ...tricky.events];
    writeFileSync(join(d, 'snap.json'), bytesOf(db([tricky, record(5)])));
    const read = await readSnapshot(join(d, 'snap.json'));
    expect(read.issues).toEqual([]);
    expect(historyFacts(read.shipments['s_4']!).newest).toEqual(tricky.events[0]);
    expect(read.shipments['s_4']).toEqual(tricky);
    read.source?.close();
  });

  it('the same records from a file with CRLF line ends, and from the worker thread', async () => {
    const d = dir();
    const data = db([record(6), record(7), record(8)]);
    writeFileSync(join(d, 'crlf.json'), bytesOf(data).toString('utf8').replace(/\n/g, '\r\n'));
    writeFileSync(join(d, 'lf.json'), bytesOf(data));
    const crlf = await readSnapshot(join(d, 'crlf.json'));
    const worker = await readSnapshot(join(d, 'lf.json'), { scan: { workerFromBytes: 0 } });
    for (const read of [crlf, worker]) {
      expect(read.issues).toEqual([]);
      expect(read.shipments).toEqual(data.shipments);
      read.source?.close();
    }
  });

  it('an assignment to a history field of a record read back takes', async () => {
    const d = dir();
    writeFileSync(join(d, 'snap.json'), bytesOf(db([record(9)])));
    const read = await readSnapshot(join(d, 'snap.json'));
    const rec = read.shipments['s_9']!;
    const events = [scan('2026-11-22 08:00:00', '派件中')];
    (rec as { events: TrackingEventDto[] }).events = events;
    expect(rec.events).toBe(events);
    expect(rec.predictedRoute).toBeNull();
    read.source?.close();
  });

  it('reads a snapshot written before the histories had their own section (inline) whole', async () => {
    const d = dir();
    const data = db([record(10), record(11)]);
    const old = `{"version":1,"walSeq":0,"settings":${JSON.stringify(data.settings)},"journal":[],"shipments":{\n${Object.values(data.shipments)
      .map((r) => `${JSON.stringify(r.id)}:${JSON.stringify(r)}`)
      .join(',\n')}\n}}\n`;
    writeFileSync(join(d, 'parceltray.json'), old);
    const store = await openStore(d);
    expect(store.recoveryReport.issues).toEqual([]);
    expect(store.get('s_10')).toEqual(data.shipments['s_10']);
    await store.snapshot();
    const read = await readSnapshot(join(d, 'parceltray.json'));
    expect(readFileSync(join(d, 'parceltray.json'), 'utf8')).toContain('},"$histories":[\n');
    expect(read.shipments).toEqual(data.shipments);
    read.source?.close();
  });
});

describe('damage', () => {
  it('a byte flipped inside one history costs that record only, and the store takes it back from .prev', async () => {
    const d = dir();
    const bytes = bytesOf(db([record(20), record(21), record(22), record(23)]));
    writeFileSync(join(d, 'parceltray.json.prev'), bytes);
    // inside a multi-byte character of the second history: a parse alone would read U+FFFD
    const histories = bytes.indexOf('},"$histories":[');
    const at = bytes.lastIndexOf('杭州转运中心', bytes.indexOf('#21', histories));
    bytes[at + 1] = bytes[at + 1]! ^ 0x01;
    writeFileSync(join(d, 'parceltray.json'), bytes);
    const read = await readSnapshot(join(d, 'parceltray.json'));
    expect(Object.keys(read.shipments).sort()).toEqual(['s_20', 's_22', 's_23']);
    expect(read.issues).toEqual([expect.objectContaining({ line: 3, reasonEn: expect.stringContaining('scan history of record s_21 is damaged') })]);
    read.source?.close();
    const store = await openStore(d);
    expect(store.size).toBe(4);
    expect(store.get('s_21')!.events[0]!.context).toContain('#21');
    expect(store.recoveryReport.issues).toEqual([
      expect.objectContaining({ line: 3 }),
      expect.objectContaining({ reasonEn: 'the previous snapshot and the log were used to restore the damaged records' }),
    ]);
  });

  it('a file cut short in its histories: those records are skipped, the file reported incomplete', async () => {
    const d = dir();
    const bytes = bytesOf(db([record(30), record(31), record(32)]));
    writeFileSync(join(d, 'snap.json'), bytes.subarray(0, bytes.length - 300));
    const read = await readSnapshot(join(d, 'snap.json'));
    expect(Object.keys(read.shipments).sort()).toEqual(['s_30', 's_31']);
    expect(read.issues.map((i) => i.reasonEn)).toEqual([
      expect.stringContaining('record s_32 is damaged'),
      'the file is incomplete (its end was cut off)',
    ]);
    read.source?.close();
  });

  it('cut inside the records, with no .prev and no log: the whole record lines are kept without their scans, and said so', async () => {
    const d = dir();
    const bytes = bytesOf(db([record(33), record(34), record(35)]));
    // the cut falls in the third record's line: the histories section is gone altogether
    writeFileSync(join(d, 'parceltray.json'), bytes.subarray(0, bytes.indexOf('"s_35":{') + 30));
    const store = await openStore(d);
    expect(store.list().map((r) => r.id).sort()).toEqual(['s_33', 's_34']);
    expect(store.get('s_33')).toEqual({ ...record(33), events: [], destEvents: null, predictedRoute: null });
    expect(store.recoveryReport.issues.map((i) => i.reasonEn)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('scan history of record s_33 could not be recovered; the record itself was kept'),
        expect.stringContaining('scan history of record s_34 could not be recovered; the record itself was kept'),
      ]),
    );
    // written whole again: a restart has them, with no issue left
    await closeStore(store);
    const again = await openStore(d);
    expect(again.recoveryReport.issues).toEqual([]);
    expect(again.get('s_34')!.number).toBe(record(34).number);
  });

  it('a newest-scan length in $h larger than the history itself is not believed (no read of that size)', async () => {
    const d = dir();
    const r = record(41);
    const text = bytesOf(db([r])).toString('utf8').replace(/"k":\d+/, '"k":999999999');
    writeFileSync(join(d, 'snap.json'), text);
    const read = await readSnapshot(join(d, 'snap.json'));
    expect(read.issues).toEqual([]);
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      expect(historyFacts(read.shipments['s_41']!).newest).toEqual(r.events[0]);
      expect(Math.max(0, ...alloc.mock.calls.map((c) => c[0]))).toBeLessThan(1 << 20);
    } finally {
      alloc.mockRestore();
      read.source?.close();
    }
  });

  it('a history the running store can no longer read comes back empty, is counted and logged, and throws nothing', async () => {
    const d = dir();
    writeFileSync(join(d, 'parceltray.json'), bytesOf(db([record(40)])));
    const store = await openStore(d);
    // the file changed under the running app (a sync tool, a disk error)
    truncateSync(join(d, 'parceltray.json'), 100);
    const lost = historiesLostCount();
    expect(store.get('s_40')!.events).toEqual([]);
    expect(historiesLostCount()).toBe(lost + 1);
  });
});

describe('snapshots of a store opened lazily', () => {
  it('opening parses no history; a snapshot writes every record back byte for byte, parsing none', async () => {
    const d = dir();
    const data = db(Array.from({ length: 40 }, (_, i) => record(100 + i)));
    writeFileSync(join(d, 'parceltray.json'), bytesOf(data));
    const before = historiesParsedCount();
    const store = await openStore(d);
    expect(store.size).toBe(40);
    expect(store.recoveryReport.issues).toEqual([]);
    const first = readFileSync(join(d, 'parceltray.json'));
    await store.snapshot();
    const second = readFileSync(join(d, 'parceltray.json'));
    // the head names the log segment the snapshot covers; every other line is the same
    expect(second.subarray(second.indexOf(10)).equals(first.subarray(first.indexOf(10)))).toBe(true);
    expect(historiesParsedCount()).toBe(before);
  });

  it('a changed record is written anew; after the snapshot a parsed history is let go and read again from the new file', async () => {
    const d = dir();
    writeFileSync(join(d, 'parceltray.json'), bytesOf(db([record(200), record(201)])));
    const store = await openStore(d);
    const one = store.get('s_200')!;
    const changed = { ...one, note: '改', events: [scan('2026-11-23 09:00:00', '【上海市】 派件中'), ...one.events] };
    await store.put(changed);
    expect(store.get('s_200')!.events).toHaveLength(3);
    await store.snapshot();
    // The store's object is the same; its history now lives in the new file.
    const before = historiesParsedCount();
    expect(store.get('s_200')).toBe(changed);
    expect(changed.events.map((e) => e.context)).toEqual(['【上海市】 派件中', ...one.events.map((e) => e.context)]);
    expect(historiesParsedCount()).toBe(before + 1);
    // two more snapshots retire the first files; the records still read
    await store.snapshot();
    await store.snapshot();
    expect(store.get('s_201')!.events).toEqual(record(201).events);
    const read = await readSnapshot(join(d, 'parceltray.json'));
    expect(read.shipments['s_200']).toEqual(changed);
    read.source?.close();
  });
});
