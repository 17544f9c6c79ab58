/**
 * Kuaidi100's carrier code table (快递公司编码, spec section 3), shipped inside the app.
 * The table is in Kuaidi100's popularity order, which search results keep.
 */
import table from './companies.json' with { type: 'json' };
import { resolveCarrierName } from './carrier-aliases.js';

export type CompanyType = '国内运输商' | '国际运输商' | '国际邮政';

export interface Company {
  code: string;
  name: string;
  type: CompanyType | string;
}

export const COMPANIES: readonly Company[] = table as Company[];

const BY_CODE: ReadonlyMap<string, Company> = new Map(COMPANIES.map((c) => [c.code, c]));
const BY_NAME: ReadonlyMap<string, Company> = new Map(COMPANIES.map((c) => [c.name, c]));

export function companyByCode(code: string | null | undefined): Company | undefined {
  return code ? BY_CODE.get(code.trim().toLowerCase()) : undefined;
}

/**
 * A code, the table's name or any name sellers write (carrier-aliases.ts). A name that stands
 * for several carriers is narrowed by the number when given; otherwise the most likely one is
 * returned (callers that must offer the choice use resolveCarrierName).
 */
export function findCompany(codeOrName: string, number?: string | null): Company | undefined {
  const q = codeOrName.trim();
  const r = resolveCarrierName(q, number);
  if (r.kind === 'one') return companyByCode(r.code);
  if (r.kind === 'choice') return companyByCode(r.codes[0]);
  return companyByCode(q) ?? BY_NAME.get(q);
}

/** Carriers whose code or name contains the query, exact matches first, then table order. */
export function searchCompanies(query: string, limit = 20): Company[] {
  const q = query.trim().toLowerCase();
  if (!q) return COMPANIES.slice(0, limit);
  const exact: Company[] = [];
  const prefix: Company[] = [];
  const partial: Company[] = [];
  for (const c of COMPANIES) {
    const name = c.name.toLowerCase();
    if (c.code === q || name === q) exact.push(c);
    else if (c.code.startsWith(q) || name.startsWith(q)) prefix.push(c);
    else if (c.code.includes(q) || name.includes(q)) partial.push(c);
  }
  return [...exact, ...prefix, ...partial].slice(0, limit);
}

/** Carriers for which Kuaidi100 requires the sender's or recipient's phone (spec 1.2: 顺丰速运、顺丰快运必填). */
export const PHONE_REQUIRED: ReadonlySet<string> = new Set(['shunfeng', 'shunfengkuaiyun']);

export function companyNeedsPhone(code: string | null | undefined): boolean {
  return !!code && PHONE_REQUIRED.has(code.trim().toLowerCase());
}
