/**
 * What opening the store found wrong with its files and what it did about it, for the shells
 * to show, and the error for the one case it cannot mend: the install's settings (callback
 * secret, salt) are gone. Starting fresh then would silently break every callback URL already
 * given to Kuaidi100, so the app refuses to start and says which file and what to do.
 */
import { basename, join } from 'node:path';
import { writeAll, type FsPort } from './fs-port.js';
import { logFor } from '../log.js';

const log = logFor('store');

export interface RecoveryIssue {
  /** The damaged file (full path). */
  file: string;
  /** 1-based line number, or null when it concerns the whole file. */
  line: number | null;
  reason: string;
  reasonEn: string;
}

export interface RecoveryReport {
  issues: RecoveryIssue[];
  /** Copies of the damaged files, taken before anything was rewritten (in `<dataDir>/damaged/`). */
  damagedCopies: string[];
  /** Where the install's settings came from. */
  settingsFrom: 'snapshot' | 'settings-file' | 'previous-snapshot' | 'log' | 'new';
}

export const DAMAGED_DIR = 'damaged';

export class StoreUnrecoverableError extends Error {
  readonly code = 'store-unrecoverable';
  readonly messageEn: string;
  constructor(
    readonly file: string,
    readonly dataDir: string,
    reasonEn: string,
    reason: string,
  ) {
    super(
      `无法读取 ParcelTray 的设置（回调密钥与 salt）：${reason}（${file}）。为避免已订阅单号的回调地址失效，应用没有新建设置而是停止启动。` +
        `请从备份恢复该文件，或把 ${join(dataDir, DAMAGED_DIR)} 中的副本改正后放回；若确实要重新开始，请移走整个数据目录 ${dataDir}（已订阅单号需重新订阅）。`,
    );
    this.messageEn =
      `Cannot read ParcelTray's settings (callback secret and salt): ${reasonEn} (${file}). ParcelTray will not start with new ones, ` +
      `because that would break the callback URL of every waybill already subscribed. Restore that file from a backup, or mend the copy in ` +
      `${join(dataDir, DAMAGED_DIR)} and put it back; to really start over, move the whole data folder ${dataDir} away (waybills must then be subscribed again).`;
    this.name = 'StoreUnrecoverableError';
  }
}

/**
 * Copies a damaged file (or the given bytes of it) into `damaged/`, timestamped, before it is
 * rewritten. Returns the copy's path, or null if even that failed (a full disk): the caller
 * then leaves the original as it is.
 */
export async function keepDamagedCopy(fs: FsPort, dataDir: string, file: string, bytes?: Buffer): Promise<string | null> {
  const dir = join(dataDir, DAMAGED_DIR);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const copy = join(dir, `${stamp}-${basename(file)}${bytes ? '.tail' : ''}`);
  try {
    await fs.mkdir(dir);
    if (bytes) {
      const fh = await fs.open(copy, 'w', 0o600);
      try {
        await writeAll(fh, bytes, copy);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } else {
      await fs.copyFile(file, copy);
    }
    return copy;
  } catch (e) {
    log.error(`could not keep a copy of the damaged ${file}:`, e);
    return null;
  }
}
