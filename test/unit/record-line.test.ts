import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackingEventDto } from '../../preload/contract.js';
import { placesOf } from '../../preload/view-logic.js';
import { historyFacts } from '../../main/core/store/history-facts.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import { historiesParsedCount, readRecordLine, recordBytes } from '../../main/core/store/record-line.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { serializeDb, ShipmentStore } from '../../main/core/store/shipment-store.js';
import { readSnapshot } from '../../main/core/store/snapshot-reader.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { tempDir } from '../helpers/core.js';

const dirs: ReturnType<typeof tempDir>[] = [];
const dir = (): string => {
  const d = tempDir();
  dirs.push(d);
  return d.path;
};
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const scan = (time: string, context: string, areaName: string | null = null): TrackingEventDto => ({
  time,
  ftime: time,
  context,
  status: '在途',
  statusCode: '1002',
  areaCode: null,
  areaName,
  areaCenter: null,
  location: null,
  areaPinYin: null,
});

function record(i: number, note = `店铺 ${i}`): ShipmentRecord {
  return {
    ...newShipmentRecord({ company: 'yuantong', number: `YT${String(i).padStart(11, '0')}`, now: '2026-11-20T02:00:00.000Z', autoCom: false, note, subscription: { status: 'active' } }),
    state: '0',
    events: [
      scan('2026-11-21 10:00:00', `【杭州市】 快件离开【杭州转运中心】，已发往【上海转运中心】 #${i}`, '浙江省,杭州市'),
      scan('2026-11-20 18:00:00', '【杭州市】 已揽收', '浙江省,杭州市,余杭区'),
    ],
    destEvents: null,
    predictedRoute: null,
  };
}

const lineOf = (r: ShipmentRecord): Buffer => Buffer.concat([Buffer.from(`${JSON.stringify(r.id)}:`), ...recordBytes(r), Buffer.from(',')]);
/** Reads one line as the snapshot reader does; the single record and whether its history was left unparsed. */
function readOne(line: Buffer): { rec: ShipmentRecord; historyChecked: boolean } {
  const values = readRecordLine(line);
  expect(values).toHaveLength(1);
  return { rec: values![0]!.value as ShipmentRecord, historyChecked: values![0]!.historyChecked };
}

describe('a record line in the snapshot', () => {
  it('reads back equal, its history unparsed until read, its facts without parsing it', () => {
    const r = record(1);
    const { rec, historyChecked } = readOne(lineOf(r));
    expect(historyChecked).toBe(true);
    const before = historiesParsedCount();
    expect(rec.number).toBe(r.number);
    const facts = historyFacts(rec);
    expect([facts.count, facts.newest, [...facts.places]]).toEqual([2, r.events[0], placesOf(r.events)]);
    expect(historiesParsedCount()).toBe(before);
    expect(rec.events).toEqual(r.events);
    expect(historiesParsedCount()).toBe(before + 1);
    expect(rec).toEqual(r);
    // parsed once: a second read is the plain field
    void rec.destEvents;
    expect(historiesParsedCount()).toBe(before + 1);
  });

  it('writes an unchanged record back as the very bytes it was read from; a changed copy anew', () => {
    const original = record(2);
    const line = lineOf(original);
    const { rec } = readOne(line);
    const again = recordBytes(rec);
    expect(again).toHaveLength(1);
    expect(Buffer.concat([Buffer.from(`${JSON.stringify(rec.id)}:`), again[0]!, Buffer.from(',')]).equals(line)).toBe(true);
    const before = historiesParsedCount();
    expect(again[0]!.buffer).toBe(line.buffer);
    expect(historiesParsedCount()).toBe(before);
    const changed: ShipmentRecord = { ...rec, note: '改过的备注' };
    const copy = readOne(lineOf(changed)).rec;
    expect(copy).toEqual({ ...original, note: '改过的备注' });
  });

  it('keeps text that looks like its own markers inside a note or a scan', () => {
    const tricky = record(3, 'a,"$h":{"n":9} b,"$p":["x"],"events":[} \\ "');
    tricky.events = [scan('2026-11-21 10:00:00', ',"$p":[ ,"events":[{"context":"】【假的】'), ...tricky.events];
    const { rec, historyChecked } = readOne(lineOf(tricky));
    expect(historyChecked).toBe(true);
    expect(rec).toEqual(tricky);
    expect(historyFacts(readOne(lineOf(tricky)).rec).newest).toEqual(tricky.events[0]);
  });

  it('an assignment to a history field of a record read back takes', () => {
    const { rec } = readOne(lineOf(record(4)));
    const events = [scan('2026-11-22 08:00:00', '派件中')];
    (rec as { events: TrackingEventDto[] }).events = events;
    expect(rec.events).toBe(events);
    expect(rec.destEvents).toBeNull();
  });

  it('refuses a line whose history fails its check, even one that would still parse', () => {
    const line = lineOf(record(5));
    expect(readRecordLine(line)).not.toBeNull();
    // one character of a scan changed (same length, still JSON): the CRC-32 no longer fits
    const text = line.toString('utf8').replace('已揽收', '已揽件');
    expect(() => JSON.parse(`{${text.slice(0, -1)}}`)).not.toThrow();
    expect(readRecordLine(Buffer.from(text))).toBeNull();
    // cut short
    expect(readRecordLine(line.subarray(0, line.length - 40))).toBeNull();
    // a head that is no longer JSON
    expect(readRecordLine(Buffer.from(line.toString('utf8').replace('"number":', '"number"')))).toBeNull();
  });

  it('reads a line of an older snapshot (no facts) whole', () => {
    const r = record(6);
    const { rec, historyChecked } = readOne(Buffer.from(`${JSON.stringify(r.id)}:${JSON.stringify(r)},`));
    expect(historyChecked).toBe(false);
    expect(rec).toEqual(r);
    expect(historyFacts(rec).count).toBe(2);
  });
});

describe('a snapshot of lazy records', () => {
  const db = (n: number): DbShape => {
    const out: DbShape = { version: 1, shipments: {}, settings: defaultSettings(), journal: [] };
    for (let i = 0; i < n; i++) {
      const r = record(100 + i);
      out.shipments[r.id] = r;
    }
    return out;
  };

  it('opens without parsing one history, and a snapshot of it is the same file byte for byte', async () => {
    const d = dir();
    const data = db(50);
    writeFileSync(join(d, 'parceltray.json'), Buffer.concat([...serializeDb({ ...data, walSeq: 0 })]));
    const before = historiesParsedCount();
    const store = await ShipmentStore.openDir(d, () => db(0), { fsync: false });
    expect(store.size).toBe(50);
    expect(store.recoveryReport.issues).toEqual([]);
    expect(historiesParsedCount()).toBe(before);
    const first = readFileSync(join(d, 'parceltray.json'));
    await store.snapshot();
    const second = readFileSync(join(d, 'parceltray.json'));
    // the head names the log segment the snapshot covers; every record line is the same
    expect(second.subarray(second.indexOf(10)).equals(first.subarray(first.indexOf(10)))).toBe(true);
    expect(historiesParsedCount()).toBe(before);
    // a changed record is written anew, and reads back
    const one = store.list()[7]!;
    await store.put({ ...one, note: '改' });
    await store.snapshot();
    await store.close();
    const read = await readSnapshot(join(d, 'parceltray.json'));
    expect(read.issues).toEqual([]);
    expect(read.shipments[one.id]).toEqual({ ...record(107), id: one.id, note: '改' });
  });

  it('a bit flipped in one history costs that line only, and the store takes it back from .prev', async () => {
    const d = dir();
    const data = db(5);
    const bytes = Buffer.concat([...serializeDb({ ...data, walSeq: 0 })]);
    writeFileSync(join(d, 'parceltray.json.prev'), bytes);
    // inside a multi-byte character: a parse alone would read a replacement character
    const at = bytes.indexOf('杭州转运中心', bytes.indexOf('"events"', bytes.indexOf('\n') + 1));
    bytes[at + 1] = bytes[at + 1]! ^ 0x01;
    writeFileSync(join(d, 'parceltray.json'), bytes);
    const read = await readSnapshot(join(d, 'parceltray.json'));
    expect(Object.keys(read.shipments)).toHaveLength(4);
    expect(read.issues).toEqual([expect.objectContaining({ line: 2 })]);
    const store = await ShipmentStore.openDir(d, () => db(0), { fsync: false });
    expect(store.size).toBe(5);
    expect(store.list().map((r) => r.events[0]!.context).join()).not.toContain('\uFFFD');
    expect(store.recoveryReport.issues).toEqual([
      expect.objectContaining({ line: 2 }),
      expect.objectContaining({ reasonEn: 'the previous snapshot and the log were used to restore the damaged records' }),
    ]);
    await store.close();
  });
});
