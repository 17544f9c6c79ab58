import { describe, expect, it } from 'vitest';
import { Scheduler, SchedulerClosedError } from '../../main/core/scheduler.js';
import { FakeClock } from '../helpers/fake-clock.js';

describe('scheduler', () => {
  it('runs a named one-shot task on the clock and forgets it after', () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock);
    const fired: number[] = [];
    s.after('ping', 1000, () => void fired.push(clock.now()));
    expect(s.pending()).toEqual(['ping']);
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toHaveLength(1);
    expect(s.pending()).toEqual([]);
  });

  it('repeats a task; a slow run is never overlapped by the next', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock);
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: () => void = () => {};
    s.every('slow', 100, async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => (release = r));
      running--;
    });
    clock.advance(1000);
    expect(runs).toBe(1);
    release();
    await s.idle();
    clock.advance(100);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    release();
    await s.close();
  });

  it('close clears every timer, waits for work under way, and refuses new work', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock);
    const seen: string[] = [];
    s.every('beat', 10, () => void seen.push('beat'));
    s.after('late', 50, () => void seen.push('late'));
    let finished = false;
    void s.run('write', async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    await s.close();
    expect(finished).toBe(true);
    expect(s.pending()).toEqual([]);
    clock.advance(1000);
    expect(seen).toEqual([]);
    const refused = s.after('after-close', 0, () => void seen.push('refused'));
    expect(refused.active).toBe(false);
    clock.advance(10);
    expect(seen).toEqual([]);
    await expect(s.run('after-close', async () => 1)).rejects.toBeInstanceOf(SchedulerClosedError);
  });

  it('a Clock view puts foreign timers on the scheduler, so close stops them too', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock);
    const view = s.clockFor('tracker');
    let fired = 0;
    const h = view.setTimeout(() => fired++, 200);
    view.setTimeout(() => fired++, 300);
    expect(s.pending()).toEqual(['tracker', 'tracker']);
    view.clearTimeout(h);
    expect(s.pending()).toEqual(['tracker']);
    await s.close();
    view.setTimeout(() => fired++, 0);
    clock.advance(1000);
    expect(fired).toBe(0);
    expect(view.now()).toBe(clock.now());
  });

  it('a failing task is logged, not thrown into the clock, and a repeating one keeps going', async () => {
    const clock = new FakeClock();
    const s = new Scheduler(clock);
    let runs = 0;
    s.every('flaky', 10, () => {
      runs++;
      throw new Error('boom');
    });
    expect(() => clock.advance(35)).not.toThrow();
    expect(runs).toBe(3);
    await s.close();
  });

  it('idle() waits for work that work started', async () => {
    const s = new Scheduler(new FakeClock());
    const order: string[] = [];
    void s.run('outer', async () => {
      await Promise.resolve();
      void s.run('inner', async () => {
        await new Promise((r) => setTimeout(r, 10));
        order.push('inner');
      });
      order.push('outer');
    });
    await s.idle();
    expect(order).toEqual(['outer', 'inner']);
  });
});
