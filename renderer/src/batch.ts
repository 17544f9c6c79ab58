/**
 * Parses a pasted batch. Each line is one of:
 *   单号                                   a number alone
 *   单号 公司 订单号                       separated by spaces (carrier and order number both optional,
 *                                          in any order: a token with 6+ digits is the order number)
 *   单号,公司,手机号,备注,订单号           CSV or TSV (a third field that is no phone number — not
 *                                          4 digits, not a 7–12 digit or masked number — is the order number)
 */
import type { NewShipmentInput } from '../../preload/contract.js';

export interface BatchLine {
  line: number;
  raw: string;
  input: NewShipmentInput;
}

/** Splits one CSV row, honouring double quotes ("a, b" stays one field). */
function splitRow(row: string): string[] {
  const sep = row.includes('\t') ? '\t' : /[,，]/;
  if (!row.includes('"')) return row.split(sep).map((f) => f.trim());
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === '"') {
      if (quoted && row[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && (c === '\t' || (sep !== '\t' && (c === ',' || c === '，')))) {
      out.push(field.trim());
      field = '';
    } else field += c;
  }
  out.push(field.trim());
  return out;
}

const HEADER = /^(单号|运单号|快递单号|number|waybill)$/i;
/** A phone as sellers paste it: the last 4 digits, a full or masked mobile, a landline. */
const PHONE = /^(\d{4}|[\d*]{7,12}|\d{3,4}-\d{7,8})$/;
const ORDER_LIKE = /^(?=(?:.*\d){6})[A-Za-z0-9-]+$/;

function spaced(raw: string): NewShipmentInput {
  const [number = '', ...rest] = raw.trim().split(/\s+/);
  const input: NewShipmentInput = { number };
  const orders: string[] = [];
  const carrier: string[] = [];
  for (const token of rest) (ORDER_LIKE.test(token) ? orders : carrier).push(token);
  if (carrier.length) input.company = carrier.join(' ');
  if (orders.length) input.orderNo = orders.length === 1 ? orders[0]! : orders;
  return input;
}

export function parseBatch(text: string): BatchLine[] {
  const lines: BatchLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    if (!/[\t,，"]/.test(raw.trim())) {
      const input = spaced(raw);
      if (i === 0 && HEADER.test(input.number)) return;
      lines.push({ line: i + 1, raw, input });
      return;
    }
    const [number = '', company = '', third = '', ...rest] = splitRow(raw);
    // A fifth field that looks like an order number is one; anything else stays part of the note.
    const orderNo = rest.length >= 2 && ORDER_LIKE.test(rest.at(-1)!) ? rest.pop()! : '';
    const note = rest.join(',');
    if (i === 0 && HEADER.test(number)) return;
    const input: NewShipmentInput = { number: number.replace(/\s+/g, '') };
    if (company) input.company = company;
    const thirdIsOrder = !!third && !PHONE.test(third) && ORDER_LIKE.test(third);
    if (third && !thirdIsOrder) input.phone = third;
    if (note.trim()) input.note = note.trim();
    const orders = [thirdIsOrder ? third : '', orderNo].filter(Boolean);
    if (orders.length) input.orderNo = orders.length === 1 ? orders[0]! : orders;
    lines.push({ line: i + 1, raw, input });
  });
  return lines;
}
