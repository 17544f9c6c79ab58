/**
 * Data shapes of importing marketplace order files, exporting the view and the buyer message's
 * templates (issue 13). The core's own types (main/core/import/preview.ts) are checked against
 * these where the tracker returns them, so the two cannot drift apart.
 */
import type { Language } from './dtos.js';

export type ImportFieldDto = 'number' | 'company' | 'orderNo' | 'buyer' | 'phone' | 'orderStatus';
export const IMPORT_FIELD_NAMES: readonly ImportFieldDto[] = ['number', 'company', 'orderNo', 'buyer', 'phone', 'orderStatus'];

/** Column index (into `columns`) of each field, or null when the file has none. */
export type ImportMappingDto = Record<ImportFieldDto, number | null>;

export type ImportRowStatusDto = 'new' | 'duplicate' | 'invalid' | 'needs-phone' | 'no-waybill';

export interface ImportRowDto {
  /** Row number in the file as a spreadsheet shows it (1-based), the first one for merged rows. */
  line: number;
  /** Every row merged into this parcel (the same waybill on several rows or orders). */
  lines: number[];
  /** Waybill number, cleaned and upper-cased; null for no-waybill rows. */
  number: string | null;
  /** Resolved carrier code, or null (unknown or several possible: see companyChoices). */
  company: string | null;
  companyChoices: string[];
  /** The carrier as the file wrote it. */
  carrierText: string | null;
  /** One or more order numbers (a waybill shipped for two orders carries both). */
  orderNo: string[];
  /** As exported: masked names stay masked. */
  buyer: string | null;
  /** Only for carriers that need one (SF): full number, or the last 4 digits of a masked one. */
  phone: string | null;
  status: ImportRowStatusDto;
  reason: string | null;
  reasonEn: string | null;
}

export interface ImportCountsDto {
  /** Data rows read (blank and summary rows not included). */
  rows: number;
  /** Rows of the preview that carry a waybill. */
  parcels: number;
  new: number;
  duplicate: number;
  invalid: number;
  needsPhone: number;
  noWaybill: number;
  /** 合计/总计 rows recognised and ignored. */
  summary: number;
  /** Rows with neither a waybill nor an order number (continuation lines of a multi-item order). */
  blank: number;
}

export interface ImportPreviewDto {
  id: string;
  filename: string;
  platform: string;
  platformName: { zh: string; en: string };
  format: 'xlsx' | 'xls' | 'html' | 'csv';
  encoding: string;
  /** Line of the header row (1-based). */
  headerRow: number;
  columns: string[];
  mapping: ImportMappingDto;
  signature: string;
  rows: ImportRowDto[];
  counts: ImportCountsDto;
  warnings: { message: string; messageEn: string }[];
}

export interface ImportFileInput {
  filename: string;
  /** The file as it is: parsing happens in the core, never in the window. */
  bytes: Uint8Array;
}

export interface ImportCommitOptions {
  /** The seller's corrected columns; remembered for files with the same headers. */
  mapping?: ImportMappingDto;
}

export type ImportCommitOutcome = 'added' | 'merged' | 'duplicate' | 'invalid' | 'needs-phone' | 'no-waybill' | 'failed';

export interface ImportCommitRowDto {
  line: number;
  number: string | null;
  outcome: ImportCommitOutcome;
  /** The parcel added (or merged into). */
  id: string | null;
  message: string | null;
  messageEn: string | null;
}

export interface ImportCommitDto {
  added: number;
  /** Duplicates, invalid and no-waybill rows (needs-phone counted apart). */
  skipped: number;
  failed: number;
  needsPhone: number;
  rows: ImportCommitRowDto[];
}

/** Largest file accepted for import (over IPC and HTTP). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

export interface ExportFileDto {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export type BuyerMessageKindDto = 'awaitingPickup' | 'inTransit' | 'delivering' | 'delivered' | 'problem' | 'returned';
/** The seller's edited buyer-message templates per state wording and language; absent = the default. */
export type BuyerTemplatesDto = Partial<Record<BuyerMessageKindDto, Partial<Record<Language, string>>>>;
