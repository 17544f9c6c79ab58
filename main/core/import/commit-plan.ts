/**
 * What `POST /api/imports/:id/commit` hands the intake for a row: the add-shipment input. The
 * intake re-checks duplicates (the list may have changed since the preview), decides the
 * carrier and subscribes it like any manual add (import-service.ts).
 */
import type { ImportRow } from './preview.js';

export interface ImportAddInput {
  number: string;
  /** Absent when no carrier is certain: the intake guesses from the number, or leaves it to Kuaidi100's autoCom. */
  company?: string;
  phone?: string;
  autoCom: boolean;
  orderNo: string[];
  buyer?: string;
}

export function inputOf(row: ImportRow): ImportAddInput {
  return {
    number: row.number!,
    ...(row.company ? { company: row.company } : {}),
    ...(row.phone ? { phone: row.phone } : {}),
    autoCom: !row.company,
    orderNo: [...row.orderNo],
    ...(row.buyer ? { buyer: row.buyer } : {}),
  };
}
