/**
 * Refuses an .xlsx (a zip) that would unpack to more than a budget, before SheetJS unpacks it:
 * a 1.5 MB file can hold 1.5 GB of repeated text, which froze the server for 17 s and grew it
 * to 1.6 GB. Each entry is really inflated with a capped output (the sizes a zip declares can
 * lie), so the cost is bounded by the budget whatever the headers say.
 */
import { inflateRawSync } from 'node:zlib';

export type ZipVerdict = { ok: true } | { ok: false; reason: 'too-large' | 'malformed' };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEnd(view: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  const stop = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= stop; i--) if (view.getUint32(i, true) === EOCD) return i;
  return -1;
}

export function checkZipSize(bytes: Uint8Array, budget: number): ZipVerdict {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  if (end < 0) return { ok: false, reason: 'malformed' };
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  let left = budget;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) return { ok: false, reason: 'malformed' };
    const method = view.getUint16(at + 10, true);
    const packed = view.getUint32(at + 20, true);
    const declared = view.getUint32(at + 24, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    at += 46 + nameLen + extraLen + commentLen;
    // ZIP64 sizes: no spreadsheet a seller exports needs them.
    if (packed === 0xffffffff || declared === 0xffffffff || local === 0xffffffff) return { ok: false, reason: 'too-large' };
    if (declared > left) return { ok: false, reason: 'too-large' };
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) return { ok: false, reason: 'malformed' };
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, Math.min(bytes.length, start + packed));
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: left + 1 }).length;
      } catch (e) {
        if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, reason: 'too-large' };
        // A damaged stream is SheetJS's to report with its own words.
        continue;
      }
    } else continue;
    if (size > left) return { ok: false, reason: 'too-large' };
    left -= size;
  }
  return { ok: true };
}
