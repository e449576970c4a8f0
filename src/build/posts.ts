/**
 * The read and posts stages of a build. Each content file is read once, and its cache key is
 * made from those bytes. An entry is then taken, in this order, from the previous build in this
 * process (the dev server), from the persistent cache, or made by the per-file stages, in worker
 * threads when there are many.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.ts';
import type { FileStat, Fs } from '../fs.ts';
import { entryKey, type PostCache } from '../cache/post-cache.ts';
import type { FileHints } from '../cache/file-stats.ts';
import { readRawFile, type RawFile } from '../content/load.ts';
import { startsWithFrontMatter } from '../content/frontmatter.ts';
import { fileContext, isStorable, needsRender, processPostFile, type PostEntry, type WorkerInit } from '../content/process.ts';
import { mapLimit } from '../parallel/limit.ts';
import { HTML_DIGEST } from '../model.ts';
import { processInWorkers } from '../parallel/pool.ts';
import { relativePosix } from '../paths.ts';

/** What a build remembers of one content file, for the next build in the same process. */
export interface KnownFile {
  key: string | undefined;
  mtimeMs: number;
  entry: PostEntry;
}

/** One content file after the read stage. */
export interface SourceRead {
  absPath: string;
  /** Cache key (settings, path and bytes); undefined when the file could not be read. */
  key: string | undefined;
  mtimeMs: number;
  /**
   * The bytes, when they were read: not for a file the dev server knows is unchanged, nor for one
   * whose stat matches the last build's record (`digest` then comes from that record).
   */
  raw: RawFile | null;
  /** The digest of the file's bytes (hex), when known. */
  digest?: string;
  /** The bytes were not read: the file's stat matches the last build's record, which gave `digest`. */
  byStat?: true;
  /** The file's size in bytes (0 when it could not be read). */
  size: number;
  /** The previous build's entry, when it is still right for these bytes. */
  reused: PostEntry | null;
  /** Why the file could not be read. */
  diagnostics: Diagnostic[];
  /** A `.txt` file without front matter: not a post but a file of the site, these bytes. */
  asset?: Uint8Array;
}

export interface ReadOptions {
  fs: Fs;
  /** The part of every key shared by all files (settings). */
  context: string;
  display: (abs: string) => string;
  init: WorkerInit;
  previous: Map<string, KnownFile>;
  /** Files (not posts) of the previous build, with their bytes. */
  previousAssets: Map<string, Uint8Array>;
  /** Files that changed since `previous`; undefined: any may have, read them all. */
  changed?: Set<string>;
  /** The last build's stats and digests of the files it read: a file with the same stat is not read. */
  hints?: FileHints;
  /** Bytes of posts held for the posts stage (default READ_AHEAD_BYTES). */
  readAhead?: number;
}

/**
 * The posts' bytes the read stage holds for the posts stage, at most: a larger site's other posts
 * are read again when they are parsed (the workers' chunks as they are sent), so a cold build of
 * 10,000 posts does not hold 64 MB of markdown while they are parsed, nor leave the memory
 * allocator that much freed memory it keeps (at 16 MB, a blog of some 2,500 posts of 6 KB is read once).
 */
export const READ_AHEAD_BYTES = 16 << 20;

/** Reads each file's bytes once (past READ_AHEAD_BYTES, again when parsed); a file the previous build knows, and that did not change, is not read at all. */
export async function readSources(files: string[], o: ReadOptions): Promise<SourceRead[]> {
  // Stat before reading: a change after the stat shows in the next build's stat.
  const stats = o.hints ? await o.fs.stats(files, true) : [];
  // Files known unchanged (most, in a rebuild) are settled at once; only the others are read.
  const out: SourceRead[] = new Array(files.length);
  const toRead: number[] = [];
  files.forEach((absPath, i) => {
    const known = unchangedSource(absPath, stats[i] ?? null, o);
    if (known) out[i] = known;
    else toRead.push(i);
  });
  const kept = { bytes: 0 };
  await mapLimit(toRead, 32, async (i) => void (out[i] = await readSource(files[i]!, stats[i] ?? null, o, kept)));
  return out;
}

/** A file the previous build in this process, its files or the last build's stats say is unchanged; null when it must be read. */
function unchangedSource(absPath: string, st: FileStat | null, o: ReadOptions): SourceRead | null {
  const prev = o.previous.get(absPath);
  const unchanged = o.changed && !o.changed.has(absPath);
  if (prev && unchanged && !needsRender(prev.entry, o.init.sel)) {
    return { absPath, key: prev.key, mtimeMs: prev.mtimeMs, raw: null, size: 0, reused: prev.entry, diagnostics: [] };
  }
  const asset = unchanged ? o.previousAssets.get(absPath) : undefined;
  if (asset) return { absPath, key: undefined, mtimeMs: 0, raw: null, size: asset.byteLength, reused: null, diagnostics: [], asset };
  const rel = relPathOf(absPath, o);
  const hinted = st ? o.hints!.digest(rel, st) : undefined;
  if (hinted) return { absPath, key: entryKey(o.context, rel, o.display(absPath), hinted), digest: hinted, byStat: true, mtimeMs: st!.mtimeMs, raw: null, size: st!.size, reused: null, diagnostics: [] };
  return null;
}

async function readSource(absPath: string, st: FileStat | null, o: ReadOptions, kept: { bytes: number }): Promise<SourceRead> {
  const prev = o.previous.get(absPath);
  const rel = relPathOf(absPath, o);
  // The mtime is read only where it matters: to reuse an entry dated by it, or (later) to parse.
  const mtimeMatters = !!prev && !isStorable(prev.entry) && !st;
  const read = await readRawFile(o.fs, absPath, o.display(absPath), mtimeMatters);
  if (!read.value) return { absPath, key: undefined, mtimeMs: 0, raw: null, size: 0, reused: null, diagnostics: read.diagnostics };
  if (st) read.value.mtimeMs = st.mtimeMs;
  if (absPath.toLowerCase().endsWith('.txt') && !startsWithFrontMatter(new TextDecoder().decode(read.value.bytes.subarray(0, 4096)))) {
    return { absPath, key: undefined, mtimeMs: 0, raw: null, size: read.value.bytes.byteLength, reused: null, diagnostics: [], asset: read.value.bytes };
  }
  const digest = bytesDigest(read.value.bytes);
  if (st) o.hints!.record(rel, st, digest);
  const key = entryKey(o.context, rel, o.display(absPath), digest);
  // An entry dated by its mtime is only right for the same mtime.
  const same = prev && prev.key === key && (isStorable(prev.entry) || prev.mtimeMs === read.value.mtimeMs) && !needsRender(prev.entry, o.init.sel);
  // Past the budget, the bytes are not held: a file to parse is read again then (see processPosts).
  const size = read.value.bytes.byteLength;
  const keep = !same && kept.bytes + size <= (o.readAhead ?? READ_AHEAD_BYTES);
  if (keep) kept.bytes += size;
  return { absPath, key, digest, mtimeMs: read.value.mtimeMs, raw: keep ? read.value : null, size, reused: same ? prev.entry : null, diagnostics: [] };
}

function relPathOf(absPath: string, o: ReadOptions): string {
  return relativePosix(o.init.contentDir, absPath);
}

export interface PostsOptions {
  fs: Fs;
  display: (abs: string) => string;
  init: WorkerInit;
  cache: PostCache | null;
  /** Worker threads to use when there are at least `minFiles` files, or two or more files of at least `minBytes`, to process (1: none). */
  workers: number;
  minFiles: number;
  minBytes: number;
}

export interface PostsResult {
  /** One entry per file, in listing order. */
  entries: PostEntry[];
  /** Per file, for the next build in this process. */
  known: Map<string, KnownFile>;
  /** True when some entry depends on more than the file's bytes (it is not cached). */
  volatile: boolean;
  /** Worker threads that parsed posts (0: none; see `processed` for whether the main thread did). */
  workers: number;
  processed: number;
}

/** Reads the files of the site that are not posts (images, downloads, `static/`); unchanged ones (dev) are not read again. */
export function readAssets(files: string[], o: Pick<ReadOptions, 'fs' | 'display' | 'previousAssets' | 'changed'>): Promise<{ absPath: string; bytes: Uint8Array | null; diagnostics: Diagnostic[] }[]> {
  return mapLimit(files, 32, async (absPath) => {
    const known = o.changed && !o.changed.has(absPath) ? o.previousAssets.get(absPath) : undefined;
    if (known) return { absPath, bytes: known, diagnostics: [] };
    const read = await readRawFile(o.fs, absPath, o.display(absPath));
    return { absPath, bytes: read.value?.bytes ?? null, diagnostics: read.diagnostics };
  });
}

/**
 * Fewest entries a build must take from the cache for parsing ahead to pay (see parseAhead): below
 * it the main thread has too little to do meanwhile, and starting a worker thread (its own copy of
 * the per-file modules) costs more than it saves.
 */
export const MIN_CACHED_TO_PARSE_AHEAD = 500;

/**
 * Posts parsed ahead, on worker threads started before the cache is opened: which reads, and their
 * entries once made. The promise never rejects (a failure is given back, and thrown when awaited).
 */
export interface ParseAhead {
  files: Set<SourceRead>;
  /** How many worker threads. */
  workers: number;
  entries: Promise<Map<SourceRead, PostEntry> | { error: unknown }>;
}

/**
 * A one-shot build with a few posts to parse and many to take from the cache (one post changed or
 * added): the posts whose bytes were read (their stat changed since the last build: they are very
 * likely not in the cache) start now on a worker thread, which loads the front-matter parser and
 * the markdown stage (about a third of a second) and parses them, while this thread opens the
 * cache and decodes the rest. Null when there is nothing to overlap: fewer than
 * MIN_CACHED_TO_PARSE_AHEAD posts known by their stat (a cold build, or a project moved or freshly
 * checked out with its cache restored: every file is read, and the posts held are not known to
 * need parsing), or one thread only. Null too when some post was read but not held (past the
 * read-ahead budget): the posts stage parses it on its own workers, which would run beside these,
 * more threads than cores. A post read but found in the cache after all (touched, not changed) is
 * taken from the cache; its worker result is not used.
 */
export function parseAhead(reads: SourceRead[], o: Pick<PostsOptions, 'init' | 'workers' | 'minFiles' | 'minBytes' | 'fs' | 'display'>, minCached = MIN_CACHED_TO_PARSE_AHEAD): ParseAhead | null {
  if (o.workers < 2) return null;
  const toParse = reads.filter((r) => r.raw && !r.reused && !r.asset);
  const cached = reads.filter((r) => r.byStat).length;
  const notHeld = reads.some((r) => !r.raw && !r.reused && !r.asset && !r.byStat && r.key);
  if (!toParse.length || cached < minCached || notHeld) return null;
  const count = useWorkers(toParse, o) ? o.workers : 1;
  const files = toParse.map((r) => ({ size: r.size, load: loader(r, o) }));
  const entries = processInWorkers(files, o.init, count).then(
    (made) => new Map(toParse.map((r, i) => [r, made[i]!])),
    (error: unknown) => ({ error }),
  );
  return { files: new Set(toParse), workers: count, entries };
}

/** Whether `missing` is worth worker threads: many files, or a few long ones. */
function useWorkers(missing: SourceRead[], o: Pick<PostsOptions, 'workers' | 'minFiles' | 'minBytes'>): boolean {
  const bytes = missing.reduce((n, r) => n + r.size, 0);
  return o.workers > 1 && (missing.length >= o.minFiles || (missing.length >= 2 && bytes >= o.minBytes));
}

/** Loads a file to parse: its bytes, read again when the read stage did not keep them, with its mtime (the last-resort date of an undated post); its entry when it cannot be read now. */
function loader(r: SourceRead, o: Pick<PostsOptions, 'fs' | 'display'>): () => Promise<RawFile | PostEntry> {
  return async () => {
    const raw = r.raw ?? (await readAgain(r, o));
    if (!raw) return unreadable(r.absPath, r.diagnostics);
    if (Number.isNaN(raw.mtimeMs)) raw.mtimeMs = r.mtimeMs = await o.fs.stat(r.absPath).then((st) => st.mtimeMs, () => 0);
    return raw;
  };
}

/** Entries for every file read: reused, from the cache, parsed ahead (see parseAhead), or processed. */
export async function processPosts(reads: SourceRead[], o: PostsOptions, ahead?: ParseAhead | null): Promise<PostsResult> {
  const entries: (PostEntry | undefined)[] = reads.map((r) => {
    if (!r.raw && !r.reused && !r.key) return unreadable(r.absPath, r.diagnostics);
    if (r.reused) return r.reused;
    const hit = o.cache && r.key ? o.cache.get(r.key) : undefined;
    if (hit?.content) Object.defineProperty(hit.content, HTML_DIGEST, { value: r.key, configurable: true });
    // The cache may have been made with the project in another folder: the entry is this file's.
    return hit && !needsRender(hit, o.init.sel) ? { ...hit, absPath: r.absPath } : undefined;
  });
  // Files known by their stat but not found in the cache are read now; files to parse need their
  // mtime (the last-resort date of an undated post).
  const missing = reads.filter((r, i) => !entries[i] && !ahead?.files.has(r));
  const parallel = useWorkers(missing, o);
  // Each entry made goes to the cache as it comes (a cold build's cache file is written as they do).
  const made = (r: SourceRead, entry: PostEntry) => {
    if (!r.key || !isStorable(entry)) return;
    // Its HTML is known by the file's key, as it will be when the entry comes from the cache.
    if (entry.content) Object.defineProperty(entry.content, HTML_DIGEST, { value: r.key, configurable: true });
    // Stored without its absolute path (set anew when it is taken): the cache names no folder.
    o.cache?.set(r.key, { ...entry, absPath: '' });
  };
  // A file whose bytes are not held (known by its stat, or past the read stage's budget) is read
  // when it is parsed: in the workers' case, as its chunk is sent.
  let processed: PostEntry[];
  if (parallel) processed = await processInWorkers(missing.map((r) => ({ size: r.size, load: loader(r, o) })), o.init, o.workers, (k, entry) => made(missing[k]!, entry));
  else {
    const ctx = fileContext(o.init);
    processed = await mapLimit(missing, 16, async (r) => {
      const raw = await loader(r, o)();
      const entry = 'bytes' in raw ? await processPostFile(ctx, raw) : raw;
      made(r, entry);
      return entry;
    });
  }
  const parsed = new Map(missing.map((r, i) => [r, processed[i]!]));
  // Posts parsed ahead that the cache did not have after all (nearly always all of them).
  const early = ahead ? reads.filter((r, i) => !entries[i] && ahead.files.has(r)) : [];
  if (early.length) {
    const done = await ahead!.entries;
    if ('error' in done) throw done.error;
    for (const r of early) made(r, done.get(r)!), parsed.set(r, done.get(r)!);
  }
  let volatile = false;
  const known = new Map<string, KnownFile>();
  const all = reads.map((r, i) => {
    const entry = entries[i] ?? parsed.get(r)!;
    if (!isStorable(entry)) volatile = true;
    if (r.raw || r.reused || r.key) known.set(r.absPath, { key: r.key, mtimeMs: r.mtimeMs, entry });
    r.raw = null; // the bytes are parsed: not held while the rest of the site is built (60 MB at 10,000 posts)
    return entry;
  });
  return { entries: all, known, volatile, workers: parallel ? o.workers : early.length ? ahead!.workers : 0, processed: missing.length + early.length };
}

/** The bytes of a file the read stage did not keep, checked against the digest it was keyed by; null when it cannot be read now. */
async function readAgain(r: SourceRead, o: Pick<PostsOptions, 'fs' | 'display'>): Promise<RawFile | null> {
  const read = await readRawFile(o.fs, r.absPath, o.display(r.absPath), false);
  if (!read.value) {
    r.key = undefined;
    r.diagnostics = read.diagnostics;
    return null;
  }
  // Changed since it was read or stat'ed: parsed, but not stored under the key of the bytes it had.
  if (bytesDigest(read.value.bytes) !== r.digest) r.key = undefined;
  return { ...read.value, mtimeMs: r.mtimeMs };
}

function unreadable(absPath: string, diagnostics: Diagnostic[]): PostEntry {
  return { absPath, digest: '', post: null, content: null, diagnostics };
}

function bytesDigest(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
