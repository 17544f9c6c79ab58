/**
 * Every timer of the core lives here, named, on the injected clock. On close the scheduler
 * first refuses new work, then clears every armed timer and waits for the work already
 * running (drain-and-refuse, as Signal Desktop shuts its main-process channels down), so a
 * callback firing after close is impossible rather than caught.
 */
import { systemClock, type Clock } from './clock.js';
import { logFor } from './log.js';

const log = logFor('scheduler');

/** What a task's function may return: a promise is awaited (and drained on close). */
type Work = () => void | Promise<unknown>;

export interface Task {
  readonly name: string;
  /** False once it has fired (one-shot), was cancelled, or the scheduler closed or refused it. */
  readonly active: boolean;
  cancel(): void;
}

/** Thrown by run() once the scheduler is closed. */
export class SchedulerClosedError extends Error {
  constructor(name: string) {
    super(`scheduler closed: refused "${name}"`);
    this.name = 'SchedulerClosedError';
  }
}

class ArmedTask implements Task {
  handle: unknown = null;
  active = true;
  constructor(
    readonly name: string,
    private readonly disarm: (t: ArmedTask) => void,
  ) {}
  cancel(): void {
    this.disarm(this);
  }
}

export class Scheduler {
  readonly #clock: Clock;
  readonly #armed = new Set<ArmedTask>();
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  get closed(): boolean {
    return this.#closed;
  }

  now(): number {
    return this.#clock.now();
  }

  /** Runs `fn` once after `ms`. After close it returns an inactive task and never runs. */
  after(name: string, ms: number, fn: Work): Task {
    const task = new ArmedTask(name, (t) => this.#disarm(t));
    if (this.#closed) {
      task.active = false;
      return task;
    }
    this.#arm(task, ms, () => {
      task.active = false;
      this.#execute(name, fn);
    });
    return task;
  }

  /**
   * Runs `fn` every `ms` (the first time after `firstMs`, default `ms`). The next run is armed
   * only when this one has settled, so runs never overlap however slow the work is.
   */
  every(name: string, ms: number, fn: Work, options: { firstMs?: number } = {}): Task {
    const task = new ArmedTask(name, (t) => this.#disarm(t));
    if (this.#closed) {
      task.active = false;
      return task;
    }
    const tick = (): void => {
      const done = this.#execute(name, fn);
      const again = (): void => {
        if (task.active && !this.#closed) this.#arm(task, ms, tick);
      };
      if (done) void done.finally(again);
      else again();
    };
    this.#arm(task, options.firstMs ?? ms, tick);
    return task;
  }

  /** Work started outside a timer that close() must wait for; refused (rejects) after close. */
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new SchedulerClosedError(name));
    const p = fn();
    this.#track(p);
    return p;
  }

  /** A Clock whose timers are tasks of this scheduler, for parts written against Clock. */
  clockFor(owner: string): Clock {
    return {
      now: () => this.now(),
      setTimeout: (fn, ms) => this.after(owner, ms, fn as Work),
      clearTimeout: (handle) => {
        if (handle instanceof ArmedTask) handle.cancel();
      },
    };
  }

  /** Names of the armed tasks (for tests and the log). */
  pending(): string[] {
    return [...this.#armed].map((t) => t.name).sort();
  }

  /** Resolves once no task's work is running, including work that running work started. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  /** Refuses new work, clears every armed timer, then waits for the work under way. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#armed) {
      t.active = false;
      this.#clock.clearTimeout(t.handle);
    }
    this.#armed.clear();
    await this.idle();
  }

  #arm(task: ArmedTask, ms: number, fire: () => void): void {
    this.#armed.add(task);
    task.handle = this.#clock.setTimeout(() => {
      this.#armed.delete(task);
      task.handle = null;
      if (this.#closed || !task.active) return;
      fire();
    }, ms);
  }

  #disarm(task: ArmedTask): void {
    task.active = false;
    if (task.handle !== null) this.#clock.clearTimeout(task.handle);
    task.handle = null;
    this.#armed.delete(task);
  }

  /** Runs a task's function; a failure is logged, never thrown into the timer. */
  #execute(name: string, fn: Work): Promise<unknown> | null {
    let result: void | Promise<unknown>;
    try {
      result = fn();
    } catch (e) {
      log.error(`task ${name} failed:`, e);
      return null;
    }
    if (!result || typeof (result as Promise<unknown>).then !== 'function') return null;
    const p = (result as Promise<unknown>).catch((e: unknown) => log.error(`task ${name} failed:`, e));
    this.#track(p);
    return p;
  }

  #track(p: Promise<unknown>): void {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.finally(() => this.#running.delete(settled));
  }
}
