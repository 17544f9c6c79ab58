import { describe, expect, it } from 'vitest';
import type { StatusDto } from '../../preload/contract.js';
import { nextChinaMidnight, tomorrowMorning, trayModel } from '../../main/core/tray-model.js';

const NOW = Date.UTC(2026, 5, 1, 4, 0, 0); // 2026-06-01 12:00 in China
type TrayStatus = Pick<StatusDto, 'tunnel' | 'provider' | 'counts' | 'attention'>;
const counts = (c: Partial<StatusDto['counts']> = {}): StatusDto['counts'] => ({ all: 0, todo: 0, transit: 0, delivering: 0, delivered: 0, exception: 0, ...c });
const status = (state: StatusDto['tunnel']['state'], provider: 'sandbox' | 'huawei' = 'huawei', ready = true, over: Partial<TrayStatus> = {}): TrayStatus => ({
  tunnel: { mode: 'localtunnel', state, url: null, error: null, since: '' },
  provider: { id: provider, endpoint: '', ready, problem: null, problemEn: null, fix: null, since: null },
  counts: counts(),
  attention: { stale: 0, pickupLate: 0 },
  ...over,
});

describe('tray model', () => {
  it('shows 派件中 and 异常 from the status counts, 待揽收超时 from its attention, 今日签收 as given', () => {
    const s = status('up', 'huawei', true, { counts: counts({ all: 6, delivering: 2, exception: 1, delivered: 2, transit: 1 }), attention: { stale: 0, pickupLate: 3 } });
    const m = trayModel(s, 1);
    expect(m.counts).toEqual({ delivering: 2, exception: 1, signedToday: 1, pickupLate: 3 });
    expect(m.labels.delivering).toBe('派件中 2');
    expect(m.tooltip).toContain('今日签收 1');
    expect(m.tooltip).toContain('待揽收超时 3');
    expect(trayModel(s, 1, 'en').labels.exception).toBe('Problems 1');
    // A status from before the attention counts existed counts none.
    expect(trayModel({ ...s, attention: undefined }, 0).counts.pickupLate).toBe(0);
  });

  it('chooses the icon: offline when pushes cannot arrive, attention for exceptions, lateness and doubt, else normal', () => {
    const exception = { counts: counts({ all: 1, exception: 1 }) };
    expect(trayModel(status('up'), 0).icon).toBe('normal');
    expect(trayModel(status('up', 'huawei', true, exception), 0).icon).toBe('attention');
    expect(trayModel(status('up', 'huawei', false), 0).icon).toBe('attention');
    expect(trayModel(status('down', 'huawei', true, exception), 0).icon).toBe('offline');
    expect(trayModel(status('down', 'sandbox'), 0).icon).toBe('normal');
    expect(trayModel(status('up', 'huawei', true, { attention: { stale: 1, pickupLate: 0 } }), 0).icon).toBe('attention');
    expect(trayModel(status('up', 'huawei', true, { attention: { stale: 0, pickupLate: 1 } }), 0).icon).toBe('attention');
  });

  it('pauses until 08:00 tomorrow, China time; 今日签收 starts again at midnight there', () => {
    expect(new Date(tomorrowMorning(NOW)).toISOString()).toBe('2026-06-02T00:00:00.000Z');
    expect(new Date(nextChinaMidnight(NOW)).toISOString()).toBe('2026-06-01T16:00:00.000Z');
    // At midnight itself, the next one is a day on.
    expect(new Date(nextChinaMidnight(Date.UTC(2026, 5, 1, 16))).toISOString()).toBe('2026-06-02T16:00:00.000Z');
  });
});

describe('monthly limit arithmetic (China time)', () => {
  it('counts attempts of the calendar month in UTC+8 and knows when the next one starts', async () => {
    const { attemptsThisMonth, nextMonthStart } = await import('../../main/core/lifecycle.js');
    // 2026-06-30 23:30 in China is 15:30 UTC; 16:30 UTC is already July in China
    const rec = (log: string[]) => ({ company: 'yuantong', subscription: { attemptLog: log } }) as never;
    const june = Date.UTC(2026, 5, 30, 15, 30);
    const records = [rec(['2026-06-01T00:00:00.000Z', '2026-05-31T15:59:00.000Z', '2026-06-30T16:30:00.000Z'])];
    expect(attemptsThisMonth(records, 'yuantong', june)).toBe(1);
    expect(attemptsThisMonth(records, 'yuantong', Date.UTC(2026, 5, 30, 16, 30))).toBe(1);
    expect(attemptsThisMonth(records, 'zhongtong', june)).toBe(0);
    expect(new Date(nextMonthStart(june)).toISOString()).toBe('2026-06-30T16:00:00.000Z');
  });
});
