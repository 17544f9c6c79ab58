/**
 * Guesses carriers from a waybill number with the public prefix/length heuristics
 * (../shared/spec/kuaidi100-facts.md). They are candidates, never a certainty: the UI offers
 * them in order and Kuaidi100's autoCom remains the fallback.
 */
import { companyByCode, type Company } from './companies.js';

interface Rule {
  test: RegExp;
  codes: string[];
}

const RULES: readonly Rule[] = [
  { test: /^SF\d{10,15}$/i, codes: ['shunfeng', 'shunfengkuaiyun'] },
  { test: /^YT\d{13}$/i, codes: ['yuantong'] },
  { test: /^JT\d{12,13}$/i, codes: ['jtexpress'] },
  { test: /^JD[A-Z0-9]{8,20}$/i, codes: ['jd'] },
  { test: /^DPK\d{6,20}$/i, codes: ['debangkuaidi', 'debangwuliu'] },
  { test: /^(7[3-6]|78)\d{12}$/, codes: ['zhongtong'] },
  { test: /^77\d{12}$/, codes: ['shentong'] },
  { test: /^43\d{13}$/, codes: ['yunda', 'shentong'] },
  { test: /^[34]\d{14}$/, codes: ['yunda'] },
  { test: /^[981]\d{12}$/, codes: ['youzhengguonei', 'ems'] },
  { test: /^[A-Z]{2}\d{9}[A-Z]{2}$/i, codes: ['ems', 'youzhengguoji'] },
];

export function guessCarriers(number: string): Company[] {
  const n = number.trim();
  const seen = new Set<string>();
  const out: Company[] = [];
  for (const rule of RULES) {
    if (!rule.test.test(n)) continue;
    for (const code of rule.codes) {
      const company = companyByCode(code);
      if (company && !seen.has(code)) {
        seen.add(code);
        out.push(company);
      }
    }
  }
  return out;
}
