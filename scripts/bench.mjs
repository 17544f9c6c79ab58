// Builds the benchmark (bench/*.ts) with esbuild and runs it. `npm run bench` builds the app first;
// `npm run bench -- --scenario year` runs the year-of-parcels scenario (bench/year.ts) instead.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

const shim = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
await build({
  entryPoints: { run: 'bench/run.ts', server: 'bench/server.ts', year: 'bench/year.ts' },
  outdir: '.tmp/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  banner: shim,
  logLevel: 'error',
});
const at = process.argv.indexOf('--scenario');
const scenario = at >= 0 ? process.argv[at + 1] : 'ingest';
if (scenario !== 'ingest' && scenario !== 'year') {
  console.error(`unknown scenario ${scenario}: ingest (default) or year`);
  process.exit(2);
}
// The rest of the arguments go to the scenario (`--active 2000 --archived 10000` for a quick run).
const r = spawnSync(process.execPath, [scenario === 'year' ? '.tmp/bench/year.mjs' : '.tmp/bench/run.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
