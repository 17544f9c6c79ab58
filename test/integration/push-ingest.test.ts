import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import { encodePushBody } from '../../main/core/kuaidi100/push-parse.js';
import { signPush } from '../../main/core/kuaidi100/signature.js';
import type { PushParam } from '../../main/core/kuaidi100/wire-types.js';
import { DurableJSONFile } from '../../main/core/store/durable-json-file.js';
import type { DbShape } from '../../main/core/store/schema.js';
import { startTestApp, tempDir, type TestApp } from '../helpers/core.js';
import { recordsOnDisk } from '../helpers/disk.js';
import { item, makePush, postPush, specExamplePush } from '../helpers/push.js';

const ACCEPTED = { result: true, returnCode: '200', message: '提交成功' };

describe('pushes over HTTP', () => {
  let app: TestApp;
  let salt = '';
  let callback = '';
  // snapshot + log, as the app reads them at start
  const storeText = async (): Promise<string> => JSON.stringify(await recordsOnDisk(app.dataDir));
  const list = async (query = ''): Promise<ShipmentDto[]> => (await app.json<ShipmentDto[]>(`/api/shipments${query}${query ? '&' : '?'}full=1`)).body;
  const add = (body: unknown) => app.json<ShipmentDto & { error?: { code: string; field?: string } }>('/api/shipments', { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    // The sandbox stays quiet here: these tests send every push themselves.
    app = await startTestApp({ sandbox: { stepMs: 3_600_000 } });
    salt = app.core.store.settings.salt;
    callback = app.core.callbackServer.localUrl;
  });
  afterAll(() => app.close());

  it('stores the spec example push and answers exactly the spec reply', async () => {
    const res = await postPush(callback, specExamplePush(), salt);
    expect(res).toEqual({ status: 200, body: ACCEPTED });
    const s = (await list('?q=735587678765'))[0]!;
    expect(s).toMatchObject({ number: '735587678765', company: 'zhongtong', companyName: '中通快递', state: '0', tracking: 'polling' });
    expect(s.events).toHaveLength(4);
    expect(s.events[0]).toMatchObject({ ftime: '2025-06-16 07:34:28', areaName: '广东,东莞市,虎门镇', location: '广东省 东莞市 虎门转运中心' });
    expect(s.arrivalTime).toBe('2025-06-17 10');
    expect(s.predictedRoute).toHaveLength(4);
    expect(s.routeTo).toBe('湖南,长沙市,芙蓉区,马坡岭');
    // and it is on disk, not only in memory
    expect((await recordsOnDisk(app.dataDir)).map((r) => r.number)).toContain('735587678765');
  });

  const cases: [string, string, string][] = [
    ['1', '揽收', 'transit'], ['0', '在途', 'transit'], ['5', '派件', 'delivering'], ['3', '签收', 'delivered'],
    ['2', '疑难', 'exception'], ['4', '退签', 'exception'], ['6', '退回', 'exception'], ['14', '拒签', 'exception'],
    ['7', '转投', 'transit'], ['8', '清关', 'transit'], ['501', '投柜或驿站', 'delivering'], ['304', '投柜或站签收', 'delivered'],
    ['204', '派件异常', 'exception'], ['13', '清关异常', 'exception'],
  ];
  it.each(cases)('ingests state %s (%s) into group %s', async (code, name, group) => {
    const number = `YT9${code.padStart(4, '0')}00000001`;
    const added = await add({ company: 'yuantong', number });
    expect(added.status).toBe(201);
    expect(added.body.subscription.status).toBe('active');
    const push = makePush(number, 'yuantong', code, [item('2025-07-01 10:00:00', `状态 ${name}`, name, code)], code.startsWith('3') ? 'shutdown' : 'polling');
    expect(await postPush(callback, push, salt)).toEqual({ status: 200, body: ACCEPTED });
    const { body } = await app.json<ShipmentDto>(`/api/shipments/${added.body.id}`);
    expect(body.stateLabel?.zh).toBe(name);
    expect(body.group).toBe(group);
    expect(body.events[0]?.context).toBe(`状态 ${name}`);
  });

  describe('refused pushes store nothing', () => {
    let number = '';
    let before = '';
    beforeAll(async () => {
      number = 'YT8000000000001';
      await add({ company: 'yuantong', number });
      before = await storeText();
    });
    const push = (): PushParam => makePush(number, 'yuantong', '5', [item('2025-07-02 10:00:00', '伪造的派件')]);
    const post = (body: string, path = callback) =>
      fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

    it('forged sign → 403', async () => {
      expect((await postPush(callback, push(), 'not-our-salt')).status).toBe(403);
      expect((await postPush(callback, push(), null)).status).toBe(403);
    });
    it('missing param → 400', async () => expect((await post('sign=ABC')).status).toBe(400));
    it('non-JSON param → 400', async () => expect((await post('param=%7Bbroken&sign=X')).status).toBe(400));
    it('oversized body → 413', async () => {
      const raw = JSON.stringify({ ...push(), message: 'x'.repeat(1024 * 1024) });
      expect((await post(encodePushBody(raw, signPush(raw, salt)))).status).toBe(413);
    });
    it('wrong path → 404', async () => {
      const raw = JSON.stringify(push());
      expect((await post(encodePushBody(raw, signPush(raw, salt)), callback.replace(/callback\/.*/, 'callback/guess'))).status).toBe(404);
      expect((await post(encodePushBody(raw, signPush(raw, salt)), callback.replace(/\/kuaidi100.*/, '/'))).status).toBe(404);
    });
    it('unknown waybill with a wrong sign → 403', async () => {
      expect((await postPush(callback, makePush('YT8000000000999', 'yuantong', '0', [item('2025-07-02 10:00:00', 'x')]), 'nope')).status).toBe(403);
    });
    it('left the store untouched', async () => {
      expect(await storeText()).toBe(before);
      const s = (await list(`?q=${number}`))[0]!;
      expect(s.events).toHaveLength(0);
      expect((await list('?q=YT8000000000999'))).toHaveLength(0);
    });
  });

  it('keeps a signed push for an unknown waybill as a new shipment', async () => {
    const res = await postPush(callback, makePush('ZT5500000000001', 'zhongtong', '0', [item('2025-07-03 10:00:00', '新单')]), salt);
    expect(res.status).toBe(200);
    const s = (await list('?q=ZT5500000000001'))[0]!;
    expect(s.subscription.status).toBe('active');
    expect(s.events[0]?.context).toBe('新单');
  });

  it('handles repeats and out-of-order pushes', async () => {
    const number = 'YT7000000000001';
    const { body } = await add({ company: 'yuantong', number, note: '李四' });
    const h1 = [item('2025-07-01 08:00:00', '揽收', '揽收', '1')];
    const h2 = [item('2025-07-02 08:00:00', '派件', '派件', '5'), ...h1];
    const newer = makePush(number, 'yuantong', '5', h2);
    const older = makePush(number, 'yuantong', '1', h1);
    for (const p of [newer, newer, older, newer]) expect((await postPush(callback, p, salt)).status).toBe(200);
    const s = (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body;
    expect(s.state).toBe('5');
    expect(s.events.map((e) => e.context)).toEqual(['派件', '揽收']);
  });

  it('answers success for status=abort and keeps the history', async () => {
    const number = 'YT7000000000002';
    const { body } = await add({ company: 'yuantong', number });
    await postPush(callback, makePush(number, 'yuantong', '0', [item('2025-07-01 08:00:00', '在途')]), salt);
    const abort = { ...makePush(number, 'yuantong', '0', [], 'abort'), message: '3天查询无记录' };
    expect(await postPush(callback, abort, salt)).toEqual({ status: 200, body: ACCEPTED });
    const s = (await app.json<ShipmentDto>(`/api/shipments/${body.id}`)).body;
    expect(s).toMatchObject({ tracking: 'abort', trackingMessage: '3天查询无记录', group: 'todo', todo: 'aborted' });
    expect(s.events).toHaveLength(1);
  });
});

/** A file adapter that can be told to fail, to see what a full disk does. */
class FlakyFile implements Adapter<DbShape> {
  fail = false;
  constructor(private readonly inner: DurableJSONFile<DbShape>) {}
  read() {
    return this.inner.read();
  }
  write(data: DbShape) {
    return this.fail ? Promise.reject(new Error('ENOSPC: no space left on device')) : this.inner.write(data);
  }
}

describe('storage failure', () => {
  it('answers returnCode 500 so Kuaidi100 retries, then stores the retry', async () => {
    const dir = tempDir();
    const adapter = new FlakyFile(new DurableJSONFile(join(dir.path, 'store.json')));
    const app = await startTestApp({ dataDir: dir.path, storeAdapter: adapter, sandbox: { stepMs: 3_600_000 } });
    try {
      const salt = app.core.store.settings.salt;
      const push = makePush('YT6000000000001', 'yuantong', '5', [item('2025-07-01 08:00:00', '派件')]);
      adapter.fail = true;
      const failed = await postPush(app.core.callbackServer.localUrl, push, salt);
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ result: false, returnCode: '500' });
      expect(app.core.store.byNumber('YT6000000000001')).toHaveLength(0);
      const add = await app.api('/api/shipments', { method: 'POST', body: JSON.stringify({ company: 'yuantong', number: 'YT6000000000002' }) });
      expect(add.status).toBe(500);
      expect(((await add.json()) as { error: { code: string } }).error.code).toBe('storage');
      adapter.fail = false;
      expect((await postPush(app.core.callbackServer.localUrl, push, salt)).status).toBe(200);
      expect(app.core.store.byNumber('YT6000000000001')[0]?.state).toBe('5');
      expect(readFileSync(join(dir.path, 'store.json'), 'utf8')).toContain('YT6000000000001');
    } finally {
      await app.close();
      dir.remove();
    }
  });
});
