/**
 * Committing one preview twice at once (issue 13, broken on purpose): a double click on 导入
 * with a corrected column mapping sends two commits; the first awaited the settings write that
 * remembers the mapping before it took the preview, so the second found it too and both ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/core.js';

type Err = { error?: { code: string } };
interface PreviewBody { id: string; mapping: Record<string, number | null> }
interface CommitBody { added: number; skipped: number; rows: { outcome: string }[] }

describe('breaker2: one preview is committed once', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('two simultaneous commits with a mapping: one adds, the other is told the preview is gone', async () => {
    const csv = '\ufeff单号,公司,订单\n75123456781101,中通快递,B2-1\n75123456781102,中通快递,B2-2\n';
    const p = await app.json<PreviewBody & Err>('/api/imports', {
      method: 'POST',
      body: new TextEncoder().encode(csv) as unknown as BodyInit,
      headers: { 'content-type': 'text/csv', 'x-filename': 'twice.csv' },
    });
    expect(p.status).toBe(200);
    const mapping = { number: 0, company: 1, orderNo: 2, buyer: null, phone: null, orderStatus: null };
    const send = () => app.json<CommitBody & Err>(`/api/imports/${p.body.id}/commit`, { method: 'POST', body: JSON.stringify({ mapping }) });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
    const ok = answers.find((a) => a.status === 200)!;
    expect(ok.body.added).toBe(2);
  }, 60_000);
});
