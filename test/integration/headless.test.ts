import { afterAll, describe, expect, it } from 'vitest';
import type { ShipmentDto } from '../../preload/contract.js';
import { runHeadless, type Headless } from '../../main/web/headless.js';
import { tempDir, waitFor } from '../helpers/core.js';

describe('npm run serve (headless mode)', () => {
  const dir = tempDir();
  let app: Headless | null = null;
  afterAll(async () => {
    await app?.close();
    dir.remove();
  });

  it('serves the API on a free port; with default settings a new waybill gets pushes within a minute', async () => {
    app = await runHeadless(['--data-dir', dir.path, '--port', '0']);
    expect(app).not.toBeNull();
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=(.+)$/.exec(app!.url);
    expect(m).not.toBeNull();
    const [, port, token] = m!;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    const res = await api('/api/shipments', { method: 'POST', body: JSON.stringify({ number: 'JT0018181408270' }) });
    expect(res.status).toBe(201);
    const started = Date.now();
    const s = await waitFor(async () => {
      const list = (await (await api('/api/shipments')).json()) as ShipmentDto[];
      return list[0]?.events.length ? list[0] : undefined;
    }, 90_000, 'the first sandbox push');
    // The wait allows longer than the promise, so this line is what checks "within a minute".
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(s.company).toBe('jtexpress');
    expect(s.state).toBe('1');
  }, 100_000);

  it('rejects bad flags with a clear message', async () => {
    await expect(runHeadless(['--port', 'abc'])).rejects.toThrow(/--port must be a port number/);
    await expect(runHeadless(['--colour'])).rejects.toThrow(/colour/);
  });
});
