import { describe, expect, it } from 'vitest';
import type { NewShipmentInput, Result, ShipmentDto } from '../../preload/contract.js';
import { createEntryQueue } from '../../renderer/src/entry-queue.js';

/** A submit whose answers the test releases one by one. */
function gatedSubmit() {
  const calls: { input: NewShipmentInput; resolve: (r: Result<ShipmentDto>) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = (input: NewShipmentInput): Promise<Result<ShipmentDto>> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((resolve) =>
      calls.push({
        input,
        resolve: (r) => {
          inFlight -= 1;
          resolve(r);
        },
      }),
    );
  };
  return { submit, calls, maxInFlight: () => maxInFlight };
}

const ok = (input: NewShipmentInput): Result<ShipmentDto> => ({ ok: true, value: { id: `id-${input.number}`, number: input.number } as ShipmentDto });
const waitUntil = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !cond(); i++) await Promise.resolve();
  expect(cond()).toBe(true);
};

describe('entry queue', () => {
  it('shows each entry at once as adding, in the order typed, before any answer', () => {
    const g = gatedSubmit();
    const q = createEntryQueue(g.submit);
    q.enqueue({ number: 'YT6186594166530' });
    q.enqueue({ number: 'JT0018181408276' });
    expect(q.entries().map((e) => [e.input.number, e.status])).toEqual([
      ['YT6186594166530', 'adding'],
      ['JT0018181408276', 'adding'],
    ]);
  });

  it('submits one at a time, in order, each number exactly as entered', async () => {
    const g = gatedSubmit();
    const q = createEntryQueue(g.submit);
    const numbers = Array.from({ length: 50 }, (_, i) => `YT${String(6186594166000 + i)}`);
    for (const n of numbers) q.enqueue({ number: n });
    for (let i = 0; i < numbers.length; i++) {
      await waitUntil(() => g.calls.length === i + 1);
      g.calls[i]!.resolve(ok(g.calls[i]!.input));
    }
    await q.idle();
    expect(g.calls.map((c) => c.input.number)).toEqual(numbers);
    expect(g.maxInFlight()).toBe(1);
  });

  it('drops a row once its parcel is added, keeps a failed one with its error', async () => {
    const g = gatedSubmit();
    const q = createEntryQueue(g.submit);
    q.enqueue({ number: '12' });
    q.enqueue({ number: 'YT6186594166530' });
    await waitUntil(() => g.calls.length === 1);
    g.calls[0]!.resolve({ ok: false, error: { code: 'invalid', message: '单号应为 6–32 位', messageEn: '6–32 characters', field: 'number' } });
    await waitUntil(() => g.calls.length === 2);
    g.calls[1]!.resolve(ok(g.calls[1]!.input));
    await q.idle();
    expect(q.entries()).toHaveLength(1);
    expect(q.entries()[0]).toMatchObject({ status: 'failed', input: { number: '12' }, error: { messageEn: '6–32 characters' } });
  });

  it('a thrown submit is a failed row, and the queue goes on', async () => {
    let n = 0;
    const q = createEntryQueue(async (input) => {
      n += 1;
      if (n === 1) throw new Error('bridge gone');
      return ok(input);
    });
    q.enqueue({ number: 'A000001' });
    q.enqueue({ number: 'A000002' });
    await q.idle();
    expect(q.entries()).toHaveLength(1);
    expect(q.entries()[0]).toMatchObject({ status: 'failed', input: { number: 'A000001' } });
    expect(q.entries()[0]!.error?.message).toContain('bridge gone');
  });

  it('notifies listeners with a new snapshot on each change; dismiss removes a row', async () => {
    const q = createEntryQueue(async () => ({ ok: false, error: { code: 'invalid', message: '错', messageEn: 'wrong' } }));
    const seen: number[] = [];
    const off = q.subscribe(() => seen.push(q.entries().length));
    const before = q.entries();
    const e = q.enqueue({ number: 'B000001' });
    expect(q.entries()).not.toBe(before);
    await q.idle();
    q.dismiss(e!.key);
    off();
    expect(q.entries()).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('ignores an empty entry and trims the number', async () => {
    const g = gatedSubmit();
    const q = createEntryQueue(g.submit);
    expect(q.enqueue({ number: '   ' })).toBeNull();
    q.enqueue({ number: ' YT 6186594166530 ' });
    await waitUntil(() => g.calls.length === 1);
    expect(g.calls[0]!.input.number).toBe('YT6186594166530');
  });
});
