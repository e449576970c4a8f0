/**
 * The only door to the disk. Loading and writing go through this interface so that tests can
 * build a site in memory or inject a failing write.
 */
import { promises as fsp, type Dirent, type Stats } from 'node:fs';

export interface Fs {
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<Dirent[]>;
  lstat(path: string): Promise<Stats>;
  stat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Creates a new file; fails with EEXIST if it exists (lock files). */
  writeFileExclusive(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

export const nodeFs: Fs = {
  readFile: (p) => fsp.readFile(p),
  readdir: (p) => fsp.readdir(p, { withFileTypes: true }),
  lstat: (p) => fsp.lstat(p),
  stat: (p) => fsp.stat(p),
  realpath: (p) => fsp.realpath(p),
  writeFile: (p, d) => fsp.writeFile(p, d),
  writeFileExclusive: (p, d) => fsp.writeFile(p, d, { flag: 'wx' }),
  mkdir: async (p) => {
    await fsp.mkdir(p, { recursive: true });
  },
  rename: (a, b) => fsp.rename(a, b),
  rm: (p) => fsp.rm(p, { recursive: true, force: true }),
  copyFile: (a, b) => fsp.copyFile(a, b),
};

/** True when `err` is a Node system error with this code (ENOENT, EACCES, ...). */
export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
