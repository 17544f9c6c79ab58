/**
 * The core alone, for the crash test: prints its callback address, then takes pushes until
 * killed. With `snapshot-loop` it also writes snapshots back to back, so the kill lands in
 * the middle of one.
 */
import { startCore } from '../../main/core/app.js';
import { MemorySecretStore } from './memory-secrets.js';

const [dataDir, port, mode] = process.argv.slice(2);
const core = await startCore({ dataDir: dataDir!, callbackPort: Number(port), secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
process.stdout.write(`${JSON.stringify({ url: core.callbackServer.localUrl, salt: core.store.settings.salt, secret: core.store.settings.callbackSecret, size: core.store.size })}\n`);
if (mode === 'snapshot-loop') {
  for (;;) await core.store.snapshot();
}
