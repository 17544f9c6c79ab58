/**
 * Group commit: work submitted while a write is in flight is merged into the next write, and
 * every submitter is answered when the write that contains its work has completed (or failed).
 * The snapshot adapter and the write-ahead log both write this way.
 */
interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T> {
  #pending: { work: T; waiters: Waiter[] } | null = null;
  #inFlight: Promise<void> | null = null;

  /**
   * @param merge combines queued work with newer work (the snapshot keeps the newest, the log appends)
   * @param write performs one write of merged work
   */
  constructor(
    private readonly merge: (queued: T, next: T) => T,
    private readonly write: (work: T) => Promise<void>,
  ) {}

  submit(work: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#pending) {
        this.#pending.work = this.merge(this.#pending.work, work);
        this.#pending.waiters.push({ resolve, reject });
      } else {
        this.#pending = { work, waiters: [{ resolve, reject }] };
      }
      if (!this.#inFlight) this.#drain();
    });
  }

  /** Resolves when nothing is being written (failures included). */
  async idle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight.catch(() => {});
  }

  get busy(): boolean {
    return this.#inFlight !== null;
  }

  #drain(): void {
    const batch = this.#pending;
    if (!batch) return;
    this.#pending = null;
    this.#inFlight = this.write(batch.work).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (e: unknown) => batch.waiters.forEach((w) => w.reject(e)),
    );
    void this.#inFlight.finally(() => {
      this.#inFlight = null;
      this.#drain();
    });
  }
}
