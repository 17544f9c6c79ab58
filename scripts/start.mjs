// `npm start`: the Electron app when an Electron binary is installed, else the headless mode.
// We look for the binary ourselves: require('electron') would try to download it, which
// cannot work offline and throws "Electron failed to install correctly".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);

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
