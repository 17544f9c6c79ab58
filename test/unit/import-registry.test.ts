import { describe, expect, it } from 'vitest';
import { ImportRegistry } from '../../main/core/import/registry.js';
import { FakeClock } from '../helpers/fake-clock.js';

const session = (id: string, tag = ''): { preview: { id: string }; tag: string } => ({ preview: { id }, tag });

describe('import preview registry', () => {
  it('finds a preview until it expires', () => {
    const clock = new FakeClock();
    const reg = new ImportRegistry<ReturnType<typeof session>>(clock, { ttlMs: 60_000 });
    const expiresAt = reg.put(session('a'));
    expect(expiresAt).toBe(clock.now() + 60_000);
    clock.advance(59_999);
    expect(reg.get('a')?.preview.id).toBe('a');
    clock.advance(1);
    expect(reg.get('a')).toBeUndefined();
    expect(reg.size).toBe(0);
  });

  it('hands a preview out once on take (commit)', () => {
    const reg = new ImportRegistry<ReturnType<typeof session>>(new FakeClock());
    reg.put(session('a'));
    expect(reg.take('a')?.preview.id).toBe('a');
    expect(reg.take('a')).toBeUndefined();
  });

  it('replaces a preview re-run with another mapping and restarts its time', () => {
    const clock = new FakeClock();
    const reg = new ImportRegistry<ReturnType<typeof session>>(clock, { ttlMs: 60_000 });
    reg.put(session('a', 'first'));
    clock.advance(50_000);
    reg.put(session('a', 'second'));
    clock.advance(50_000);
    expect(reg.get('a')?.tag).toBe('second');
  });

  it('keeps at most `max` previews, dropping the oldest', () => {
    const reg = new ImportRegistry<ReturnType<typeof session>>(new FakeClock(), { max: 2 });
    reg.put(session('a'));
    reg.put(session('b'));
    reg.put(session('c'));
    expect([reg.get('a'), reg.get('b')?.preview.id, reg.get('c')?.preview.id]).toEqual([undefined, 'b', 'c']);
  });
});
