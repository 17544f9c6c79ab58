import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../main/core/phone.js';
import { parseShipmentPatch } from '../../main/core/input-validation.js';

describe('the phone a seller gives for SF', () => {
  it('keeps a whole number, the last 4 digits, or the 4 digits a masked or virtual number shows', () => {
    expect(normalizePhone('13812341234')).toEqual({ ok: true, value: '13812341234' });
    expect(normalizePhone(' 138 1234 1234 ')).toEqual({ ok: true, value: '13812341234' });
    expect(normalizePhone('6621')).toEqual({ ok: true, value: '6621' });
    expect(normalizePhone('138****1234')).toEqual({ ok: true, value: '1234' });
    expect(normalizePhone('138＊＊＊＊1234')).toEqual({ ok: true, value: '1234' });
    expect(normalizePhone('19912345678-5678')).toEqual({ ok: true, value: '5678' });
    expect(normalizePhone('0571-88886666')).toEqual({ ok: true, value: '057188886666' });
  });

  it('refuses what gives no 4 digits, in both languages', () => {
    for (const bad of ['12', '138****', 'abcd', '****12']) {
      const r = normalizePhone(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatchObject({ code: 'invalid', field: 'phone' });
        expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
        expect(r.error.messageEn).toMatch(/digits/);
      }
    }
  });
});

describe('an edit of a parcel, as it crosses a boundary', () => {
  it('accepts company, phone, note and dryRun', () => {
    expect(parseShipmentPatch({ company: '申通', phone: '138****1234', note: '王五', dryRun: true })).toEqual({
      ok: true,
      value: { company: '申通', phone: '1234', note: '王五', dryRun: true },
    });
    expect(parseShipmentPatch({ note: '' })).toEqual({ ok: true, value: { note: '' } });
  });

  it('refuses unknown fields, non-text, an empty edit and a phone without 4 digits', () => {
    const field = (body: unknown): string | undefined => {
      const r = parseShipmentPatch(body);
      return r.ok ? undefined : r.error.field;
    };
    expect(field({ number: 'YT1' })).toBe('number');
    expect(field({ company: 5 })).toBe('company');
    expect(field({ dryRun: 'yes' })).toBe('dryRun');
    expect(field({})).toBe('body');
    expect(field([1])).toBe('body');
    expect(field({ phone: '12' })).toBe('phone');
    const r = parseShipmentPatch({ colour: 'red' });
    expect(!r.ok && r.error.messageEn).toMatch(/Unknown field/);
  });
});
