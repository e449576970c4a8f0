/**
 * The persistent build cache: each content file's per-file result (post, rendered content and
 * diagnostics), keyed by everything it depends on, so an unchanged post is neither parsed nor
 * rendered again by the next build.
 *
 * One file, `posts.bin`: a header, then records, each with a CRC-32. A record that is truncated,
 * fails its checksum, cannot be decoded or does not have the shape of an entry is skipped (and
 * rebuilt); a file with a foreign header (another format version included) is ignored whole. When
 * two records have the same key, the later one is used. A build appends the entries it made to the
 * end of the file; the file is rewritten (atomically, by rename) with only the entries the build
 * used when the records it did not use would outweigh those it did, when appending would pass the
 * size limit, or when the file was damaged, foreign, absent or a symbolic link (never appended
 * through). So it holds at most about two sites' worth, and never more than the limit. A file
 * larger than that limit, or a folder in its place, is rejected by its size and type without being
 * read (and a folder is left alone).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { Fs } from '../fs.ts';
import { replaceFile } from './replace-file.ts';
import type { PostEntry } from '../content/process.ts';
import { HTML_DIGEST } from '../model.ts';

const MAGIC = Buffer.from('QUIRE-CACHE posts 2\n');
const FILE = 'posts.bin';
const LIBRARIES = ['gray-matter', 'yaml', 'smol-toml', 'remark', 'remark-gfm', 'remark-html', 'hast-util-sanitize', 'github-slugger', 'lowlight', 'highlight.js', 'micromark', 'mdast-util-from-markdown', 'mdast-util-to-hast', 'hast-util-to-html', 'micromark-extension-math', 'mdast-util-math', 'temml'];
/** Upper bound on the cache file: past it, further entries are not stored. */
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Records skipped because they were truncated, corrupt or malformed. */
  rejected: number;
}

export interface PostCache {
  get(key: string): PostEntry | undefined;
  set(key: string, entry: PostEntry): void;
  /** Appends the entries set by this build, or rewrites the file with the entries it used (see above); writes nothing when there is nothing to. */
  save(): Promise<void>;
  readonly stats: CacheStats;
}

/**
 * The part of every key that is the same for all files: the pipeline's own code, the versions of
 * the libraries it runs, and the build's settings (config, layouts). Like every key here it holds
 * no absolute path, machine name or mtime, so a cache made in one folder or on one machine serves
 * the same project in another (a deploy restoring `.cache/quire`).
 */
export function contextKey(settings: unknown): string {
  return createHash('sha1').update(PIPELINE_VERSION).update('\0').update(JSON.stringify(settings)).digest('hex');
}

/**
 * The key of one file: the context, the file's path inside the content folder (`posts/a.md`), the
 * path its diagnostics show (relative to where the command runs; absolute only for a file far
 * outside it, which its messages then name), and its bytes. An entry holds nothing else that
 * depends on where the project is: its `absPath` is set anew when it is taken from the cache.
 */
export function entryKey(context: string, relPath: string, shownAs: string, bytes: Uint8Array): string {
  return createHash('sha1').update(context).update('\0').update(relPath).update('\0').update(shownAs).update('\0').update(bytes).digest('hex');
}

export async function openPostCache(fs: Fs, dir: string, maxBytes = DEFAULT_MAX_BYTES): Promise<PostCache> {
  const file = path.join(dir, FILE);
  const stats: CacheStats = { hits: 0, misses: 0, rejected: 0 };
  let data: Buffer | null = null;
  const link = await fs.lstat(file).catch(() => null); // none: no cache yet
  const found = link?.isSymbolicLink() ? await fs.stat(file).catch(() => null) : link;
  // Never larger than `maxBytes` when we wrote it: a bigger file (or a folder) is not ours, and not read.
  if (found && (!found.isFile() || found.size > maxBytes)) stats.rejected++;
  else if (found) data = await fs.readFile(file).catch(() => null);
  // Records are only framed here; each is checked and decoded when it is asked for.
  const index = new Map<string, Buffer>();
  if (data) stats.rejected += frame(data, index);
  // Appended to only when it is ours and whole, and a file of its own (not a link).
  const appendTo = data && stats.rejected === 0 && data.length >= MAGIC.length && link?.isFile() ? data.length : null;
  /** What this build used: a loaded record (kept as bytes) or a new entry. */
  const used = new Map<string, Buffer | PostEntry>();
  return {
    stats,
    get(key) {
      const record = index.get(key);
      const entry = record && open(record);
      if (entry) (stats.hits++, used.set(key, record));
      else (stats.misses++, record && stats.rejected++); // a damaged record: the next save rewrites the file
      return entry || undefined;
    },
    set(key, entry) {
      used.set(key, entry);
    },
    async save() {
      if (!found && used.size === 0) return; // no file, and nothing to keep
      const fresh = new Map<string, Buffer>(); // new entries' records, when they were needed to decide
      if (appendTo !== null && stats.rejected === 0) {
        let kept = 0; // bytes of the file's records this build used
        let added = 0;
        for (const [key, value] of used) {
          if (Buffer.isBuffer(value)) kept += value.length;
          else {
            const record = encode(key, value);
            fresh.set(key, record);
            added += record.length;
          }
        }
        const unused = appendTo - MAGIC.length - kept;
        if (unused <= kept + added && appendTo + added <= maxBytes) {
          if (added === 0) return; // nothing new, and little dead weight
          // Still the file we read (not replaced, cut or grown by another build meanwhile): append.
          const now = await fs.lstat(file).catch(() => null);
          if (now?.isFile() && now.size === appendTo) return fs.appendFile(file, [...fresh.values()]);
        }
      }
      // Written whole, in key order, each new record encoded as it is written: a cold build's
      // 10,000 records (100 MB) are never all in memory at once.
      const sorted = [...used].sort(([a], [b]) => (a < b ? -1 : 1));
      function* records(): Generator<Buffer> {
        yield MAGIC;
        let total = MAGIC.length;
        for (const [key, value] of sorted) {
          const record = Buffer.isBuffer(value) ? value : (fresh.get(key) ?? encode(key, value));
          if (total + record.length > maxBytes) return;
          total += record.length;
          yield record;
        }
      }
      await replaceFile(fs, file, records());
    },
  };
}

/**
 * The strings of an entry that are stored as UTF-8 beside its V8 serialisation. V8 writes a string
 * as it holds it, and it can hold the rendered HTML (most of an entry) and the search lead two bytes
 * a character: when any character is beyond Latin-1 (typographic quotes, the lead's `…`), or, for
 * text the markdown stage did not make one-byte (see text/one-byte.ts), even when every character
 * is ASCII. The rest is left to V8: in the generated
 * corpus its two-byte strings (a few words of the word lists) cost under 50 bytes a record, and the
 * first paragraph and the table of contents were already one byte a character.
 */
const TEXTS: { get(e: PostEntry): unknown; set(e: PostEntry, utf8: Buffer): void; clear(e: PostEntry): PostEntry }[] = [
  {
    get: (e) => e.content?.html,
    set: (e, utf8) => lazyText(e.content!, utf8), // decoded when read: most are not
    clear: (e) => ({ ...e, content: { ...e.content!, html: '' } }),
  },
  {
    get: (e) => e.content?.words?.lead,
    set: (e, utf8) => void (e.content!.words!.lead = utf8.toString('utf8')),
    clear: (e) => ({ ...e, content: { ...e.content!, words: { ...e.content!.words!, lead: '' } } }),
  },
];

/**
 * Record: u32 length of the rest · u32 CRC-32 of what follows it · u16 key length · key · u8 which
 * TEXTS follow · for each, u32 length and its UTF-8 bytes · V8 serialisation of the rest of the entry.
 */
function encode(key: string, entry: PostEntry): Buffer {
  const keyBytes = Buffer.from(key, 'latin1');
  const texts: Buffer[] = [];
  let mask = 0;
  let rest = entry;
  TEXTS.forEach((t, i) => {
    const text = t.get(entry);
    if (typeof text !== 'string') return;
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    texts.push(length, bytes);
    mask |= 1 << i;
    rest = t.clear(rest);
  });
  const head = Buffer.alloc(10);
  const tail = Buffer.concat([keyBytes, Buffer.of(mask), ...texts, serialize(rest)]);
  head.writeUInt32BE(6 + tail.length, 0);
  head.writeUInt16BE(keyBytes.length, 8);
  head.writeUInt32BE(crc32(tail, crc32(head.subarray(8))), 4);
  return Buffer.concat([head, tail]);
}

/** Splits the file into records by key (a later record wins); returns how many were rejected (a foreign file or a cut-off tail counts one). */
function frame(data: Buffer, into: Map<string, Buffer>): number {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return data.length > 0 ? 1 : 0;
  let at = MAGIC.length;
  while (at < data.length) {
    if (at + 10 > data.length) return 1; // truncated header
    const length = data.readUInt32BE(at);
    const end = at + 4 + length;
    const keyLength = data.readUInt16BE(at + 8);
    if (length < 7 + keyLength || end > data.length) return 1; // truncated record: nothing after it can be trusted
    into.set(data.toString('latin1', at + 10, at + 10 + keyLength), data.subarray(at, end));
    at = end;
  }
  return 0;
}

/** The entry in a framed record, or null when its checksum, encoding or shape is wrong. */
function open(record: Buffer): PostEntry | null {
  if (crc32(record.subarray(8)) !== record.readUInt32BE(4)) return null;
  try {
    let at = 10 + record.readUInt16BE(8);
    const mask = record.readUInt8(at++);
    const texts: [number, Buffer][] = [];
    for (let i = 0; i < TEXTS.length; i++) {
      if (!(mask & (1 << i))) continue;
      const end = at + 4 + record.readUInt32BE(at);
      if (end > record.length) return null;
      texts.push([i, record.subarray(at + 4, end)]);
      at = end;
    }
    if (mask >> TEXTS.length) return null;
    const entry = deserialize(record.subarray(at)) as PostEntry;
    for (const [i] of texts) if (TEXTS[i]!.get(entry) !== '') return null; // stored as UTF-8, so left empty in the rest
    if (!isEntry(entry)) return null;
    for (const [i, bytes] of texts) TEXTS[i]!.set(entry, bytes);
    return entry;
  } catch {
    return null;
  }
}

/**
 * The HTML of a cached post is decoded when something reads it: with one post changed, most pages
 * are kept (see page-cache.ts), and the HTML of most posts is never read. Assigning replaces it.
 */
function lazyText(content: { html: string }, bytes: Buffer): void {
  let text: string | undefined;
  Object.defineProperty(content, 'html', {
    get: () => (text ??= bytes.toString('utf8')),
    // A new HTML is no longer the one the cache key stands for (see HTML_DIGEST).
    set: (value: string) => void ((text = value), delete (content as { [HTML_DIGEST]?: string })[HTML_DIGEST]),
    enumerable: true,
    configurable: true,
  });
}

function isEntry(v: unknown): v is PostEntry {
  const e = v as PostEntry;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.absPath === 'string' && typeof e.digest === 'string' && Array.isArray(e.diagnostics) &&
    (e.post === null || (typeof e.post === 'object' && typeof e.post.title === 'string' && typeof e.post.date?.epochMs === 'number')) &&
    (e.content === null || (typeof e.content === 'object' && typeof e.content.html === 'string'))
  );
}

/**
 * The pipeline's version: a digest of Quire's own code and of the installed libraries' versions
 * (package-lock.json, and the libraries that shape a post), so that a changed stage or a new remark
 * invalidates every entry.
 *
 * "Quire's own code" is the code that is running: `dist/` (compiled JavaScript) when run as users
 * run it, `src/` when run from the TypeScript sources (the tests, through tsx). Keying on what runs
 * means an entry is only ever reused by the code that made it; were it keyed on `src/` while
 * `dist/` runs, a `dist/` that is out of date with `src/` could store its results under the new
 * code's key. The compiled output is deterministic (same `src/`, tsconfig and compiler give the
 * same bytes, which the package-lock pins), so every machine building the same checkout gets the
 * same key. Paths are hashed relative to that folder.
 */
const PIPELINE_VERSION = (() => {
  const hash = createHash('sha1');
  const code = path.resolve(import.meta.dirname, '..'); // src/ or dist/
  const root = path.dirname(code);
  // Dot files are not code: dist/'s records of what it was compiled from hold mtimes.
  for (const entry of readdirSync(code, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => path.join(e.parentPath, e.name)).sort()) {
    hash.update(path.relative(code, entry).split(path.sep).join('/')).update(readFileSync(entry));
  }
  for (const name of ['package-lock.json', ...LIBRARIES.map((lib) => `node_modules/${lib}/package.json`)]) {
    try {
      hash.update(name).update(readFileSync(path.join(root, name)));
    } catch {
      hash.update(`${name} missing`);
    }
  }
  return hash.digest('hex');
})();
