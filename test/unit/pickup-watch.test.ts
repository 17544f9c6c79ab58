import { describe, expect, it } from 'vitest';
import { DEFAULT_PICKUP_HOURS, parsePickupHours, pickedUp, pickupDueAt, pickupLate } from '../../main/core/pickup-watch.js';
import { FakeClock } from '../helpers/fake-clock.js';

const HOUR = 3_600_000;

describe('pickup watch (待揽收超时)', () => {
  it('flags a parcel added 24 h ago with no pickup scan, not one hour earlier', () => {
    const clock = new FakeClock();
    const parcel = { createdAt: new Date(clock.now()).toISOString(), state: null, statusCode: null };
    clock.advance(23 * HOUR);
    expect(pickupLate(parcel, clock.now())).toBeNull();
    clock.advance(HOUR);
    expect(pickupLate(parcel, clock.now())).toEqual({ since: new Date(Date.parse(parcel.createdAt) + 24 * HOUR).toISOString(), hours: DEFAULT_PICKUP_HOURS });
  });

  it('follows the hours setting', () => {
    const clock = new FakeClock();
    const parcel = { createdAt: new Date(clock.now()).toISOString(), state: null, statusCode: null };
    clock.advance(12 * HOUR);
    expect(pickupLate(parcel, clock.now(), 12)).toMatchObject({ hours: 12 });
    expect(pickupLate(parcel, clock.now(), 48)).toBeNull();
  });

  it('counts 揽收 (state 1) and every later state as picked up, but not 已下单/待揽收', () => {
    const clock = new FakeClock();
    const createdAt = new Date(clock.now()).toISOString();
    clock.advance(30 * HOUR);
    for (const [state, statusCode] of [['1', null], ['1', '103'], ['0', '1002'], ['5', null], ['3', '301'], ['2', '204']] as const) {
      expect(pickupLate({ createdAt, state, statusCode }, clock.now()), `${state}/${statusCode}`).toBeNull();
    }
    for (const [state, statusCode] of [['1', '101'], ['1', '102'], [null, null]] as const) {
      expect(pickupLate({ createdAt, state, statusCode }, clock.now()), `${state}/${statusCode}`).not.toBeNull();
    }
    // With resultv2 >= 4, `state` itself may carry the advanced code.
    expect(pickedUp({ state: '102', statusCode: null })).toBe(false);
    expect(pickedUp({ state: '1001', statusCode: null })).toBe(true);
  });

  it('says when a parcel will turn late, for a one-time notification timer', () => {
    const clock = new FakeClock();
    const createdAt = new Date(clock.now()).toISOString();
    expect(pickupDueAt({ createdAt, state: null, statusCode: null }, 24)).toBe(clock.now() + 24 * HOUR);
    expect(pickupDueAt({ createdAt, state: '1', statusCode: null }, 24)).toBeNull();
  });

  it('validates the hours setting', () => {
    expect(parsePickupHours(24)).toEqual({ ok: true, value: 24 });
    expect(parsePickupHours(0).ok).toBe(false);
    expect(parsePickupHours(1.5).ok).toBe(false);
    expect(parsePickupHours('24').ok).toBe(false);
    const bad = parsePickupHours(10_000);
    expect(!bad.ok && bad.error.messageEn).toContain('hours');
  });
});
