/**
 * Previews wait here between `POST /api/imports` and `POST /api/imports/:id/commit`. In memory
 * only (a preview is cheap to redo), bounded in count and age; expiry is checked against the
 * injected clock on each access, so no timer keeps anything alive.
 */
export interface RegistryClock {
  now(): number;
}

export interface ImportRegistryOptions {
  /** How long a preview stays committable (default 30 minutes). */
  ttlMs?: number;
  /** Previews kept at most; the oldest goes first (default 10). */
  max?: number;
}

export class ImportRegistry<T extends { preview: { id: string } }> {
  readonly #clock: RegistryClock;
  readonly #ttl: number;
  readonly #max: number;
  readonly #items = new Map<string, { value: T; expiresAt: number }>();

  constructor(clock: RegistryClock, opts: ImportRegistryOptions = {}) {
    this.#clock = clock;
    this.#ttl = opts.ttlMs ?? 30 * 60_000;
    this.#max = opts.max ?? 10;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [id, item] of this.#items) if (item.expiresAt <= now) this.#items.delete(id);
  }

  /** Stores (or replaces, after a mapping change) a session under its preview id; returns its expiry. */
  put(value: T): number {
    this.#sweep();
    const id = value.preview.id;
    this.#items.delete(id);
    const expiresAt = this.#clock.now() + this.#ttl;
    this.#items.set(id, { value, expiresAt });
    while (this.#items.size > this.#max) this.#items.delete(this.#items.keys().next().value!);
    return expiresAt;
  }

  get(id: string): T | undefined {
    this.#sweep();
    return this.#items.get(id)?.value;
  }

  /** Removes and returns: a preview is committed once. */
  take(id: string): T | undefined {
    const value = this.get(id);
    this.#items.delete(id);
    return value;
  }

  get size(): number {
    this.#sweep();
    return this.#items.size;
  }
}
