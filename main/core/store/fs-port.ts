/**
 * The file operations the store's file layer performs, behind one small interface, so tests
 * can return short writes, ENOSPC and EIO at any call (test/helpers/faulty-fs.ts). The real
 * one is node:fs/promises; the store never imports node:fs directly for writing.
 */
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';

export interface FileHandlePort {
  /** One write(2): may write fewer bytes than asked (a nearly full disk). */
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface FsPort {
  open(path: string, flags: 'w' | 'a' | 'r' | 'r+', mode?: number): Promise<FileHandlePort>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** A hard link: keeps the previous snapshot without copying it (no extra disk space). */
  link(existing: string, newPath: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  stat(path: string): Promise<{ size: number } | null>;
  /** Which file is at `path` and as last written (`dev:ino:size:mtime`); null when none is. */
  stamp(path: string): Promise<string | null>;
}

export const nodeFs: FsPort = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  link: (existing, newPath) => fsp.link(existing, newPath),
  truncate: (path, length) => fsp.truncate(path, length),
  readFile: (path) => fsp.readFile(path),
  readdir: (path) => fsp.readdir(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  copyFile: (from, to) => fsp.copyFile(from, to, constants.COPYFILE_EXCL),
  stat: async (path) => {
    try {
      return await fsp.stat(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  stamp: async (path) => {
    try {
      const s = await fsp.stat(path, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
};

/** A write that did not reach the disk whole. */
export class IncompleteWriteError extends Error {
  readonly code = 'EIO';
  constructor(file: string, written: number, wanted: number) {
    super(`short write to ${file}: ${written} of ${wanted} bytes reached the disk`);
    this.name = 'IncompleteWriteError';
  }
}

/**
 * Writes every byte or throws: FileHandle.write is one write(2) and may stop early on a
 * nearly full disk. A write that makes no progress is a failure, never a silent loop.
 */
export async function writeAll(fh: FileHandlePort, buf: Buffer, file: string): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done);
    if (bytesWritten <= 0) throw new IncompleteWriteError(file, done, buf.length);
    done += bytesWritten;
  }
}

/** fsyncs a folder so a rename or a new file in it survives a power cut. */
export async function syncDir(fs: FsPort, dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; the rename is as durable as it gets there.
  if (process.platform === 'win32') return;
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
