import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Push signature as Kuaidi100's Java SDK computes it: upper-case hex MD5 of the `param`
 * string exactly as received (after form decoding) followed by the salt, as UTF-8.
 */
export function signPush(rawParam: string, salt: string): string {
  return createHash('md5').update(rawParam + salt, 'utf8').digest('hex').toUpperCase();
}

/** Case-insensitive, constant-time comparison of a received sign. */
export function verifyPushSign(rawParam: string, salt: string, sign: string | null | undefined): boolean {
  if (!sign) return false;
  const expected = Buffer.from(signPush(rawParam, salt), 'latin1');
  const given = Buffer.from(sign.trim().toUpperCase(), 'latin1');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
