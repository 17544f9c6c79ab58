/**
 * RFC 4180 CSV (and tab-separated text) to a grid of strings. Our own small parser rather than
 * SheetJS's for CSV: SheetJS converts "75123456780001" into a number and `="…"` into a
 * formula, while we need every cell exactly as written to clean it ourselves.
 */
export type Delimiter = ',' | '\t' | ';';

/** The delimiter used most outside quotes in the first lines; a comma wins ties. */
export function sniffDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && i < 20_000 && lines < 20; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') lines++;
    else if (c === ',' || c === '\t' || c === ';') counts[c]++;
  }
  // 拼多多 adds a tab after numeric cells of a comma file: tabs must clearly dominate to win.
  if (counts['\t'] > counts[','] * 2 && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[','] * 2) return ';';
  return ',';
}

export function parseCsv(text: string, delimiter: Delimiter = sniffDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let quoted = false;
  let fieldStarted = false;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    // Text after a closing quote (`"7512"\t`) stays part of the field, as Excel reads it.
    field += c;
    fieldStarted = true;
    i++;
  }
  if (fieldStarted || field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
