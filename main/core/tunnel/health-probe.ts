/**
 * Proof that a request went all the way through the tunnel: the self-check sends a nonce to
 * the public URL, and only the callback server's health handler can resolve it. A proxy that
 * answers 200 on its own, or a tunnel that forwards somewhere else, never does.
 */
import { systemClock, type Clock } from '../clock.js';

export class HealthProbe {
  readonly #waiting = new Map<string, () => void>();

  /** The core passes its scheduler's clock, so a wait still open at close is cleared with it. */
  constructor(private readonly clock: Clock = systemClock) {}

  /** Called by the callback server for every health request it receives. */
  arrived(nonce: string): void {
    this.#waiting.get(nonce)?.();
  }

  /** Resolves true when `nonce` arrives within `timeoutMs`, else false. */
  wait(nonce: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.#waiting.delete(nonce);
        resolve(false);
      }, timeoutMs);
      this.#waiting.set(nonce, () => {
        this.clock.clearTimeout(timer);
        this.#waiting.delete(nonce);
        resolve(true);
      });
    });
  }
}
