/**
 * Cleaning of single cells as marketplaces and Excel leave them. Pure; every rule here is a
 * quirk seen in real exports (issue 13).
 */

// Zero-width and bidi marks/overrides/isolates: copied from web pages they hide inside a
// waybill (refused as invalid) or flip how a buyer's name is shown.
const INVISIBLE = /[\ufeff\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069]/g;
// Whitespace including the NBSP some exports use, and the tab guard of 拼多多.
const EDGE_SPACE = /^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g;

/** Removes the guards exports put around numbers: `="…"`, a leading `'`, tabs and spaces. */
export function cleanCell(raw: string | null | undefined): string {
  if (!raw) return '';
  let s = raw.replace(INVISIBLE, '').replace(EDGE_SPACE, '');
  if (s.startsWith('="') && s.endsWith('"') && s.length >= 3) s = s.slice(2, -1).replace(/""/g, '"');
  if (s.startsWith("'")) s = s.slice(1);
  return s.replace(EDGE_SPACE, '');
}

export type ExcelDamage = { kind: 'scientific' | 'truncated'; shown: string };

const SCIENTIFIC = /^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$/;

/**
 * Whether Excel already destroyed this number: `7.3E+13` (digits lost for good), or a long
 * digit string whose tail Excel zero-filled (it keeps 15 significant digits).
 */
export function excelDamage(text: string): ExcelDamage | null {
  if (SCIENTIFIC.test(text)) return { kind: 'scientific', shown: text };
  if (/^\d{17,}$/.test(text)) {
    const zeros = /0*$/.exec(text)![0].length;
    if (zeros >= text.length - 15) return { kind: 'truncated', shown: text };
  }
  return null;
}

export interface WaybillPart {
  number: string;
  /** A carrier written in the same cell (`单号-公司`), else null. */
  carrier: string | null;
}

const HAN = /\p{Script=Han}/u;
const LIST_SEPARATORS = /[,，;；、/／|\r\n]+/;
// 75123456780001-中通快递, 75123456780001 中通, 75123456780001(中通)
const NUMBER_THEN_CARRIER = /^([A-Za-z0-9][A-Za-z0-9-]*?)\s*(?:[-—–:：\s]+|[(（【[])\s*([^()（）【】[\]]*?\p{Script=Han}[^()（）【】[\]]*?)[)）】\]]?$/u;
// 中通快递-75123456780001, 中通快递：75123456780001, 【中通】75123456780001
const CARRIER_THEN_NUMBER = /^[(（【[]?\s*([^()（）【】[\]]*?\p{Script=Han}[^()（）【】[\]]*?)\s*(?:[)）】\]]|[-—–:：\s]+)\s*([A-Za-z0-9][A-Za-z0-9-]*)$/u;

function splitOne(piece: string): WaybillPart[] {
  if (!HAN.test(piece)) return piece.split(/\s+/).filter(Boolean).map((number) => ({ number, carrier: null }));
  const a = NUMBER_THEN_CARRIER.exec(piece);
  if (a) return [{ number: a[1]!, carrier: a[2]!.trim() }];
  const b = CARRIER_THEN_NUMBER.exec(piece);
  if (b) return [{ number: b[2]!, carrier: b[1]!.trim() }];
  // Text we cannot read as a number: kept whole so validation can say why it was refused.
  return [{ number: piece, carrier: null }];
}

// What unshipped rows hold instead of a waybill in some exports.
const PLACEHOLDER = /^(?:[-—–_.]+|无|暂无|未发货|待发货|null|undefined|n\/?a|#n\/a)$/i;

/** Several waybills in one cell (`,` `;` `、` `/` newline) become several parts; repeats and placeholders drop. */
export function splitWaybills(cell: string): WaybillPart[] {
  const out: WaybillPart[] = [];
  const seen = new Set<string>();
  if (PLACEHOLDER.test(cleanCell(cell))) return out;
  for (const raw of cell.split(LIST_SEPARATORS)) {
    const piece = cleanCell(raw);
    if (!piece || PLACEHOLDER.test(piece)) continue;
    for (const part of splitOne(piece)) {
      const key = part.number.toUpperCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(part);
    }
  }
  return out;
}

/**
 * What to send Kuaidi100 as `phone` for a carrier that needs one: a full number whole; the
 * last 4 digits of a masked one (`187****3471`), which SF accepts; the 4 digits after the
 * "-" of a platform virtual number (spec facts). Null when nothing usable is left.
 */
export function phoneForCarrier(raw: string | null | undefined): string | null {
  const s = cleanCell(raw).replace(/^\+?86[\s-]?/, '');
  if (!s) return null;
  const ext = /^1\d{10}\s*(?:-|转|ext\.?|#)\s*(\d{3,5})$/i.exec(s);
  if (ext) return ext[1]!;
  const masked = /\*+\s*(\d{4})$/.exec(s);
  if (masked) return masked[1]!;
  if (s.includes('*')) return null;
  const digits = s.replace(/[\s()（）]/g, '');
  if (/^1\d{10}$/.test(digits)) return digits;
  // Landline: area code and number, without an extension (Kuaidi100 wants none).
  const landline = /^(0\d{2,3}-?\d{7,8})/.exec(digits);
  if (landline) return landline[1]!;
  return /^\d{4,}$/.test(digits) ? digits : null;
}

const SUMMARY = /^(?:合计|总计|小计|汇总|共计|总数|统计)|^共\s*\d+\s*[条笔单行个]/;

/**
 * Summary rows at the bottom of an export (合计, 总计, "共 35 条"): not orders. Only the first
 * filled cell counts, so a product title that happens to contain 合计 is still an order.
 */
export function isSummaryRow(cells: readonly string[]): boolean {
  for (const c of cells) {
    const s = cleanCell(c);
    if (s) return SUMMARY.test(s);
  }
  return false;
}
