/**
 * What the last build saw of each content file it read: size, modification and change times,
 * inode, and the digest of the bytes. A one-shot build (`npm run build`) stats each file instead of
 * reading it, and a file whose stat is still the same as recorded is not read or hashed again: its
 * cache key comes from the recorded digest, and its entry from the post cache.
 *
 * A local hint, never a cache key: a project moved, cloned or restored on another machine has other
 * inodes and times, so its files are read and hashed as usual (the keys themselves hold no mtime).
 * As git does for its index, a file changed within two seconds before it was read is not recorded
 * ("racily clean": a second change within the file system's timestamp granularity could keep its
 * stat), and the change time, which no tool can set back, must match too.
 *
 * One file, `files.json`, rewritten atomically when a build read something new. Anything wrong with
 * it (not ours, damaged, too large, a folder) means no hints: every file is read, which is only slower.
 */
import path from 'node:path';
import type { FileStat, Fs } from '../fs.ts';
import { replaceFile } from './replace-file.ts';

const FILE = 'files.json';
const VERSION = 1;
const MAX_BYTES = 64 * 1024 * 1024;
/** A file modified this close before it was read may change again without its stat changing. */
const RACY_MS = 2000;

/** size, mtimeMs, ctimeMs, ino, digest of the bytes (hex). */
type Hint = [number, number, number, number, string];

export class FileHints {
  private readonly next = new Map<string, Hint>();
  private changed: boolean;

  private constructor(
    private readonly known: Map<string, Hint>,
    /** When this build started reading: files modified later than RACY_MS before it are not recorded. */
    private readonly readStart: number,
    /** A file was there that is not usable: it is replaced by the next save. */
    unusable: boolean,
  ) {
    this.changed = unusable;
  }

  static async read(fs: Fs, dir: string, readStart: number): Promise<FileHints> {
    const known = await load(fs, path.join(dir, FILE));
    return new FileHints(known ?? new Map(), readStart, known === null);
  }

  /** The digest of the file's bytes when its stat is the one recorded with them, else undefined. */
  digest(rel: string, st: FileStat): string | undefined {
    const h = this.known.get(rel);
    if (!h || h[0] !== st.size || h[1] !== st.mtimeMs || h[2] !== st.ctimeMs || h[3] !== st.ino) return undefined;
    this.next.set(rel, h);
    return h[4];
  }

  /** Records the digest of bytes read after `st` was taken (a stat taken before the read: a later change shows in the next stat). */
  record(rel: string, st: FileStat, digest: string): void {
    const h: Hint = [st.size, st.mtimeMs, st.ctimeMs, st.ino, digest];
    // Racily clean, or a file system without these stats (memoryFs): not recorded.
    const sound = h.slice(0, 4).every((v) => Number.isFinite(v)) && Math.max(st.mtimeMs, st.ctimeMs) <= this.readStart - RACY_MS;
    if (!sound) return void (this.changed ||= this.known.has(rel));
    this.next.set(rel, h);
    const was = this.known.get(rel);
    if (!was || was.some((v, i) => v !== h[i])) this.changed = true;
  }

  /** Saves the hints of this build's files when they differ from the last build's. */
  async save(fs: Fs, dir: string): Promise<void> {
    if (!this.changed && this.next.size === this.known.size) return;
    const files = Object.fromEntries([...this.next].sort(([a], [b]) => (a < b ? -1 : 1)));
    await replaceFile(fs, path.join(dir, FILE), JSON.stringify({ version: VERSION, files }));
  }
}

/** The recorded hints; an empty map when there is no file, null when there is one that is not usable. */
async function load(fs: Fs, file: string): Promise<Map<string, Hint> | null> {
  const found = await fs.lstat(file).catch(() => null);
  if (!found) return new Map();
  if (!found.isFile() || found.size > MAX_BYTES) return null;
  try {
    const data = JSON.parse((await fs.readFile(file)).toString('utf8')) as { version?: unknown; files?: unknown };
    if (data.version !== VERSION || typeof data.files !== 'object' || data.files === null) return null;
    const hints = new Map<string, Hint>();
    for (const [rel, h] of Object.entries(data.files as Record<string, unknown>)) {
      if (!Array.isArray(h) || h.length !== 5 || typeof h[0] !== 'number' || typeof h[1] !== 'number' || typeof h[2] !== 'number' || typeof h[3] !== 'number' || typeof h[4] !== 'string') return null;
      hints.set(rel, h as Hint);
    }
    return hints;
  } catch {
    return null; // damaged: read every file
  }
}
