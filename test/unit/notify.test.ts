import { describe, expect, it } from 'vitest';
import type { NotifySettingsDto, ShipmentDto } from '../../preload/contract.js';
import type { NotificationDto } from '../../preload/contract.js';
import { Notifier } from '../../main/core/notify/notifier.js';
import { noticeFor, type NotifySnapshot } from '../../main/core/notify/notify-policy.js';
import { BASIC_STATES, STATE_TABLE, basicStateOf } from '../../main/core/kuaidi100/states.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';

const DEFAULTS: NotifySettingsDto = defaultSettings().notify;

const snap = (state: string | null, statusCode: string | null = state, extra: Partial<NotifySnapshot> = {}): NotifySnapshot => ({
  id: 's1', number: 'YT100', note: null, state, statusCode, tracking: 'polling', trackingMessage: null, comNew: null, companyName: '圆通速递', events: [], ...extra,
});

describe('notification policy', () => {
  it('over every pair of basic states: notifies exactly on entering 派件, 签收 or an exception', () => {
    const notifying = new Set(['5', '3', '2', '4', '6', '14']);
    for (const from of [null, ...BASIC_STATES]) {
      for (const to of BASIC_STATES) {
        const n = noticeFor(from === null ? undefined : snap(from), snap(to), DEFAULTS);
        const expected = notifying.has(to) && from !== to;
        expect(n !== null, `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it('over every advanced code: notifies when its basic state is chosen, once per kind of trouble', () => {
    for (const row of STATE_TABLE) {
      const n = noticeFor(snap('0', '1002'), snap(row.basic, row.code), DEFAULTS);
      expect(n !== null, row.code).toBe(DEFAULTS.states.includes(row.basic));
    }
    // 疑难 204 → 疑难 206 is a new problem; 派件 5 → 501 is not news
    expect(noticeFor(snap('2', '204'), snap('2', '206'), DEFAULTS)?.kind).toBe('exception');
    expect(noticeFor(snap('5', '5'), snap('5', '501'), DEFAULTS)).toBeNull();
    expect(noticeFor(snap('2', '204'), snap('2', '204'), DEFAULTS)).toBeNull();
  });

  it('flags exceptions as such and names advanced states', () => {
    expect(noticeFor(snap('5'), snap('14'), DEFAULTS)).toMatchObject({ kind: 'exception', title: expect.stringContaining('拒签') });
    expect(noticeFor(snap('5'), snap('3', '304'), DEFAULTS)).toMatchObject({ kind: 'state', title: expect.stringContaining('投柜或站签收') });
    expect(noticeFor(snap('5'), snap('3', '304'), DEFAULTS, 'en')?.title).toContain('Collected from locker');
  });

  it('notifies aborted tracking with what to do, but not a carrier correction', () => {
    const aborted = noticeFor(snap('0'), snap('0', '0', { tracking: 'abort', trackingMessage: '3天查询无记录' }), DEFAULTS);
    expect(aborted).toMatchObject({ kind: 'aborted', body: expect.stringContaining('核对单号') });
    expect(noticeFor(snap('0'), snap('0', '0', { tracking: 'abort', trackingMessage: '60天无变化' }), DEFAULTS)?.body).toContain('60 天');
    expect(noticeFor(snap('0'), snap('0', '0', { tracking: 'abort', comNew: 'ems' }), DEFAULTS)).toBeNull();
    expect(noticeFor(snap('0'), snap('0', '0', { tracking: 'abort' }), { ...DEFAULTS, aborted: false })).toBeNull();
  });

  it('follows the seller’s choice of states', () => {
    expect(noticeFor(snap('0'), snap('1'), { states: ['1'], aborted: true })).not.toBeNull();
    expect(noticeFor(snap('0'), snap('5'), { states: ['1'], aborted: true })).toBeNull();
  });

  it('maps advanced codes to the basic state the spec gives them (spec 2.4), not to their first digit', () => {
    // Written out from the spec's table, not read from STATE_TABLE, so a wrong row fails here.
    const spec: [string, string | undefined][] = [
      ['1001', '0'], ['1002', '0'], ['1003', '0'], ['101', '1'], ['103', '1'], ['501', '5'], ['304', '3'],
      ['401', '4'], ['204', '2'], ['210', '2'], ['10', '8'], ['13', '8'], ['14', '14'], ['7', '7'],
      [' 304 ', '3'], ['999', undefined], ['', undefined],
    ];
    for (const [code, basic] of spec) expect(basicStateOf(code), code).toBe(basic);
    expect(basicStateOf(null)).toBeUndefined();
  });

  it('announces an advanced code under its basic state: 1001 is transit news, 501 is 派件', () => {
    // 1001 (到达派件城市) is in transit, not a pickup: the default states (派件/签收/exceptions) stay silent
    expect(noticeFor(snap('1', '103'), snap('0', '1001'), DEFAULTS)).toBeNull();
    expect(noticeFor(snap('0', '1002'), snap('5', '501'), DEFAULTS)).toMatchObject({ kind: 'state', title: expect.stringContaining('投柜或驿站') });
  });
});

const dto = (id: string, state: string, statusCode = state): ShipmentDto =>
  ({ ...snap(state, statusCode), id, number: `YT${id}`, events: [] }) as unknown as ShipmentDto;

describe('notifier', () => {
  const make = () => {
    const clock = new FakeClock();
    const shown: NotificationDto[] = [];
    const notifier = new Notifier({ settings: () => ({ notify: DEFAULTS, language: 'zh' }), show: (n) => shown.push(n), clock, foldWindowMs: 1000, foldAbove: 3 });
    return { clock, shown, notifier };
  };

  it('shows single notices with the parcel to open, and never the same transition twice', () => {
    const { clock, shown, notifier } = make();
    notifier.handle({ type: 'shipment', shipment: dto('a', '5') });
    notifier.handle({ type: 'shipment', shipment: dto('a', '5') });
    notifier.handle({ type: 'shipment', shipment: dto('a', '0') });
    notifier.handle({ type: 'shipment', shipment: dto('a', '5') });
    clock.advance(1000);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ shipmentId: 'a', count: 1 });
  });

  it('folds a burst into one summary', () => {
    const { clock, shown, notifier } = make();
    for (let i = 0; i < 12; i++) notifier.handle({ type: 'shipment', shipment: dto(`p${i}`, i % 3 === 0 ? '14' : '3') });
    clock.advance(1000);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ shipmentId: null, count: 12, title: '12 个包裹有新动态' });
    expect(shown[0]!.body).toContain('拒签 4');
    expect(shown[0]!.body).toContain('签收 8');
    // The summary carries its parcels: a click lists exactly them.
    expect(shown[0]!.shipmentIds).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`));
  });

  it('does not announce what was already known at start, and keeps a paused history', () => {
    const { clock, shown, notifier } = make();
    notifier.prime([dto('k', '3')]);
    notifier.handle({ type: 'shipment', shipment: dto('k', '3') });
    notifier.pauseUntil(clock.now() + 3600_000);
    notifier.handle({ type: 'shipment', shipment: dto('m', '5') });
    clock.advance(1000);
    expect(shown).toHaveLength(0);
    expect(notifier.history).toHaveLength(1);
    expect(notifier.pausedUntil).not.toBeNull();
  });
});
