import { describe, expect, it } from 'vitest';
import { decideCarrier, needsPhone } from '../../main/core/carrier-decision.js';

const value = (number: string, company?: string) => {
  const r = decideCarrier({ number, company });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('carrier decision for an add', () => {
  it('one candidate from the number: that carrier, no autoCom', () => {
    expect(value('YT6186594166530')).toEqual({ company: 'yuantong', alternatives: [], autoCom: false, needsPhone: false, source: 'guess' });
    expect(value('73558767876512').company).toBe('zhongtong');
    expect(value('JT0018181408276').company).toBe('jtexpress');
  });

  it('several candidates: the most likely, the others as alternatives', () => {
    expect(value('431234567890123')).toEqual({ company: 'yunda', alternatives: ['shentong'], autoCom: false, needsPhone: false, source: 'guess' });
    const sf = value('SF1400000000001');
    expect(sf.company).toBe('shunfeng');
    expect(sf.alternatives).toEqual(['shunfengkuaiyun']);
    expect(sf.needsPhone).toBe(true);
  });

  it('no candidate: autoCom with an empty company, as the spec advises', () => {
    expect(value('ZZ12345678')).toEqual({ company: '', alternatives: [], autoCom: true, needsPhone: false, source: 'auto' });
  });

  it("the seller's name wins over the guess and goes through the alias table", () => {
    expect(value('YT6186594166530', '中通')).toMatchObject({ company: 'zhongtong', alternatives: [], autoCom: false, source: 'seller' });
    expect(value('SF1400000000001', '顺丰快递')).toMatchObject({ company: 'shunfeng', needsPhone: true });
    expect(value('1234567890', '  ')).toMatchObject({ autoCom: true, company: '' });
  });

  it('an ambiguous name is settled by the number, else the most likely with the rest offered', () => {
    expect(value('EA123456789CN', 'EMS')).toMatchObject({ company: 'ems', alternatives: [] });
    expect(value('DPK1234567890', '德邦')).toMatchObject({ company: 'debangkuaidi', alternatives: ['debangwuliu'], source: 'seller' });
  });

  it('an unknown name is a bilingual error on the company field', () => {
    const r = decideCarrier({ number: 'YT6186594166530', company: '火星快递' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe('company');
      expect(r.error.message).toContain('火星快递');
      expect(r.error.messageEn).toContain('火星快递');
    }
  });

  it('needsPhone follows the companies table', () => {
    expect(needsPhone('shunfeng')).toBe(true);
    expect(needsPhone('shunfengkuaiyun')).toBe(true);
    expect(needsPhone('yuantong')).toBe(false);
    expect(needsPhone('')).toBe(false);
  });
});
