// `npm start`: the Electron app when an Electron binary is installed, else the headless mode.
// We look for the binary ourselves: require('electron') would try to download it, which
// cannot work offline and throws "Electron failed to install correctly".
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? p : null;
  }
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
const main = 'dist/main/electron.js';
if (bin && existsSync(main)) {
  const child = spawn(bin, [main, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    bin
      ? 'ParcelTray: the Electron shell is not built; starting the headless mode instead.'
      : 'ParcelTray: no Electron binary installed (run `npx install-electron` where the internet is reachable); starting the headless mode instead.',
  );
  await import('../dist/main/serve.js');
}
