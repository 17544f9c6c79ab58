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
    expect(m.counts).toEqual({ delivering: 2, exception: 1, signedToday: 1 });
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
    expect(trayModel([{ ...s('delivering'), stale: { reason: '可能漏推送', since: '' } }], status('up'), NOW).icon).toBe('attention');
  });

  it('pauses until 08:00 tomorrow, China time', () => {
    expect(new Date(tomorrowMorning(NOW)).toISOString()).toBe('2026-06-02T00:00:00.000Z');
  });
});
