/**
 * Kuaidi100 wire types, field for field as the subscribe/push spec names them
 * (../shared/spec/kuaidi100-subscribe-push-api.txt). Everything Kuaidi100 sends is a string
 * on the wire, and real pushes leave optional fields out or set them to null, so optional
 * push fields are typed `string | null | undefined` and never trusted to be present.
 */

/** `resultv2` levels: 1 regions, 4 + advanced states, 8 + ETA and predicted route. */
export type ResultV2 = '0' | '1' | '4' | '8';

/** `param.parameters` of a subscribe request (spec 1.2). */
export interface SubscribeParameters {
  callbackurl: string;
  salt?: string;
  resultv2?: ResultV2;
  autoCom?: '1';
  interCom?: '1';
  departureCountry?: string;
  departureCom?: string;
  destinationCountry?: string;
  destinationCom?: string;
  /** The spec lists phone among `parameters` (顺丰速运 / 顺丰快运 require it). */
  phone?: string;
}

/** The `param` JSON of a subscribe request (spec 1.2). `key` only for Kuaidi100's own endpoint. */
export interface SubscribeParam {
  company: string;
  number: string;
  from?: string;
  to?: string;
  key?: string;
  parameters: SubscribeParameters;
}

/** Subscribe response body (spec 1.4). */
export interface SubscribeResponse {
  result: boolean;
  returnCode: string;
  message: string;
}

/** One element of `lastResult.data` (spec 2.2, data 字段). */
export interface PushDataItem {
  context: string;
  time: string;
  ftime: string;
  status?: string | null;
  statusCode?: string | null;
  areaCode?: string | null;
  areaName?: string | null;
  areaCenter?: string | null;
  location?: string | null;
  areaPinYin?: string | null;
}

export interface RoutePoint {
  number?: string | null;
  name?: string | null;
}

/** `lastResult.routeInfo` (resultv2 >= 4). */
export interface RouteInfo {
  from?: RoutePoint | null;
  cur?: RoutePoint | null;
  to?: RoutePoint | null;
}

/** One element of `lastResult.predictedRoute` (resultv2 = 8). */
export interface PredictedRouteNode {
  arriveTime?: string | null;
  leaveTime?: string | null;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  name?: string | null;
  /** 已经过节点 | 当前停留节点 | 预估途径节点 */
  state?: string | null;
  /** 转运中心 | 网点 */
  type?: string | null;
}

/** `lastResult` (and `destResult` for interCom=1). */
export interface LastResult {
  message?: string | null;
  state?: string | null;
  status?: string | null;
  condition?: string | null;
  ischeck?: string | null;
  com?: string | null;
  nu?: string | null;
  data?: PushDataItem[] | null;
  routeInfo?: RouteInfo | null;
  isLoop?: boolean | null;
  arrivalTime?: string | null;
  totalTime?: string | null;
  remainTime?: string | null;
  predictedRoute?: PredictedRouteNode[] | null;
}

/** Push `status` (spec 2.2): 监控中 / 结束 / 中止 / 重新推送. */
export type PushStatus = 'polling' | 'shutdown' | 'abort' | 'updateall';
export const PUSH_STATUSES: readonly PushStatus[] = ['polling', 'shutdown', 'abort', 'updateall'];

/** The `param` JSON of a push (spec 2.2). */
export interface PushParam {
  status: PushStatus;
  /** Deprecated by Kuaidi100 ("请忽略"); kept only because it is on the wire. */
  billstatus?: string | null;
  message?: string | null;
  autoCheck?: string | null;
  comOld?: string | null;
  comNew?: string | null;
  lastResult: LastResult;
  destResult?: LastResult | null;
}

/** The reply Kuaidi100 expects from our callback (spec 2.5 / 2.6). */
export interface PushReply {
  result: boolean;
  returnCode: string;
  message: string;
}
