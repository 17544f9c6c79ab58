// Bundles the main-process code with esbuild: ESM for the headless mode and Electron's main,
// one CommonJS file for the sandboxed preload (a sandboxed preload cannot import modules),
// and copies the tray/app icons next to them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
// CommonJS dependencies (localtunnel) call require(); give the ESM bundle one.
const requireShim = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
// Every start loads the logger and the store's lowdb: bundled, they cost no module resolution
// and no ~25 file reads through Node's loaders (~10 ms of an empty store's ~120 ms start). The
// other packages load on first use (SheetJS, nodemailer, localtunnel; electron-updater at the
// first update check), so they stay in node_modules.
const BUNDLED = ['electron-log', 'lowdb'];
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
const external = ['electron', ...Object.keys(dependencies).filter((d) => !BUNDLED.includes(d)).flatMap((d) => [d, `${d}/*`])];

await build({
  ...node,
  entryPoints: { serve: 'main/web/serve.ts', electron: 'main/index.ts' },
  outdir: 'dist/main',
  format: 'esm',
  banner: requireShim,
  external,
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
