/** Parses a pasted batch: one number per line, or CSV/TSV rows of number, carrier, phone, note. */
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

export function parseBatch(text: string): BatchLine[] {
  const lines: BatchLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const [number = '', company = '', phone = '', ...note] = splitRow(raw);
    if (i === 0 && HEADER.test(number)) return;
    const input: NewShipmentInput = { number: number.replace(/\s+/g, '') };
    if (company) input.company = company;
    if (phone) input.phone = phone;
    if (note.join(',').trim()) input.note = note.join(',').trim();
    lines.push({ line: i + 1, raw, input });
  });
  return lines;
}
