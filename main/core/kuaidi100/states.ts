/**
 * The state table of spec section 2.4: ten basic states and the advanced codes that refine
 * them (advanced codes need resultv2 >= 4). With resultv2 >= 4 `lastResult.state` itself may
 * be an advanced code ("304"), so every consumer goes through `basicStateOf`.
 */

export type BasicState = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '14';

export interface StateInfo {
  code: string;
  /** Chinese name exactly as the spec writes it. */
  name: string;
  nameEn: string;
  /** The spec's 含义 column. */
  meaning: string;
  basic: BasicState;
}

const row = (code: string, basic: BasicState, name: string, nameEn: string, meaning: string): StateInfo => ({
  code,
  basic,
  name,
  nameEn,
  meaning,
});

/** Every row of spec 2.4, in the spec's order. Basic rows have code === basic. */
export const STATE_TABLE: readonly StateInfo[] = [
  row('1', '1', '揽收', 'Picked up', '快件揽件'),
  row('101', '1', '已下单', 'Order placed', '已经下快件单'),
  row('102', '1', '待揽收', 'Awaiting pickup', '待快递公司揽收'),
  row('103', '1', '已揽收', 'Collected', '快递公司已经揽收'),
  row('0', '0', '在途', 'In transit', '快件在途中'),
  row('1001', '0', '到达派件城市', 'Arrived in delivery city', '快件到达收件人城市'),
  row('1002', '0', '干线', 'Line haul', '快件处于运输过程中'),
  row('1003', '0', '转递', 'Forwarded', '快件发往到新的收件地址'),
  row('5', '5', '派件', 'Out for delivery', '快件正在派件'),
  row('501', '5', '投柜或驿站', 'In locker or station', '快件已经投递到快递柜或者快递驿站'),
  row('3', '3', '签收', 'Delivered', '快件已签收'),
  row('301', '3', '本人签收', 'Signed by recipient', '收件人正常签收'),
  row('302', '3', '派件异常后签收', 'Delivered after exception', '快件显示派件异常，但后续正常签收'),
  row('303', '3', '代签', 'Signed by proxy', '快件已被代签'),
  row('304', '3', '投柜或站签收', 'Collected from locker or station', '快件已从快递柜或者驿站取出签收'),
  row('6', '6', '退回', 'Returning', '快件正处于返回发货人的途中'),
  row('4', '4', '退签', 'Returned and signed', '此快件单已退签'),
  row('401', '4', '已销单', 'Cancelled', '此快件单已撤销'),
  row('14', '14', '拒签', 'Refused', '收件人拒签快件'),
  row('7', '7', '转投', 'Transferred', '快件转给其他快递公司邮寄'),
  row('2', '2', '疑难', 'Problem', '快件存在疑难'),
  row('201', '2', '超时未签收', 'Not signed in time', '快件长时间派件后未签收'),
  row('202', '2', '超时未更新', 'No update in time', '快件长时间没有派件或签收'),
  row('203', '2', '拒收', 'Rejected by recipient', '收件人发起拒收快递,待发货方确认'),
  row('204', '2', '派件异常', 'Delivery exception', '快件派件时遇到异常情况'),
  row('205', '2', '柜或驿站超时未取', 'Not collected from locker', '快件在快递柜或者驿站长时间未取'),
  row('206', '2', '无法联系', 'Recipient unreachable', '无法联系到收件人'),
  row('207', '2', '超区', 'Outside service area', '超出快递公司的服务区范围'),
  row('208', '2', '滞留', 'Held at station', '快件滞留在网点，没有派送'),
  row('209', '2', '破损', 'Damaged', '快件破损'),
  row('210', '2', '销单', 'Cancelled by sender', '寄件人申请撤销寄件'),
  row('8', '8', '清关', 'Customs', '快件清关'),
  row('10', '8', '待清关', 'Awaiting customs', '快件等待清关'),
  row('11', '8', '清关中', 'In customs', '快件正在清关流程中'),
  row('12', '8', '已清关', 'Cleared customs', '快件已完成清关流程'),
  row('13', '8', '清关异常', 'Customs exception', '货物在清关过程中出现异常'),
];

const BY_CODE: ReadonlyMap<string, StateInfo> = new Map(STATE_TABLE.map((s) => [s.code, s]));

export const BASIC_STATES: readonly BasicState[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '14'];

export function stateInfo(code: string | null | undefined): StateInfo | undefined {
  return code == null ? undefined : BY_CODE.get(code.trim());
}

/** Maps a basic or advanced code to its basic state; undefined for codes the spec does not know. */
export function basicStateOf(code: string | null | undefined): BasicState | undefined {
  return stateInfo(code)?.basic;
}

export function isAdvancedCode(code: string): boolean {
  const info = BY_CODE.get(code);
  return info !== undefined && info.code !== info.basic;
}

/** States a seller must act on (the spec's exceptions). 13 清关异常 is counted through its code, see isExceptionCode. */
export const EXCEPTION_STATES: ReadonlySet<BasicState> = new Set<BasicState>(['2', '4', '6', '14']);

/** True for codes that mean trouble even when their basic parent does not (清关异常). */
export function isExceptionCode(code: string | null | undefined): boolean {
  const info = stateInfo(code);
  if (!info) return false;
  return EXCEPTION_STATES.has(info.basic) || info.code === '13';
}
