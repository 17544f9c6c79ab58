/**
 * Subscribe return codes (spec 1.6) and what ParcelTray does about each. The `action` is the
 * contract with the tracker: it decides the subscription status of the shipment.
 */

/** active: Kuaidi100 tracks it. fix-input: the seller must correct the waybill. fix-credentials:
 * wait for a new AppCode/key, then retry. retry: transient, retried with backoff. contact: only
 * Kuaidi100 support can help. */
export type ReturnCodeAction = 'active' | 'fix-input' | 'fix-credentials' | 'retry' | 'contact';

export interface ReturnCodeInfo {
  returnCode: string;
  httpStatus: number;
  /** The spec's 信息内容描述. */
  message: string;
  messageEn: string;
  /** What the seller should do, in Chinese (the spec's 原因及建议处理方式, reworded for a seller). */
  advice: string;
  adviceEn: string;
  action: ReturnCodeAction;
}

export const RETURN_CODES: readonly ReturnCodeInfo[] = [
  {
    returnCode: '200',
    httpStatus: 200,
    message: '提交成功',
    messageEn: 'Subscribed',
    advice: '订阅成功，等待快递100推送',
    adviceEn: 'Subscribed; waiting for Kuaidi100 to push updates',
    action: 'active',
  },
  {
    returnCode: '700',
    httpStatus: 400,
    message: '不支持的快递公司',
    messageEn: 'Carrier not supported',
    advice: '检查快递公司是否选对',
    adviceEn: 'Check that the carrier is right',
    action: 'fix-input',
  },
  {
    returnCode: '701',
    httpStatus: 400,
    message: '订阅数据存在错误（如不支持的快递公司、单号为空、单号超长等）或错误的回调地址',
    messageEn: 'Invalid subscription data (carrier, number) or callback URL',
    advice: '检查快递公司和单号；若都正确，检查回调地址（设置 → 隧道）',
    adviceEn: 'Check carrier and number; if both are right, check the callback URL (Settings → Tunnel)',
    action: 'fix-input',
  },
  {
    returnCode: '702',
    httpStatus: 400,
    message: '识别不到该单号对应的快递公司',
    messageEn: 'Carrier could not be recognised from the number',
    advice: '手动选择快递公司后重新订阅；也可能是账户无可用单量，需要充值',
    adviceEn: 'Pick the carrier by hand and resubscribe; the account may also be out of quota',
    action: 'fix-input',
  },
  {
    returnCode: '600',
    httpStatus: 401,
    message: '您不是合法的订阅者（即授权 Key 出错）',
    messageEn: 'Not a valid subscriber (AppCode/key wrong)',
    advice: '在设置中检查 AppCode / Key，或为账户充值；修改后会自动重新订阅',
    adviceEn: 'Check the AppCode / key in Settings or top up the account; waybills resubscribe after the change',
    action: 'fix-credentials',
  },
  {
    returnCode: '601',
    httpStatus: 401,
    message: 'KEY 已过期',
    messageEn: 'Key expired',
    advice: '账户无可用单量，需要充值；充值或更换 Key 后会自动重新订阅',
    adviceEn: 'The account has no quota left; top up or change the key and waybills resubscribe',
    action: 'fix-credentials',
  },
  {
    returnCode: '501',
    httpStatus: 409,
    message: '重复订阅',
    messageEn: 'Already subscribed',
    advice: '快递100已在跟踪此单；跟踪结束（abort/shutdown）半小时后才能再次订阅，每月最多 4 次',
    adviceEn: 'Kuaidi100 already tracks this waybill; resubscribe only 30 minutes after it ends, at most 4 times a month',
    action: 'active',
  },
  {
    returnCode: '502',
    httpStatus: 409,
    message: '提交内容含有敏感关键字，被安全防护拦截',
    messageEn: 'Blocked: request contains a sensitive keyword',
    advice: '回调地址或提交内容包含敏感词，请联系快递100工作人员',
    adviceEn: 'The callback URL or the request contains a blocked word; contact Kuaidi100 support',
    action: 'contact',
  },
  {
    returnCode: '500',
    httpStatus: 500,
    message: '服务器错误',
    messageEn: 'Kuaidi100 server error',
    advice: '快递100临时异常，稍后自动重试；若一直失败，检查快递公司编码',
    adviceEn: 'Temporary Kuaidi100 error, retried automatically; if it persists, check the carrier code',
    action: 'retry',
  },
];

const BY_CODE: ReadonlyMap<string, ReturnCodeInfo> = new Map(RETURN_CODES.map((r) => [r.returnCode, r]));

export function returnCodeInfo(code: string | null | undefined): ReturnCodeInfo | undefined {
  return code == null ? undefined : BY_CODE.get(String(code).trim());
}
