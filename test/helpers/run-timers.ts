import type { FakeClock } from './fake-clock.js';

/**
 * Moves a fake clock timer by timer and, after each, awaits `settle` (the work that timer
 * started: a push over real HTTP, a store write, a robot call), so what happens at a fake time
 * is done before time moves on, however slow the machine. Never a real sleep.
 */
export async function runTimers(clock: FakeClock, ms: number, settle: () => Promise<void>): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    await settle();
    const next = clock.nextAt();
    if (next === null || next > end) break;
    clock.advance(next - clock.now());
  }
  clock.advance(end - clock.now());
  await settle();
}
