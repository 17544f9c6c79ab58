// Bundles the main-process code with esbuild: ESM for the headless mode and Electron's main,
// one CommonJS file for the sandboxed preload (a sandboxed preload cannot import modules),
// and copies the tray/app icons next to them.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
// CommonJS dependencies (localtunnel) call require(); give the ESM bundle one.
const requireShim = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };

await build({
  ...node,
  entryPoints: { serve: 'main/web/serve.ts', electron: 'main/index.ts' },
  outdir: 'dist/main',
  format: 'esm',
  banner: requireShim,
  packages: 'external',
});

await build({
  ...node,
  entryPoints: { index: 'preload/index.ts' },
  outdir: 'dist/preload',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external: ['electron'],
});

mkdirSync('dist/assets', { recursive: true });
// The window's favicon ships with the renderer; platform icon sizes only with the installers.
cpSync('assets', 'dist/assets', { recursive: true, filter: (src) => !/assets[\\/](icons|renderer)([\\/]|$)/.test(src) });
