import { describe, expect, it } from 'vitest';
import { buildSubscribeParam, validateSubscribe, type SubscribeInput } from '../../main/core/kuaidi100/subscribe-request.js';
import { encodeSubscribeBody, interpretSubscribeResponse } from '../../main/core/kuaidi100/subscribe-client.js';

const ok: SubscribeInput = { company: 'yuantong', number: 'YT6186594166532', callbackurl: 'http://x.test/cb' };

describe('subscribe validation (spec 1.2)', () => {
  it('accepts a complete request', () => expect(validateSubscribe(ok)).toBeNull());

  it.each([
    [{ number: '12345' }, 'number'],
    [{ number: 'X'.repeat(33) }, 'number'],
    [{ number: 'YT 12345678' }, 'number'],
    [{ company: 'YuanTong' }, 'company'],
    [{ company: '' }, 'company'],
    [{ callbackurl: '' }, 'callbackurl'],
    [{ resultv2: '8' as const }, 'to'],
    [{ company: 'shunfeng' }, 'phone'],
    [{ company: 'shunfengkuaiyun', phone: '  ' }, 'phone'],
  ])('rejects %j on field %s', (patch, field) => {
    expect(validateSubscribe({ ...ok, ...patch })?.field).toBe(field);
  });

  it('allows an empty company with autoCom and a destination with resultv2=8', () => {
    expect(validateSubscribe({ ...ok, company: '', autoCom: true })).toBeNull();
    expect(validateSubscribe({ ...ok, resultv2: '8', to: '湖南省,长沙市' })).toBeNull();
    expect(validateSubscribe({ ...ok, company: 'shunfeng', phone: '6621' })).toBeNull();
  });

  it('builds param with the spec field names', () => {
    const param = buildSubscribeParam({ ...ok, company: '', autoCom: true, salt: 'abc', resultv2: '4', phone: '6621', to: '长沙' });
    expect(param).toEqual({
      company: '',
      number: 'YT6186594166532',
      to: '长沙',
      parameters: { callbackurl: 'http://x.test/cb', salt: 'abc', resultv2: '4', autoCom: '1', phone: '6621' },
    });
  });

  it('puts param in the form body; the key travels inside param with schema=json', () => {
    const param = buildSubscribeParam(ok);
    const huawei = new URLSearchParams(encodeSubscribeBody(param, { kind: 'appcode', appCode: 'A' }));
    expect(huawei.get('schema')).toBeNull();
    expect(JSON.parse(huawei.get('param')!)).toEqual(param);
    const own = new URLSearchParams(encodeSubscribeBody(param, { kind: 'key', key: 'K' }));
    expect(own.get('schema')).toBe('json');
    expect(JSON.parse(own.get('param')!).key).toBe('K');
  });
});

describe('subscribe response mapping', () => {
  it('maps Kuaidi100 answers to return codes', () => {
    expect(interpretSubscribeResponse(200, '{"result":true,"returnCode":"200","message":"提交成功"}')).toMatchObject({ kind: 'answered', returnCode: '200' });
    expect(interpretSubscribeResponse(409, '{"result":false,"returnCode":"501","message":"POLL:重复订阅"}')).toMatchObject({ kind: 'answered', returnCode: '501', info: { action: 'active' } });
  });

  it('turns gateway errors into readable outcomes', () => {
    expect(interpretSubscribeResponse(401, '{"error_code":"APIG.0101"}')).toMatchObject({ kind: 'answered', returnCode: '600' });
    const q = interpretSubscribeResponse(400, '{"error_msg":"Invalid query parameter"}');
    expect(q.kind).toBe('http');
    expect(q.kind === 'http' && q.message).toContain('URL 查询参数');
    expect(interpretSubscribeResponse(502, '<html>Bad Gateway</html>')).toMatchObject({ kind: 'http', httpStatus: 502 });
    expect(interpretSubscribeResponse(200, '{"returnCode":"999"}')).toMatchObject({ kind: 'http' });
  });
});
