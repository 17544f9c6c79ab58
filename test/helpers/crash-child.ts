/** The core alone, for the crash test: prints its callback address, then takes pushes until killed. */
import { startCore } from '../../main/core/app.js';
import { MemorySecretStore } from './memory-secrets.js';

const [dataDir, port] = process.argv.slice(2);
const core = await startCore({ dataDir: dataDir!, callbackPort: Number(port), secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 } });
process.stdout.write(`${JSON.stringify({ url: core.callbackServer.localUrl, salt: core.store.settings.salt, size: core.store.size })}\n`);
