/**
 * Channel secrets in the log (issue 14, broken on purpose): the log redacts the AppCode, key and
 * salt it was told about and `key=`/`token=` pairs, but a 钉钉 `access_token=…`, a 飞书 hook id
 * (a path segment), a robot's 加签 secret and an SMTP 授权码 were never registered, so any
 * log line carrying them (an error echoing the URL, a nodemailer failure) wrote them out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelService, type ChannelSecretPort } from '../../main/core/forward/channel-service.js';
import type { StoredChannel } from '../../main/core/forward/channel-model.js';
import type { OutboxState } from '../../main/core/forward/outbox.js';
import { redactText } from '../../main/core/log.js';
import { defaultSettings } from '../../main/core/tracker.js';
import { FakeClock } from '../helpers/fake-clock.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function service(): ChannelService {
  let channels: StoredChannel[] = [];
  let outbox: OutboxState | null = null;
  const secrets = new Map<string, string>();
  const port: ChannelSecretPort = { get: (n) => secrets.get(n) ?? null, set: (n, v) => void (v ? secrets.set(n, v) : secrets.delete(n)) };
  const svc = new ChannelService({
    config: { load: () => structuredClone(channels), save: async (c) => void (channels = structuredClone(c)) },
    secrets: port,
    outbox: { load: () => (outbox ? structuredClone(outbox) : null), save: async (s) => void (outbox = structuredClone(s)) },
    settings: () => ({ notify: defaultSettings().notify, language: 'zh' }),
    clock: new FakeClock(Date.parse('2026-11-30T02:00:00Z')),
    validation: { allowedHosts: ['127.0.0.1'] },
  });
  cleanup.push(() => svc.close());
  return svc;
}

describe('breaker2: channel secrets never reach the log', () => {
  it('a 钉钉 webhook URL in a log line loses its access_token even before any channel is saved', () => {
    const line = redactText('POST https://oapi.dingtalk.com/robot/send?access_token=b2DdTok3nAbCdEf0123&timestamp=1 failed');
    expect(line).not.toContain('b2DdTok3nAbCdEf0123');
  });

  it('after PUT, the webhook key, the 飞书 hook id, the 加签 secret and the SMTP 授权码 are redacted wherever they appear', async () => {
    const svc = service();
    const r = await svc.replaceAll([
      { name: '企微', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b2WecomKey-7f3a9c' },
      { name: '钉钉', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=b2DingTok9d8e7f', secret: 'SECb2DingSecret5566' },
      { name: '飞书', kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/b2feishu-hook-0a1b2c', secret: 'b2FeishuSign7788' },
      { name: '邮件', kind: 'email', email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'shop@qq.com', pass: 'b2smtpAuthCode99', from: 'shop@qq.com', to: 'boss@qq.com' } },
    ]);
    expect(r.ok).toBe(true);
    const leaked = ['b2WecomKey-7f3a9c', 'b2DingTok9d8e7f', 'SECb2DingSecret5566', 'b2feishu-hook-0a1b2c', 'b2FeishuSign7788', 'b2smtpAuthCode99'];
    // How such values reach a log line: an error that echoes the URL or the SMTP login.
    const line = redactText(
      'send failed: fetch https://open.feishu.cn/open-apis/bot/v2/hook/b2feishu-hook-0a1b2c; ' +
        'Invalid login: 535 user shop@qq.com pass b2smtpAuthCode99; hmac b2FeishuSign7788 SECb2DingSecret5566; ' +
        'echo b2WecomKey-7f3a9c b2DingTok9d8e7f',
    );
    for (const s of leaked) expect(line, s).not.toContain(s);
  });
});
