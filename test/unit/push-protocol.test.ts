import { describe, expect, it } from 'vitest';
import { encodePushBody, parsePushBody } from '../../main/core/kuaidi100/push-parse.js';
import { mergePush } from '../../main/core/kuaidi100/push-merge.js';
import { signPush, verifyPushSign } from '../../main/core/kuaidi100/signature.js';
import { normaliseTime } from '../../main/core/kuaidi100/time.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import { item, makePush, specExamplePush } from '../helpers/push.js';

const blank = () =>
  newShipmentRecord({ company: 'zhongtong', number: '735587678765', now: '2025-06-15T00:00:00.000Z', autoCom: false, subscription: { status: 'active', salt: 's' } });

describe('signature', () => {
  it('is the upper-case MD5 of param + salt', () => {
    // md5("abc") is a published test vector
    expect(signPush('ab', 'c')).toBe('900150983CD24FB0D6963F7D28E17F72');
    expect(signPush('{"a":"快递"}', 'salt')).toMatch(/^[0-9A-F]{32}$/);
  });

  it('verifies case-insensitively and rejects anything else', () => {
    const sign = signPush('param', 'salt');
    expect(verifyPushSign('param', 'salt', sign)).toBe(true);
    expect(verifyPushSign('param', 'salt', sign.toLowerCase())).toBe(true);
    expect(verifyPushSign('param', 'other', sign)).toBe(false);
    expect(verifyPushSign('param ', 'salt', sign)).toBe(false);
    expect(verifyPushSign('param', 'salt', null)).toBe(false);
    expect(verifyPushSign('param', 'salt', 'short')).toBe(false);
  });
});

describe('push parsing', () => {
  it('parses the spec example with every field', () => {
    const raw = JSON.stringify(specExamplePush());
    const r = parsePushBody(encodePushBody(raw, 'ABC'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rawParam).toBe(raw);
    expect(r.sign).toBe('ABC');
    expect(r.param.status).toBe('polling');
    expect(r.param.lastResult.nu).toBe('735587678765');
    expect(r.param.lastResult.data).toHaveLength(4);
    expect(r.param.lastResult.data?.[3]?.statusCode).toBe('1');
    expect(r.param.lastResult.routeInfo?.to?.name).toBe('湖南,长沙市,芙蓉区,马坡岭');
    expect(r.param.lastResult.predictedRoute?.[1]?.district).toBeNull();
    expect(r.param.lastResult.arrivalTime).toBe('2025-06-17 10');
  });

  it('keeps the raw param exactly, even with + and & inside', () => {
    const raw = JSON.stringify(makePush('YT1234567890', 'yuantong', '0', [item('2025-01-01 10:00:00', 'A+B & C=D 100%')]));
    const r = parsePushBody(encodePushBody(raw, null));
    expect(r.ok && r.rawParam).toBe(raw);
    expect(r.ok && r.sign).toBeNull();
  });

  it('accepts null and missing optional fields', () => {
    const raw = JSON.stringify({ status: 'abort', message: '3天查询无记录', lastResult: { nu: 'YT1', data: null, state: null, com: null } });
    const r = parsePushBody(encodePushBody(raw, null));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.param.lastResult.data).toBeNull();
  });

  it('rejects malformed bodies with a typed reason', () => {
    expect(parsePushBody('sign=ABC')).toMatchObject({ ok: false, code: 'missing-param' });
    expect(parsePushBody('param=%7Bnot-json')).toMatchObject({ ok: false, code: 'param-not-json' });
    expect(parsePushBody(encodePushBody('[1,2]', null))).toMatchObject({ ok: false, code: 'param-invalid' });
    expect(parsePushBody(encodePushBody('{"status":"weird","lastResult":{"nu":"1"}}', null))).toMatchObject({ ok: false, code: 'param-invalid' });
    expect(parsePushBody(encodePushBody('{"status":"polling"}', null))).toMatchObject({ ok: false, code: 'param-invalid' });
    expect(parsePushBody(encodePushBody('{"status":"polling","lastResult":{"nu":""}}', null))).toMatchObject({ ok: false, code: 'param-invalid' });
  });
});

describe('times', () => {
  it('normalises Kuaidi100 time formats so that text order is time order', () => {
    expect(normaliseTime('2012/8/28 16:33')).toBe('2012-08-28 16:33:00');
    expect(normaliseTime('2025-06-16 07:34:28')).toBe('2025-06-16 07:34:28');
    expect(normaliseTime('2025-04-18 06')).toBe('2025-04-18 06:00:00');
  });
});

describe('merging pushes', () => {
  const older = makePush('735587678765', 'zhongtong', '0', [item('2025-06-16 06:00:00', '到达 虎门'), item('2025-06-15 20:00:00', '揽收', '揽收', '1')]);
  const newer = makePush('735587678765', 'zhongtong', '5', [
    item('2025-06-17 09:00:00', '派件中', '派件', '5'),
    item('2025-06-16 06:00:00', '到达 虎门'),
    item('2025-06-15 20:00:00', '揽收', '揽收', '1'),
  ]);

  it('takes state and history from a push', () => {
    const { record, changed } = mergePush(blank(), newer, 't1');
    expect(changed).toBe(true);
    expect(record.state).toBe('5');
    expect(record.events.map((e) => e.context)).toEqual(['派件中', '到达 虎门', '揽收']);
    expect(record.tracking).toBe('polling');
  });

  it('is idempotent: a repeat changes nothing', () => {
    const first = mergePush(blank(), newer, 't1').record;
    const again = mergePush(first, newer, 't2');
    expect(again.changed).toBe(false);
    expect(again.record.events).toEqual(first.events);
    expect(again.record.updatedAt).toBe(first.updatedAt);
  });

  it('never rolls back to an older push, but keeps its events', () => {
    const current = mergePush(blank(), newer, 't1').record;
    const late = makePush('735587678765', 'zhongtong', '0', [item('2025-06-16 06:00:00', '到达 虎门'), item('2025-06-16 01:00:00', '发往 东莞')]);
    const { record } = mergePush(current, late, 't2');
    expect(record.state).toBe('5');
    expect(record.events.map((e) => e.context)).toEqual(['派件中', '到达 虎门', '发往 东莞', '揽收']);
    expect(mergePush(record, older, 't3').record.state).toBe('5');
  });

  it('keeps the history when an abort arrives with empty data', () => {
    const current = mergePush(blank(), newer, 't1').record;
    const abort = { ...makePush('735587678765', 'zhongtong', '0', [], 'abort'), message: '60天无变化' };
    const { record, changed } = mergePush(current, abort, 't2');
    expect(changed).toBe(true);
    expect(record.tracking).toBe('abort');
    expect(record.trackingMessage).toBe('60天无变化');
    expect(record.events).toHaveLength(3);
    expect(record.state).toBe('5');
  });

  it('does not let a repeated polling push undo a shutdown with the same history', () => {
    const signed = makePush('735587678765', 'zhongtong', '3', [item('2025-06-17 12:00:00', '已签收', '签收', '3'), ...newer.lastResult.data!]);
    const done = mergePush(blank(), { ...signed, status: 'shutdown' }, 't1').record;
    const { record } = mergePush(done, { ...signed, status: 'polling' }, 't2');
    expect(record.tracking).toBe('shutdown');
  });

  it('maps an advanced lastResult.state to its basic state', () => {
    const p = makePush('735587678765', 'zhongtong', '304', [item('2025-06-18 10:00:00', '驿站取件', '投柜或站签收', '304')]);
    const { record } = mergePush(blank(), p, 't1');
    expect(record.state).toBe('3');
    expect(record.statusCode).toBe('304');
    expect(record.isCheck).toBe(true);
  });

  it('replaces the history on updateall instead of duplicating it', () => {
    const current = mergePush(blank(), newer, 't1').record;
    const fixed = makePush('735587678765', 'zhongtong', '5', [item('2025-06-17 09:00:00', '派件中（更正）', '派件', '5'), item('2025-06-15 20:00:00', '揽收', '揽收', '1')], 'updateall');
    const { record } = mergePush(current, fixed, 't2');
    expect(record.events.map((e) => e.context)).toEqual(['派件中（更正）', '揽收']);
    expect(record.tracking).toBe('updateall');
  });

  it('switches carrier on a correction (abort with comNew, then autoCheck=1)', () => {
    const current = mergePush(blank(), older, 't1').record;
    const abort = { ...makePush('735587678765', 'zhongtong', '0', [], 'abort'), autoCheck: '0', comOld: 'zhongtong', comNew: 'ems' };
    const switched = mergePush(current, abort, 't2').record;
    expect(switched.company).toBe('ems');
    expect(switched.comOld).toBe('zhongtong');
    expect(switched.comNew).toBe('ems');
    const later = { ...makePush('735587678765', 'ems', '5', [item('2025-06-18 09:00:00', 'EMS 派件', '派件', '5')]), autoCheck: '1', comOld: 'zhongtong', comNew: 'ems' };
    const { record } = mergePush(switched, later, 't3');
    expect(record.company).toBe('ems');
    expect(record.state).toBe('5');
    expect(record.tracking).toBe('polling');
  });

  it('marks a pending or failed subscription active once a push proves it', () => {
    const pending = { ...blank(), subscription: { ...blank().subscription, status: 'pending' as const, reason: 'retry' as const } };
    expect(mergePush(pending, newer, 't1').record.subscription.status).toBe('active');
  });
});

describe('merging shares unchanged history', () => {
  it('reuses the stored event objects that a push repeats unchanged', () => {
    const first = mergePush(blank(), makePush('735587678765', 'zhongtong', '0', [item('2025-06-16 06:00:00', '到达'), item('2025-06-15 20:00:00', '揽收', '揽收', '1')]), 't1').record;
    const next = mergePush(first, makePush('735587678765', 'zhongtong', '5', [item('2025-06-17 09:00:00', '派件', '派件', '5'), item('2025-06-16 06:00:00', '到达'), item('2025-06-15 20:00:00', '揽收', '揽收', '1')]), 't2').record;
    expect(next.events[1]).toBe(first.events[0]);
    expect(next.events[2]).toBe(first.events[1]);
    // an event that now says more is taken from the push
    const richer = mergePush(next, makePush('735587678765', 'zhongtong', '5', [{ ...item('2025-06-17 09:00:00', '派件', '派件', '5'), location: '长沙东岸' }, item('2025-06-16 06:00:00', '到达'), item('2025-06-15 20:00:00', '揽收', '揽收', '1')]), 't3').record;
    expect(richer.events[0]!.location).toBe('长沙东岸');
  });
});
