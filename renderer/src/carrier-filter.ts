/** Carriers offered by the list's filter: the ones sellers ship with most, with English names. */
export const FILTER_CARRIERS: readonly { code: string; zh: string; en: string }[] = [
  { code: 'zhongtong', zh: '中通快递', en: 'ZTO Express' },
  { code: 'yuantong', zh: '圆通速递', en: 'YTO Express' },
  { code: 'yunda', zh: '韵达快递', en: 'Yunda Express' },
  { code: 'shentong', zh: '申通快递', en: 'STO Express' },
  { code: 'jtexpress', zh: '极兔速递', en: 'J&T Express' },
  { code: 'shunfeng', zh: '顺丰速运', en: 'SF Express' },
  { code: 'youzhengguonei', zh: '邮政快递包裹', en: 'China Post' },
  { code: 'ems', zh: 'EMS', en: 'EMS' },
  { code: 'jd', zh: '京东物流', en: 'JD Logistics' },
  { code: 'debangkuaidi', zh: '德邦快递', en: 'Deppon Express' },
  { code: 'huitongkuaidi', zh: '百世快递', en: 'Best Express' },
  { code: 'danniao', zh: '丹鸟', en: 'Danniao' },
];
