/**
 * The files of a site that are not posts: images, PDFs, downloads, `CNAME`, `favicon.ico`… under
 * `content/` (copied at their path there) and under `static/` (copied at their path in it). A file
 * in a page bundle (a folder whose post is `index.md`) goes beside that post's page instead, so
 * `posts/my-trip/index.md` and `posts/my-trip/photo.jpg` are published together wherever the
 * post's URL is. Also resolves the links posts write as files (see `text/local-links.ts`).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { Memo } from '../memo.ts';
import { HTML_DIGEST, htmlDigestOf, type OutputFile, type RenderedContent, type SitePost } from '../model.ts';
import { decodeEntities } from '../text/entities.ts';
import { localLinkPlaceholder, parsePlaceholder } from '../text/local-links.ts';
import { escapeAttr } from '../text/html.ts';

export interface SiteFile {
  /** Path inside the content folder (or `static/`), with `/` separators. */
  relPath: string;
  from: 'content' | 'static';
  /** Path shown in diagnostics. */
  file: string;
  contents: Uint8Array;
}

const BUNDLE_INDEX = /^index\.(md|markdown|txt)$/i;

/** Whether a post is a page bundle's `index.md`; its folder is then the bundle. */
export function bundleDir(relPath: string): string | null {
  return BUNDLE_INDEX.test(path.posix.basename(relPath)) && relPath.includes('/') ? path.posix.dirname(relPath) : null;
}

export interface Placed {
  /** Output files, each with the source file it comes from (for diagnostics). */
  files: { outPath: string; contents: Uint8Array; file: string }[];
  /** Each content file's URL (for links written as files). */
  urls: Map<string, string>;
}

/** Where each file is published (two files for one path: the first is kept, with a warning). */
export function placeFiles(files: SiteFile[], posts: SitePost[], base: string): Result<Placed> {
  const diagnostics: Diagnostic[] = [];
  const bundles = new Map<string, SitePost>();
  for (const p of posts) {
    const dir = bundleDir(p.post.relPath);
    if (dir) bundles.set(dir, p);
  }
  const out: Placed['files'] = [];
  const urls = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const f of files) {
    let outPath = f.relPath;
    if (f.from === 'content') {
      for (let dir = path.posix.dirname(f.relPath); dir !== '.'; dir = path.posix.dirname(dir)) {
        const owner = bundles.get(dir);
        if (owner) {
          outPath = (owner.path.endsWith('/') ? owner.path : path.posix.dirname(owner.path) + '/').replace(/^\.\//, '') + f.relPath.slice(dir.length + 1);
          break;
        }
      }
    }
    if (taken.has(outPath)) {
      diagnostics.push(warning('content/output-conflict', `${outPath} is already published from ${taken.get(outPath)}; this file is not published`, { file: f.file, hint: 'rename or move one of them' }));
      continue;
    }
    taken.set(outPath, f.file);
    out.push({ outPath, contents: f.contents, file: f.file });
    if (f.from === 'content') urls.set(f.relPath, base + encodeURI(outPath));
  }
  return { value: { files: out, urls }, diagnostics };
}

/** The generated files, plus every placed file whose path the site does not generate (those are left out, with a warning). */
export function addFiles(generated: OutputFile[], placed: Placed['files']): Result<OutputFile[]> {
  const paths = new Set(generated.map((f) => f.outPath));
  const diagnostics: Diagnostic[] = [];
  const out = [...generated];
  for (const f of placed) {
    if (f.outPath === 'robots.txt' && paths.has('robots.txt')) {
      // An author's own robots.txt replaces the generated one.
      out.splice(out.findIndex((g) => g.outPath === 'robots.txt'), 1, { outPath: f.outPath, contents: f.contents });
    } else if (!paths.has(f.outPath)) (out.push({ outPath: f.outPath, contents: f.contents }), paths.add(f.outPath));
    else diagnostics.push(warning('content/output-conflict', `${f.outPath} is a page the site generates; this file is not published`, { file: f.file, hint: 'rename or move the file' }));
  }
  return { value: out, diagnostics };
}

/**
 * Replaces the placeholders in each post's HTML: a link to a post's source file becomes the
 * post's URL, a link to a file the file's URL, a root-relative link gets the base path; a link
 * that leads to nothing is left as written, for the link checker to report at its line. Images
 * get their `width` and `height` when they are files of the site (no layout shift), and all but
 * a page's first image load lazily.
 */
/** Reads an image's size from its header (image-size, loaded only when the site has files). */
export type ImageSizer = (bytes: Uint8Array) => { width?: number; height?: number; type?: string };

/** The width and height of each placed image by its URL (null: not a raster image), remembered in the memo. */
export function imageSizes(placed: Placed, base: string, memo: Memo, imageSize: ImageSizer | null): (url: string) => { width: number; height: number } | null {
  const bytesByUrl = new Map(placed.files.map((f) => [base + encodeURI(f.outPath), f.contents]));
  return (url) => {
    const bytes = bytesByUrl.get(url);
    return bytes ? memo.reuse(bytes, 'image-size', '', () => imageDimensions(bytes, imageSize)) : null;
  };
}

/** Where a local link can point: the site's files, and each post (by its file, and its bundle folder). */
export function linkTargets(posts: SitePost[], placed: Placed): Map<string, string> {
  const targets = new Map(placed.urls);
  for (const p of posts) {
    targets.set(p.post.relPath, p.url);
    const dir = bundleDir(p.post.relPath);
    if (dir) targets.set(dir + '/', p.url);
  }
  return targets;
}

/** What posts' local links and images are resolved against. */
export interface LinkContext {
  /** Where local links point: the site's files and posts (see `linkTargets`). */
  targets: Map<string, string>;
  base: string;
  sizeOf: (url: string) => { width: number; height: number } | null;
  srcsets: Map<string, string>;
}

/**
 * Points each post's local links and cover at their URLs in `targets` (see `linkTargets`), with
 * image sizes and srcsets. A post's new content has a digest (see HTML_DIGEST) when its old one
 * had: made from that digest and the links as resolved, with the sizes and srcsets of those that
 * are images (only images written in markdown are sized: raw HTML's are removed).
 */
export function resolveLocalLinks(posts: SitePost[], links: LinkContext, memo: Memo): void {
  const { targets, base, sizeOf, srcsets } = links;
  for (const p of posts) {
    // The cover, written like an image in the post: relative to it, site-absolute, or a full URL.
    const cover = p.post.cover;
    if (cover) {
      const placeholder = localLinkPlaceholder(cover, p.post.relPath);
      const url = placeholder ? resolve(placeholder, cover, targets, base) : cover;
      p.cover = { url, ...(sizeOf(url) ?? {}) };
    }
    const pairs = p.content.localLinks ?? [];
    if (!pairs.length && !(p.content.hasImages ?? p.content.html.includes('<img'))) continue;
    const resolved = new Map(pairs.map(([placeholder, written]) => [placeholder, resolve(placeholder, written, targets, base)]));
    // An image is sized by its URL without query or fragment, as withLinks looks it up.
    const sizes = [...resolved.values()].map((url) => {
      const bare = url.replace(/[?#].*$/, '');
      return `${url}=${JSON.stringify(sizeOf(bare))}=${srcsets.get(bare) ?? ''}`;
    });
    const key = [...resolved.values(), ...sizes].join('\n');
    const before = p.content;
    p.content = memo.reuse(before, 'local-links', key, () => {
      const after = withLinks(before, resolved, sizeOf, srcsets);
      const digest = htmlDigestOf(before);
      if (digest !== undefined) Object.defineProperty(after, HTML_DIGEST, { value: createHash('sha1').update(`${digest}\n${key}`).digest('base64') });
      return after;
    });
  }
}

/** Width and height of a raster image from its header, or null (not an image, or SVG: it scales). */
function imageDimensions(bytes: Uint8Array | undefined, imageSize: ImageSizer | null): { width: number; height: number } | null {
  if (!bytes || bytes.length < 16 || !imageSize) return null;
  try {
    const r = imageSize(bytes);
    return r.type !== 'svg' && r.width && r.height ? { width: r.width, height: r.height } : null;
  } catch {
    return null;
  }
}

function resolve(placeholder: string, written: string, targets: Map<string, string>, base: string): string {
  const { kind, path: target, suffix } = parsePlaceholder(placeholder);
  if (kind === 'r') return base === '/' || target.startsWith(base) ? written : base + target.slice(1) + suffix;
  const url = targets.get(target) ?? (target.endsWith('/') ? undefined : targets.get(target + '/'));
  return url === undefined ? written : url + suffix;
}

/** The content with placeholders replaced in its HTML and its link list (for the checker's line numbers). */
/** `sizes` of a post image with variants: the content column's width (about 42rem), or the whole screen when narrower. */
const SIZES = '(max-width: 44rem) 100vw, 42rem';

function withLinks(content: RenderedContent, resolved: Map<string, string>, sizeOf: (url: string) => { width: number; height: number } | null, srcsets: Map<string, string>): RenderedContent {
  let html = content.html.replace(/(href|src)="(\/__quire__\/[^"]*)"/g, (all, attr: string, value: string) => {
    const url = resolved.get(decodeEntities(value));
    return url === undefined ? all : `${attr}="${escapeAttr(url)}"`;
  });
  let first = true;
  html = html.replace(/<img\b([^>]*?)(\s*\/?)>/g, (_all, attrs: string, close: string) => {
    let extra = '';
    const src = /\ssrc="([^"]*)"/.exec(attrs)?.[1];
    const url = src ? decodeEntities(src).replace(/[?#].*$/, '') : '';
    const size = src ? sizeOf(url) : null;
    if (size && !/\s(width|height)=/.test(attrs)) extra += ` width="${size.width}" height="${size.height}"`;
    const srcset = srcsets.get(url);
    if (srcset && !/\ssrcset=/.test(attrs)) extra += ` srcset="${escapeAttr(srcset)}" sizes="${SIZES}"`;
    if (!first && !/\sloading=/.test(attrs)) extra += ' loading="lazy" decoding="async"';
    first = false;
    return `<img${attrs}${extra}${close}>`;
  });
  // The link list holds URLs as written (with their lines): map them to what the page now links.
  const byWritten = new Map((content.localLinks ?? []).map(([placeholder, written]) => [written, resolved.get(placeholder) ?? written]));
  return { ...content, html, links: content.links.map(([url, line]): [string, number] => [byWritten.get(url) ?? url, line]), localLinks: [] };
}
