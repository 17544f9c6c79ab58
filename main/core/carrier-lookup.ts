/** Carrier suggestions for the entry field: guesses from the number first, then a name/code search. */
import type { CarrierDto, CarrierQuery } from '../../preload/contract.js';
import { guessCarriers } from './kuaidi100/carrier-guess.js';
import { companyNeedsPhone, searchCompanies } from './kuaidi100/companies.js';

export function lookUpCarriers(query: CarrierQuery): CarrierDto[] {
  const guessed = query.number ? guessCarriers(query.number) : [];
  const found = query.q !== undefined || !guessed.length ? searchCompanies(query.q ?? '', 30) : [];
  const seen = new Set<string>();
  const value: CarrierDto[] = [];
  for (const [c, isGuess] of [...guessed.map((c) => [c, true] as const), ...found.map((c) => [c, false] as const)]) {
    if (seen.has(c.code)) continue;
    seen.add(c.code);
    value.push({ code: c.code, name: c.name, needsPhone: companyNeedsPhone(c.code), guessed: isGuess });
  }
  return value;
}
