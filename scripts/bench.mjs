// Builds the benchmark (bench/*.ts) with esbuild and runs it. `npm run bench` builds the app first.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const shim = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
await build({
  entryPoints: { run: 'bench/run.ts', server: 'bench/server.ts' },
  outdir: '.tmp/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  banner: shim,
  logLevel: 'error',
});
const r = spawnSync(process.execPath, ['.tmp/bench/run.mjs'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
