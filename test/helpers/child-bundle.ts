import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the entry points a test spawns as child processes into a directory of their own.
 * A fixed path would be shared by every copy of the suite running at once (two runs in one
 * checkout, or two test files bundling the same entry): one copy's esbuild rewriting the file
 * while the other's child loads it gives a truncated module. The directory sits under the
 * checkout, not the system temp dir, so the bundles' external packages resolve from node_modules.
 */
export async function bundleChildren<K extends string>(entries: Record<K, string>): Promise<{ paths: Record<K, string>; remove(): void }> {
  const root = join(process.cwd(), '.tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'children-'));
  const paths = {} as Record<K, string>;
  for (const [key, entry] of Object.entries(entries) as [K, string][]) {
    const outfile = join(dir, `${key}-${basename(entry).replace(/\.ts$/, '')}.mjs`);
    await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
    paths[key] = outfile;
  }
  return { paths, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
