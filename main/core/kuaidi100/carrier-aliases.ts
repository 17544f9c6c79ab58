/**
 * Carrier names as sellers write them ("圆通", "顺丰快递", "J&T", "ＳＨＵＮＦＥＮＧ") mapped to
 * Kuaidi100 codes. One table for every way in: the entry field, a pasted batch, an import, the
 * HTTP API. A few names stand for several services (德邦, 顺丰, 邮政/EMS); the number decides
 * when its pattern fits only one of them, otherwise the caller gets the choice.
 */
import table from './companies.json' with { type: 'json' };
import { guessCarriers } from './carrier-guess.js';

export interface CarrierAlias {
  names: readonly string[];
  /** Most likely first. More than one: the name alone does not decide. */
  codes: readonly string[];
}

/** Explicit names; they win over the table's own names (the table calls debangwuliu "德邦"). */
export const CARRIER_ALIASES: readonly CarrierAlias[] = [
  { names: ['圆通', '圆通快递', '圆通速递', 'YTO', 'YTO Express', 'Yuantong Express'], codes: ['yuantong'] },
  { names: ['中通', '中通快递', '中通速递', 'ZTO', 'ZTO Express', 'Zhongtong Express'], codes: ['zhongtong'] },
  { names: ['韵达', '韵达快递', '韵达速递', 'Yunda', 'Yunda Express'], codes: ['yunda'] },
  { names: ['申通', '申通快递', '申通速递', 'STO', 'STO Express', 'Shentong Express'], codes: ['shentong'] },
  { names: ['极兔', '极兔快递', '极兔速递', 'J&T', 'J&T Express', 'JT Express', 'jitu'], codes: ['jtexpress'] },
  { names: ['顺丰', 'SF'], codes: ['shunfeng', 'shunfengkuaiyun'] },
  { names: ['顺丰快递', '顺丰速运', '顺丰速递', 'SF Express', 'Shunfeng Express'], codes: ['shunfeng'] },
  { names: ['顺丰快运', 'SF Freight'], codes: ['shunfengkuaiyun'] },
  { names: ['京东', '京东快递', '京东物流', 'JD', 'JD Express', 'JD Logistics', 'jingdong'], codes: ['jd'] },
  { names: ['京东快运', 'JD Freight'], codes: ['jingdongkuaiyun'] },
  { names: ['邮政', '中国邮政'], codes: ['youzhengguonei', 'ems'] },
  { names: ['EMS', '邮政EMS', '中国邮政EMS'], codes: ['ems', 'youzhengguonei'] },
  { names: ['EMS快递', 'EMS特快专递', '邮政特快专递', 'China EMS'], codes: ['ems'] },
  { names: ['邮政快递包裹', '邮政包裹', '邮政快递', '中国邮政快递包裹', '邮政国内包裹', 'China Post', 'youzheng'], codes: ['youzhengguonei'] },
  { names: ['德邦', 'Deppon', 'DBL'], codes: ['debangkuaidi', 'debangwuliu'] },
  { names: ['德邦快递', 'Deppon Express'], codes: ['debangkuaidi'] },
  { names: ['德邦物流', 'Deppon Logistics'], codes: ['debangwuliu'] },
  { names: ['百世', '百世快递', '百世汇通', '汇通', 'Best', 'Best Express', 'BestExpress', 'Huitong'], codes: ['huitongkuaidi'] },
  { names: ['百世快运', 'Best Freight'], codes: ['baishiwuliu'] },
  { names: ['丰网', '丰网速运', '丰网快递', 'Fengwang', 'Fengwang Express'], codes: ['fengwang'] },
  // 丹鸟 is the carrier once called 菜鸟速递.
  { names: ['菜鸟', '菜鸟速递', '菜鸟快递', '丹鸟', '丹鸟快递', 'Cainiao', 'Danniao'], codes: ['danniao'] },
  { names: ['安能', '安能物流', '安能快运', 'ANE', 'ANE Logistics'], codes: ['annengwuliu'] },
  { names: ['安能快递'], codes: ['ane66'] },
  { names: ['跨越', '跨越速运', '跨越快递', 'KYE', 'Kuayue', 'Kuayue Express'], codes: ['kuayue'] },
  { names: ['壹米滴答', '壹米', '一米滴答', 'Yimidida'], codes: ['yimidida'] },
  { names: ['宅急送', 'ZJS', 'ZJS Express'], codes: ['zhaijisong'] },
  { names: ['优速', '优速快递', '优速物流', 'UC Express'], codes: ['youshuwuliu'] },
  { names: ['速尔', '速尔快递', 'Sure Express'], codes: ['suer'] },
  { names: ['天天', '天天快递', 'TTK', 'TTK Express'], codes: ['tiantian'] },
  { names: ['众邮', '众邮快递'], codes: ['zhongyouex'] },
  { names: ['中通快运', 'ZTO Freight'], codes: ['zhongtongkuaiyun'] },
  { names: ['韵达快运', 'Yunda Freight'], codes: ['yundakuaiyun'] },
  { names: ['顺丰冷链', 'SF Cold Chain'], codes: ['shunfenglengyun'] },
  { names: ['加运美', '加运美物流'], codes: ['jiayunmeiwuliu'] },
  { names: ['邮政标准快递', '邮政标快'], codes: ['youzhengbk'] },
  { names: ['邮政电商标快', '电商标快'], codes: ['youzhengdsbk'] },
];

export type CarrierResolution =
  | { kind: 'one'; code: string }
  /** Several carriers fit the name and the number did not tell them apart; most likely first. */
  | { kind: 'choice'; codes: string[] }
  | { kind: 'unknown' };

/** Full width to half width (NFKC), lower case, no spaces of any width, no separators that sellers vary. */
export function normalizeCarrierName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s·・\-_.]+/gu, '');
}

interface Company {
  code: string;
  name: string;
}

let index: Map<string, readonly string[]> | null = null;

/** Built on first use: carrier-guess imports companies.ts, which imports this module. */
function aliasIndex(): Map<string, readonly string[]> {
  if (index) return index;
  const map = new Map<string, readonly string[]>();
  // Table names and codes first, so that explicit aliases overwrite them.
  for (const c of table as Company[]) {
    map.set(normalizeCarrierName(c.name), [c.code]);
  }
  for (const c of table as Company[]) map.set(normalizeCarrierName(c.code), [c.code]);
  for (const a of CARRIER_ALIASES) {
    for (const n of a.names) map.set(normalizeCarrierName(n), a.codes);
  }
  index = map;
  return map;
}

/**
 * The carrier a seller's name means. With a number, an ambiguous name narrows to the
 * candidates its pattern allows (carrier-guess.ts); if exactly one remains, that is the answer.
 */
export function resolveCarrierName(name: string, number?: string | null): CarrierResolution {
  const key = normalizeCarrierName(name);
  if (!key) return { kind: 'unknown' };
  const codes = aliasIndex().get(key);
  if (!codes) return { kind: 'unknown' };
  if (codes.length === 1) return { kind: 'one', code: codes[0]! };
  const n = number?.replace(/\s+/g, '') ?? '';
  if (n) {
    const guessed = new Set(guessCarriers(n).map((c) => c.code));
    const fitting = codes.filter((c) => guessed.has(c));
    if (fitting.length === 1) return { kind: 'one', code: fitting[0]! };
  }
  return { kind: 'choice', codes: [...codes] };
}
