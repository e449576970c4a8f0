/**
 * The persistent build cache: each content file's per-file result (post, rendered content and
 * diagnostics), keyed by everything it depends on, so an unchanged post is neither parsed nor
 * rendered again by the next build.
 *
 * One file, `posts.bin`: a header, then records, each with CRC-32s. A record that is truncated,
 * fails a checksum, cannot be decoded or does not have the shape of an entry is skipped (and
 * rebuilt); a file with a foreign header (another format version included) is ignored whole. When
 * two records have the same key, the later one is used. A build appends the entries it made to the
 * end of the file; the file is rewritten (atomically, by rename) with only the entries the build
 * used when the records it did not use would outweigh those it did, when appending would pass the
 * size limit, or when the file was damaged, foreign, absent or a symbolic link (never appended
 * through). So it holds at most about two sites' worth, and never more than the limit. A file
 * larger than that limit, or a folder in its place, is rejected by its size and type without being
 * read (and a folder is left alone).
 *
 * A post's HTML (most of its record) is not kept in memory: the build holds the file open and
 * reads a post's HTML from it each time a page asks for it (a page, a feed). So is the HTML of
 * the posts a build renders, once it has saved them. With one post changed, the other posts' HTML
 * is never read at all; at 10,000 posts a build holds about 190 MB less (the file and the decoded
 * HTML).
 */
import path from 'node:path';
import { createHash, hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { relativePosix } from '../paths.ts';
import type { Fs, ReadHandle, WriteHandle } from '../fs.ts';
import { replaceFile, temporaryFile } from './replace-file.ts';
import type { PostEntry } from '../content/process.ts';
import type { RenderedContent } from '../model.ts';
import { HTML_DIGEST } from '../model.ts';

const MAGIC = Buffer.from('QUIRE-CACHE posts 4\n');
const FILE = 'posts.bin';
const LIBRARIES = ['gray-matter', 'yaml', 'smol-toml', 'remark', 'remark-gfm', 'remark-html', 'hast-util-sanitize', 'github-slugger', 'lowlight', 'highlight.js', 'micromark', 'mdast-util-from-markdown', 'mdast-util-to-hast', 'hast-util-to-html', 'micromark-extension-math', 'mdast-util-math', 'temml'];
/** Upper bound on the cache file: past it, further entries are not stored. */
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** The file is framed through a window of this many bytes (records are read in turn; long HTML past the window is skipped). */
const WINDOW = 1 << 20;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Records skipped because they were truncated, corrupt or malformed. */
  rejected: number;
}

export interface PostCache {
  get(key: string): PostEntry | undefined;
  set(key: string, entry: PostEntry): void;
  /**
   * Appends the entries set by this build, or rewrites the file with the entries it used (see
   * above); writes nothing when there is nothing to. The HTML of the entries it wrote is then read
   * from the file when asked for, no longer held in memory. When there was no file to append to,
   * the new one was written as the entries were set, and is put in place now.
   */
  save(): Promise<void>;
  /** Removes the new file a build that does not save had begun (see `save`). */
  discard(): Promise<void>;
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
 * outside it, which its messages then name), and the digest of its bytes (hex). An entry holds
 * nothing else that depends on where the project is: its `absPath` is set anew when it is taken
 * from the cache. One call of `hash` (no names or digests hold a NUL): a build makes one key per
 * post, thousands, even when nothing changed, and a `Hash` object each cost twice as much.
 */
export function entryKey(context: string, relPath: string, shownAs: string, digest: string): string {
  return hash('sha1', `${context}\0${relPath}\0${shownAs}\0${digest}`);
}

/**
 * Record: u32 length of the rest · u32 CRC-32 of the head · the head: u32 CRC-32 of the HTML · u32
 * the HTML's length · u16 key length · key · u8 flags (1: the entry has HTML; 2: the search lead
 * follows; 4: the table of contents and links follow) · [u32 length and the lead's UTF-8 bytes] ·
 * [u32 length and the UTF-8 of the JSON `[toc, links]`] · V8 serialisation of the rest of the
 * entry · then the HTML as UTF-8.
 *
 * The HTML and the lead are stored as UTF-8, not left to V8, which writes a string as it holds it:
 * two bytes a character when any is beyond Latin-1 (typographic quotes, the lead's `…`), or, for
 * text the markdown stage did not make one-byte (see text/one-byte.ts), even when every character
 * is ASCII. The rest is left to V8: in the generated corpus its two-byte strings (a few words of
 * the word lists) cost under 50 bytes a record.
 */
const HAS_HTML = 1;
const HAS_LEAD = 2;
const HAS_PAGE_ONLY = 4;

/**
 * A post's table of contents and its markdown links (with their lines) are needed only when its
 * page is rendered or a link on it is reported, and with one post changed neither happens to the
 * others. Stored as one JSON text, read when first asked for: decoded with the rest, they were
 * about two thirds of the objects a record makes (deserialising 4,000 entries: 164 against 103 ms).
 */
function pageOnlyText(content: RenderedContent): string {
  return JSON.stringify([content.toc, content.links]);
}

/**
 * What a cached post's content reads when first asked for: the JSON text of its table of contents
 * and links (see pageOnlyText), and where its HTML is in a cache file (see htmlFromFile). Kept under
 * a symbol, not enumerable, so no copy of the content (`{ ...content }`) carries it.
 *
 * The lazy properties are accessors shared by every content object (the functions below), with
 * their state here: accessors made for each object (closures) gave each of them a hidden class of
 * its own, 4.6 MB of 4,000 cached posts' 19 MB. Assigning one of them makes it a plain property.
 */
interface Lazy {
  pageOnly?: string;
  parsed?: [RenderedContent['toc'], RenderedContent['links']];
  html?: { file: ReadHandle; at: number; length: number; crc: number };
}
const LAZY: unique symbol = Symbol('quire.lazyContent');

function lazyOf(content: RenderedContent): Lazy {
  let lazy = (content as { [LAZY]?: Lazy })[LAZY];
  if (!lazy) Object.defineProperty(content, LAZY, { value: (lazy = {}) });
  return lazy;
}

/** Makes `name` a plain property of `content` holding `value` (what assigning a lazy property does). */
function settle(content: RenderedContent, name: 'toc' | 'links' | 'html', value: unknown): void {
  Object.defineProperty(content, name, { value, writable: true, enumerable: true, configurable: true });
}

function pageOnlyPart(content: RenderedContent, i: 0 | 1): unknown {
  const lazy = lazyOf(content);
  return (lazy.parsed ??= JSON.parse(lazy.pageOnly!) as NonNullable<Lazy['parsed']>)[i];
}

/** The accessor of `toc` (part 0 of the text) or `links` (part 1), made once: every content object shares it. */
function pageOnlyAccessor(name: 'toc' | 'links', part: 0 | 1): PropertyDescriptor {
  return {
    get(this: RenderedContent) {
      return pageOnlyPart(this, part);
    },
    set(this: RenderedContent, value: unknown) {
      settle(this, name, value);
    },
    enumerable: true,
    configurable: true,
  };
}

const LAZY_TOC = pageOnlyAccessor('toc', 0);
const LAZY_LINKS = pageOnlyAccessor('links', 1);

/** Gives `content` its `toc` and `links` from `text` (see pageOnlyText), parsed when first read; assigning replaces one. */
function pageOnlyFromText(content: RenderedContent, text: string): void {
  lazyOf(content).pageOnly = text;
  Object.defineProperty(content, 'toc', LAZY_TOC);
  Object.defineProperty(content, 'links', LAZY_LINKS);
}

/**
 * Where a record is in the file (its head from its CRC on: `headLength` bytes from `at + 4`), and
 * its entry when it was decoded as the file was framed (null: its head is damaged), until taken.
 */
interface Located {
  at: number;
  length: number;
  headLength: number;
  entry?: PostEntry | null;
}

/** Where the HTML of a record written by this build is in the file, its length and CRC. */
interface WrittenHtml {
  at: number;
  length: number;
  crc: number;
}

/** Where the HTML of `record`, written at `at` in the file, is (from the record's head); null when it has none. */
function htmlIn(record: Buffer, at: number): WrittenHtml | null {
  const length = record.readUInt32BE(12);
  return length > 0 ? { at: at + record.length - length, length, crc: record.readUInt32BE(8) } : null;
}

function encode(key: string, entry: PostEntry): Buffer {
  const content = entry.content;
  const html = content ? Buffer.from(content.html, 'utf8') : Buffer.alloc(0);
  const lead = content?.words?.lead;
  let rest = entry;
  const texts: Buffer[] = [];
  let flags = content ? HAS_HTML : 0;
  const text = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    texts.push(length, bytes);
  };
  if (typeof lead === 'string') {
    text(lead);
    flags |= HAS_LEAD;
    rest = { ...rest, content: { ...content!, words: { ...content!.words!, lead: '' } } };
  }
  if (content) {
    text(pageOnlyText(content));
    flags |= HAS_PAGE_ONLY;
    rest = { ...rest, content: { ...rest.content!, html: '', toc: [], links: [] } };
  }
  const keyBytes = Buffer.from(key, 'latin1');
  const fields = Buffer.alloc(10);
  fields.writeUInt32BE(crc32(html), 0);
  fields.writeUInt32BE(html.length, 4);
  fields.writeUInt16BE(keyBytes.length, 8);
  const head = Buffer.concat([fields, keyBytes, Buffer.of(flags), ...texts, serialize(rest)]);
  const start = Buffer.alloc(8);
  start.writeUInt32BE(4 + head.length + html.length, 0);
  start.writeUInt32BE(crc32(head), 4);
  return Buffer.concat([start, head, html]);
}

/**
 * Splits the file into records by key (a later record wins), reading it through a window; a
 * record's HTML is checked now, so one damaged later costs only itself. The records of `wanted`
 * keys are decoded now, from the window (copied out of it instead, their heads were 13 MB of new
 * memory at 4,000 posts, and cost more than decoding); the others when asked for. Returns how many
 * records were rejected (a foreign file or a cut-off tail counts one).
 */
function frame(file: ReadHandle, into: Map<string, Located>, wanted: ReadonlySet<string>): number {
  const size = file.size;
  // One window, read into again and again: memory a process touches for the first time costs
  // several times the reading (a new buffer per window took 0.12-0.19 s for a 45 MB file, one
  // buffer 12 ms). What `bytes` returns is valid until its next call.
  const buffer = Buffer.allocUnsafe(Math.min(WINDOW, size));
  let start = 0;
  let window: Buffer = buffer.subarray(0, 0); // the bytes read last (in `buffer`, where the file reads into it)
  const bytes = (at: number, length: number): Buffer => {
    if (length > buffer.length) return file.read(at, length); // a record longer than the window: on its own
    if (at < start || at + length > start + window.length) {
      start = at;
      window = file.read(at, Math.min(buffer.length, size - at), buffer);
    }
    return window.subarray(at - start, at - start + length);
  };
  if (size < MAGIC.length || !bytes(0, MAGIC.length).equals(MAGIC)) return size > 0 ? 1 : 0;
  let rejected = 0;
  let at = MAGIC.length;
  while (at < size) {
    if (at + 18 > size) return rejected + 1; // truncated header
    const fields = bytes(at, 18);
    const length = fields.readUInt32BE(0);
    const htmlCrc = fields.readUInt32BE(8);
    const htmlLength = fields.readUInt32BE(12);
    const keyLength = fields.readUInt16BE(16);
    const end = at + 4 + length;
    const headLength = length - 4 - htmlLength;
    if (headLength < 11 + keyLength || end > size) return rejected + 1; // truncated record: nothing after it can be trusted
    const key = bytes(at + 18, keyLength).toString('latin1');
    if (crc32(bytes(end - htmlLength, htmlLength)) !== htmlCrc) {
      rejected++;
      into.delete(key); // a damaged later record: the earlier one is no longer the latest either
    } else {
      const record: Located = { at, length: 4 + length, headLength: 4 + headLength };
      if (wanted.has(key)) record.entry = open(record, bytes(at + 4, 4 + headLength), file);
      into.set(key, record);
    }
    at = end;
  }
  return rejected;
}

/** The entry in a located record with this head, its HTML read from `file` when asked for; null when the head's checksum, encoding or shape is wrong. */
function open(record: Located, head: Buffer, file: ReadHandle): PostEntry | null {
  if (head.length !== record.headLength) return null;
  if (crc32(head.subarray(4)) !== head.readUInt32BE(0)) return null;
  try {
    const htmlCrc = head.readUInt32BE(4);
    const htmlLength = head.readUInt32BE(8);
    let at = 14 + head.readUInt16BE(12);
    const flags = head.readUInt8(at++);
    if (flags & ~(HAS_HTML | HAS_LEAD | HAS_PAGE_ONLY)) return null;
    const text = (): string | null => {
      const end = at + 4 + head.readUInt32BE(at);
      if (end > head.length) return null;
      const s = head.toString('utf8', at + 4, end);
      at = end;
      return s;
    };
    const lead = flags & HAS_LEAD ? text() : undefined;
    const pageOnly = flags & HAS_PAGE_ONLY ? text() : undefined;
    if (lead === null || pageOnly === null) return null;
    const entry = deserialize(head.subarray(at)) as PostEntry;
    if (!isEntry(entry) || !!(flags & HAS_HTML) !== !!entry.content || (!entry.content && htmlLength)) return null;
    if (!!entry.content !== (pageOnly !== undefined)) return null;
    if (lead !== undefined) {
      if (entry.content?.words?.lead !== '') return null; // stored as UTF-8, so left empty in the rest
      entry.content.words.lead = lead;
    }
    if (entry.content) {
      if (entry.content.html !== '' || entry.content.toc.length || entry.content.links.length) return null; // stored in their own places
      pageOnlyFromText(entry.content, pageOnly!);
      htmlFromFile(entry.content, file, record.at + record.length - htmlLength, htmlLength, htmlCrc);
    }
    return entry;
  } catch {
    return null;
  }
}

/**
 * The HTML read last from each file, newest last: a page reads its post's HTML twice in a row
 * (Handlebars copies the context's properties for a partial, then the template reads it), and the
 * second is taken from here. Kept with the file, so builds that do not share it share nothing.
 */
const lastRead = new WeakMap<ReadHandle, { content: RenderedContent; html: string }[]>();
const RECENT = 4;

/**
 * A post's HTML, read from the cache file each time something reads it (its page, a feed) and not
 * kept: with one post changed most pages are kept (see page-cache.ts) and most posts' HTML is
 * never read; a build that renders them all holds a few at a time. Assigning replaces it.
 */
function htmlFromFile(content: RenderedContent, file: ReadHandle, at: number, length: number, crc: number): void {
  if (!lastRead.has(file)) lastRead.set(file, []);
  lazyOf(content).html = { file, at, length, crc };
  Object.defineProperty(content, 'html', LAZY_HTML);
}

const LAZY_HTML: PropertyDescriptor = {
  get(this: RenderedContent) {
    const { file, at, length, crc } = lazyOf(this).html!;
    const recent = lastRead.get(file)!;
    const hit = recent.find((r) => r.content === this);
    if (hit) return hit.html;
    const bytes = file.read(at, length);
    // Checked when the file was framed or written: only a change made to it since, by something else, fails here.
    if (bytes.length !== length || crc32(bytes) !== crc) throw new Error('the build cache (posts.bin) was changed while this build used it: build again, or with --no-cache');
    const html = bytes.toString('utf8');
    if (recent.push({ content: this, html }) > RECENT) recent.shift();
    return html;
  },
  // A new HTML is no longer the one the cache key stands for (see HTML_DIGEST).
  set(this: RenderedContent, value: string) {
    settle(this, 'html', value);
    delete (this as { [HTML_DIGEST]?: string })[HTML_DIGEST];
  },
  enumerable: true,
  configurable: true,
};

/** The new cache file of a build that writes it whole, while its entries are set. */
interface Spill {
  name: string;
  file: WriteHandle;
  /** A write failed: the file is written whole at save instead. */
  broken: boolean;
}

async function openSpill(fs: Fs, file: string): Promise<Spill | null> {
  try {
    const name = await temporaryFile(fs, file);
    const handle = await fs.openNew(name);
    try {
      handle.append(MAGIC);
    } catch (e) {
      await fs.rm(name).catch(() => undefined);
      throw e;
    }
    return { name, file: handle, broken: false };
  } catch {
    return null; // written whole at save, as a cache without a spill file
  }
}

/** `wanted`: the keys the build will ask for (decoded as the file is read); others are decoded when asked for. */
export async function openPostCache(fs: Fs, dir: string, options: { maxBytes?: number; wanted?: ReadonlySet<string> } = {}): Promise<PostCache> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const file = path.join(dir, FILE);
  const stats: CacheStats = { hits: 0, misses: 0, rejected: 0 };
  let data: ReadHandle | null = null;
  const link = await fs.lstat(file).catch(() => null); // none: no cache yet
  const found = link?.isSymbolicLink() ? await fs.stat(file).catch(() => null) : link;
  // Never larger than `maxBytes` when we wrote it: a bigger file (or a folder) is not ours, and not read.
  if (found && (!found.isFile() || found.size > maxBytes)) stats.rejected++;
  else if (found) data = await fs.openRead(file).catch(() => null);
  // Records are framed here (their HTML checked); each head is checked and decoded then or when it is asked for.
  const index = new Map<string, Located>();
  if (data) stats.rejected += frame(data, index, options.wanted ?? new Set());
  // Appended to only when it is ours and whole, and a file of its own (not a link).
  const appendTo = data && stats.rejected === 0 && data.size >= MAGIC.length && link?.isFile() ? data.size : null;
  /** What this build used: a record of the file or a new entry. */
  const used = new Map<string, Located | PostEntry>();
  const isLocated = (v: Located | PostEntry): v is Located => 'headLength' in v;
  // A file written whole (there is none to append to: a cold build): the new file is written as
  // entries come, each new entry's record when it is set, and its HTML read from there from then
  // on. A cold build of 10,000 posts never holds their HTML (76 MB) at once.
  let spill = appendTo === null && !(found && !found.isFile()) ? await openSpill(fs, file) : null;
  /** Keys whose records are in the spill file. */
  const spilled = new Set<string>();
  /** The records of the old file this build used, not yet in the spill file: written ahead of the new ones, in key order. */
  const spillUsed = (s: Spill) => {
    const records = [...used].filter(([key, v]) => isLocated(v) && !spilled.has(key)).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [key, v] of records as [string, Located][]) {
      if (s.file.size + v.length > maxBytes) return;
      s.file.append(data!.read(v.at, v.length));
      spilled.add(key);
    }
  };
  /** The new entries' HTML in the file just written: read from there from now on (where the file holds what was written). */
  const release = async (written: Map<string, WrittenHtml>) => {
    if (!written.size) return;
    const saved = await fs.openRead(file).catch(() => null);
    if (!saved) return;
    for (const [key, html] of written) {
      const content = (used.get(key) as PostEntry).content;
      const bytes = saved.read(html.at, html.length);
      if (content && bytes.length === html.length && crc32(bytes) === html.crc) htmlFromFile(content, saved, html.at, html.length, html.crc);
    }
  };
  /** Notes where a new record's HTML went. */
  const note = (written: Map<string, WrittenHtml>, key: string, at: number, record: Buffer) => {
    const html = htmlIn(record, at);
    if (html) written.set(key, html);
  };
  return {
    stats,
    get(key) {
      const record = index.get(key);
      const entry = record ? (record.entry !== undefined ? record.entry : open(record, data!.read(record.at + 4, record.headLength), data!)) : null;
      if (record) record.entry = undefined; // taken: asked again, it is decoded anew; a rewrite copies the record from the file
      if (entry) {
        stats.hits++;
        used.set(key, record!);
      } else {
        stats.misses++;
        if (record) stats.rejected++; // a damaged record: the next save rewrites the file
      }
      return entry || undefined;
    },
    async discard() {
      if (spill) await fs.rm(spill.name).catch(() => undefined);
      spill = null;
    },
    set(key, entry) {
      used.set(key, entry);
      if (!spill || spill.broken) return;
      const record = encode(key, entry);
      try {
        if (!spilled.size) spillUsed(spill);
        if (spill.file.size + record.length > maxBytes) return; // the file is full: not stored
        const at = spill.file.size;
        spill.file.append(record);
        spilled.add(key);
        const html = htmlIn(record, at);
        if (entry.content && html) htmlFromFile(entry.content, spill.file, html.at, html.length, html.crc);
      } catch {
        spill.broken = true; // written whole at save instead, from the entries
      }
    },
    async save() {
      const s = spill;
      spill = null;
      if (s && !s.broken) {
        try {
          if (!found && used.size === 0) return await fs.rm(s.name); // no file, and nothing to keep
          spillUsed(s);
          return await fs.rename(s.name, file);
        } catch (e) {
          await fs.rm(s.name).catch(() => undefined);
          throw e;
        }
      }
      if (s) await fs.rm(s.name).catch(() => undefined);
      if (!found && used.size === 0) return; // no file, and nothing to keep
      const fresh = new Map<string, Buffer>(); // new entries' records, when they were needed to decide
      if (appendTo !== null && stats.rejected === 0) {
        let kept = 0; // bytes of the file's records this build used
        let added = 0;
        for (const [key, value] of used) {
          if (isLocated(value)) kept += value.length;
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
          if (now?.isFile() && now.size === appendTo) {
            await fs.appendFile(file, [...fresh.values()]);
            const written = new Map<string, WrittenHtml>();
            let at = appendTo;
            for (const [key, record] of fresh) (note(written, key, at, record), (at += record.length));
            return release(written);
          }
        }
      }
      // Written whole, in key order, each new record encoded as it is written: a cold build's
      // 10,000 records (100 MB) are never all in memory at once; records of the old file are
      // copied from it.
      const sorted = [...used].sort(([a], [b]) => (a < b ? -1 : 1));
      const written = new Map<string, WrittenHtml>();
      function* records(): Generator<Buffer> {
        yield MAGIC;
        let total = MAGIC.length;
        for (const [key, value] of sorted) {
          const record = isLocated(value) ? data!.read(value.at, value.length) : (fresh.get(key) ?? encode(key, value));
          if (total + record.length > maxBytes) return;
          if (!isLocated(value)) note(written, key, total, record);
          total += record.length;
          yield record;
        }
      }
      await replaceFile(fs, file, records());
      await release(written);
    },
  };
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
  const digest = createHash('sha1');
  const code = path.resolve(import.meta.dirname, '..'); // src/ or dist/
  const root = path.dirname(code);
  // Dot files are not code: dist/'s records of what it was compiled from hold mtimes.
  for (const entry of readdirSync(code, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => path.join(e.parentPath, e.name)).sort()) {
    digest.update(relativePosix(code, entry)).update(readFileSync(entry));
  }
  for (const name of ['package-lock.json', ...LIBRARIES.map((lib) => `node_modules/${lib}/package.json`)]) {
    try {
      digest.update(name).update(readFileSync(path.join(root, name)));
    } catch {
      digest.update(`${name} missing`);
    }
  }
  return digest.digest('hex');
})();
