/**
 * One exported parcel, already in words (export-view.ts maps ShipmentDto → ExportRow in the
 * UI's language), and the ten columns of issue 13 in Chinese and English.
 */
import type { Language } from '../../../preload/contract.js';
import { epochToKuaidiTime } from '../kuaidi100/time.js';

export interface ExportRow {
  orderNo: readonly string[];
  buyer: string | null;
  /** Carrier name as shown (中通快递), not the code. */
  carrier: string | null;
  number: string;
  state: string | null;
  latestScan: string | null;
  latestTime: string | null;
  /** Time on the way as shown (2天3小时). */
  elapsed: string | null;
  /** Exception or reminder text (派件异常, 可能漏推送, 待揽收超时…). */
  alert: string | null;
  note: string | null;
}

export interface ExportColumn {
  key: keyof ExportRow;
  zh: string;
  en: string;
  /** Width in characters for the workbook. */
  width: number;
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'orderNo', zh: '订单号', en: 'Order no.', width: 22 },
  { key: 'buyer', zh: '买家', en: 'Buyer', width: 10 },
  { key: 'carrier', zh: '快递公司', en: 'Carrier', width: 12 },
  { key: 'number', zh: '快递单号', en: 'Waybill', width: 20 },
  { key: 'state', zh: '状态', en: 'State', width: 10 },
  { key: 'latestScan', zh: '最新动态', en: 'Latest scan', width: 50 },
  { key: 'latestTime', zh: '最新时间', en: 'Latest time', width: 20 },
  { key: 'elapsed', zh: '已用时', en: 'Time on the way', width: 12 },
  { key: 'alert', zh: '异常/提醒', en: 'Exception/Reminder', width: 16 },
  { key: 'note', zh: '备注', en: 'Note', width: 20 },
];

export function exportHeaders(lang: Language): string[] {
  return EXPORT_COLUMNS.map((c) => c[lang]);
}

/** The row as the cells' text, in column order. */
export function exportCells(row: ExportRow): string[] {
  return EXPORT_COLUMNS.map(({ key }) => {
    const v = row[key];
    if (Array.isArray(v)) return v.join(', ');
    return (v as string | null) ?? '';
  });
}

/** File name with the China date: 包裹导出-2026-11-30.xlsx / parcels-2026-11-30.csv. */
export function exportFileName(format: 'xlsx' | 'csv', lang: Language, now: number): string {
  const day = epochToKuaidiTime(now).slice(0, 10);
  return `${lang === 'zh' ? '包裹导出' : 'parcels'}-${day}.${format}`;
}
