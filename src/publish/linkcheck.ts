/**
 * Over 250 lines: the checker and its tolerant HTML scanner belong together (the scanner exists only for it).
 *
 * Link check, after rendering: every internal link, anchor and asset reference in the HTML
 * outputs must point at a file we write (and at an id on the target page). Nothing is fetched:
 * external URLs are skipped. Each HTML file is scanned once, by a tolerant regex scanner (the
 * outputs are our own well-formed HTML), which collects both its references and its ids.
 */
import { warning, type Diagnostic, type Severity } from '../diagnostics.ts';
import type { OutputFile, RenderJob } from '../model.ts';
import type { Theme } from '../render/templates.ts';
import { decodePath, sitePathOf } from '../site/urls.ts';
import { decodeEntities } from '../text/entities.ts';

export interface LinkSource {
  /** Output path of the page, e.g. `posts/x/index.html`. */
  outPath: string;
  /** The content file this page renders (for post pages), shown in diagnostics; else the template/layout name. */
  file: string;
  /** For links that come from markdown: resolved link URL → 1-based line in `file` (first occurrence). */
  markdownLines?: Map<string, number>;
}

/** A URL found in a page; `asset` for `src`/`srcset`/`<link href>` (a file), else a page link. */
interface Ref {
  url: string;
  asset: boolean;
}

/** What one HTML page holds: references in document order (not those to other sites, which are not checked) and the ids it defines. */
export interface PageScan {
  refs: Ref[];
  ids: Set<string>;
  /** Ids that occur more than once on the page. */
  duplicateIds?: string[];
}

/** Where the path part of a URL leads: an output file, nowhere, or outside the site's base path. */
type Target = { kind: 'file'; outPath: string } | { kind: 'missing'; sitePath: string } | { kind: 'outside' };

/** What is wrong with a reference, before it is worded for the page it was found on. */
type Problem = Exclude<Target, { kind: 'file' }> | { kind: 'anchor'; fragment: string; outPath: string };

/**
 * Page scans kept between checks (dev server): a page whose HTML is the same string as last time
 * is not scanned again. Entries for pages that no longer exist are dropped by each check.
 */
export type LinkScanCache = Map<string, { contents: string | Uint8Array; scan: PageScan }>;

export interface LinkCheckOptions {
  /**
   * Severity of `link/broken` and `link/missing-anchor` (config `links`; default `warning`). Links
   * the site does not own (`link/not-generated`, `link/outside-site`) are warnings either way.
   */
  severity?: Severity;
}

/**
 * After rendering: verifies every internal link (`href`), anchor (`#id`, also `/page/#id`) and asset reference
 * (`src`, `href` of `<link>`, `srcset` entries) in every HTML output against the set of output files and the ids
 * in the target page. External links (with a scheme like https:, mailto:, data:, or protocol-relative `//`) are
 * not fetched or checked. A broken one is `link/broken` (missing page or file) or `link/missing-anchor`, at
 * `options.severity`, naming the source file (and the markdown line when known), the output page, and the URL.
 * `basePath` is the site's base path as `basePath()` gives it (percent-encoded).
 */
export function checkLinks(
  files: OutputFile[],
  basePath: string,
  sources: Map<string, LinkSource>,
  cache?: LinkScanCache,
  options: LinkCheckOptions = {},
): Diagnostic[] {
  const severity = options.severity ?? 'warning';
  const byPath = new Map(files.map((f) => [f.outPath, f]));
  // The site's own URL spaces (`posts`, `categories`, `assets`, `index.html`...): a missing target in
  // one of them is our error; a path elsewhere may be served by something else on the same host.
  const owned = new Set(files.map((f) => f.outPath.split('/')[0]!));
  const scans = new Map<string, PageScan>();
  const share = scanShare();
  // Memoised: a page is scanned once, whether first as a source of links or as an anchor target.
  const scanOf = (outPath: string): PageScan => {
    let scan = scans.get(outPath);
    if (!scan) {
      const contents = byPath.get(outPath)?.contents ?? '';
      const cached = cache?.get(outPath);
      scan = cached && cached.contents === contents ? cached.scan : scanHtml(typeof contents === 'string' ? contents : new TextDecoder().decode(contents), share);
      scans.set(outPath, scan);
      cache?.set(outPath, { contents, scan });
    }
    return scan;
  };
  // Many URLs share a path (`/posts/x/#a`, `/posts/x/#b`; every page's nav): resolve each path once per folder.
  const targets = new Map<string, Target>();
  const targetOf = (path: string, pageOut: string): Target => {
    const key = path.charCodeAt(0) === 47 ? path : pageOut.slice(0, pageOut.lastIndexOf('/') + 1) + '\n' + path;
    let target = targets.get(key);
    if (!target) {
      target = locate(path, pageOut, basePath, byPath);
      targets.set(key, target);
    }
    return target;
  };
  const judge = (url: string, pageOut: string): Problem | null => {
    const hashAt = url.indexOf('#');
    const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
    const fragment = hashAt === -1 ? '' : url.slice(hashAt + 1);
    const queryAt = beforeHash.indexOf('?');
    const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
    const target: Target = path === '' ? { kind: 'file', outPath: pageOut } : targetOf(path, pageOut);
    if (target.kind !== 'file') return target;
    if (fragment === '' || fragment === 'top' || fragment.startsWith(':~:') || !isHtml(target.outPath)) return null;
    const ids = scanOf(target.outPath).ids;
    return ids.has(fragment) || ids.has(decodePath(fragment)) ? null : { kind: 'anchor', fragment, outPath: target.outPath };
  };

  // Root-relative URLs (nav links, the stylesheet, links between posts) mean the same on every page: judge each once.
  const verdicts = new Map<string, Problem | null>();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    if (!isHtml(file.outPath)) continue;
    const source = sources.get(file.outPath);
    // Ids are unique per page: a second `id="x"` makes `#x` lead to the first one only.
    for (const id of new Set(scanOf(file.outPath).duplicateIds ?? [])) {
      diagnostics.push(warning('html/duplicate-id', `id "${id}" is used more than once on ${file.outPath}; #${id} leads to the first`, { file: source?.file ?? file.outPath, hint: 'give each element its own id (raw HTML in a post, or the template)' }));
    }
    // Each URL is in a scan once (scanHtml keeps the first occurrence).
    for (const ref of scanOf(file.outPath).refs) {
      const url = ref.url;
      const rootRelative = url.charCodeAt(0) === 47 && url.charCodeAt(1) !== 47; // `/x`, not `//host`
      if (!rootRelative && isExternal(url)) continue;
      let problem = rootRelative ? verdicts.get(url) : undefined;
      if (problem === undefined) {
        problem = judge(url, file.outPath);
        if (rootRelative) verdicts.set(url, problem);
      }
      if (problem) diagnostics.push(diagnose(problem, ref, file.outPath, source, basePath, owned, severity));
    }
  }
  if (cache) for (const outPath of cache.keys()) if (!byPath.has(outPath)) cache.delete(outPath);
  return diagnostics;
}

/** Words a problem for the page it was found on. */
function diagnose(problem: Problem, ref: Ref, pageOut: string, source: LinkSource | undefined, basePath: string, owned: Set<string>, severity: Severity): Diagnostic {
  const where = { file: source?.file ?? pageOut, line: lineOf(source, ref.url, basePath, problem) };
  const message = (text: string) => `link to ${ref.url} from ${pageOut}: ${text}`;
  // A page of ours that is not there: at the configured severity (a warning unless `links: error`).
  const raise = severity === 'warning' ? ' (links: error in the config, or --strict, makes this an error)' : '';
  const broken = (code: string, text: string, hint: string): Diagnostic => ({ severity, code, message: message(text), ...where, hint: hint + raise });
  if (problem.kind === 'outside') {
    // Not this site's URL: another app on the same host may serve it, so it is only a warning.
    return warning('link/outside-site', message(`outside the site (its URLs start with ${basePath}); not checked`), {
      ...where,
      hint: `the site is served under ${basePath} (from baseUrl): start the link with ${basePath} or make it relative`,
    });
  }
  if (problem.kind === 'missing') {
    const page = !ref.asset && isPageLike(problem.sitePath);
    const wanted = problem.sitePath === '' || problem.sitePath.endsWith('/') ? problem.sitePath + 'index.html' : problem.sitePath;
    if (!owned.has(problem.sitePath.split('/')[0]!)) {
      // e.g. `/docs/…` in a post migrated from a site that had docs: not one of this site's URL spaces.
      return warning('link/not-generated', message(`nothing in this site is written at ${wanted}`), {
        ...where,
        hint: 'the link is broken unless something else on this host serves that path; fix or remove it (--strict makes this an error)',
      });
    }
    return broken(
      'link/broken',
      page ? 'no such page' : 'no such file',
      page
        ? `nothing is written at ${wanted}; check the spelling (a post's URL comes from its slug) or remove the link`
        : `nothing is written at ${wanted}; check the path, or add the file`,
    );
  }
  return broken(
    'link/missing-anchor',
    `no element with id "${problem.fragment}" on ${problem.outPath === pageOut ? 'this page' : problem.outPath}`,
    'heading ids come from the heading text (e.g. "## Getting Started" → #getting-started); check the spelling or link to an existing heading',
  );
}

/** Resolves a URL path (no query or fragment) against the page's URL and finds the output file it names. */
function locate(path: string, pageOut: string, basePath: string, outputs: Map<string, OutputFile>): Target {
  let pathname: string;
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) {
    // `/posts/x/`: what the URL parser would give (nothing to resolve, encode or normalise), without it.
    pathname = path;
  } else try {
    // `posts/x/index.html` is served at `<base>posts/x/`: same folder, so relative URLs resolve alike.
    // The page's path is encoded like any URL path (an output path may hold non-ASCII, `?` or `#`).
    pathname = new URL(path, 'http://quire.invalid' + basePath + pageOut.split('/').map(encodeURIComponent).join('/')).pathname;
  } catch {
    return { kind: 'missing', sitePath: path };
  }
  // Compared in the base path's encoded form: a decoded URL never starts with `/my%20blog/`.
  const sitePath = sitePathOf(pathname, basePath);
  if (sitePath === null) return { kind: 'outside' };

  if (sitePath === '' || sitePath.endsWith('/')) {
    return outputs.has(sitePath + 'index.html') ? { kind: 'file', outPath: sitePath + 'index.html' } : { kind: 'missing', sitePath };
  }
  if (outputs.has(sitePath)) return { kind: 'file', outPath: sitePath };
  // `…/x` naming a folder with an index page: hosts redirect to `…/x/`.
  if (outputs.has(sitePath + '/index.html')) return { kind: 'file', outPath: sitePath + '/index.html' };
  return { kind: 'missing', sitePath };
}

/** The markdown line of a link, looked up as written, percent-decoded, and resolved to a site URL. */
function lineOf(source: LinkSource | undefined, url: string, basePath: string, problem: Problem): number | undefined {
  const lines = source?.markdownLines;
  if (!lines) return undefined;
  const candidates = [url, decodePath(url)];
  if (problem.kind === 'missing') candidates.push(basePath + problem.sitePath);
  if (problem.kind === 'anchor') candidates.push(`${basePath}${problem.outPath.replace(/(^|\/)index\.html$/, '$1')}#${problem.fragment}`);
  for (const key of candidates) {
    const line = lines.get(key);
    if (line !== undefined) return line;
  }
  return undefined;
}

/** A root-relative path of characters a URL path keeps as they are (no `%`, backslash, non-ASCII or spaces). */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
/** A `.` or `..` segment, which the URL parser would resolve. */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** Elements whose content is text, not markup: skipped so `"<a href=…"` in a script is not a link. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
/** The tag names the scan tells apart (any other is ''). */
const TAG_NAMES = ['a', 'area', 'base', 'script', 'style', 'textarea', 'title'] as const;

/**
 * Pieces of page scans shared between pages: a site's pages hold the same links over and over
 * (the nav, the stylesheet, a post's term chips on each of its terms' pages) and mostly the same
 * ids. Shared, 10,000 term pages keep one object per distinct link instead of half a million, so
 * the scans kept for the link check stay small and garbage collection stays fast. Made per build
 * (or per dev session), never module-level.
 */
export interface ScanShare {
  /** Page links (`<a href>`) and assets by URL; keys and URLs are copies, never slices of a page. */
  links: Map<string, Ref>;
  assets: Map<string, Ref>;
  /** Sets of ids by their JSON. */
  ids: Map<string, Set<string>>;
}

export function scanShare(): ScanShare {
  return { links: new Map(), assets: new Map(), ids: new Map() };
}

/**
 * One pass over the page: the URLs of `href`, `src`, `srcset` and `poster` (each URL once, where it
 * first occurs), and the ids (`id`, `<a name>`).
 */
export function scanHtml(html: string, share: ScanShare = scanShare()): PageScan {
  const refs: Ref[] = [];
  const urls = new Set<string>();
  const ids = new Set<string>();
  const duplicates: string[] = [];
  const addRef = (raw: string, asset: boolean) => {
    const url = raw.trim();
    // Never checked (nothing is fetched): not kept, so a release note's thousands of links cost nothing to keep.
    if (urls.has(url) || isExternal(url)) return;
    urls.add(url);
    const table = asset ? share.assets : share.links;
    let ref = table.get(url);
    if (!ref) {
      ref = { url: copyOut(url), asset };
      table.set(ref.url, ref);
    }
    refs.push(ref);
  };
  // Tags and comments are found as the regular expression
  //   <(?:!--[\s\S]*?(?:-->|$)|([a-zA-Z][a-zA-Z0-9:-]*)(?:[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>)
  // finds them (a comment runs to `-->` or the end; a tag to the first `>` outside quotes, and a
  // quote left open means its `<` starts no tag), read in place: the expression's match arrays and
  // captured names were 157 MB of the 1,050 MB the main thread of a template change allocated.
  for (let at = 0, lt = html.indexOf('<'); lt !== -1; lt = html.indexOf('<', at)) {
    const first = html.charCodeAt(lt + 1);
    if (first === 33 /* ! */ && html.charCodeAt(lt + 2) === 45 && html.charCodeAt(lt + 3) === 45 /* -- */) {
      const close = html.indexOf('-->', lt + 4);
      at = close === -1 ? html.length : close + 3;
      continue;
    }
    at = lt + 1; // where the search goes on when this `<` starts no tag
    if (!isAsciiLetter(first)) continue;
    let nameEnd = lt + 2;
    while (nameEnd < html.length && isTagNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const end = tagEnd(html, nameEnd);
    if (end === -1) continue;
    at = end + 1;
    const name = knownName(html, lt + 1, nameEnd, TAG_NAMES) ?? '';
    // The attributes, read in place (name, then `= value` quoted or not), as the regex
    // /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g would read them; only id,
    // name, href, src, poster and srcset are taken out of the page and decoded.
    for (let i = nameEnd; i < end; ) {
      if (!isNameChar(html.charCodeAt(i))) {
        i++;
        continue;
      }
      const keyStart = i;
      while (i < end && isNameChar(html.charCodeAt(i))) i++;
      const keyEnd = i;
      let valueStart = -1;
      let valueEnd = -1;
      let j = i;
      while (j < end && isSpace(html.charCodeAt(j))) j++;
      if (j < end && html.charCodeAt(j) === 61 /* = */) {
        j++;
        while (j < end && isSpace(html.charCodeAt(j))) j++;
        const quote = html.charCodeAt(j);
        if (j < end && (quote === 34 || quote === 39)) {
          const close = html.indexOf(quote === 34 ? '"' : "'", j + 1);
          if (close !== -1 && close < end) (valueStart = j + 1), (valueEnd = close), (i = close + 1);
        }
        if (valueStart === -1) {
          let k = j;
          while (k < end && !isSpace(html.charCodeAt(k)) && html.charCodeAt(k) !== 62 /* > */) k++;
          if (k > j) (valueStart = j), (valueEnd = k), (i = k);
        }
      }
      const key = knownName(html, keyStart, keyEnd, KEYS);
      if (key === null) continue;
      const value = valueStart === -1 ? '' : decodeEntities(html.slice(valueStart, valueEnd));
      if (key === 'id' && ids.has(value)) duplicates.push(copyOut(value));
      if (key === 'id' || (key === 'name' && name === 'a')) ids.add(value);
      else if (key === 'href' && name !== 'base') addRef(value, name !== 'a' && name !== 'area');
      else if (key === 'src' || key === 'poster') addRef(value, true);
      else if (key === 'srcset') for (const url of srcsetUrls(value)) addRef(url, true);
    }
    if (RAW_TEXT.has(name)) at = closingTag(html, name, at);
  }
  const idKey = JSON.stringify([...ids]);
  let shared = share.ids.get(idKey);
  if (!shared) share.ids.set(copyOut(idKey), (shared = new Set([...ids].map(copyOut))));
  return { refs, ids: shared, ...(duplicates.length ? { duplicateIds: duplicates } : {}) };
}

/** Whitespace as `\s` in a regular expression sees it. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && /\s/.test(String.fromCharCode(c)));
}

/** A character of an attribute name: anything but whitespace, quotes, `<`, `>`, `/` and `=`. */
function isNameChar(c: number): boolean {
  return c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 47 && c !== 61 && !isSpace(c);
}

/** The attributes the link check reads. */
const KEYS = ['id', 'href', 'src', 'name', 'srcset', 'poster'] as const;

/**
 * The name at html[start, end) if it is one of `names` (lower case), in any case, else null. Only
 * an ASCII letter's code ORed with 0x20 is a lower-case letter's, so the comparison is exact.
 */
function knownName<T extends string>(html: string, start: number, end: number, names: readonly T[]): T | null {
  const length = end - start;
  search: for (const name of names) {
    if (name.length !== length) continue;
    for (let k = 0; k < length; k++) if ((html.charCodeAt(start + k) | 0x20) !== name.charCodeAt(k)) continue search;
    return name;
  }
  return null;
}

function isAsciiLetter(c: number): boolean {
  return (c | 0x20) >= 97 && (c | 0x20) <= 122;
}

/** A character of a tag's name after its first letter: `[a-zA-Z0-9:-]`. */
function isTagNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 58) /* 0-9 : */ || c === 45 /* - */;
}

/** Where the tag whose attributes start at `from` ends: its first `>` outside quotes; -1 when a quote is left open (or no `>` follows). */
function tagEnd(html: string, from: number): number {
  for (let k = from; k < html.length; k++) {
    const c = html.charCodeAt(k);
    if (c === 62 /* > */) return k;
    if (c === 34 || c === 39) {
      k = html.indexOf(c === 34 ? '"' : "'", k + 1);
      if (k === -1) return -1;
    }
  }
  return -1;
}

/** Where `</name` (in any case) next starts at or after `from`; the end of the page if nowhere. */
function closingTag(html: string, name: string, from: number): number {
  search: for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 1)) {
    for (let k = 0; k < name.length; k++) if ((html.charCodeAt(at + 2 + k) | 0x20) !== name.charCodeAt(k)) continue search;
    return at;
  }
  return html.length;
}

/**
 * The same string, no longer pointing into the page: V8 keeps a regex capture as a slice of the
 * string it came from, so a kept scan would otherwise keep its whole page's HTML alive (hundreds
 * of megabytes for a big site). Slicing a concatenation makes V8 copy it first.
 */
function copyOut(s: string): string {
  return (s + ' ').slice(0, -1);
}

/** The URLs of a `srcset`: comma-separated candidates, each a URL and optional descriptors (`2x`, `480w`). */
function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    const start = i;
    while (i < value.length && !/\s/.test(value[i]!)) i++;
    let url = value.slice(start, i);
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else while (i < value.length && value[i] !== ',') i++; // descriptors
    if (url) urls.push(url);
  }
  return urls;
}

/** A scheme (`https:`, `mailto:`, `data:`, `javascript:`) or protocol-relative `//`: not ours to check. */
function isExternal(url: string): boolean {
  const c = url.charCodeAt(0);
  if (c === 47 /* / */) return url.charCodeAt(1) === 47;
  return ((c | 0x20) >= 97 && (c | 0x20) <= 122) && SCHEME.test(url);
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function isHtml(outPath: string): boolean {
  return outPath.endsWith('.html') || /\.html?$/i.test(outPath);
}

/** A path that names a page rather than a file: a folder, no extension, or `.html`. */
function isPageLike(sitePath: string): boolean {
  const last = sitePath.slice(sitePath.lastIndexOf('/') + 1);
  return last === '' || !last.includes('.') || isHtml(last);
}

/** For each page: the file shown in link diagnostics (the post, else its layout) and its markdown link lines. */
export function linkSources(jobs: RenderJob[], theme: Theme): Map<string, LinkSource> {
  const sources = new Map<string, LinkSource>();
  for (const job of jobs) {
    const file = job.source?.file ?? theme.layoutFiles.get(job.layout) ?? job.layout;
    sources.set(job.outPath, job.source ? withMarkdownLines(job.outPath, file, job.source) : { outPath: job.outPath, file });
  }
  return sources;
}

/**
 * A page's source whose markdown lines are made when a link of the page is reported: most pages
 * have none (and a cached post's links are read only then). A getter in the literal, which every
 * such object shares the shape of (one defined on each object gave each a hidden class of its own).
 */
function withMarkdownLines(outPath: string, file: string, from: NonNullable<RenderJob['source']>): LinkSource {
  let lines: Map<string, number> | undefined;
  return {
    outPath,
    file,
    get markdownLines() {
      return (lines ??= new Map(from.links));
    },
  };
}
