import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { serializeDb } from '../../main/core/store/shipment-store.js';
import { readSnapshot } from '../../main/core/store/snapshot-reader.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { tempDir } from '../helpers/core.js';

/** A worker thread that cannot start (a sandbox without them, a failing spawn) or dies: the histories are checked on the main thread. */
const worker = vi.hoisted(() => ({ mode: 'throws' as 'throws' | 'errors' | 'exits' | 'ends', made: 0 }));
vi.mock('node:worker_threads', async (original) => {
  const real = await original<typeof import('node:worker_threads')>();
  const { EventEmitter } = await import('node:events');
  class FailingWorker extends EventEmitter {
    constructor() {
      super();
      worker.made += 1;
      if (worker.mode === 'throws') throw new Error('worker threads are not available');
      setImmediate(() => {
        if (worker.mode === 'errors') this.emit('error', new Error('the worker failed'));
        this.emit('exit', worker.mode === 'ends' ? 0 : 1);
      });
    }
  }
  return { ...real, Worker: FailingWorker };
});

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function record(i: number): ShipmentRecord {
  return {
    ...newShipmentRecord({ company: 'yuantong', number: `YT${String(i).padStart(11, '0')}`, now: '2026-11-20T02:00:00.000Z', autoCom: false, subscription: { status: 'active' } }),
    id: `s_${i}`,
    events: [{ time: '2026-11-21 10:00:00', ftime: '2026-11-21 10:00:00', context: `扫描 ${i}`, status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null }],
  };
}

describe('the history scan without a worker', () => {
  const what = { throws: 'cannot be made', errors: 'fails', exits: 'exits without an answer', ends: 'ends cleanly without an answer' } as const;
  for (const mode of ['throws', 'errors', 'exits', 'ends'] as const) {
    it(`a worker that ${what[mode]}: the same records, checked on this thread`, async () => {
      worker.mode = mode;
      const made = worker.made;
      const d = tempDir();
      dirs.push(d);
      const records = [record(1), record(2)];
      const data: DbShape = { version: 1, walSeq: 0, shipments: Object.fromEntries(records.map((r) => [r.id, r])), settings: defaultSettings(), journal: [] };
      const bytes = Buffer.concat([...serializeDb(data)]);
      // s_2's history damaged: the fallback checks, it does not just accept
      const at = bytes.lastIndexOf('扫描 2');
      bytes[at + 1] = bytes[at + 1]! ^ 0x01;
      writeFileSync(join(d.path, 'snap.json'), bytes);
      const read = await readSnapshot(join(d.path, 'snap.json'), { scan: { workerFromBytes: 0 } });
      expect(worker.made).toBe(made + 1);
      expect(read.shipments).toEqual({ s_1: records[0] });
      expect(read.issues).toEqual([expect.objectContaining({ reasonEn: expect.stringContaining('scan history of record s_2 is damaged') })]);
      read.source?.close();
    });
  }
});
