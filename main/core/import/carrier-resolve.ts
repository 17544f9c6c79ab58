/**
 * Carrier of an imported row, from the name (or code) the platform wrote and the number.
 * `aliasResolveCarrier` goes through the core's one alias table (kuaidi100/carrier-aliases.ts),
 * the same one entry and batch paste use; `makeDefaultResolveCarrier` is the older table-search
 * resolver, kept for comparison in tests.
 */
import { resolveCarrierName } from '../kuaidi100/carrier-aliases.js';
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

/**
 * The alias table decides a name; a name it does not know, or no name, is never taken as
 * certain: the number's pattern only suggests, and Kuaidi100's autoCom decides at subscribe.
 */
export function makeAliasResolveCarrier(): ResolveCarrier {
  // Names repeat thousands of times in one file; only an ambiguous name needs the number.
  const byName = new Map<string, ReturnType<typeof resolveCarrierName>>();
  return (name, number) => {
    const n = name?.trim() ?? '';
    let r = n ? byName.get(n) : undefined;
    if (n && !r) byName.set(n, (r = resolveCarrierName(n)));
    if (r?.kind === 'choice') r = resolveCarrierName(n, number);
    if (r?.kind === 'one') return { kind: 'code', code: r.code };
    if (r?.kind === 'choice') return { kind: 'choice', codes: r.codes.slice(0, 5) };
    const guesses = guessCarriers(number).map((c) => c.code);
    return guesses.length ? { kind: 'choice', codes: guesses.slice(0, 5) } : { kind: 'unknown' };
  };
}

export const defaultResolveCarrier: ResolveCarrier = makeAliasResolveCarrier();
