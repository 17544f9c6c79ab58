/**
 * The sandbox's scripted parcel lives. Pure data: which state each push reports and what the
 * carrier's scan says. The scenario is chosen from the waybill number so a seller (and a
 * test) can pick one: see README, "Sandbox".
 */

export type ScenarioName = 'delivered' | 'locker' | 'problem' | 'refused' | 'no-record' | 'corrected';

export interface ScenarioStep {
  /** lastResult.state as Kuaidi100 sends it at resultv2 >= 4 (may be advanced). */
  state: string;
  /** The event's advanced status code and name. */
  statusCode: string;
  statusName: string;
  context: string;
  city: string;
  status: 'polling' | 'shutdown' | 'abort';
  message: string;
  /** For status=abort: the carrier Kuaidi100 switched to. */
  comNew?: string;
  /** No event is added (an abort with empty data). */
  noEvent?: boolean;
}

const PICKUP: ScenarioStep = {
  state: '1', statusCode: '103', statusName: '已揽收', city: '广东,深圳市,南山区',
  context: '【深圳市】 快件已由 南山科技园网点 揽收', status: 'polling', message: '揽收',
};
const TRANSIT: ScenarioStep = {
  state: '0', statusCode: '1002', statusName: '干线', city: '广东,深圳市,宝安区',
  context: '【深圳市】 快件已发往 杭州转运中心', status: 'polling', message: '在途',
};
const ARRIVED: ScenarioStep = {
  state: '0', statusCode: '1001', statusName: '到达派件城市', city: '浙江,杭州市,余杭区',
  context: '【杭州市】 快件已到达 杭州转运中心', status: 'polling', message: '在途',
};
const DELIVERING: ScenarioStep = {
  state: '5', statusCode: '5', statusName: '派件', city: '浙江,杭州市,西湖区',
  context: '【杭州市】 快递员 王师傅（138****6621）正在为您派件', status: 'polling', message: '派件',
};
const SIGNED: ScenarioStep = {
  state: '301', statusCode: '301', statusName: '本人签收', city: '浙江,杭州市,西湖区',
  context: '【杭州市】 快件已签收，签收人：本人', status: 'shutdown', message: '签收',
};

export const SCENARIOS: Record<ScenarioName, readonly ScenarioStep[]> = {
  delivered: [PICKUP, TRANSIT, ARRIVED, DELIVERING, SIGNED],
  locker: [
    PICKUP, TRANSIT, DELIVERING,
    { state: '501', statusCode: '501', statusName: '投柜或驿站', city: '浙江,杭州市,西湖区',
      context: '【杭州市】 快件已放入 文一路菜鸟驿站，取件码 6-2-3017', status: 'polling', message: '派件' },
    { state: '304', statusCode: '304', statusName: '投柜或站签收', city: '浙江,杭州市,西湖区',
      context: '【杭州市】 快件已从 文一路菜鸟驿站 取出签收', status: 'shutdown', message: '签收' },
  ],
  problem: [
    PICKUP, TRANSIT, DELIVERING,
    { state: '204', statusCode: '204', statusName: '派件异常', city: '浙江,杭州市,西湖区',
      context: '【杭州市】 派件异常：收件人电话无法接通，明日再派', status: 'polling', message: '疑难' },
    { state: '302', statusCode: '302', statusName: '派件异常后签收', city: '浙江,杭州市,西湖区',
      context: '【杭州市】 快件已签收，签收人：门卫', status: 'shutdown', message: '签收' },
  ],
  refused: [
    PICKUP, TRANSIT, DELIVERING,
    { state: '14', statusCode: '14', statusName: '拒签', city: '浙江,杭州市,西湖区',
      context: '【杭州市】 收件人拒签，原因：不想要了', status: 'polling', message: '拒签' },
    { state: '6', statusCode: '6', statusName: '退回', city: '浙江,杭州市,余杭区',
      context: '【杭州市】 快件已退回，发往 深圳转运中心', status: 'polling', message: '退回' },
    { state: '4', statusCode: '4', statusName: '退签', city: '广东,深圳市,南山区',
      context: '【深圳市】 退件已由寄件人签收', status: 'shutdown', message: '退签' },
  ],
  'no-record': [
    { state: '0', statusCode: '0', statusName: '在途', city: '', context: '', status: 'abort',
      message: '3天查询无记录', noEvent: true },
  ],
  corrected: [
    { state: '0', statusCode: '0', statusName: '在途', city: '', context: '', status: 'abort',
      message: '3天查询无记录', noEvent: true, comNew: 'ems' },
    PICKUP, TRANSIT, DELIVERING, SIGNED,
  ],
};

/**
 * By the number's end: …99 corrected carrier, …9 no record (abort), …8 refused and returned,
 * …7 delivery problem then signed, …6 locker, anything else delivered.
 */
export function scenarioFor(number: string): ScenarioName {
  if (number.endsWith('99')) return 'corrected';
  switch (number.at(-1)) {
    case '9': return 'no-record';
    case '8': return 'refused';
    case '7': return 'problem';
    case '6': return 'locker';
    default: return 'delivered';
  }
}
