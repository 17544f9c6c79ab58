/**
 * The import preview: a marketplace export in, one row per parcel out, each with what will
 * happen to it (new, duplicate, invalid, needs-phone, no-waybill) and why. Nothing is stored
 * or subscribed here; the preview is kept (registry.ts) until the seller commits it.
 */
import type { ApiError, ImportCountsDto, ImportRowDto, ImportRowStatusDto, Result } from '../../../preload/contract.js';
import { companyNeedsPhone } from '../kuaidi100/companies.js';
import { waybillNumberProblem } from '../kuaidi100/subscribe-request.js';
import { randomToken } from '../ids.js';
import { defaultResolveCarrier, type ResolveCarrier } from './carrier-resolve.js';
import { cleanCell, excelDamage, isSummaryRow, phoneForCarrier, splitWaybills } from './cell-clean.js';
import { IMPORT_FIELDS, PLATFORM_NAMES, detectMapping, findHeaderRow, guessPlatform, headerSignature, type ColumnMapping, type PlatformId } from './headers.js';
import { readSheet, type SheetData } from './sheet-read.js';

/** The row and count shapes are the contract's: the window shows them as the core builds them. */
export type ImportRowStatus = ImportRowStatusDto;
export type ImportRow = ImportRowDto;
export type ImportCounts = ImportCountsDto;

export interface ImportWarning {
  message: string;
  messageEn: string;
}

export interface ImportPreview {
  id: string;
  filename: string;
  platform: PlatformId;
  platformName: { zh: string; en: string };
  format: SheetData['format'];
  encoding: SheetData['encoding'];
  /** Line of the header row (1-based). */
  headerRow: number;
  /** Header texts, trimmed, in file order: mapping indices point into this. */
  columns: string[];
  mapping: ColumnMapping;
  /** Key for the mapping memory (same headers, same order). */
  signature: string;
  rows: ImportRow[];
  counts: ImportCounts;
  warnings: ImportWarning[];
}

export interface ImportDeps {
  resolveCarrier?: ResolveCarrier;
  /** True when the number is already tracked. */
  existing?: (number: string) => boolean;
  needsPhone?: (code: string) => boolean;
  /** Why a number cannot be subscribed, or null. */
  validateNumber?: (number: string) => ImportWarning | null;
  /** A mapping the seller corrected earlier for files with this header signature. */
  rememberedMapping?: (signature: string) => ColumnMapping | null;
  newId?: () => string;
}

/** What the registry keeps: the preview and the parsed sheet, to re-run with another mapping. */
export interface ImportSession {
  preview: ImportPreview;
  sheet: SheetData;
  headerIndex: number;
}

/** The same check a subscribe request makes, so an import never promises what Kuaidi100 refuses. */
export const defaultValidateNumber = (number: string): ImportWarning | null => waybillNumberProblem(number);

const damageReason = (shown: string, kind: 'scientific' | 'truncated'): ImportWarning =>
  kind === 'scientific'
    ? {
        message: `单号已被 Excel 改成科学计数法（${shown}），数字已丢失，不会订阅：请从平台重新导出（不要用 Excel 另存），或手动填写`,
        messageEn: `Excel turned the number into scientific notation (${shown}) and lost digits; not subscribed: export again from the platform (do not re-save in Excel) or type it in`,
      }
    : {
        message: `单号末尾被 Excel 补成了 0（${shown}，Excel 只保留 15 位数字），不会订阅：请从平台重新导出或手动填写`,
        messageEn: `Excel replaced the end of the number with zeros (${shown}; Excel keeps 15 digits); not subscribed: export again from the platform or type it in`,
      };

interface Draft {
  row: ImportRow;
  problem: ImportWarning | null;
}

function emptyCounts(): ImportCounts {
  return { rows: 0, parcels: 0, new: 0, duplicate: 0, invalid: 0, needsPhone: 0, noWaybill: 0, summary: 0, blank: 0 };
}

function buildRows(grid: readonly (readonly string[])[], headerIndex: number, mapping: ColumnMapping, deps: ImportDeps): { rows: ImportRow[]; counts: ImportCounts } {
  const resolve = deps.resolveCarrier ?? defaultResolveCarrier;
  const needsPhone = deps.needsPhone ?? companyNeedsPhone;
  const validate = deps.validateNumber ?? defaultValidateNumber;
  const existing = deps.existing ?? (() => false);
  const counts = emptyCounts();
  const out: Draft[] = [];
  const byNumber = new Map<string, Draft>();
  const cell = (r: readonly string[], i: number | null): string => (i === null ? '' : cleanCell(r[i]));
  const header = (grid[headerIndex] ?? []).map((h) => cleanCell(h));
  const isHeaderAgain = (r: readonly string[]): boolean =>
    mapping.number !== null && cell(r, mapping.number) === header[mapping.number] && header.every((h, i) => cleanCell(r[i]) === h);

  for (let r = headerIndex + 1; r < grid.length; r++) {
    const raw = grid[r]!;
    if (!raw.some((c) => cleanCell(c) !== '')) continue;
    if (isSummaryRow(raw)) {
      counts.summary++;
      continue;
    }
    // The header again further down: two exports pasted into one sheet.
    if (isHeaderAgain(raw)) {
      counts.blank++;
      continue;
    }
    const line = r + 1;
    const waybillCell = mapping.number === null ? '' : (raw[mapping.number] ?? '');
    const orderNo = cell(raw, mapping.orderNo);
    const buyer = cell(raw, mapping.buyer) || null;
    const orders = orderNo ? [orderNo] : [];
    const parts = splitWaybills(waybillCell);
    if (parts.length === 0) {
      if (!orderNo && mapping.orderNo !== null) {
        counts.blank++;
        continue;
      }
      counts.rows++;
      const status = cell(raw, mapping.orderStatus);
      out.push({
        row: {
          line, lines: [line], number: null, company: null, companyChoices: [], carrierText: cell(raw, mapping.company) || null,
          orderNo: orders, buyer, phone: null, status: 'no-waybill',
          reason: status ? `没有快递单号（订单状态：${status}），已跳过` : '没有快递单号，已跳过',
          reasonEn: status ? `No waybill (order status: ${status}); skipped` : 'No waybill; skipped',
        },
        problem: null,
      });
      continue;
    }
    counts.rows++;
    const companyCell = cell(raw, mapping.company);
    const phoneCell = mapping.phone === null ? '' : (raw[mapping.phone] ?? '');
    for (const part of parts) {
      const number = part.number.normalize('NFKC').toUpperCase();
      const carrierText = part.carrier ?? (companyCell || null);
      const damage = excelDamage(number);
      const problem = damage ? damageReason(damage.shown, damage.kind) : validate(number);
      if (!problem) {
        const merged = byNumber.get(number);
        if (merged) {
          const m = merged.row;
          if (!m.lines.includes(line)) m.lines.push(line);
          for (const o of orders) if (!m.orderNo.includes(o)) m.orderNo.push(o);
          if (buyer && !m.buyer?.split('、').includes(buyer)) m.buyer = m.buyer ? `${m.buyer}、${buyer}` : buyer;
          continue;
        }
      }
      const resolution = problem ? ({ kind: 'unknown' } as const) : resolve(carrierText, number);
      const company = resolution.kind === 'code' ? resolution.code : null;
      const choices = resolution.kind === 'choice' ? resolution.codes : company ? [company] : [];
      const wantsPhone = choices.some((c) => needsPhone(c));
      const draft: Draft = {
        row: {
          line, lines: [line], number, company, companyChoices: resolution.kind === 'choice' ? resolution.codes : [], carrierText,
          orderNo: [...orders], buyer, phone: wantsPhone ? phoneForCarrier(phoneCell) : null,
          status: 'new', reason: null, reasonEn: null,
        },
        problem,
      };
      out.push(draft);
      if (!problem) byNumber.set(number, draft);
    }
  }

  const rows = out.map(({ row, problem }) => finish(row, problem, existing, needsPhone));
  for (const row of rows) {
    if (row.number !== null) counts.parcels++;
    if (row.status === 'new') counts.new++;
    else if (row.status === 'duplicate') counts.duplicate++;
    else if (row.status === 'invalid') counts.invalid++;
    else if (row.status === 'needs-phone') counts.needsPhone++;
    else counts.noWaybill++;
  }
  return { rows, counts };
}

function finish(row: ImportRow, problem: ImportWarning | null, existing: (n: string) => boolean, needsPhone: (c: string) => boolean): ImportRow {
  if (row.status === 'no-waybill') return row;
  if (problem) return { ...row, status: 'invalid', reason: problem.message, reasonEn: problem.messageEn };
  if (existing(row.number!)) return { ...row, status: 'duplicate', reason: '已在列表中，不会重复添加', reasonEn: 'Already in the list; not added again' };
  if (row.company && needsPhone(row.company) && !row.phone) {
    return { ...row, status: 'needs-phone', reason: '该快递公司需要收件人手机号（或后四位），文件里没有', reasonEn: 'This carrier needs the recipient’s phone (or its last 4 digits); the file has none' };
  }
  const notes: string[] = [];
  const notesEn: string[] = [];
  if (row.orderNo.length > 1) {
    notes.push(`同一单号出现在 ${row.orderNo.length} 个订单中，合并为一个包裹`);
    notesEn.push(`The same waybill is on ${row.orderNo.length} orders: one parcel`);
  }
  if (!row.company && row.companyChoices.length) {
    notes.push(`快递公司待确认（可能是 ${row.companyChoices.join('、')}），将自动识别`);
    notesEn.push(`Carrier to confirm (maybe ${row.companyChoices.join(', ')}); Kuaidi100 will recognise it`);
  } else if (!row.company) {
    notes.push(row.carrierText ? `不认识的快递公司“${row.carrierText}”，将自动识别` : '没有快递公司，将自动识别');
    notesEn.push(row.carrierText ? `Unknown carrier "${row.carrierText}"; Kuaidi100 will recognise it` : 'No carrier; Kuaidi100 will recognise it');
  }
  return notes.length ? { ...row, reason: notes.join('；'), reasonEn: notesEn.join('; ') } : row;
}

function mappingFits(m: ColumnMapping | null | undefined, columns: number): m is ColumnMapping {
  return !!m && IMPORT_FIELDS.every((f) => m[f] === null || (Number.isInteger(m[f]) && m[f]! >= 0 && m[f]! < columns));
}

function assemble(session: Omit<ImportSession, 'preview'>, id: string, filename: string, mapping: ColumnMapping, deps: ImportDeps): ImportSession {
  const { sheet, headerIndex } = session;
  const headers = (sheet.grid[headerIndex] ?? []).map((h) => cleanCell(h));
  const platform = guessPlatform(headers);
  const warnings: ImportWarning[] = [];
  if (mapping.number === null) {
    warnings.push({ message: '没有找到快递单号列，请在预览中指定', messageEn: 'No waybill column found; choose it in the preview' });
  }
  const { rows, counts } = mapping.number === null ? { rows: [], counts: emptyCounts() } : buildRows(sheet.grid, headerIndex, mapping, deps);
  return {
    sheet,
    headerIndex,
    preview: {
      id, filename, platform, platformName: PLATFORM_NAMES[platform], format: sheet.format, encoding: sheet.encoding,
      headerRow: headerIndex + 1, columns: headers, mapping, signature: headerSignature(headers), rows, counts, warnings,
    },
  };
}

export async function previewImport(bytes: Uint8Array, filename: string, deps: ImportDeps = {}): Promise<Result<ImportSession>> {
  const read = await readSheet(bytes, filename);
  if (!read.ok) return read;
  const sheet = read.value;
  const found = findHeaderRow(sheet.grid);
  // No recognisable header: take the first filled row so the seller can still map by hand.
  const headerIndex = found >= 0 ? found : Math.max(0, sheet.grid.findIndex((r) => r.some((c) => cleanCell(c))));
  if (!sheet.grid[headerIndex]?.some((c) => cleanCell(c))) {
    const error: ApiError = { code: 'invalid', message: '文件是空的', messageEn: 'The file is empty', field: 'file' };
    return { ok: false, error };
  }
  const headers = sheet.grid[headerIndex]!.map((h) => cleanCell(h));
  const remembered = deps.rememberedMapping?.(headerSignature(headers));
  const mapping = mappingFits(remembered, headers.length) ? remembered : detectMapping(headers);
  return { ok: true, value: assemble({ sheet, headerIndex }, deps.newId?.() ?? `imp_${randomToken(9)}`, filename, mapping, deps) };
}

/** Validates a mapping sent by a client against the preview's columns. */
export function parseMapping(body: unknown, columns: number): Result<ColumnMapping> {
  const bad = (message: string, messageEn: string): Result<ColumnMapping> => ({ ok: false, error: { code: 'invalid', message, messageEn, field: 'mapping' } });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('mapping 必须是对象', 'mapping must be an object');
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !IMPORT_FIELDS.includes(k as never));
  if (unknown) return bad(`未知的列 ${unknown}`, `Unknown field ${unknown}`);
  const out = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
  const used = new Set<number>();
  for (const f of IMPORT_FIELDS) {
    const v = o[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= columns) return bad(`${f} 须为 0–${columns - 1} 的列序号`, `${f} must be a column index from 0 to ${columns - 1}`);
    if (used.has(v)) return bad(`第 ${v + 1} 列被指定了两次`, `Column ${v + 1} is chosen twice`);
    used.add(v);
    out[f] = v;
  }
  return { ok: true, value: out };
}

/** Re-runs a preview with a mapping the seller corrected; the id stays, so commit still finds it. */
export function applyMapping(session: ImportSession, mapping: unknown, deps: ImportDeps = {}): Result<ImportSession> {
  const parsed = parseMapping(mapping, session.preview.columns.length);
  if (!parsed.ok) return parsed;
  return { ok: true, value: assemble(session, session.preview.id, session.preview.filename, parsed.value, deps) };
}
