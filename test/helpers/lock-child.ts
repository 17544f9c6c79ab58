/** Takes the data dir lock, says whether it got it, holds it until stdin closes. */
import { acquireDataDirLock, DataDirLockedError } from '../../main/core/data-dir-lock.js';

const dir = process.argv[2]!;
try {
  const lock = acquireDataDirLock(dir, { shell: 'test' });
  process.stdout.write('got\n');
  process.stdin.resume();
  process.stdin.on('end', () => lock.release());
} catch (e) {
  process.stdout.write(e instanceof DataDirLockedError ? 'refused\n' : `error ${String(e)}\n`);
}
