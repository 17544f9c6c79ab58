/**
 * What `POST /api/imports/:id/commit` adds: the preview's `new` rows as add-shipment inputs,
 * duplicates re-checked (the list may have changed since the preview), the rest counted by
 * why they were left out. The tracker adds and subscribes each input like any manual add.
 */
import type { ImportPreview, ImportRow } from './preview.js';

export interface ImportAddInput {
  number: string;
  /** Absent when no carrier is certain: Kuaidi100's autoCom decides. */
  company?: string;
  phone?: string;
  autoCom: boolean;
  orderNo: string[];
  buyer?: string;
}

export interface ImportAddition {
  line: number;
  input: ImportAddInput;
}

export interface CommitPlan {
  toAdd: ImportAddition[];
  skipped: { duplicate: number; invalid: number; needsPhone: number; noWaybill: number };
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

export function planCommit(preview: ImportPreview, existing: (number: string) => boolean): CommitPlan {
  const plan: CommitPlan = { toAdd: [], skipped: { duplicate: 0, invalid: 0, needsPhone: 0, noWaybill: 0 } };
  for (const row of preview.rows) {
    if (row.status === 'new' && existing(row.number!)) plan.skipped.duplicate++;
    else if (row.status === 'new') plan.toAdd.push({ line: row.line, input: inputOf(row) });
    else if (row.status === 'duplicate') plan.skipped.duplicate++;
    else if (row.status === 'invalid') plan.skipped.invalid++;
    else if (row.status === 'needs-phone') plan.skipped.needsPhone++;
    else plan.skipped.noWaybill++;
  }
  return plan;
}
