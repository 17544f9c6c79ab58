// Bundles the main-process code with esbuild: ESM for the headless mode and Electron's main,
// a single CommonJS file for the sandboxed preload (Electron requires it).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { serve: 'main/web/serve.ts' },
  outdir: 'dist/main',
  format: 'esm',
  // localtunnel and its dependencies are CommonJS that require() Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  packages: 'external',
});
