import { describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import { checkWebhookUrl, defaultEventsFrom, resolveChannel, urlHint } from '../../main/core/forward/channel-model.js';
import { buildDingtalkRequest, dingtalkSign, parseDingtalkAnswer } from '../../main/core/forward/dingtalk-sender.js';
import { buildFeishuRequest, feishuSign, parseFeishuAnswer } from '../../main/core/forward/feishu-sender.js';
import { buildWecomRequest, parseWecomAnswer } from '../../main/core/forward/wecom-sender.js';
import { forwardItemsFor, memoryOf, type ForwardSnapshot } from '../../main/core/forward/forward-events.js';
import { chinaTime, formatMessage } from '../../main/core/forward/message-format.js';
import { quietUntil } from '../../main/core/forward/quiet-hours.js';
import { nextSlot } from '../../main/core/forward/rate-window.js';
import { defaultSettings } from '../../main/core/tracker.js';

const msg = { title: '【签收】圆通速递 YT1', text: '【签收】圆通速递 YT1\n状态：签收', markdown: '**【签收】圆通速递 YT1**\n\n状态：签收' };

describe('robot signatures, as documented', () => {
  it('钉钉: HmacSHA256 keyed with the secret over "timestamp\\nsecret", Base64, URL-encoded (vector from Python hmac + quote_plus)', () => {
    expect(dingtalkSign('SECabc123', 1717207200000)).toBe('A9hDdY5FHj9vtUtUuOiHYHmZXA%2BKqlICcRh7taJZyjA%3D');
    const req = buildDingtalkRequest('https://oapi.dingtalk.com/robot/send?access_token=T', 'SECabc123', msg, 1717207200000);
    expect(req.url).toBe('https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1717207200000&sign=A9hDdY5FHj9vtUtUuOiHYHmZXA%2BKqlICcRh7taJZyjA%3D');
    expect(req.body).toEqual({ msgtype: 'markdown', markdown: { title: msg.title, text: msg.markdown } });
    expect(buildDingtalkRequest('https://oapi.dingtalk.com/robot/send?access_token=T', null, msg, 1).url).toBe('https://oapi.dingtalk.com/robot/send?access_token=T');
  });

  it('飞书: "timestamp\\nsecret" is the HMAC key over an empty message, seconds, in the body (vector from Python hmac)', () => {
    expect(feishuSign('feishu-secret', 1717207200)).toBe('nBhLn6ntSnUBctb8kbs/IBi1uh1NCgyYdsy0sXPPhi4=');
    const req = buildFeishuRequest('https://open.feishu.cn/open-apis/bot/v2/hook/abc', 'feishu-secret', msg, 1717207200_999);
    expect(req.body).toEqual({ timestamp: '1717207200', sign: 'nBhLn6ntSnUBctb8kbs/IBi1uh1NCgyYdsy0sXPPhi4=', msg_type: 'text', content: { text: msg.text } });
  });

  it('企业微信: markdown body capped at 4096 bytes, or text capped at 2048', () => {
    expect(buildWecomRequest('u', msg, 'text').body).toEqual({ msgtype: 'text', text: { content: msg.text } });
    const longText = buildWecomRequest('u', { ...msg, text: '包'.repeat(3000) }, 'text').body as { text: { content: string } };
    expect(Buffer.byteLength(longText.text.content)).toBeLessThanOrEqual(2048);
    expect(buildWecomRequest('u', msg).body).toEqual({ msgtype: 'markdown', markdown: { content: msg.markdown } });
    const long = buildWecomRequest('u', { ...msg, markdown: '包'.repeat(3000) }).body as { markdown: { content: string } };
    expect(Buffer.byteLength(long.markdown.content)).toBeLessThanOrEqual(4096);
  });

  it('reads the answers: 0 is success, anything else keeps the platform’s text', () => {
    expect(parseWecomAnswer(0, 'ok')).toEqual({ ok: true });
    expect(parseWecomAnswer(93000, 'invalid webhook url')).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('invalid webhook url') });
    expect(parseWecomAnswer(45009, 'api freq out of limit')).toMatchObject({ ok: false, retryable: true, retryAfterMs: 60_000 });
    const kw = parseDingtalkAnswer(310000, 'description:关键词不匹配;solution:…');
    expect(kw).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('关键词不匹配') });
    expect(parseDingtalkAnswer(310000, 'sign not match, more: […]')).toMatchObject({ errorEn: expect.stringContaining('sign not match') });
    expect(parseFeishuAnswer({ code: 0, msg: 'success' })).toEqual({ ok: true });
    expect(parseFeishuAnswer({ StatusCode: 0, StatusMessage: 'success' })).toEqual({ ok: true });
    expect(parseFeishuAnswer({ code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' })).toMatchObject({ ok: false, error: expect.stringContaining('sign match fail') });
  });
});

describe('channel validation', () => {
  const input = { name: '店铺群', kind: 'wecom' as const, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx' };

  it('accepts each platform’s documented webhook and refuses look-alikes with a bilingual reason', () => {
    expect(checkWebhookUrl('wecom', input.url).ok).toBe(true);
    expect(checkWebhookUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc').ok).toBe(true);
    expect(checkWebhookUrl('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e').ok).toBe(true);
    expect(checkWebhookUrl('feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/5e3d587e').ok).toBe(true);
    for (const [kind, url] of [
      ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'],
      ['wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k'],
      ['wecom', 'https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=k'],
      ['dingtalk', 'https://oapi.dingtalk.com/robot/send'],
      ['feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/'],
      ['wecom', 'http://127.0.0.1:9/cgi-bin/webhook/send?key=k'],
    ] as const) {
      const r = checkWebhookUrl(kind, url);
      expect(r.ok, url).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid', field: 'url', message: expect.stringMatching(/Webhook/), messageEn: expect.stringMatching(/webhook/) });
    }
  });

  it('loosens the host only for hosts named explicitly (tests), never the path', () => {
    expect(checkWebhookUrl('wecom', 'http://127.0.0.1:9/cgi-bin/webhook/send?key=k', { allowedHosts: ['127.0.0.1'] }).ok).toBe(true);
    expect(checkWebhookUrl('wecom', 'http://127.0.0.1:9/other?key=k', { allowedHosts: ['127.0.0.1'] }).ok).toBe(false);
  });

  it('keeps secrets omitted on an existing channel, removes them on "", and checks events, quiet hours and mail', () => {
    const first = resolveChannel({ ...input, kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=a', secret: 'SECx' }, undefined, 'c1');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const kept = resolveChannel({ name: '改名', kind: 'dingtalk' }, first.value, 'c1');
    expect(kept).toMatchObject({ ok: true, value: { name: '改名', url: first.value.url, secret: 'SECx' } });
    expect(resolveChannel({ name: 'x', kind: 'dingtalk', secret: '' }, first.value, 'c1')).toMatchObject({ ok: true, value: { secret: null } });
    expect(resolveChannel({ ...input, events: ['delivered', 'nope' as never] }, undefined, 'c')).toMatchObject({ ok: false, error: { field: 'events' } });
    expect(resolveChannel({ ...input, quietHours: { from: '22:00', to: '8:00' } }, undefined, 'c')).toMatchObject({ ok: false, error: { field: 'quietHours' } });
    expect(resolveChannel({ name: '邮件', kind: 'email', email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'a@qq.com', from: 'a@qq.com', to: 'b@qq.com, c@163.com' } }, undefined, 'c'))
      .toMatchObject({ ok: false, error: { field: 'email.pass', messageEn: expect.any(String) } });
    expect(resolveChannel({ name: '邮件', kind: 'email', email: { host: 'smtp.qq.com', port: 465, secure: true, user: 'a@qq.com', pass: 'p', from: 'a@qq.com', to: 'b@qq.com；c@163.com' } }, undefined, 'c'))
      .toMatchObject({ ok: true, value: { pass: 'p', email: { to: 'b@qq.com, c@163.com', digestMinutes: 0 } } });
    expect(urlHint(input.url)).toBe('qyapi.weixin.qq.com …7xxx');
  });

  it('without events, forwards what desktop notifications show', () => {
    expect(defaultEventsFrom(defaultSettings().notify)).toEqual(['delivering', 'delivered', 'exception', 'aborted']);
    expect(defaultEventsFrom({ states: ['1', '3'], aborted: false })).toEqual(['collected', 'delivered']);
  });
});

describe('time rules', () => {
  const at = (chinaHHMM: string): number => Date.parse(`2026-06-01T${chinaHHMM}:00+08:00`);

  it('quiet hours 22:00–08:00 China time hold until 08:00, across midnight', () => {
    const q = { from: '22:00', to: '08:00' };
    expect(quietUntil(at('21:59'), q)).toBeNull();
    expect(quietUntil(at('22:00'), q)).toBe(Date.parse('2026-06-02T08:00:00+08:00'));
    expect(quietUntil(at('03:00'), q)).toBe(Date.parse('2026-06-01T08:00:00+08:00'));
    expect(quietUntil(at('08:00'), q)).toBeNull();
    expect(quietUntil(at('12:30'), { from: '12:00', to: '13:00' })).toBe(at('13:00'));
    expect(quietUntil(at('12:30'), null)).toBeNull();
  });

  it('the 21st message in a minute waits for the window, it is not refused', () => {
    const limit = { max: 20, windowMs: 60_000 };
    const sent = Array.from({ length: 20 }, (_, i) => 1000 + i * 100);
    expect(nextSlot(sent.slice(0, 19), 5000, limit)).toBe(5000);
    expect(nextSlot(sent, 5000, limit)).toBe(61_000);
    expect(nextSlot(sent, 61_000, limit)).toBe(61_000);
    expect(nextSlot([...sent, 61_000], 61_000, limit)).toBe(61_100);
  });

  it('China time for the app’s own times', () => {
    expect(chinaTime(Date.parse('2026-06-01T16:30:00Z'))).toBe('2026-06-02 00:30');
  });
});

function ship(state: string, ftime: string, extra: Partial<ForwardSnapshot> = {}): ForwardSnapshot {
  return {
    id: 's1', company: 'yuantong', companyName: '圆通速递', number: 'YT9000', note: '张三 淘宝', state, statusCode: state,
    tracking: 'polling', trackingMessage: null, comNew: null, stale: null,
    events: [{ time: ftime, ftime, context: '【杭州】快递员李四正在派件', status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null }] as ShipmentDto['events'],
    ...extra,
  };
}

describe('what is forwarded, and how it reads', () => {
  it('one item per transition, keyed by parcel, state and latest scan', () => {
    const a = forwardItemsFor(ship('0', '2026-06-01 08:00:00'), ship('5', '2026-06-01 09:00:00'));
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ kind: 'delivering', key: 's1|5|2026-06-01 09:00:00' });
    expect(forwardItemsFor(ship('5', '2026-06-01 09:00:00'), ship('5', '2026-06-01 09:30:00'))).toEqual([]);
    expect(forwardItemsFor(ship('5', 'x'), ship('0', 'y', { tracking: 'abort', trackingMessage: '3天查询无记录' })).map((i) => i.kind)).toEqual(['aborted', 'transit']);
    expect(forwardItemsFor(ship('5', 'x'), ship('5', 'x', { stale: { reason: '2 天没有推送', reasonEn: 'No push for 2 days', since: 'z' } }))[0]).toMatchObject({ kind: 'stale' });
    expect(forwardItemsFor(ship('1', 'x'), ship('1', 'x', { pickupLate: { since: '2026-06-02T02:00:00Z', hours: 24 } }))[0]).toMatchObject({ kind: 'pickup-late', detail: { zh: expect.stringContaining('24 小时') } });
    expect(forwardItemsFor(undefined, ship('3', 'x', { orderNos: ['TB1', 'TB2'] }))[0]!.orderNo).toBe('TB1、TB2');
    expect(forwardItemsFor(ship('2', 'x', { statusCode: '204' }), ship('2', 'y', { statusCode: '206' }))[0]).toMatchObject({ kind: 'exception', state: { zh: '无法联系' } });
  });

  it('remembers a parcel in a few fields (not its list row) and judges the next change as the whole row would', () => {
    const stale = { stale: { reason: '2 天没有推送', reasonEn: 'No push for 2 days', since: 'z' } };
    const late = { pickupLate: { since: '2026-06-02T02:00:00Z', hours: 24 } };
    const rows = [
      ship('0', 'a'), ship('5', 'b'), ship('3', 'c'), ship('2', 'd', { statusCode: '204' }), ship('2', 'd', { statusCode: '206' }),
      ship('5', 'b', stale), ship('1', 'e', late), ship('0', 'f', { tracking: 'abort', trackingMessage: '3天查询无记录' }), ship('0', 'f', { tracking: 'abort', comNew: 'zhongtong' }),
    ];
    expect(Object.keys(memoryOf(rows[5]!)).sort()).toEqual(['pickupLate', 'stale', 'state', 'statusCode', 'tracking']);
    for (const before of rows) {
      for (const after of rows) expect(forwardItemsFor(memoryOf(before), after)).toEqual(forwardItemsFor(before, after));
    }
  });

  it('a single parcel: carrier, number, buyer, state in words, latest scan and its time (zh and en)', () => {
    const [item] = forwardItemsFor(undefined, ship('3', '2026-06-01 10:05:33', { orderNos: ['TB123'], buyer: '王五', statusCode: '301' }));
    const zh = formatMessage([item!], { lang: 'zh' });
    expect(zh.title).toBe('【本人签收】圆通速递 YT9000');
    expect(zh.text).toContain('订单 TB123 · 买家 王五');
    expect(zh.text).toContain('最新：【杭州】快递员李四正在派件');
    expect(zh.text).toContain('时间：2026-06-01 10:05（北京时间）');
    const en = formatMessage([item!], { lang: 'en', keyword: '包裹' });
    expect(en.title).toBe('【Signed by recipient】圆通速递 YT9000');
    expect(en.text).toContain('At: 2026-06-01 10:05 (China time)');
    expect(en.text).toContain('包裹');
  });

  it('a burst is one message with a capped list', () => {
    const items = Array.from({ length: 30 }, (_, i) => forwardItemsFor(undefined, ship('3', '2026-06-01 10:00:00', { id: `s${i}`, number: `YT${i}` }))[0]!);
    const m = formatMessage(items, { lang: 'zh', listCap: 20 });
    expect(m.title).toBe('30 个包裹已签收');
    expect(m.text.split('\n').filter((l) => l.startsWith('· '))).toHaveLength(20);
    expect(m.text).toContain('另有 10 个');
    expect(formatMessage(items, { lang: 'en' }).title).toBe('30 parcels delivered');
  });
});
