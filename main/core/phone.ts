/**
 * The phone a seller gives for a carrier that needs one (顺丰). Kuaidi100 checks only the last
 * 4 digits for SF, so they suffice: a marketplace export's masked number (138****1234) and a
 * platform virtual number (…-5678, spec: the 4 digits after "-") give exactly those. Pure.
 */
import type { Result } from '../../preload/contract.js';

const VIRTUAL = /^\d{11}[-转]\d{4}$/u;

export function normalizePhone(input: string): Result<string> {
  const text = input.normalize('NFKC').replace(/\s+/g, '');
  if (VIRTUAL.test(text)) return { ok: true, value: text.slice(-4) };
  // Masked: only the digits after the stars are the seller's to give.
  const masked = /\*+(\d+)$/.exec(text);
  const digits = masked ? masked[1]! : text.includes('*') ? '' : text.replace(/[-()（）+]/g, '');
  const value = masked ? digits.slice(-4) : digits;
  if (/^\d+$/.test(value) && value.length >= 4 && value.length <= 20) return { ok: true, value };
  return {
    ok: false,
    error: {
      code: 'invalid',
      field: 'phone',
      message: '手机号至少需要后 4 位数字（如 6621，或 138****1234）',
      messageEn: 'The phone needs at least its last 4 digits (e.g. 6621, or 138****1234)',
    },
  };
}
