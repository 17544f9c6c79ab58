/**
 * Parcels with scan histories, and snapshots of them as the store writes them (record-line.ts),
 * for the tests of histories left on disk.
 */
import type { TrackingEventDto } from '../../preload/contract.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../../main/core/store/schema.js';
import { serializeDb } from '../../main/core/store/shipment-store.js';
import { defaultSettings } from '../../main/core/tracker.js';

export const scan = (time: string, context: string, areaName: string | null = null): TrackingEventDto => ({
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

/** Parcel `s_<i>`, two scans naming two depots; `#<i>` in its newest scan tells its history apart. */
export function record(i: number, note = `店铺 ${i}`): ShipmentRecord {
  return {
    ...newShipmentRecord({ company: 'yuantong', number: `YT${String(i).padStart(11, '0')}`, now: '2026-11-20T02:00:00.000Z', autoCom: false, note, subscription: { status: 'active' } }),
    id: `s_${i}`,
    state: '0',
    events: [
      scan('2026-11-21 10:00:00', `【杭州市】 快件离开【杭州转运中心】，已发往【上海转运中心】 #${i}`, '浙江省,杭州市'),
      scan('2026-11-20 18:00:00', '【杭州市】 已揽收', '浙江省,杭州市,余杭区'),
    ],
    destEvents: null,
    predictedRoute: null,
  };
}

export const db = (records: ShipmentRecord[]): DbShape => ({ version: 1, walSeq: 0, shipments: Object.fromEntries(records.map((r) => [r.id, r])), settings: defaultSettings(), journal: [] });
/** The snapshot file of `d`, as a store writes it. */
export const bytesOf = (d: DbShape): Buffer => Buffer.concat([...serializeDb(d)]);
export const emptyDb = (): DbShape => db([]);
