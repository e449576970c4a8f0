/**
 * Replaces a cache file atomically and leaves nothing behind: the new bytes go to a temporary file
 * beside it (named with our pid), which is renamed over it, and removed whatever fails. Temporary
 * files of processes that were killed while writing are removed too. A folder where the file
 * should be is left alone (an error, which the caller may ignore: a cache only costs speed).
 * `temporaryFile` names one for a file written in pieces over a longer time (the post cache of a
 * cold build), which its writer renames or removes.
 */
import path from 'node:path';
import type { Fs } from '../fs.ts';
import { isAlive } from '../output/write.ts';

export async function replaceFile(fs: Fs, file: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
  if ((await fs.lstat(file).catch(() => null))?.isDirectory()) throw new Error(`${file} is a folder; the cache is not saved`);
  await fs.mkdir(path.dirname(file));
  await removeDeadTemps(fs, file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp).catch(() => undefined);
    throw e;
  }
}

let temporaries = 0;

/** A new temporary file's name beside `file` (`<file>.<pid>.<n>.tmp`: builds in one process never share one); dead processes' ones are removed first. */
export async function temporaryFile(fs: Fs, file: string): Promise<string> {
  await fs.mkdir(path.dirname(file));
  await removeDeadTemps(fs, file);
  return `${file}.${process.pid}.${++temporaries}.tmp`;
}

/** Removes `<file>.<pid>.tmp` and `<file>.<pid>.<n>.tmp` files whose process is gone. */
async function removeDeadTemps(fs: Fs, file: string): Promise<void> {
  const prefix = `${path.basename(file)}.`;
  const entries = await fs.readdir(path.dirname(file)).catch(() => []);
  for (const e of entries) {
    const pid = e.name.startsWith(prefix) ? /^(\d+)(?:\.\d+)?\.tmp$/.exec(e.name.slice(prefix.length))?.[1] : undefined;
    if (pid && Number(pid) !== process.pid && !isAlive(Number(pid))) await fs.rm(path.join(path.dirname(file), e.name)).catch(() => undefined);
  }
}
