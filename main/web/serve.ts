/** Entry point of `npm run serve`. */
import { logFor } from '../core/log.js';
import { runHeadless } from './headless.js';

runHeadless(process.argv.slice(2)).then(
  (app) => {
    if (!app) return;
    const stop = (): void => {
      void app.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (e: unknown) => {
    const log = logFor('serve');
    log.error(e instanceof Error ? e.message : String(e));
    // Errors a user can meet here (another instance on the data dir) carry English too.
    const en = e instanceof Error && 'messageEn' in e && typeof e.messageEn === 'string' ? e.messageEn : null;
    if (en) log.error(en);
    process.exit(1);
  },
);
