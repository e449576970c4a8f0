/**
 * The only door to the disk. Loading and writing go through this interface so that tests can
 * build a site in memory or inject a failing write.
 */
import path from 'node:path';
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fsp, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Dirent, type Stats } from 'node:fs';

/**
 * A file held open for reading at any position, synchronously: the build cache's post HTML is read
 * when a page is rendered, from the file the build opened (a later build replacing the file does
 * not change what this one reads). Closed by `close`, or when nothing refers to it any more.
 */
export interface ReadHandle {
  /** The file's size when it was opened. */
  readonly size: number;
  /**
   * Up to `length` bytes from `position` (fewer only at the end of the file). With `into`, they may
   * be read into its memory (when it is long enough), valid until the next read into it: a caller
   * reading a whole file in turn reuses one buffer (touching new memory costs more than reading).
   */
  read(position: number, length: number, into?: Buffer): Buffer;
  close(): void;
}

/** A new file being written in pieces, and read back at any position meanwhile. */
export interface WriteHandle extends ReadHandle {
  /** Writes `bytes` at the end of the file (`size` grows by their length). */
  append(bytes: Uint8Array): void;
}

export interface Fs {
  readFile(path: string): Promise<Buffer>;
  /** Opens a file for `ReadHandle.read`s. */
  openRead(path: string): Promise<ReadHandle>;
  /** Creates a file (failing with EEXIST if there is one) to be written with `append` and read meanwhile. */
  openNew(path: string): Promise<WriteHandle>;
  readdir(path: string): Promise<Dirent[]>;
  lstat(path: string): Promise<Stats>;
  stat(path: string): Promise<Stats>;
  /**
   * The stats of many paths at once, null for each that cannot be stat'ed: what a build asks of
   * every file it knows (thousands), where one call each through the thread pool costs ten times more.
   */
  stats(paths: string[], follow: boolean): Promise<(FileStat | null)[]>;
  realpath(path: string): Promise<string>;
  /**
   * Writes a file; bytes given as pieces (a list, or made one at a time by a generator) are written
   * one after the other, never joined in memory.
   */
  writeFile(path: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void>;
  /** Adds to the end of an existing file; fails if it is missing (ENOENT) or a symbolic link (never written through). */
  appendFile(path: string, data: Uint8Array | readonly Uint8Array[]): Promise<void>;
  /** Creates a new file; fails with EEXIST if it exists (lock files). */
  writeFileExclusive(path: string, data: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /**
   * Many renames, in order, each one's error or null: what applying a build's changes asks
   * (thousands of pages), where one call each through the thread pool costs several times more.
   */
  renames(pairs: readonly (readonly [from: string, to: string])[], options?: RenamesOptions): Promise<(Error | null)[]>;
  rm(path: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

/**
 * What a build reads of a stat: the kind, size, times and inode. `stats` gives these rather than
 * Node's `Stats` (which on Node 20 also makes four `Date`s), so the thousands a nothing-changed
 * build takes (each post and each page of the output) are a fifth of the memory while it holds
 * them (152 against 848 bytes each, measured on the heap).
 */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

const S_IFMT = constants.S_IFMT;

class NodeFileStat implements FileStat {
  constructor(
    readonly size: number,
    readonly mtimeMs: number,
    readonly ctimeMs: number,
    readonly ino: number,
    private readonly mode: number,
  ) {}
  isFile(): boolean {
    return (this.mode & S_IFMT) === constants.S_IFREG;
  }
  isDirectory(): boolean {
    return (this.mode & S_IFMT) === constants.S_IFDIR;
  }
}

export interface RenamesOptions {
  /**
   * Every source is there (just written): a file at a target is removed first, so each rename is
   * onto a free name. On ext4 (most Linux disks, CI runners included) renaming over an existing
   * file makes the kernel allocate the new file's blocks and start writing them there and then
   * (`auto_da_alloc`, its guard for programs that replace files without fsync): 4,000 pages
   * renamed over the old ones took 2.3-2.9 times as long. A reader may find no file at a target
   * for the moment between the two calls.
   */
  clearTargets?: boolean;
}

export const nodeFs: Fs = {
  // Synchronous, as `stats`: a build reads thousands of small files, and through the thread pool
  // each read is four round trips (open, stat, read, close); on a virtual disk that was 0.7 s of a
  // 4,000-post cold build against 0.2 s read in turn.
  readFile: async (p) => readFileSync(p),
  openRead: async (p) => {
    const fd = openSync(p, 'r');
    try {
      return fdHandle(fd, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  },
  openNew: async (p) => {
    const fd = openSync(p, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    const handle = fdHandle(fd, 0) as WriteHandle & { size: number };
    handle.append = (bytes) => {
      for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done, handle.size + done);
      handle.size += bytes.byteLength;
    };
    return handle;
  },
  readdir: (p) => fsp.readdir(p, { withFileTypes: true }),
  lstat: (p) => fsp.lstat(p),
  stat: (p) => fsp.stat(p),
  // Synchronous: a local stat takes microseconds, a promise through libuv's four threads tens of them.
  stats: async (ps, follow) =>
    ps.map((p) => {
      try {
        const st = (follow ? statSync : lstatSync)(p, { throwIfNoEntry: false });
        return st ? new NodeFileStat(st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode) : null;
      } catch {
        return null; // a permission problem: reported by whoever reads the file
      }
    }),
  realpath: (p) => fsp.realpath(p),
  writeFile: (p, d) => fsp.writeFile(p, d),
  appendFile: async (p, d) => {
    // O_NOFOLLOW: a link put in the file's place fails (ELOOP) rather than being written through.
    const file = await fsp.open(p, constants.O_WRONLY | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0));
    try {
      for (const piece of isPieces(d) ? d : [d]) await file.writeFile(piece); // O_APPEND: each piece after the last
    } finally {
      await file.close();
    }
  },
  writeFileExclusive: (p, d) => fsp.writeFile(p, d, { flag: 'wx' }),
  mkdir: async (p) => {
    await fsp.mkdir(p, { recursive: true });
  },
  rename: (a, b) => fsp.rename(a, b),
  // Synchronous, as `stats`: a rename is a few microseconds of metadata, the thread pool's round trip far more.
  renames: async (pairs, options) =>
    pairs.map(([a, b]) => {
      try {
        if (options?.clearTargets) {
          try {
            unlinkSync(b); // a link is removed, never what it points to
          } catch {
            // nothing there, or a folder: the rename says what is wrong
          }
        }
        renameSync(a, b);
        return null;
      } catch (e) {
        return e as Error;
      }
    }),
  rm: (p) => fsp.rm(p, { recursive: true, force: true }),
  copyFile: (a, b) => fsp.copyFile(a, b),
};

/** File descriptors of handles nothing refers to any more are closed (dev keeps cached posts, and their file, for its whole run). */
const unreferenced = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

function fdHandle(fd: number, size: number): ReadHandle {
  let open = true;
  const handle: ReadHandle = {
    size,
    read(position, length, into) {
      if (!open) throw new Error('read from a closed file');
      const bytes = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, bytes, done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done === length ? bytes : bytes.subarray(0, done);
    },
    close() {
      if (!open) return;
      open = false;
      unreferenced.unregister(handle);
      closeSync(fd);
    },
  };
  unreferenced.register(handle, fd, handle);
  return handle;
}

/** `Fs.renames` made of an `Fs.rename`, one after the other (the in-memory file system, test doubles). */
export function renamesVia(rename: Fs['rename']): Fs['renames'] {
  return async (pairs) => {
    const errors: (Error | null)[] = [];
    for (const [a, b] of pairs) errors.push(await rename(a, b).then(() => null, (e: Error) => e));
    return errors;
  };
}

/** True when `err` is a Node system error with this code (ENOENT, EACCES, ...). */
export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * An in-memory file system, so a whole site can be built in a test without touching the disk.
 * Paths are absolute; folders exist implicitly above every file. `files` seeds it (path → text or bytes).
 */
export function memoryFs(files: Record<string, string | Uint8Array> = {}, mtimeMs = 0): Fs & { files: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  const dirs = new Set<string>(['/']);
  const addDirs = (p: string) => {
    for (let d = path.dirname(p); !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  };
  const put = (p: string, d: string | Uint8Array) => {
    const abs = path.resolve(p);
    addDirs(abs);
    data.set(abs, typeof d === 'string' ? Buffer.from(d) : Buffer.from(d));
  };
  for (const [p, d] of Object.entries(files)) put(p, d);
  const missing = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT' });
  const stats = (p: string): Stats => {
    const abs = path.resolve(p);
    const file = data.get(abs);
    if (!file && !dirs.has(abs)) throw missing(p);
    return { isFile: () => !!file, isDirectory: () => !file, isSymbolicLink: () => false, mtimeMs, size: file?.length ?? 0 } as Stats;
  };
  const children = (dir: string) => {
    const prefix = dir === '/' ? '/' : dir + '/';
    const names = new Map<string, boolean>();
    for (const p of [...data.keys(), ...dirs]) if (p.startsWith(prefix) && p !== dir) names.set(p.slice(prefix.length).split('/')[0]!, false);
    for (const name of names.keys()) names.set(name, data.has(prefix + name));
    return names;
  };
  const fs = {
    files: data,
    readFile: async (p: string) => {
      const d = data.get(path.resolve(p));
      if (!d) throw dirs.has(path.resolve(p)) ? Object.assign(new Error(`EISDIR: '${p}'`), { code: 'EISDIR' }) : missing(p);
      return Buffer.from(d);
    },
    // The bytes the file has now, as an open file keeps them when it is replaced.
    openRead: async (p: string) => {
      const d = await fs.readFile(p);
      return { size: d.length, read: (at: number, length: number) => Buffer.from(d.subarray(at, at + length)), close: () => undefined };
    },
    // The file's bytes are replaced on each append; the handle reads the latest (until the file is replaced or removed).
    openNew: async (p: string) => {
      const abs = path.resolve(p);
      if (data.has(abs) || dirs.has(abs)) throw Object.assign(new Error(`EEXIST: '${p}'`), { code: 'EEXIST' });
      put(abs, new Uint8Array(0));
      let bytes: Buffer = Buffer.alloc(0);
      return {
        get size() {
          return bytes.length;
        },
        read: (at: number, length: number) => Buffer.from(bytes.subarray(at, at + length)),
        append: (piece: Uint8Array) => {
          bytes = Buffer.concat([bytes, piece]);
          if (data.has(abs)) data.set(abs, bytes);
        },
        close: () => undefined,
      };
    },
    readdir: async (p: string) => {
      const abs = path.resolve(p);
      if (!dirs.has(abs)) throw missing(p);
      return [...children(abs)].map(([name, isFile]) => ({ name, isFile: () => isFile, isDirectory: () => !isFile, isSymbolicLink: () => false }) as Dirent);
    },
    lstat: async (p: string) => stats(p),
    stat: async (p: string) => stats(p),
    stats: async (ps: string[]) => ps.map((p) => {
      try {
        return stats(p);
      } catch {
        return null;
      }
    }),
    realpath: async (p: string) => (stats(p), path.resolve(p)),
    writeFile: async (p: string, d: string | Uint8Array | Iterable<Uint8Array>) => put(p, isPieces(d) ? Buffer.concat([...d]) : d),
    appendFile: async (p: string, d: Uint8Array | readonly Uint8Array[]) => {
      const old = data.get(path.resolve(p));
      if (!old) throw dirs.has(path.resolve(p)) ? Object.assign(new Error(`EISDIR: '${p}'`), { code: 'EISDIR' }) : missing(p);
      data.set(path.resolve(p), Buffer.concat([old, ...(isPieces(d) ? d : [d])]));
    },
    writeFileExclusive: async (p: string, d: string) => {
      if (data.has(path.resolve(p))) throw Object.assign(new Error(`EEXIST: '${p}'`), { code: 'EEXIST' });
      put(p, d);
    },
    mkdir: async (p: string) => {
      const abs = path.resolve(p);
      addDirs(abs + '/x');
    },
    rename: async (from: string, to: string) => {
      const a = path.resolve(from);
      const b = path.resolve(to);
      if (!data.has(a) && !dirs.has(a)) throw missing(from);
      for (const [p, d] of [...data]) if (p === a || p.startsWith(a + '/')) (data.delete(p), put(b + p.slice(a.length), d));
      for (const d of [...dirs]) if (d === a || d.startsWith(a + '/')) (dirs.delete(d), dirs.add(b + d.slice(a.length)), addDirs(b + d.slice(a.length)));
    },
    renames: (pairs: readonly (readonly [string, string])[]) => renamesVia(fs.rename)(pairs),
    rm: async (p: string) => {
      const abs = path.resolve(p);
      for (const k of [...data.keys()]) if (k === abs || k.startsWith(abs + '/')) data.delete(k);
      for (const d of [...dirs]) if (d === abs || d.startsWith(abs + '/')) dirs.delete(d);
    },
    copyFile: async (from: string, to: string) => put(to, await fs.readFile(from)),
  };
  return fs;
}

function isPieces(d: string | Uint8Array | Iterable<Uint8Array>): d is Iterable<Uint8Array> {
  return typeof d !== 'string' && !(d instanceof Uint8Array);
}
