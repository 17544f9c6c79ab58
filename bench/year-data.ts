/**
 * A year of a busy seller, in the app's own format: N parcels on the way in the hot store and
 * 100,000 delivered ones in the archive, each with 15–20 scans worded as Chinese carriers word
 * them. Deterministic (seeded), so runs compare. The archive is written through the archive's
 * own bulk path (a month at a time), not through pushes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackingEventDto } from '../preload/contract.js';
import { STORE_FILE } from '../main/core/app.js';
import { epochToKuaidiTime } from '../main/core/kuaidi100/time.js';
import { Archive } from '../main/core/store/archive.js';
import { newShipmentRecord } from '../main/core/store/new-record.js';
import type { DbShape, ShipmentRecord } from '../main/core/store/schema.js';
import { serializeDb } from '../main/core/store/shipment-store.js';
import { defaultSettings } from '../main/core/tracker.js';
import { BENCH_SALT, BENCH_SECRET, rng } from './fixtures.js';

const CARRIERS = [
  { code: 'zhongtong', prefix: '7', tel: '95311' },
  { code: 'yuantong', prefix: 'YT', tel: '95554' },
  { code: 'shentong', prefix: '77', tel: '95543' },
  { code: 'yunda', prefix: '43', tel: '95546' },
  { code: 'jtexpress', prefix: 'JT', tel: '956025' },
  { code: 'shunfeng', prefix: 'SF', tel: '95338' },
];
const PLACES = [
  ['广东省', '深圳市', '南山区', '深圳转运中心'],
  ['浙江省', '杭州市', '余杭区', '杭州转运中心'],
  ['浙江省', '金华市', '义乌市', '义乌分拨中心'],
  ['江苏省', '苏州市', '工业园区', '苏州转运中心'],
  ['上海市', '上海市', '青浦区', '上海华新转运中心'],
  ['湖南省', '长沙市', '芙蓉区', '长沙转运中心'],
  ['四川省', '成都市', '武侯区', '成都转运中心'],
  ['河北省', '廊坊市', '固安县', '廊坊分拨中心'],
  ['北京市', '北京市', '朝阳区', '北京顺义转运中心'],
  ['湖北省', '武汉市', '洪山区', '武汉转运中心'],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GOODS = ['连衣裙', '蓝牙耳机', '手机壳', '收纳盒', '保温杯', '运动鞋', '面膜', '儿童绘本', '数据线', '茶叶礼盒'];
const SHOPS = ['拼多多', '淘宝', '抖店', '快手', '京东'];

export const YEAR_ARCHIVED = Number(process.env.BENCH_ARCHIVED ?? 100_000);

const numberOf = (prefix: string, i: number): string => `${prefix}${String(4_300_000_000_000 + i * 7919).slice(0, 13 - Math.max(0, prefix.length - 2))}`;

/** 15–20 scans from pickup to the last one given, newest first, as a push carries them. */
function history(rand: () => number, start: number, count: number, delivered: boolean, tel: string): TrackingEventDto[] {
  const from = PLACES[Math.floor(rand() * PLACES.length)]!;
  const to = PLACES[Math.floor(rand() * PLACES.length)]!;
  const out: TrackingEventDto[] = [];
  for (let k = 0; k < count; k++) {
    const at = start + k * (2 + rand() * 4) * 3600_000;
    const time = epochToKuaidiTime(at);
    const p = k < count / 2 ? from : to;
    const last = k === count - 1;
    let context: string;
    let status = '在途';
    let statusCode = '1002';
    if (k === 0) {
      context = `【${p[1]}】 ${p[2]}营业部 已揽收，揽收员：${SURNAMES[k % SURNAMES.length]}师傅，电话：1${String(3_800_000_000 + Math.floor(rand() * 1e8))}`;
      status = '揽收';
      statusCode = '1';
    } else if (last && delivered) {
      context = `【${p[1]}】 您的快件已签收，签收人：本人签收。如有疑问请电联快递员：${SURNAMES[Math.floor(rand() * 20)]}师傅（1${String(3_900_000_000 + Math.floor(rand() * 1e8))}），投诉电话：${tel}。感谢使用，期待再次为您服务`;
      status = '签收';
      statusCode = '301';
    } else if (k === count - 2 && delivered) {
      context = `【${p[1]}】 ${p[2]}派送点 快递员 ${SURNAMES[Math.floor(rand() * 20)]}师傅 正在为您派件，请保持电话畅通`;
      status = '派件';
      statusCode = '501';
    } else if (k % 2 === 1) {
      context = `【${p[1]}】 快件离开【${p[3]}】，已发往【${(k < count / 2 ? to : from)[3]}】`;
    } else {
      context = `【${p[1]}】 快件已到达【${p[3]}】（${p[0]}${p[1]}${p[2]}），正在分拣中`;
    }
    out.push({ time, ftime: time, context, status, statusCode, areaCode: `CN${String(110_000 + Math.floor(rand() * 700_000))}000000`, areaName: `${p[0]},${p[1]},${p[2]}`, areaCenter: `${(100 + rand() * 20).toFixed(6)},${(22 + rand() * 18).toFixed(6)}`, location: `${p[0]}${p[1]}${p[2]}`, areaPinYin: null });
  }
  return out.reverse();
}

function parcel(rand: () => number, i: number, startedAt: number, delivered: boolean): ShipmentRecord & { orderNos: string[]; buyer: string } {
  const c = CARRIERS[i % CARRIERS.length]!;
  const count = 15 + Math.floor(rand() * 6);
  const events = history(rand, startedAt, count, delivered, c.tel);
  const created = new Date(startedAt - 3600_000).toISOString();
  const lastAt = Date.parse(`${events[0]!.time.replace(' ', 'T')}+08:00`);
  const updated = new Date(lastAt).toISOString();
  const shop = SHOPS[i % SHOPS.length]!;
  return {
    ...newShipmentRecord({
      company: c.code,
      number: numberOf(c.prefix, i),
      now: created,
      autoCom: false,
      note: `${shop} ${GOODS[Math.floor(rand() * GOODS.length)]} ×${1 + Math.floor(rand() * 3)}`,
      phone: `****${String(1000 + Math.floor(rand() * 9000))}`,
      subscription: { status: 'active', salt: BENCH_SALT, attemptLog: [created], lastAttemptAt: created },
    }),
    tracking: delivered ? 'shutdown' : 'polling',
    state: delivered ? '3' : '0',
    statusCode: delivered ? '301' : '1002',
    isCheck: delivered,
    events,
    lastPushAt: updated,
    updatedAt: updated,
    endedAt: delivered ? updated : null,
    orderNos: [`${String(250_000_000_000 + i * 31)}${String(1000 + (i % 9000))}`],
    buyer: `${SURNAMES[i % SURNAMES.length]}**`,
  };
}

/** The hot store: N parcels on the way, 1–5 days old. Returns them (the storm pushes to them). */
export function makeActiveStore(dir: string, n: number, now = Date.now()): ShipmentRecord[] {
  const rand = rng(1234 + n);
  const db: DbShape = { version: 1, shipments: {}, settings: { ...defaultSettings(), salt: BENCH_SALT, callbackSecret: BENCH_SECRET }, journal: [] };
  const records: ShipmentRecord[] = [];
  for (let i = 0; i < n; i++) {
    // Started long enough ago that all its scans lie in the past.
    const rec = parcel(rand, 1_000_000 + i, now - (5 + rand() * 3) * 86_400_000, false);
    db.shipments[rec.id] = rec;
    records.push(rec);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, STORE_FILE), Buffer.concat([...serializeDb(db)]));
  return records;
}

/** The archive: `count` delivered parcels over the past 13 months, written a month at a time. */
export async function makeArchive(dir: string, count = YEAR_ARCHIVED, now = Date.now()): Promise<{ ids: string[]; numbers: string[]; ms: number }> {
  const t = performance.now();
  const rand = rng(99);
  const archive = new Archive(dir);
  const ids: string[] = [];
  const numbers: string[] = [];
  const months = 13;
  const perMonth = Math.ceil(count / months);
  for (let m = 0; m < months; m++) {
    const batch: ShipmentRecord[] = [];
    for (let i = m * perMonth; i < Math.min(count, (m + 1) * perMonth); i++) {
      const start = now - (400 - m * 30) * 86_400_000 + rand() * 25 * 86_400_000;
      const rec = parcel(rand, i, start, true);
      batch.push(rec);
      ids.push(rec.id);
      numbers.push(rec.number);
    }
    await archive.add(batch);
  }
  return { ids, numbers, ms: performance.now() - t };
}
