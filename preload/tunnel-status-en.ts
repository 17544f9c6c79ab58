/**
 * The tunnel status with its error in English too. Additive to TunnelStatusDto (kept apart
 * while the contract is being split; fold `errorEn` into TunnelStatusDto when merging).
 */
import type { TunnelStatusDto } from './contract.js';

export type TunnelStatusWithEn = TunnelStatusDto & {
  /** `error` in English (null when there is none). */
  errorEn?: string | null;
};

/** The error in the window's language; older cores without errorEn fall back to Chinese. */
export const tunnelErrorIn = (status: TunnelStatusWithEn, language: 'zh' | 'en'): string | null =>
  language === 'en' ? (status.errorEn ?? status.error) : status.error;
