/** Entry point of `npm run serve`. */
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
    console.error(`ParcelTray: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
