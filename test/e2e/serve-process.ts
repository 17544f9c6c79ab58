import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  callbackPort: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the built headless mode (`dist/main/serve.js`) and waits for its UI line. */
export async function startServe(dataDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['dist/main/serve.js', '--data-dir', dataDir, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 20_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /UI: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m && /Callback \(local\)/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token')!,
    callbackPort: Number(/Callback \(local\): http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]),
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
