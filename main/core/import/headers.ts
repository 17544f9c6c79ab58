/**
 * Finding the columns of a marketplace export by their Chinese headers. The headers vary by
 * platform, by year and by which fields the seller ticked, so each field has a list of
 * names (priority order), then a looser "contains the words" rule.
 */
import { createHash } from 'node:crypto';

export type ImportField = 'number' | 'company' | 'orderNo' | 'buyer' | 'phone' | 'orderStatus';
export const IMPORT_FIELDS: readonly ImportField[] = ['number', 'company', 'orderNo', 'buyer', 'phone', 'orderStatus'];

/** Column index of each field in the header row, or null when the file has none. */
export type ColumnMapping = Record<ImportField, number | null>;

export const FIELD_ALIASES: Readonly<Record<ImportField, readonly string[]>> = {
  number: ['快递单号', '物流单号', '运单号', '商品发货物流单号', '发货单号', '快递运单号'],
  company: ['快递公司', '物流公司', '商品发货物流公司', '承运公司', '承运商', '快递名称'],
  orderNo: ['订单号', '订单编号', '主订单编号', '原始单号', '线上订单号', '网店订单号', '平台订单号'],
  buyer: ['收货人', '收件人', '收货人姓名', '收件人姓名', '客户姓名'],
  // 联系电话 last: on 淘宝 it is the landline next to 联系手机.
  phone: ['手机', '联系手机', '收件人手机', '收货人电话', '收件人手机号', '收货人手机', '收货人手机号', '收件人电话', '联系电话'],
  orderStatus: ['订单状态', '交易状态', '发货状态'],
};

const LOOSE: Readonly<Record<ImportField, (h: string) => boolean>> = {
  number: (h) => /单号/.test(h) && /快递|物流|运/.test(h) && !/订单/.test(h),
  company: (h) => /快递|物流|承运/.test(h) && /公司|商|名称/.test(h),
  orderNo: (h) => /订单/.test(h) && /号|编号/.test(h) && !/子订单|物流|快递/.test(h),
  buyer: (h) => /^(收货人|收件人)/.test(h) && /人$|姓名$|名$/.test(h),
  phone: (h) => /(收货人|收件人|联系).*(手机|电话)/.test(h),
  orderStatus: (h) => /订单状态|交易状态/.test(h),
};

/** Header text as compared: full-width folded, no spaces or tabs (淘宝 writes "物流单号 "), no "*" marks. */
export function normaliseHeader(h: string | null | undefined): string {
  return (h ?? '').normalize('NFKC').replace(/[\s\ufeff\u200b"'=*:：]/g, '');
}

const ALIAS_FIELD: ReadonlyMap<string, ImportField> = new Map(
  IMPORT_FIELDS.flatMap((f) => FIELD_ALIASES[f].map((a) => [a, f] as const)),
);

export function detectMapping(headers: readonly string[]): ColumnMapping {
  const norm = headers.map(normaliseHeader);
  const taken = new Set<number>();
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  for (const field of IMPORT_FIELDS) {
    for (const alias of FIELD_ALIASES[field]) {
      const i = norm.findIndex((h, idx) => h === alias && !taken.has(idx));
      if (i >= 0) {
        mapping[field] = i;
        taken.add(i);
        break;
      }
    }
  }
  for (const field of IMPORT_FIELDS) {
    if (mapping[field] !== null) continue;
    const i = norm.findIndex((h, idx) => !taken.has(idx) && !ALIAS_FIELD.has(h) && LOOSE[field](h));
    if (i >= 0) {
      mapping[field] = i;
      taken.add(i);
    }
  }
  return mapping;
}

/** How header-like a row is: known headers it holds, exact ones counting double. */
function headerScore(row: readonly string[]): { score: number; key: boolean } {
  let score = 0;
  let key = false;
  const fields = new Set<ImportField>();
  for (const cell of row) {
    const h = normaliseHeader(cell);
    if (!h || h.length > 30) continue;
    const exact = ALIAS_FIELD.get(h);
    const field = exact ?? IMPORT_FIELDS.find((f) => LOOSE[f](h));
    if (!field || fields.has(field)) continue;
    fields.add(field);
    score += exact ? 2 : 1;
    if (field === 'number' || field === 'orderNo') key = true;
  }
  return { score, key };
}

/**
 * Index of the header row among the first rows (title rows such as "订单导出 2026-11-30" come
 * first in some exports), or -1. The best-scoring row holding a waybill or order column wins.
 */
export function findHeaderRow(grid: readonly (readonly string[])[], scanRows = 30): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < grid.length && i < scanRows; i++) {
    const { score, key } = headerScore(grid[i]!);
    if (key && score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

export type PlatformId = 'pinduoduo' | 'taobao' | 'douyin' | 'kuaishou' | 'weixin' | 'jd' | 'erp' | 'unknown';

export const PLATFORM_NAMES: Readonly<Record<PlatformId, { zh: string; en: string }>> = {
  pinduoduo: { zh: '拼多多', en: 'Pinduoduo' },
  taobao: { zh: '淘宝/天猫', en: 'Taobao/Tmall' },
  douyin: { zh: '抖店', en: 'Douyin shop' },
  kuaishou: { zh: '快手', en: 'Kuaishou' },
  weixin: { zh: '微信小店', en: 'WeChat shop' },
  jd: { zh: '京东', en: 'JD' },
  erp: { zh: 'ERP/打单工具', en: 'ERP / label printing tool' },
  unknown: { zh: '未知平台', en: 'Unknown platform' },
};

/** Headers only one platform writes (normalised form). */
const PLATFORM_MARKS: ReadonlyArray<[PlatformId, readonly string[]]> = [
  ['pinduoduo', ['商家编码-SKU维度', '商家编码-商品维度', '样式ID', '是否审核中', '商品id', '用户实付金额(元)', '商家实收金额(元)', '拼单成功时间']],
  ['taobao', ['买家会员名', '买家支付宝账号', '宝贝标题', '宝贝种类', '宝贝总数量', '买家应付货款', '店铺Id', '天猫卡券抵扣']],
  ['douyin', ['主订单编号', '子订单编号', '选购商品', '达人ID', '达人昵称', '流量来源', 'APP渠道', '流量体裁']],
  ['kuaishou', ['买家昵称', '买家ID', '快手订单号', '推广者ID', '分销推广者ID', '快手号']],
  ['weixin', ['商品发货物流单号', '商品发货物流公司', '视频号', '微信昵称']],
  ['jd', ['京东价', '下单帐号', '下单账号', '客户姓名', '客户地址', '京东订单号']],
  ['erp', ['原始单号', '线上订单号', '内部订单号', '系统单号', '网店订单号', '平台单号', '快递模板', '打印时间']],
];

export function guessPlatform(headers: readonly string[]): PlatformId {
  const set = new Set(headers.map(normaliseHeader));
  let best: PlatformId = 'unknown';
  let bestScore = 0;
  for (const [platform, marks] of PLATFORM_MARKS) {
    const score = marks.filter((m) => set.has(normaliseHeader(m))).length;
    if (score > bestScore) {
      best = platform;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Key of the mapping memory: the same headers in the same order (so remembered column
 * indices stay right) give the same key, whatever spaces or tabs surround them.
 */
export function headerSignature(headers: readonly string[]): string {
  const text = headers.map(normaliseHeader).join('\u001f');
  return `h1:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}
