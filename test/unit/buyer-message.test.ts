import { describe, expect, it } from 'vitest';
import {
  BUYER_MESSAGE_KINDS,
  DEFAULT_BUYER_TEMPLATES,
  buyerMessage,
  buyerMessageForShipment,
  buyerMessageKind,
  chinaTimeText,
  placeOf,
  renderTemplate,
} from '../../preload/buyer-message.js';
import type { ShipmentDto, TrackingEventDto } from '../../preload/contract.js';

const base = { carrier: '中通快递', number: '75123456780001', time: '2026-11-30 10:21:00', place: '杭州转运中心' };

describe('buyer message', () => {
  it('writes the issue’s example for 派件', () => {
    expect(buyerMessage({ ...base, state: '5', statusCode: null })).toBe('您好，您的包裹（中通快递 75123456780001）11月30日 10:21 到达【杭州转运中心】，正在派送中，请留意电话。');
  });

  it('has a wording for 派件, 签收, 疑难, 退回 and 待揽收', () => {
    const texts = {
      delivering: buyerMessage({ ...base, state: '5', statusCode: '501' }),
      delivered: buyerMessage({ ...base, state: '3', statusCode: '301' }),
      problem: buyerMessage({ ...base, state: '2', statusCode: '204', stateText: '派件异常' }),
      returned: buyerMessage({ ...base, state: '6', statusCode: null }),
      awaitingPickup: buyerMessage({ ...base, state: null, statusCode: null, time: null, place: null }),
    };
    expect(texts.delivering).toContain('派送');
    expect(texts.delivered).toContain('已签收');
    expect(texts.problem).toContain('异常（派件异常）');
    expect(texts.returned).toContain('退回');
    expect(texts.awaitingPickup).toContain('等待快递揽收');
    expect(new Set(Object.values(texts)).size).toBe(5);
  });

  it('maps states to wordings, advanced codes included', () => {
    expect(buyerMessageKind(null, null)).toBe('awaitingPickup');
    expect(buyerMessageKind('1', '102')).toBe('awaitingPickup');
    expect(buyerMessageKind('1', '103')).toBe('inTransit');
    expect(buyerMessageKind('501', null)).toBe('delivering');
    expect(buyerMessageKind('304', null)).toBe('delivered');
    expect(buyerMessageKind('14', null)).toBe('returned');
    expect(buyerMessageKind('4', null)).toBe('returned');
    expect(buyerMessageKind('8', '13')).toBe('problem');
    expect(buyerMessageKind('0', '1002')).toBe('inTransit');
  });

  it('drops an optional [section] whose placeholder is empty', () => {
    expect(renderTemplate('A[ 到达【{place}】]B', { place: null })).toBe('AB');
    expect(renderTemplate('A[ 到达【{place}】]B', { place: '杭州' })).toBe('A 到达【杭州】B');
    expect(renderTemplate('{unknown}{number}', { number: '1' })).toBe('{unknown}1');
    expect(buyerMessage({ ...base, state: '5', statusCode: null, place: null })).toBe('您好，您的包裹（中通快递 75123456780001）11月30日 10:21 正在派送中，请留意电话。');
  });

  it('uses the seller’s edited template for that state', () => {
    const text = buyerMessage({ ...base, state: '5', statusCode: null, orderNo: ['231130-0001'] }, { templates: { delivering: '亲，订单 {orderNo} 的 {carrier} {number} 今天派送～' } });
    expect(text).toBe('亲，订单 231130-0001 的 中通快递 75123456780001 今天派送～');
  });

  it('writes times in China time whatever the machine’s zone', () => {
    expect(chinaTimeText(Date.UTC(2026, 10, 30, 2, 21))).toBe('11月30日 10:21');
    expect(chinaTimeText(Date.UTC(2026, 10, 30, 17, 5))).toBe('12月1日 01:05');
    expect(chinaTimeText('2026-11-30 10:21:00', 'en')).toBe('30 Nov 10:21');
    expect(chinaTimeText('nonsense')).toBeNull();
  });

  it('takes the place from 【…】 in the scan, else the area name', () => {
    const ev = (context: string, areaName: string | null): Pick<TrackingEventDto, 'context' | 'areaName' | 'location'> => ({ context, areaName, location: null });
    expect(placeOf(ev('快件已到达【杭州转运中心】', '浙江,杭州市'))).toBe('杭州转运中心');
    expect(placeOf(ev('快件已发出', '浙江,杭州市'))).toBe('浙江杭州市');
    expect(placeOf(ev('快件已发出', null))).toBeNull();
  });

  it('has both languages for every wording', () => {
    for (const kind of BUYER_MESSAGE_KINDS) {
      expect(DEFAULT_BUYER_TEMPLATES[kind].zh).toMatch(/\{number\}/);
      expect(DEFAULT_BUYER_TEMPLATES[kind].en).toMatch(/\{number\}/);
    }
    expect(buyerMessage({ ...base, state: '5', statusCode: null }, { lang: 'en' })).toBe('Hello, your parcel (中通快递 75123456780001) is out for delivery — 杭州转运中心, 30 Nov 10:21. Please keep your phone on.');
  });

  it('builds the message from a shipment as the list shows it', () => {
    const dto = {
      companyName: '中通快递', company: 'zhongtong', number: '75123456780001', state: '5', statusCode: null, stateLabel: { zh: '派件', en: 'Out for delivery' },
      events: [{ time: '2026-11-30 10:21:00', ftime: '2026-11-30 10:21:00', context: '【杭州转运中心】派件员正在派件', status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null }],
    } as unknown as ShipmentDto;
    expect(buyerMessageForShipment(dto)).toBe('您好，您的包裹（中通快递 75123456780001）11月30日 10:21 到达【杭州转运中心】，正在派送中，请留意电话。');
  });
});
