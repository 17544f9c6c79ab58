/**
 * The headless app (`dist/main/serve.js`, the core the tray runs) as the benchmarks start and
 * stop it: on a data folder, its UI address read from the line it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServeApp {
  proc: ChildProcess;
  /** The UI address with its `#token=…`. */
  ui: string;
  token: string;
  /** Process start → the `UI:` line. */
  startMs: number;
}

export interface ServeOptions {
  /** A fixed callback port (pushes are sent there); default: the app's own choice. */
  callbackPort?: number;
  /** Also wait for the callback server's line (pushes sent at once must find it listening). */
  waitForCallback?: boolean;
}

export async function startServe(dir: string, options: ServeOptions = {}): Promise<ServeApp> {
  const args = ['dist/main/serve.js', '--data-dir', dir, '--port', '0'];
  if (options.callbackPort !== undefined) args.push('--callback-port', String(options.callbackPort));
  const t = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ui = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /UI: (\S+)/.exec(out);
      if (m && (!options.waitForCallback || /Callback \(local\)/.test(out))) resolve(m[1]!);
    });
    proc.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { proc, ui, token: new URLSearchParams(new URL(ui).hash.slice(1)).get('token')!, startMs: performance.now() - t };
}

/** SIGTERM → exit, in ms (the clean stop). */
export async function stopServe(app: ServeApp): Promise<number> {
  const t = performance.now();
  const exited = new Promise((r) => app.proc.once('exit', r));
  app.proc.kill('SIGTERM');
  await exited;
  return performance.now() - t;
}
