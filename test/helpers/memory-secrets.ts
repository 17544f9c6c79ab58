import type { SecretName, SecretStore } from '../../main/core/secrets.js';

/** Secrets kept in memory only: for tests and the benchmark, never for a seller. */
export class MemorySecretStore implements SecretStore {
  readonly protection = 'basic-text' as const;
  readonly #values = new Map<SecretName, string>();
  get(name: SecretName): string | null {
    return this.#values.get(name) ?? null;
  }
  set(name: SecretName, value: string | null): void {
    if (value) this.#values.set(name, value);
    else this.#values.delete(name);
  }
}
