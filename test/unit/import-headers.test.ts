import { describe, expect, it } from 'vitest';
import { detectMapping, findHeaderRow, guessPlatform, headerSignature } from '../../main/core/import/headers.js';

const PDD = ['订单号', '商品', '订单状态', '商品总价(元)', '快递单号', '快递公司', '收货人', '手机', '是否审核中', '商家编码-SKU维度', '样式ID', '售后状态'];
const TAOBAO = ['订单编号', '买家会员名', '买家支付宝账号', '订单状态', '收货人姓名', '收货地址 ', '联系电话', '联系手机', '宝贝标题 ', '物流单号 ', '物流公司', '店铺名称'];
const DOUYIN = ['主订单编号', '子订单编号', '选购商品', '商品数量', '收件人', '收件人手机号', '订单状态', '快递单号', '快递公司', '达人昵称'];
const WEIXIN = ['订单号', '订单状态', '收件人姓名', '收件人手机', '商品发货物流公司', '商品发货物流单号'];
const JD = ['订单号', '商品名称', '京东价', '下单帐号', '客户姓名', '联系电话', '订单状态', '运单号', '快递公司'];
const ERP = ['系统单号', '原始单号', '线上订单号', '店铺名称', '收件人姓名', '收件人手机', '物流公司', '物流单号'];
const KUAISHOU = ['订单号', '订单状态', '买家昵称', '买家ID', '收货人姓名', '收货人电话', '快递单号', '快递公司'];

describe('header detection', () => {
  it('finds the header row below title rows', () => {
    const grid = [['淘宝订单导出'], ['导出时间：2026-11-30 10:00', ''], TAOBAO, ['1001', 'tb_buyer']];
    expect(findHeaderRow(grid)).toBe(2);
  });

  it('maps each field by the platform’s Chinese header, trailing space included', () => {
    expect(detectMapping(TAOBAO)).toEqual({ number: 9, company: 10, orderNo: 0, buyer: 4, phone: 7, orderStatus: 3 });
    expect(detectMapping(PDD)).toEqual({ number: 4, company: 5, orderNo: 0, buyer: 6, phone: 7, orderStatus: 2 });
    expect(detectMapping(DOUYIN)).toMatchObject({ number: 7, company: 8, orderNo: 0, buyer: 4, phone: 5 });
    expect(detectMapping(WEIXIN)).toMatchObject({ number: 5, company: 4, orderNo: 0, buyer: 2, phone: 3 });
    expect(detectMapping(JD)).toMatchObject({ number: 7, company: 8, orderNo: 0 });
    expect(detectMapping(ERP)).toMatchObject({ number: 7, company: 6, orderNo: 1, buyer: 4, phone: 5 });
    expect(detectMapping(KUAISHOU)).toMatchObject({ number: 6, company: 7, buyer: 4, phone: 5 });
  });

  it('knows every header name the issue lists', () => {
    const listed: Record<string, string[]> = {
      number: ['快递单号', '物流单号', '运单号', '物流单号 ', '商品发货物流单号'],
      company: ['快递公司', '物流公司', '商品发货物流公司'],
      orderNo: ['订单号', '订单编号', '主订单编号', '原始单号', '线上订单号'],
      buyer: ['收货人', '收件人', '收货人姓名', '收件人姓名'],
      phone: ['手机', '联系手机', '收件人手机', '收货人电话', '收件人手机号'],
    };
    for (const [field, names] of Object.entries(listed)) {
      for (const name of names) expect(detectMapping(['序号', name])[field as keyof ReturnType<typeof detectMapping>], JSON.stringify(name)).toBe(1);
    }
  });

  it('falls back to headers that merely contain the words', () => {
    expect(detectMapping(['序号', '发货快递单号', '快递公司名称'])).toMatchObject({ number: 1, company: 2 });
  });

  it('guesses the platform from the header set', () => {
    expect(guessPlatform(PDD)).toBe('pinduoduo');
    expect(guessPlatform(TAOBAO)).toBe('taobao');
    expect(guessPlatform(DOUYIN)).toBe('douyin');
    expect(guessPlatform(WEIXIN)).toBe('weixin');
    expect(guessPlatform(JD)).toBe('jd');
    expect(guessPlatform(ERP)).toBe('erp');
    expect(guessPlatform(KUAISHOU)).toBe('kuaishou');
    expect(guessPlatform(['快递单号', '快递公司'])).toBe('unknown');
  });

  it('keys the mapping memory by the header signature', () => {
    const a = headerSignature(TAOBAO);
    expect(a).toMatch(/^h1:[0-9a-f]{16}$/);
    expect(headerSignature(TAOBAO.map((h) => ` ${h}\t`))).toBe(a);
    expect(headerSignature([...TAOBAO].reverse())).not.toBe(a);
    expect(headerSignature(PDD)).not.toBe(a);
  });
});
