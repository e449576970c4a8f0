/**
 * The persistent page cache: for every page the last build wrote, the fingerprint of what it was
 * rendered from (theme, layout, view data), the digest and size of its bytes, and its link-check
 * scan. A page whose fingerprint is unchanged, and whose file in the output folder is still the
 * one written, is neither rendered, encoded, hashed, scanned nor written again: with one post
 * changed, only the pages that show it are (its page, its neighbours, the listings, terms and
 * feeds it is in), and only their links are scanned again.
 *
 * It also keeps the site's related-posts lists with the key they were made from (every post as
 * placed, see sitePostKey): a build whose posts are all the same (a template or a static file
 * changed) takes them instead of computing them.
 *
 * Two files, v8-serialised, each replaced atomically: `pages.bin`, the base (every page's record
 * and the related posts), and `pages-delta.bin`, what the builds since changed (records made or
 * changed, pages gone, the related posts), named for the base it applies to. A build whose pages
 * differ from the base's in few records (one post changed: a dozen of 5,845) writes only the delta;
 * once the differences pass an eighth of the base, the base is written whole and the delta goes.
 * (Rewriting the 6.7 MB base took a one-post build at 4,000 posts 0.07 s of serialising, and as
 * much again of memory touched for the first time.) A file that is not ours, damaged, from another
 * Quire or other settings, or too large, is ignored whole, and a delta for another base is
 * ignored: the pages are rendered again, which is only slower.
 */
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Fs } from '../fs.ts';
import type { PageScan } from '../publish/linkcheck.ts';
import type { Memo } from '../memo.ts';
import { htmlDigestOf, type RenderJob } from '../model.ts';
import { replaceFile } from './replace-file.ts';

const FILE = 'pages.bin';
const DELTA_FILE = 'pages-delta.bin';
const MAGIC = 'QUIRE-CACHE pages 3';
const DELTA_MAGIC = 'QUIRE-CACHE pages-delta 3';
const MAX_BYTES = 512 * 1024 * 1024;
/** Records a delta may differ from its base by, at least (a small site's base is rewritten less often than its size alone would say). */
const MIN_DELTA = 64;

export interface PageRecord {
  fingerprint: string;
  hash: string;
  size: number;
  /** The page's links and ids (empty for a published file: not HTML). */
  scan: PageScan;
}

/** Related posts as a build made them: each post's by path, and the key of what they were made from. */
export interface RelatedRecord {
  key: string;
  lists: Map<string, string[]>;
}

/** What the last build made under `context` left: its pages' records and related posts. */
export interface PageCacheFile {
  pages: Map<string, PageRecord>;
  related: RelatedRecord | null;
  /** The base file these were read from, when there is one: its id and its own records (see writePageCache). */
  base?: { id: string; pages: ReadonlyMap<string, PageRecord> };
}

/** Reads what the last build made under `context` left (the base, and the delta made for it); nothing when there is nothing usable. */
export async function readPageCache(fs: Fs, dir: string, context: string): Promise<PageCacheFile> {
  const none = { pages: new Map(), related: null };
  const data = await readData(fs, path.join(dir, FILE));
  if (!data || data.magic !== MAGIC || data.context !== context || typeof data.id !== 'string' || !isPages(data.pages)) return none;
  const base = { id: data.id, pages: data.pages };
  const pages = new Map(base.pages);
  let related = isRelated(data.related) ? data.related : null;
  const delta = await readData(fs, path.join(dir, DELTA_FILE));
  // A delta for this base, whole and ours; any other is left alone (the next base replaces it).
  if (delta && delta.magic === DELTA_MAGIC && delta.context === context && delta.base === base.id && isPages(delta.changed) && Array.isArray(delta.removed) && delta.removed.every((k) => typeof k === 'string') && (delta.related === null || isRelated(delta.related))) {
    for (const k of delta.removed as string[]) pages.delete(k);
    for (const [k, r] of delta.changed) pages.set(k, r);
    related = delta.related;
  }
  return { pages, related, base };
}

/** A cache file's decoded object; null when it is missing, too large or damaged. */
async function readData(fs: Fs, file: string): Promise<Record<string, unknown> | null> {
  const st = await fs.stat(file).catch(() => null);
  if (!st || !st.isFile() || st.size > MAX_BYTES) return null;
  try {
    const data = deserialize(await fs.readFile(file)) as unknown;
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null;
  } catch {
    return null; // damaged: render again
  }
}

/**
 * Saves `cache`: as a delta against the base it was read from while it differs from it in few
 * records (made or changed records: not the base's own objects; pages gone), else as a new base.
 */
export async function writePageCache(fs: Fs, dir: string, context: string, cache: PageCacheFile): Promise<void> {
  const base = cache.base;
  if (base) {
    const changed = new Map<string, PageRecord>();
    for (const [k, r] of cache.pages) if (base.pages.get(k) !== r) changed.set(k, r);
    const removed = [...base.pages.keys()].filter((k) => !cache.pages.has(k));
    if (changed.size + removed.length <= Math.max(MIN_DELTA, base.pages.size / 8)) {
      await replaceFile(fs, path.join(dir, DELTA_FILE), serialize({ magic: DELTA_MAGIC, context, base: base.id, changed, removed, related: cache.related }));
      return;
    }
  }
  await replaceFile(fs, path.join(dir, FILE), serialize({ magic: MAGIC, context, id: randomUUID(), pages: cache.pages, related: cache.related }));
  // Made for the base just replaced, it would be ignored anyway; a folder in its place is left alone.
  const delta = path.join(dir, DELTA_FILE);
  if ((await fs.lstat(delta).catch(() => null))?.isFile()) await fs.rm(delta);
}

function isPages(v: unknown): v is Map<string, PageRecord> {
  if (!(v instanceof Map)) return false;
  for (const [k, r] of v) if (typeof k !== 'string' || !isRecord(r)) return false;
  return true;
}

function isRelated(r: unknown): r is RelatedRecord {
  const o = r as RelatedRecord;
  return !!o && typeof o.key === 'string' && o.lists instanceof Map && [...o.lists].every(([k, v]) => typeof k === 'string' && Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function isRecord(r: unknown): r is PageRecord {
  const o = r as PageRecord;
  return !!o && typeof o.fingerprint === 'string' && typeof o.hash === 'string' && typeof o.size === 'number' && !!o.scan && Array.isArray(o.scan.refs) && o.scan.ids instanceof Set;
}

/** One build's use of the page cache: which pages are unchanged, and the records to save. */
export class PageCacheRun {
  /** The records of this build's pages and its related posts, saved once the build has written them (as a delta against the base read, when it can be). */
  readonly next: PageCacheFile;
  private readonly fingerprints = new Map<string, string>();
  constructor(
    private readonly previous: PageCacheFile,
    private readonly fingerprint: (job: RenderJob) => string,
  ) {
    this.next = { pages: new Map(), related: null, ...(previous.base ? { base: previous.base } : {}) };
  }

  /** The last build's related posts when they were made from `key`, else computed now; kept for the next build either way. */
  related(key: string, make: () => Map<string, string[]>): Map<string, string[]> {
    const lists = this.previous.related?.key === key ? this.previous.related.lists : make();
    this.next.related = { key, lists };
    return lists;
  }

  /** The last build's record of this page when it was made from the same inputs, else undefined. */
  unchanged(job: RenderJob): PageRecord | undefined {
    return this.match(job.outPath, this.fingerprint(job));
  }

  /** The last build's record of a published file (a feed, the search index) made from the same key (see PublishJob), else undefined. */
  unchangedFile(outPath: string, key: string): PageRecord | undefined {
    return this.match(outPath, digest(`file\0${key}`));
  }

  private match(outPath: string, fingerprint: string): PageRecord | undefined {
    this.fingerprints.set(outPath, fingerprint);
    const was = this.previous.pages.get(outPath);
    if (was?.fingerprint !== fingerprint) return undefined;
    this.next.pages.set(outPath, was);
    return was;
  }

  /** A page or file made by this build (after `unchanged` or `unchangedFile` was asked for it). */
  rendered(outPath: string, bytes: { hash: string; size: number }, scan: PageScan): void {
    const fingerprint = this.fingerprints.get(outPath);
    if (fingerprint === undefined) return;
    this.next.pages.set(outPath, { fingerprint, hash: bytes.hash, size: bytes.size, scan });
  }
}

/**
 * Fingerprints pages by their content, the same in every process: what the layout is made from
 * (`layoutId`: its templates, see render/templates.ts `layoutIds`), the layout's name and the view data, where long strings (a post's HTML) count by their digest, a view whose HTML has a
 * known digest by that digest (its HTML is not even decoded), and view objects many pages share
 * (post summaries) are digested once each.
 *
 * The view is written out as an unambiguous text (strings length-prefixed, so nothing needs
 * escaping) by a walk in plain JavaScript: about twice as fast as JSON.stringify with a replacer,
 * which calls back into JavaScript for every value. Like JSON, it sees own enumerable keys and
 * a value's `toJSON()` (dates in front matter), which unlike JSON it tells apart from a string.
 */
export function pageFingerprinter(memo: Memo, layoutId: (layout: string) => string): (job: Pick<RenderJob, 'layout' | 'view' | 'key'>) => string {
  const shared = new WeakMap<object, string>();
  const write = (v: unknown, out: string[], top: boolean): void => {
    switch (typeof v) {
      case 'string':
        out.push(v.length >= 512 ? `h${memo.digest(v)};` : `s${v.length}:`, v.length >= 512 ? '' : v);
        return;
      case 'number':
      case 'bigint':
        out.push(`n${v};`);
        return;
      case 'boolean':
        out.push(v ? 't' : 'f');
        return;
      case 'object':
        break;
      default:
        out.push('u'); // undefined, a function: nothing a template can show
        return;
    }
    if (v === null) return void out.push('z');
    if (Array.isArray(v)) {
      out.push('[');
      for (const x of v) write(x, out, false);
      return void out.push(']');
    }
    const o = v as Record<string, unknown>;
    // A date counts by its instant, and apart from a string of the same text (templates show it otherwise).
    if (typeof o.toJSON === 'function') return void (out.push('j'), write((o.toJSON as () => unknown)(), out, top));
    if (!top && memo.viewId(o) !== undefined) {
      let d = shared.get(o);
      if (d === undefined) {
        const inner: string[] = [];
        write(o, inner, true);
        shared.set(o, (d = digest(inner.join(''))));
      }
      return void out.push(`v${d};`);
    }
    const html = htmlDigestOf(o);
    out.push('{');
    for (const k of Object.keys(o)) {
      out.push(`${k.length}:`, k);
      if (k === 'html' && html !== undefined) out.push(`H${html};`);
      else write(o[k], out, false);
    }
    out.push('}');
  };
  return (job) => {
    // A page with a key (see RenderJob.key) counts by it, apart from any view: its view is not made.
    if (job.key !== undefined) return digest(`key\0${layoutId(job.layout)}\0${job.layout}\0${job.key}`);
    const out = [`${layoutId(job.layout)}\0${job.layout}\0`];
    write(job.view, out, false);
    return digest(out.join(''));
  };
}

function digest(s: string): string {
  return createHash('sha1').update(s).digest('base64');
}
