import { describe, expect, it } from 'vitest';
import { providerNotice, type ProviderStatus } from '../../main/core/notify/provider-notice.js';

const ready: ProviderStatus = { id: 'huawei', endpoint: 'x', ready: true, problem: null, problemEn: null, fix: null, since: null };
const bad: ProviderStatus = {
  ...ready,
  ready: false,
  problem: 'AppCode / Key 无效（网关 HTTP 401）：请在设置中重新填写 AppCode',
  problemEn: 'The AppCode / key is not valid (gateway HTTP 401): enter the AppCode again in Settings',
  fix: 'appcode',
  since: '2026-06-10T01:00:00.000Z',
};

describe('the provider notice', () => {
  it('once when it turns not ready, in the seller’s language, with the fix', () => {
    const n = providerNotice(ready, bad, 'zh');
    expect(n).toMatchObject({ key: 'provider:appcode:2026-06-10T01:00:00.000Z', title: '包裹无法订阅' });
    expect(n!.body).toContain('重新填写 AppCode');
    expect(providerNotice(ready, { ...bad, fix: 'recharge' }, 'en')!.body).toMatch(/Top up/);
    // the same problem announced again is no news; a recovery is none either
    expect(providerNotice(bad, { ...bad, problem: '…' }, 'zh')).toBeNull();
    expect(providerNotice(bad, ready, 'zh')).toBeNull();
  });

  it('missing settings (no answer yet, no start time) are not notified', () => {
    expect(providerNotice(ready, { ...bad, since: null }, 'zh')).toBeNull();
  });
});
