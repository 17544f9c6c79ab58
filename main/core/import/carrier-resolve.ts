/**
 * Carrier of an imported row, from the name (or code) the platform wrote and the number.
 * The integrator replaces `defaultResolveCarrier` with the core's one alias table
 * (kuaidi100/carrier-aliases.ts); this default only uses the code table and number guessing.
 */
import { guessCarriers } from '../kuaidi100/carrier-guess.js';
import { findCompany, searchCompanies } from '../kuaidi100/companies.js';

export type CarrierResolution =
  | { kind: 'code'; code: string }
  /** Several carriers fit: the seller picks one, or Kuaidi100's autoCom decides. */
  | { kind: 'choice'; codes: string[] }
  | { kind: 'unknown' };

export type ResolveCarrier = (name: string | null, number: string) => CarrierResolution;

const fromCodes = (codes: string[]): CarrierResolution =>
  codes.length === 1 ? { kind: 'code', code: codes[0]! } : codes.length > 1 ? { kind: 'choice', codes: codes.slice(0, 5) } : { kind: 'unknown' };

/** Builds the default resolver; it caches by name because an export repeats a few names 10,000 times. */
export function makeDefaultResolveCarrier(): ResolveCarrier {
  const byName = new Map<string, string[]>();
  const candidatesFor = (name: string): string[] => {
    let c = byName.get(name);
    if (!c) {
      const exact = findCompany(name);
      c = exact ? [exact.code] : searchCompanies(name, 10).map((x) => x.code);
      byName.set(name, c);
    }
    return c;
  };
  return (name, number) => {
    const guesses = guessCarriers(number).map((c) => c.code);
    const n = name?.trim();
    if (!n) return fromCodes(guesses);
    const candidates = candidatesFor(n);
    if (candidates.length === 1) return { kind: 'code', code: candidates[0]! };
    // "中通" matches 中通快递, 中通快运, …: the number's pattern decides between them.
    const both = candidates.filter((c) => guesses.includes(c));
    if (both.length) return fromCodes(both);
    if (candidates.length) return fromCodes(candidates);
    return fromCodes(guesses);
  };
}

export const defaultResolveCarrier: ResolveCarrier = makeDefaultResolveCarrier();
