/**
 * Import preview at marketplace scale: a generated 10,000-row 拼多多-style CSV (UTF-8 BOM, tab
 * guards, a few rows without waybills, some waybills shared by two orders) and the same rows
 * as .xlsx, each previewed end to end (decode, header detection, cleaning, carriers, merge).
 * Target (issue 13): under 2 s. The integrator calls benchImport() from bench/run.ts.
 */
import { performance } from 'node:perf_hooks';
import { previewImport } from '../main/core/import/preview.js';
import { loadSheetJs, type XLSX } from '../main/core/sheetjs.js';
import { rng } from './fixtures.js';

const HEADER = ['订单号', '商品', '订单状态', '商品总价(元)', '快递单号', '快递公司', '收货人', '手机', '是否审核中', '商家编码-SKU维度', '售后状态', '省', '市', '区', '街道', '买家留言', '商家备注'];
const CARRIERS: readonly [string, (i: number) => string][] = [
  ['中通快递', (i) => `7512${String(3_000_000_000 + i).padStart(10, '0')}`],
  ['圆通速递', (i) => `YT${String(9_100_000_000_000 + i)}`],
  ['韵达快递', (i) => `43${String(1_000_000_000_000 + i)}`],
  ['顺丰速运', (i) => `SF${String(1_400_000_000_000 + i)}`],
  ['极兔速递', (i) => `JT${String(3_100_000_000_000 + i)}`],
];

export function importBenchRows(n: number, seed = 7): string[][] {
  const rand = rng(seed);
  const rows: string[][] = [HEADER];
  for (let i = 0; i < n; i++) {
    const [name, num] = CARRIERS[Math.floor(rand() * CARRIERS.length)]!;
    const unshipped = rand() < 0.05;
    // 2 % of orders ship in a parcel shared with the previous order.
    const number = unshipped ? '' : num(rand() < 0.02 && i > 0 ? i - 1 : i);
    rows.push([
      `231130-${String(100000 + i)}\t`, `商品${i % 50}`, unshipped ? '待付款' : '已发货，待收货', '39.90\t', number ? `${number}\t` : '\t', unshipped ? '\t' : name,
      `买家${i % 300}**`, `187****${String(1000 + (i % 9000))}\t`, '否', `SKU${i % 40}`, '', '浙江省', '杭州市', '西湖区', '文三路 1 号', '', '',
    ]);
  }
  return rows;
}

const toCsv = (rows: string[][]): Uint8Array => {
  const text = rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  return new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
};

const toXlsx = (XLSX: XLSX, rows: string[][]): Uint8Array => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'orders');
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer);
};

export interface ImportBenchResult {
  rows: number;
  csvBytes: number;
  csvMs: number;
  /** CPU time of the preview: the wall time is inflated on a loaded machine, this much less. */
  csvCpuMs: number;
  xlsxBytes: number;
  xlsxMs: number;
  xlsxCpuMs: number;
  parcels: number;
}

async function timed(bytes: Uint8Array, name: string): Promise<{ ms: number; cpuMs: number; parcels: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await previewImport(bytes, name, { existing: () => false });
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.error.messageEn);
  return { ms, cpuMs: (used.user + used.system) / 1000, parcels: r.value.preview.counts.parcels };
}

export async function benchImport(n = 10_000): Promise<ImportBenchResult> {
  const rows = importBenchRows(n);
  const csv = toCsv(rows);
  // Loads SheetJS too, so the .xlsx figure is the parse alone, as for a seller's second import.
  const xlsx = toXlsx((await loadSheetJs()).XLSX, rows);
  // One warm-up so the figure is the steady state a seller sees from the second import on.
  await timed(csv.subarray(0, 20_000), 'warm.csv');
  const c = await timed(csv, 'orders.csv');
  const x = await timed(xlsx, 'orders.xlsx');
  return { rows: n, csvBytes: csv.length, csvMs: c.ms, csvCpuMs: c.cpuMs, xlsxBytes: xlsx.length, xlsxMs: x.ms, xlsxCpuMs: x.cpuMs, parcels: c.parcels };
}

export function printImportBench(r: ImportBenchResult): void {
  console.log(`Import preview of ${r.rows} rows (${r.parcels} parcels): CSV ${(r.csvBytes / 2 ** 20).toFixed(1)} MB in ${r.csvMs.toFixed(0)} ms (CPU ${r.csvCpuMs.toFixed(0)} ms); XLSX ${(r.xlsxBytes / 2 ** 20).toFixed(1)} MB in ${r.xlsxMs.toFixed(0)} ms (CPU ${r.xlsxCpuMs.toFixed(0)} ms); target < 2000 ms each`);
}

if (process.argv[1] && /import\.(m?js|ts)$/.test(process.argv[1])) printImportBench(await benchImport());
