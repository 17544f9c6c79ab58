import { afterEach, describe, expect, it } from 'vitest';
import { parseBatch } from '../../renderer/src/batch.js';
import { startTestApp, type TestApp } from '../helpers/core.js';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('carrier names as sellers write them', () => {
  it('a pasted batch with 圆通 / 中通 / 顺丰快递 is accepted by the core, each with its code', async () => {
    app = await startTestApp();
    const lines = parseBatch('单号,快递,电话\nYT6186594166530,圆通\n73558767876512,中通\nSF1400000000001,顺丰快递,6621\n');
    const got: string[] = [];
    for (const { input } of lines) {
      const r = await app.core.tracker.addShipment(input);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) got.push(r.value.company);
    }
    expect(got).toEqual(['yuantong', 'zhongtong', 'shunfeng']);
  });

  it('the HTTP API accepts a short name too', async () => {
    app = await startTestApp();
    const r = await app.json<{ company: string }>('/api/shipments', { method: 'POST', body: JSON.stringify({ number: '77358767876512', company: '申通' }) });
    expect(r.status).toBeLessThan(300);
    expect(r.body.company).toBe('shentong');
  });
});
