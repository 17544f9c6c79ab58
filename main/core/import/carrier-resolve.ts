/**
 * Carrier of an imported row, from the name (or code) the platform wrote and the number.
 * It goes through the core's one alias table (kuaidi100/carrier-aliases.ts), the same one
 * entry and batch paste use.
 */
import { resolveCarrierName } from '../kuaidi100/carrier-aliases.js';
import { guessCarriers } from '../kuaidi100/carrier-guess.js';

export type CarrierResolution =
  | { kind: 'code'; code: string }
  /** Several carriers fit: the seller picks one, or the add takes the most likely (carrier-decision.ts). */
  | { kind: 'choice'; codes: string[] }
  | { kind: 'unknown' };

export type ResolveCarrier = (name: string | null, number: string) => CarrierResolution;

/**
 * The alias table decides a name; a name it does not know, or no name, is never taken as
 * certain here: the number's pattern only suggests, and the preview offers the guesses. The add
 * itself decides as every add does (carrier-decision.ts: the most likely guess, the others
 * offered; Kuaidi100's autoCom only when nothing fits).
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
