import { describe, expect, it } from 'vitest';
import { CARRIER_ALIASES, normalizeCarrierName, resolveCarrierName } from '../../main/core/kuaidi100/carrier-aliases.js';
import { COMPANIES, findCompany } from '../../main/core/kuaidi100/companies.js';

const one = (name: string, number?: string): string | null => {
  const r = resolveCarrierName(name, number);
  return r.kind === 'one' ? r.code : null;
};

describe('carrier alias table', () => {
  it('only names codes that exist in the shipped companies table', () => {
    const known = new Set(COMPANIES.map((c) => c.code));
    const unknown = CARRIER_ALIASES.flatMap((a) => a.codes).filter((c) => !known.has(c));
    expect(unknown).toEqual([]);
    expect(CARRIER_ALIASES.flatMap((a) => a.names).length).toBeGreaterThan(100);
  });

  it('resolves the short names sellers write', () => {
    expect(one('圆通')).toBe('yuantong');
    expect(one('中通')).toBe('zhongtong');
    expect(one('韵达')).toBe('yunda');
    expect(one('申通')).toBe('shentong');
    expect(one('极兔')).toBe('jtexpress');
    expect(one('京东')).toBe('jd');
    expect(one('百世')).toBe('huitongkuaidi');
    expect(one('丰网')).toBe('fengwang');
    expect(one('菜鸟')).toBe('danniao');
    expect(one('安能')).toBe('annengwuliu');
    expect(one('跨越')).toBe('kuayue');
    expect(one('壹米滴答')).toBe('yimidida');
    expect(one('宅急送')).toBe('zhaijisong');
  });

  it('resolves variants, table names and codes', () => {
    for (const [name, code] of [
      ['顺丰快递', 'shunfeng'], ['顺丰速运', 'shunfeng'], ['顺丰快运', 'shunfengkuaiyun'],
      ['韵达速递', 'yunda'], ['韵达快递', 'yunda'], ['中通速递', 'zhongtong'], ['中通快递', 'zhongtong'],
      ['圆通速递', 'yuantong'], ['圆通快递', 'yuantong'], ['申通快递', 'shentong'], ['极兔速递', 'jtexpress'], ['极兔快递', 'jtexpress'],
      ['邮政快递包裹', 'youzhengguonei'], ['邮政包裹', 'youzhengguonei'], ['京东快递', 'jd'], ['京东物流', 'jd'],
      ['德邦快递', 'debangkuaidi'], ['德邦物流', 'debangwuliu'], ['中通快运', 'zhongtongkuaiyun'],
      ['shunfeng', 'shunfeng'], ['yuantong', 'yuantong'], ['jtexpress', 'jtexpress'], ['youzhengguonei', 'youzhengguonei'],
      ['debangkuaidi', 'debangkuaidi'], ['debangwuliu', 'debangwuliu'], ['丹鸟', 'danniao'],
    ] as const) {
      expect(one(name), name).toBe(code);
    }
  });

  it('knows the English names', () => {
    expect(one('SF Express')).toBe('shunfeng');
    expect(one('YTO')).toBe('yuantong');
    expect(one('ZTO Express')).toBe('zhongtong');
    expect(one('STO')).toBe('shentong');
    expect(one('J&T Express')).toBe('jtexpress');
    expect(one('JD Logistics')).toBe('jd');
    expect(one('China Post')).toBe('youzhengguonei');
    expect(one('Yunda')).toBe('yunda');
  });

  it('ignores case, spaces and full width', () => {
    expect(normalizeCarrierName('  Ｓｈｕｎ ｆｅｎｇ ')).toBe('shunfeng');
    expect(one('ＳＨＵＮＦＥＮＧ')).toBe('shunfeng');
    expect(one(' 圆　通 ')).toBe('yuantong');
    expect(one('YuanTong')).toBe('yuantong');
    expect(one('ｊｄ')).toBe('jd');
  });

  it('offers the ambiguous names as a choice when the number does not tell', () => {
    expect(resolveCarrierName('德邦')).toEqual({ kind: 'choice', codes: ['debangkuaidi', 'debangwuliu'] });
    expect(resolveCarrierName('顺丰')).toEqual({ kind: 'choice', codes: ['shunfeng', 'shunfengkuaiyun'] });
    expect(resolveCarrierName('邮政')).toEqual({ kind: 'choice', codes: ['youzhengguonei', 'ems'] });
    expect(resolveCarrierName('EMS')).toEqual({ kind: 'choice', codes: ['ems', 'youzhengguonei'] });
    // the number fits both: still a choice
    expect(resolveCarrierName('邮政', '9812345678901').kind).toBe('choice');
  });

  it('resolves an ambiguous name by the number when it can', () => {
    // an S10 international label is EMS, not a domestic parcel
    expect(resolveCarrierName('邮政', 'EA123456789CN')).toEqual({ kind: 'one', code: 'ems' });
    expect(resolveCarrierName('EMS', 'EA123456789CN')).toEqual({ kind: 'one', code: 'ems' });
  });

  it('says unknown for names it does not know', () => {
    expect(resolveCarrierName('火星快递')).toEqual({ kind: 'unknown' });
    expect(resolveCarrierName('   ')).toEqual({ kind: 'unknown' });
  });

  it('findCompany goes through the alias table', () => {
    expect(findCompany('圆通')?.code).toBe('yuantong');
    expect(findCompany('中通')?.code).toBe('zhongtong');
    expect(findCompany('顺丰快递')?.code).toBe('shunfeng');
    expect(findCompany('顺丰速运')?.code).toBe('shunfeng');
    // an ambiguous name without a number: the most likely one
    expect(findCompany('德邦')?.code).toBe('debangkuaidi');
    expect(findCompany('EMS', 'EA123456789CN')?.code).toBe('ems');
    expect(findCompany('nonexistent')).toBeUndefined();
  });
});
