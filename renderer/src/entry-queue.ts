/**
 * The scanner's queue. A barcode scanner types a label in a few milliseconds, presses Enter
 * and starts the next label at once; the field must never wait for the core. So each Enter
 * becomes one entry here at once (the field is cleared by the caller), and the entries are
 * submitted strictly one after the other, in the order scanned. Pure: no React, no DOM.
 */
import type { ApiError, NewShipmentInput, Result, ShipmentDto } from '../../preload/contract.js';

export type EntryStatus = 'adding' | 'failed';

export interface QueuedEntry {
  /** Unique in this queue, for React keys and dismiss. */
  key: number;
  input: NewShipmentInput;
  status: EntryStatus;
  error: ApiError | null;
}

export interface EntryQueue {
  /** Queues one entry and returns it at once; null for an empty number. */
  enqueue(input: NewShipmentInput): QueuedEntry | null;
  /** Entries still being added, and failed ones until dismissed. A new array on every change. */
  entries(): readonly QueuedEntry[];
  subscribe(listener: () => void): () => void;
  dismiss(key: number): void;
  /** Resolves when every queued entry has its outcome. */
  idle(): Promise<void>;
}

export type SubmitEntry = (input: NewShipmentInput) => Promise<Result<ShipmentDto>>;

export function createEntryQueue(submit: SubmitEntry): EntryQueue {
  let entries: readonly QueuedEntry[] = [];
  let nextKey = 1;
  const waiting: QueuedEntry[] = [];
  const listeners = new Set<() => void>();
  let running: Promise<void> | null = null;

  const change = (next: readonly QueuedEntry[]): void => {
    entries = next;
    for (const l of listeners) l();
  };

  const settle = (entry: QueuedEntry, r: Result<ShipmentDto>): void => {
    // An added parcel is a real row in the list from now on; only failures stay here.
    if (r.ok) change(entries.filter((e) => e.key !== entry.key));
    else change(entries.map((e) => (e.key === entry.key ? { ...e, status: 'failed', error: r.error } : e)));
  };

  const drain = async (): Promise<void> => {
    for (let entry = waiting.shift(); entry; entry = waiting.shift()) {
      let r: Result<ShipmentDto>;
      try {
        r = await submit(entry.input);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        r = { ok: false, error: { code: 'internal', message: `添加失败：${why}`, messageEn: `Could not add: ${why}` } };
      }
      settle(entry, r);
    }
  };

  const kick = (): void => {
    running ??= drain().finally(() => {
      running = null;
      // An entry queued while the last answer was being settled.
      if (waiting.length > 0) kick();
    });
  };

  return {
    enqueue(input) {
      const number = input.number.replace(/\s+/g, '');
      if (!number) return null;
      const entry: QueuedEntry = { key: nextKey++, input: { ...input, number }, status: 'adding', error: null };
      waiting.push(entry);
      change([...entries, entry]);
      kick();
      return entry;
    },
    entries: () => entries,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dismiss(key) {
      change(entries.filter((e) => e.key !== key || e.status === 'adding'));
    },
    async idle() {
      while (running) await running;
    },
  };
}
