/**
 * Carrier suggestions for the entry field: guesses from the number first, then the names
 * sellers write (the alias table: "J&T", "圆通", "顺丰快递"), then a name/code search.
 */
import type { CarrierDto, CarrierQuery } from '../../preload/contract.js';
import { resolveCarrierName } from './kuaidi100/carrier-aliases.js';
import { guessCarriers } from './kuaidi100/carrier-guess.js';
import { companyByCode, companyNeedsPhone, searchCompanies, type Company } from './kuaidi100/companies.js';

function aliasHits(q: string | undefined, number: string | undefined): Company[] {
  if (!q?.trim()) return [];
  const r = resolveCarrierName(q, number);
  const codes = r.kind === 'one' ? [r.code] : r.kind === 'choice' ? r.codes : [];
  return codes.flatMap((c) => companyByCode(c) ?? []);
}

export function lookUpCarriers(query: CarrierQuery): CarrierDto[] {
  const guessed = query.number ? guessCarriers(query.number) : [];
  const found =
    query.q !== undefined || !guessed.length ? [...aliasHits(query.q, query.number), ...searchCompanies(query.q ?? '', 30)] : [];
  const seen = new Set<string>();
  const value: CarrierDto[] = [];
  for (const [c, isGuess] of [...guessed.map((c) => [c, true] as const), ...found.map((c) => [c, false] as const)]) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    value.push({ code: c.code, name: c.name, needsPhone: companyNeedsPhone(c.code), guessed: isGuess });
  }
  return value;
}
