/** Which subscribe endpoint and credential the current settings select. */
import type { ProviderId } from '../../preload/contract.js';
import { HUAWEI_POLL_URL, KUAIDI100_POLL_URL, type SubscribeAuth } from './kuaidi100/subscribe-client.js';
import { SANDBOX_APPCODE } from './sandbox/sandbox-server.js';
import type { SecretStore } from './secrets.js';
import type { Settings } from './store/schema.js';

export interface ResolvedProvider {
  id: ProviderId;
  endpoint: string;
  auth: SubscribeAuth | null;
  /** Why nothing can be subscribed right now, in words for the seller. */
  problem: string | null;
  problemEn: string | null;
}

export function resolveProvider(settings: Settings, secrets: SecretStore, sandboxUrl: string | null): ResolvedProvider {
  switch (settings.provider) {
    case 'sandbox':
      return {
        id: 'sandbox',
        endpoint: sandboxUrl ?? '',
        auth: { kind: 'appcode', appCode: SANDBOX_APPCODE },
        problem: sandboxUrl ? null : '沙盒未运行',
        problemEn: sandboxUrl ? null : 'The sandbox is not running',
      };
    case 'huawei': {
      const appCode = secrets.get('appCode');
      return {
        id: 'huawei',
        endpoint: settings.pollUrl || HUAWEI_POLL_URL,
        auth: appCode ? { kind: 'appcode', appCode } : null,
        problem: appCode ? null : '未设置华为云 AppCode（设置 → 服务商）',
        problemEn: appCode ? null : 'No Huawei Cloud AppCode set (Settings → Provider)',
      };
    }
    case 'kuaidi100': {
      const key = secrets.get('key');
      return {
        id: 'kuaidi100',
        endpoint: settings.pollUrl || KUAIDI100_POLL_URL,
        auth: key ? { kind: 'key', key } : null,
        problem: key ? null : '未设置快递100授权 Key（设置 → 服务商）',
        problemEn: key ? null : 'No Kuaidi100 key set (Settings → Provider)',
      };
    }
  }
}
