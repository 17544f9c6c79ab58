/** A store of N shipments in flight with realistic histories (10–30 events), as the app writes it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackingEventDto } from '../preload/contract.js';
import { STORE_FILE } from '../main/core/app.js';
import { signPush } from '../main/core/kuaidi100/signature.js';
import { epochToKuaidiTime } from '../main/core/kuaidi100/time.js';
import { newShipmentRecord } from '../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../main/core/store/schema.js';
import { serializeDb } from '../main/core/store/shipment-store.js';
import { defaultSettings } from '../main/core/tracker.js';

export const BENCH_SALT = 'benchsalt0123456789abcd';
export const BENCH_SECRET = 'benchsecret0123456789abcd';
const CITIES = ['广东,深圳市,南山区', '浙江,杭州市,余杭区', '江苏,苏州市,工业园区', '湖南,长沙市,芙蓉区', '四川,成都市,武侯区'];

/** Deterministic pseudo-random numbers, so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function event(at: number, i: number, rand: () => number): TrackingEventDto {
  const area = CITIES[Math.floor(rand() * CITIES.length)]!;
  const time = epochToKuaidiTime(at);
  return {
    time,
    ftime: time,
    context: `【${area.split(',')[1]}】 快件已到达 ${area.split(',')[2]}转运中心，正发往下一站（物流问题请联系专属电话 95311，第 ${i} 站）`,
    status: '在途',
    statusCode: '1002',
    areaCode: 'CN440305000000',
    areaName: area,
    areaCenter: '113.93,22.53',
    location: `${area.replaceAll(',', ' ')} 转运中心`,
    areaPinYin: null,
  };
}

/** The form Kuaidi100 POSTs for one waybill: its whole history, newest first, signed with the bench's salt. */
export function pushBody(number: string, company: string, data: readonly TrackingEventDto[]): string {
  const raw = JSON.stringify({ status: 'polling', billstatus: 'got', message: '', lastResult: { message: 'ok', nu: number, ischeck: '0', com: company, status: '200', state: '0', condition: '00', data } });
  return new URLSearchParams({ param: raw, sign: signPush(raw, BENCH_SALT) }).toString();
}

export const benchNumber = (i: number): string => `YT${String(9_000_000_000_000 + i)}`;

export function makeStore(dir: string, n: number, seed = 42): ShipmentRecord[] {
  const rand = rng(seed);
  const now = Date.now();
  const db: DbShape = { version: 1, shipments: {}, settings: { ...defaultSettings(), salt: BENCH_SALT, callbackSecret: BENCH_SECRET }, journal: [] };
  const records: ShipmentRecord[] = [];
  for (let i = 0; i < n; i++) {
    const count = 10 + Math.floor(rand() * 21);
    const start = now - (count + 1) * 3 * 3600_000;
    const events = Array.from({ length: count }, (_, k) => event(start + k * 3 * 3600_000, k, rand)).reverse();
    const created = new Date(start).toISOString();
    const rec: ShipmentRecord = {
      ...newShipmentRecord({ company: 'yuantong', number: benchNumber(i), now: created, autoCom: false, note: `客户 ${i} 订单 ${100000 + i}`, subscription: { status: 'active', salt: BENCH_SALT, attemptLog: [created] } }),
      tracking: 'polling',
      state: '0',
      statusCode: '1002',
      events,
      lastPushAt: new Date(now - 3600_000).toISOString(),
      updatedAt: new Date(now - Math.floor(rand() * 86_400_000)).toISOString(),
    };
    db.shipments[rec.id] = rec;
    records.push(rec);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STORE_FILE), Buffer.concat([...serializeDb(db)]));
  return records;
}
