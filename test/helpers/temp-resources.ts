/**
 * Temp folders and what a test opens in them (stores, cores), closed and removed after each
 * test: call once at the top of a test file (it registers the afterEach).
 */
import { afterEach } from 'vitest';
import { tempDir } from './core.js';

interface Closable {
  close(): Promise<void>;
}

export function tempResources(prefix?: string): { dir(): string; keep<T extends Closable>(x: T): T; close(x: Closable): Promise<void> } {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const open: Closable[] = [];
  afterEach(async () => {
    for (const x of open.splice(0)) await x.close();
    dirs.splice(0).forEach((d) => d.remove());
  });
  return {
    dir: () => {
      const d = tempDir(prefix);
      dirs.push(d);
      return d.path;
    },
    keep: (x) => {
      open.push(x);
      return x;
    },
    /** Closed now, within the test (a restart), and not again after it. */
    close: async (x) => {
      open.splice(open.indexOf(x), 1);
      await x.close();
    },
  };
}
