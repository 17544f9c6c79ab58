/** Relative times in the list, exact China time on hover, whatever the machine's zone. */
import { describe, expect, it } from 'vitest';
import { exactTime, relativeTime } from '../../renderer/src/time-text.js';

const NOW = Date.UTC(2026, 10, 30, 5, 0, 0); // 2026-11-30 13:00 China time

describe('time text', () => {
  it('says how long ago, in both languages, from Kuaidi100 (China local) and ISO times', () => {
    expect(relativeTime('2026-11-30 10:00:00', NOW, 'zh')).toBe('3 小时前');
    expect(relativeTime('2026-11-30 10:00:00', NOW, 'en')).toBe('3 hours ago');
    expect(relativeTime('2026-11-30T04:55:00.000Z', NOW, 'zh')).toBe('5 分钟前');
    expect(relativeTime('2026-11-30T04:59:30.000Z', NOW, 'en')).toBe('just now');
    expect(relativeTime('2026-11-28 12:00:00', NOW, 'zh')).toBe('2 天前');
    expect(relativeTime('2026-11-01 12:00:00', NOW, 'en')).toBe('2026-11-01');
  });

  it('gives the exact China time for a tooltip', () => {
    expect(exactTime('2026-11-30T02:21:00.000Z', 'zh')).toBe('2026-11-30 10:21（北京时间）');
    expect(exactTime('2026-11-30 10:21:00', 'en')).toBe('2026-11-30 10:21 (China time)');
  });
});
