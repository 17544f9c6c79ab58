import { describe, expect, it } from 'vitest';
import type { ShipmentDto, StatusDto } from '../../preload/contract.js';
import { tomorrowMorning, trayModel } from '../../main/core/tray-model.js';

const NOW = Date.UTC(2026, 5, 1, 4, 0, 0); // 2026-06-01 12:00 in China
const s = (group: ShipmentDto['group'], ftime = '2026-06-01 09:00:00'): ShipmentDto =>
  ({ group, events: [{ ftime }], stale: null }) as unknown as ShipmentDto;
const status = (state: StatusDto['tunnel']['state'], provider: 'sandbox' | 'huawei' = 'huawei', ready = true) =>
  ({ tunnel: { mode: 'localtunnel', state, url: null, error: null, since: '' }, provider: { id: provider, endpoint: '', ready, problem: null } }) as Pick<StatusDto, 'tunnel' | 'provider'>;

describe('tray model', () => {
  it('counts 派件中, 异常 and 今日签收 (China date)', () => {
    const list = [s('delivering'), s('delivering'), s('exception'), s('delivered'), s('delivered', '2026-05-31 23:00:00'), s('transit')];
    const m = trayModel(list, status('up'), NOW);
    expect(m.counts).toEqual({ delivering: 2, exception: 1, signedToday: 1, pickupLate: 0 });
    expect(m.labels.delivering).toBe('派件中 2');
    expect(m.tooltip).toContain('今日签收 1');
    expect(trayModel(list, status('up'), NOW, 'en').labels.exception).toBe('Problems 1');
  });

  it('chooses the icon: offline when pushes cannot arrive, attention for exceptions, else normal', () => {
    expect(trayModel([s('transit')], status('up'), NOW).icon).toBe('normal');
    expect(trayModel([s('exception')], status('up'), NOW).icon).toBe('attention');
    expect(trayModel([s('transit')], status('up', 'huawei', false), NOW).icon).toBe('attention');
    expect(trayModel([s('exception')], status('down'), NOW).icon).toBe('offline');
    expect(trayModel([], status('down', 'sandbox'), NOW).icon).toBe('normal');
    expect(trayModel([{ ...s('delivering'), stale: { reason: '可能漏推送', reasonEn: 'may have missed updates', since: '' } }], status('up'), NOW).icon).toBe('attention');
  });

  it('pauses until 08:00 tomorrow, China time', () => {
    expect(new Date(tomorrowMorning(NOW)).toISOString()).toBe('2026-06-02T00:00:00.000Z');
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
