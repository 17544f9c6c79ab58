/**
 * Which carrier an add is subscribed with, decided in the core for every way in (window,
 * batch, import, API, IPC) so that no timer in a window decides it. Pure.
 *
 * With a name: the alias table, an ambiguous name narrowed by the number. Without: the guess
 * table; several candidates give the most likely and offer the others; none leaves it to
 * Kuaidi100 (autoCom), which the spec advises only when the carrier cannot be known.
 */
import type { ApiError } from '../../preload/contract.js';
import { resolveCarrierName } from './kuaidi100/carrier-aliases.js';
import { guessCarriers } from './kuaidi100/carrier-guess.js';
import { companyNeedsPhone } from './kuaidi100/companies.js';

export interface CarrierDecision {
  /** Kuaidi100 code; '' with autoCom. */
  company: string;
  /** Other carriers that fit, most likely first: the row offers them for a one-click change. */
  alternatives: string[];
  autoCom: boolean;
  /** Kuaidi100 refuses this carrier without a phone: nothing may be sent until one is given. */
  needsPhone: boolean;
  /** seller: from the name given; guess: from the number; auto: left to Kuaidi100. */
  source: 'seller' | 'guess' | 'auto';
}

export type CarrierDecisionResult = { ok: true; value: CarrierDecision } | { ok: false; error: ApiError };

export interface CarrierDecisionInput {
  number: string;
  company?: string | null;
}

export function needsPhone(code: string | null | undefined): boolean {
  return companyNeedsPhone(code);
}

function decided(codes: readonly string[], source: CarrierDecision['source']): CarrierDecision {
  const [company = '', ...alternatives] = codes;
  return { company, alternatives, autoCom: company === '', needsPhone: needsPhone(company), source: company ? source : 'auto' };
}

export function decideCarrier(input: CarrierDecisionInput): CarrierDecisionResult {
  const number = input.number.replace(/\s+/g, '');
  const name = input.company?.trim() ?? '';
  if (name) {
    const r = resolveCarrierName(name, number);
    if (r.kind === 'one') return { ok: true, value: decided([r.code], 'seller') };
    if (r.kind === 'choice') return { ok: true, value: decided(r.codes, 'seller') };
    return {
      ok: false,
      error: {
        code: 'invalid',
        field: 'company',
        message: `不认识的快递公司“${name}”：请从列表中选择，或留空由单号识别`,
        messageEn: `Unknown carrier "${name}": pick one from the list, or leave it empty to detect it from the number`,
      },
    };
  }
  return { ok: true, value: decided(guessCarriers(number).map((c) => c.code), 'guess') };
}
