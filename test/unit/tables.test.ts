import { describe, expect, it } from 'vitest';
import { COMPANIES, companyByCode, companyNeedsPhone, findCompany, searchCompanies } from '../../main/core/kuaidi100/companies.js';
import { guessCarriers } from '../../main/core/kuaidi100/carrier-guess.js';
import { RETURN_CODES, returnCodeInfo } from '../../main/core/kuaidi100/return-codes.js';
import { BASIC_STATES, STATE_TABLE, basicStateOf, isAdvancedCode, stateInfo } from '../../main/core/kuaidi100/states.js';

describe('state table (spec 2.4)', () => {
  it('has the ten basic states with the spec names', () => {
    const basics = STATE_TABLE.filter((s) => s.code === s.basic);
    expect(basics.map((s) => s.code).sort()).toEqual([...BASIC_STATES].sort());
    const names = Object.fromEntries(basics.map((s) => [s.code, s.name]));
    expect(names).toEqual({ '0': '在途', '1': '揽收', '2': '疑难', '3': '签收', '4': '退签', '5': '派件', '6': '退回', '7': '转投', '8': '清关', '14': '拒签' });
  });

  it('maps every advanced code of the spec to its basic parent', () => {
    const expected: Record<string, string> = {
      '101': '1', '102': '1', '103': '1', '1001': '0', '1002': '0', '1003': '0', '501': '5',
      '301': '3', '302': '3', '303': '3', '304': '3', '401': '4',
      '201': '2', '202': '2', '203': '2', '204': '2', '205': '2', '206': '2', '207': '2', '208': '2', '209': '2', '210': '2',
      '10': '8', '11': '8', '12': '8', '13': '8',
    };
    for (const [code, parent] of Object.entries(expected)) {
      expect(basicStateOf(code), code).toBe(parent);
      expect(isAdvancedCode(code), code).toBe(true);
    }
    expect(STATE_TABLE.filter((s) => s.code !== s.basic)).toHaveLength(Object.keys(expected).length);
    expect(stateInfo('304')?.name).toBe('投柜或站签收');
    expect(basicStateOf('999')).toBeUndefined();
    expect(basicStateOf(null)).toBeUndefined();
  });

  it('gives every state a Chinese and an English name', () => {
    for (const s of STATE_TABLE) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.nameEn).toMatch(/[A-Za-z]/);
    }
  });
});

describe('return codes (spec 1.6)', () => {
  it('covers every code with the spec HTTP status and an action', () => {
    const table = Object.fromEntries(RETURN_CODES.map((r) => [r.returnCode, [r.httpStatus, r.action]]));
    expect(table).toEqual({
      '200': [200, 'active'],
      '700': [400, 'fix-input'],
      '701': [400, 'fix-input'],
      '702': [400, 'fix-input'],
      '600': [401, 'fix-credentials'],
      '601': [401, 'fix-credentials'],
      '501': [409, 'active'],
      '502': [409, 'contact'],
      '500': [500, 'retry'],
    });
    for (const r of RETURN_CODES) {
      expect(r.message).toMatch(/[\u4e00-\u9fff]/);
      expect(r.advice).toMatch(/[\u4e00-\u9fff]/);
      expect(r.messageEn).toMatch(/[A-Za-z]/);
      expect(r.adviceEn).toMatch(/[A-Za-z]/);
    }
    expect(returnCodeInfo(' 501 ')?.message).toBe('重复订阅');
    expect(returnCodeInfo('123')).toBeUndefined();
  });
});

describe('carrier table', () => {
  it('ships all 1,413 codes, lower-case and unique, in popularity order', () => {
    expect(COMPANIES).toHaveLength(1413);
    expect(new Set(COMPANIES.map((c) => c.code)).size).toBe(1413);
    for (const c of COMPANIES) expect(c.code).toMatch(/^[a-z0-9_]+$/);
    expect(COMPANIES.slice(0, 3).map((c) => c.code)).toEqual(['yuantong', 'shentong', 'zhongtong']);
  });

  it('finds by code or Chinese name and searches both', () => {
    expect(companyByCode('ZhongTong')?.name).toBe('中通快递');
    expect(findCompany('顺丰速运')?.code).toBe('shunfeng');
    expect(findCompany('nonexistent')).toBeUndefined();
    expect(searchCompanies('顺丰')[0]?.code).toMatch(/^shunfeng/);
    expect(searchCompanies('ems')[0]?.code).toBe('ems');
    expect(companyNeedsPhone('shunfeng')).toBe(true);
    expect(companyNeedsPhone('shunfengkuaiyun')).toBe(true);
    expect(companyNeedsPhone('yuantong')).toBe(false);
  });

  it('guesses carriers from the number as candidates', () => {
    const codes = (n: string): string[] => guessCarriers(n).map((c) => c.code);
    expect(codes('SF1234567890123')[0]).toBe('shunfeng');
    expect(codes('YT6186594166532')).toEqual(['yuantong']);
    expect(codes('JT0018181408277')).toEqual(['jtexpress']);
    expect(codes('73558767876512')).toEqual(['zhongtong']);
    expect(codes('77358767876512')).toEqual(['shentong']);
    expect(codes('431234567890123')).toEqual(['yunda', 'shentong']);
    expect(codes('9812345678901')).toEqual(['youzhengguonei', 'ems']);
    expect(codes('EA123456789CN')[0]).toBe('ems');
    expect(codes('hello')).toEqual([]);
  });
});
