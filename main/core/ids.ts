import { randomBytes } from 'node:crypto';

/** URL-safe random text of `bytes` bytes of entropy. */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** Opaque, stable shipment id. */
export function newShipmentId(): string {
  return `s_${randomBytes(9).toString('base64url')}`;
}

/** Lower-case letters and digits only: a valid localtunnel subdomain part and a valid salt. */
export function randomAlnum(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
