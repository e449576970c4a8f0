/**
 * The front-matter type is the normaliser: raw front matter (whatever the author wrote) in,
 * a `Post` with every field typed and defaulted out. Each rule is documented where it is applied.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { error, warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { DateSource, Post } from '../model.ts';
import { dateFromFileName, instantDate, parseDate, type PostDate } from './dates.ts';
import type { FrontMatter } from './frontmatter.ts';
import type { SourceFile } from './load.ts';
import { termNames } from './terms.ts';
import { bareSlug } from '../text/slug.ts';

export interface NormaliseContext {
  config: Config;
  /** Names of the layouts a post may use (`post` plus custom ones in templates/layouts/). */
  postLayouts: string[];
  /** When the file was first committed to git, if it was. */
  gitDate: (relPath: string) => number | null;
}

/** Values of `type:`/`layout:` that mean the standard post layout. */
const POST_LAYOUT_NAMES = new Set(['post', 'posts']);

/** Builds a Post from a file's parsed front matter. Returns null when the post cannot be built. */
export function normalisePost(source: SourceFile, fm: FrontMatter, ctx: NormaliseContext): Result<Post | null> {
  const diagnostics: Diagnostic[] = [];
  const data = fm.data;
  const file = source.displayPath;
  const at = (key: string) => ({ file, line: fm.keyLines[key] ?? 1, column: 1 });
  const tz = ctx.config.timezone;

  // title: required; else the first `# heading`; else the file name. Both fallbacks warn.
  let title = text(data.title);
  if (data.title !== undefined && data.title !== null && typeof data.title !== 'string' && title === null) {
    diagnostics.push(warning('frontmatter/invalid-title', 'title must be text; it is ignored', at('title')));
  }
  if (!title) {
    const heading = firstHeading(fm.body);
    if (heading) {
      title = heading.text;
      diagnostics.push(warning('frontmatter/missing-title', `no title in front matter; using the first heading "${clip(title)}"`, { file, line: fm.bodyLine + heading.index, column: 1, hint: 'add `title: ...` to the front matter' }));
    } else {
      title = titleFromFileName(source.relPath);
      diagnostics.push(warning('frontmatter/missing-title', `no title and no heading; using the file name "${clip(title)}"`, { file, line: 1, column: 1, hint: 'add `title: ...` to the front matter' }));
    }
  }

  // kind: a page when `layout`/`type` says page, or when it lives under `pages/`.
  const layoutValue = String((hasValue(data.type) ? data.type : data.layout) ?? '').trim().toLowerCase();
  const kind = layoutValue === 'page' || source.relPath.startsWith('pages/') ? 'page' : 'post';

  // date: front matter, else a YYYY-MM-DD- file-name prefix, else first git commit, else mtime;
  // a page needs none.
  let date: PostDate | null = null;
  let dateSource: DateSource = 'front-matter';
  if (kind === 'page' && !hasValue(data.date)) {
    [date, dateSource] = [instantDate(0, tz), 'none'];
  } else if (hasValue(data.date)) {
    const parsed = readDate(data.date, tz);
    if (parsed.ok) date = parsed.date;
    else diagnostics.push(error('frontmatter/invalid-date', `invalid date: ${parsed.reason}`, { ...at('date'), hint: 'use YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS +hh:mm for a time' }));
  } else {
    const fromName = dateFromFileName(path.posix.basename(source.relPath), tz);
    const git = fromName ? null : ctx.gitDate(source.relPath);
    if (fromName) [date, dateSource] = [fromName, 'file-name'];
    else if (git !== null) [date, dateSource] = [instantDate(git, tz), 'git'];
    else [date, dateSource] = [instantDate(Math.floor(source.mtimeMs / 1000) * 1000, tz), 'mtime'];
    // A `YYYY-MM-DD-` file name is a date the author wrote (Jekyll's convention): no warning.
    if (dateSource !== 'file-name') {
      const from = dateSource === 'git' ? 'the first git commit of the file' : "the file's modification time";
      diagnostics.push(warning('frontmatter/missing-date', `no date in front matter; using ${date.iso} from ${from}`, { file, line: 1, column: 1, hint: 'add `date: YYYY-MM-DD` (or start the file name with it) so the date cannot change' }));
    }
  }

  // updated / lastmod (Hugo) / last_modified_at (Jekyll): optional.
  let updated: PostDate | null = null;
  const updatedKey = ['updated', 'lastmod', 'last_modified_at'].find((k) => hasValue(data[k]));
  if (updatedKey) {
    const parsed = readDate(data[updatedKey], tz);
    if (parsed.ok) updated = parsed.date;
    else diagnostics.push(error('frontmatter/invalid-date', `invalid ${updatedKey}: ${parsed.reason}`, at(updatedKey)));
  }

  // categories / category and tags / tag: any shape, merged.
  const terms = (keys: string[]) => {
    const names: string[] = [];
    for (const key of keys) {
      const r = termNames(data[key]);
      if (r.problem) diagnostics.push(error('frontmatter/invalid-terms', `${key} ${r.problem}`, { ...at(key), hint: `write e.g. ${key}: [One, Two]` }));
      else if (r.nested) diagnostics.push(warning('frontmatter/nested-terms', `${key} holds a list inside a list; its names are read as one list`, { ...at(key), hint: `write e.g. ${key}: [One, Two]` }));
      names.push(...r.names);
    }
    return termNames(names).names;
  };
  const categories = terms(['categories', 'category']);
  const tags = terms(['tags', 'tag']);

  // type / layout: post|posts → the post layout; another name → templates/layouts/<name>.hbs.
  let layout = kind === 'page' && ctx.postLayouts.includes('page') ? 'page' : 'post';
  const layoutKey = hasValue(data.type) ? 'type' : hasValue(data.layout) ? 'layout' : null;
  if (layoutKey && layoutValue !== 'page') {
    const raw = String(data[layoutKey]).trim();
    const aliased = Object.hasOwn(ctx.config.layoutAliases, raw) ? ctx.config.layoutAliases[raw]! : raw;
    if (POST_LAYOUT_NAMES.has(aliased.toLowerCase())) layout = 'post';
    else if (ctx.postLayouts.includes(aliased)) layout = aliased;
    else {
      diagnostics.push(
        warning('frontmatter/unknown-layout', `${layoutKey} "${clip(raw)}" has no template; using the post layout`, {
          ...at(layoutKey),
          hint: `layouts that exist: ${ctx.postLayouts.join(', ') || 'none'}. Create templates/layouts/${safeName(raw)}.hbs, or map it with layoutAliases in the config`,
        }),
      );
    }
  }

  // Booleans: toc, draft (Jekyll's `published: false` is a draft too).
  const toc = bool(data.toc, 'toc', diagnostics, at);
  const draft = bool(data.draft, 'draft', diagnostics, at) || data.published === false;
  // `math:` overrides the site's `math` setting for this post; absent (or not a boolean) it does not.
  const math = hasValue(data.math) ? bool(data.math, 'math', diagnostics, at) : null;

  // icon: `fa-comment-alt`, `fas fa-comment-alt` or `comment-alt` all mean the icon `comment-alt`.
  const iconText = text(data.icon);
  const icon = iconText ? iconText.split(/\s+/).pop()!.replace(/^fa-/, '') || null : null;

  // slug: sanitised later like any slug; one with nothing to make a URL from is ignored, with a warning.
  let slug = hasValue(data.slug) ? text(data.slug) : null;
  if (hasValue(data.slug) && (slug === null || !bareSlug(slug))) {
    const why = slug === null ? 'slug must be text' : `slug "${clip(slug)}" has no letter or digit to make a URL from`;
    diagnostics.push(warning('frontmatter/invalid-slug', `${why}; it is ignored and the title is used`, { ...at('slug'), hint: 'write e.g. slug: my-post' }));
    slug = null;
  }
  // menu: a number places the page in the site header, in that order.
  let menu: number | null = null;
  if (hasValue(data.menu)) {
    const n = typeof data.menu === 'number' ? data.menu : Number(String(data.menu).trim());
    if (Number.isFinite(n)) menu = n;
    else diagnostics.push(warning('frontmatter/invalid-menu', `menu must be a number (its place in the header); ${JSON.stringify(data.menu)} is ignored`, { ...at('menu'), hint: 'write e.g. menu: 1' }));
  }
  // aliases (Hugo) / redirect_from (Jekyll): old URLs that get a redirect page to this one.
  const aliases: string[] = [];
  for (const key of ['aliases', 'redirect_from']) {
    if (!hasValue(data[key])) continue;
    const values = Array.isArray(data[key]) ? (data[key] as unknown[]) : [data[key]];
    for (const v of values) {
      const alias = typeof v === 'string' ? aliasPath(v) : null;
      if (alias) aliases.push(alias);
      else diagnostics.push(warning('frontmatter/invalid-alias', `${key}: ${clip(JSON.stringify(v) ?? String(v))} is not a path on this site; it is ignored`, { ...at(key), hint: `write e.g. ${key}: [/2014/09/15/old-name.html]` }));
    }
  }
  const permalink = text(data.permalink) ?? text(data.url);
  const cover = text(data.cover) ?? text(data.image);
  const description = text(data.description) ?? text(data.summary) ?? text(data.excerpt);
  const author = text(data.author);

  if (diagnostics.some((d) => d.severity === 'error')) return { value: null, diagnostics };
  return {
    value: {
      relPath: source.relPath,
      kind,
      menu,
      aliases,
      permalink,
      cover,
      file,
      title,
      date: date!,
      dateSource,
      updated,
      categories,
      tags,
      layout,
      toc,
      ...(math === null ? {} : { math }),
      icon,
      draft,
      slug,
      description,
      author,
      data,
      body: fm.body,
      bodyLine: fm.bodyLine,
    },
    diagnostics,
  };
}

/**
 * An old URL as a site path: `/2014/09/15/old.html` → `2014/09/15/old.html`, `/old/` or `old` →
 * `old/`; null for what cannot be one (a full URL, `..`, backslashes, control characters).
 */
function aliasPath(raw: string): string | null {
  let p = raw.trim().replace(/[?#].*$/, '');
  if (!p || /^[a-z][a-z0-9+.-]*:|^\/\/|\\|[\u0000-\u001f\u007f]/i.test(p)) return null;
  try {
    p = decodeURI(p);
  } catch {
    return null;
  }
  const segments = p.split('/').filter(Boolean);
  if (!segments.length || segments.some((s) => s === '..' || s === '.')) return null;
  const last = segments[segments.length - 1]!;
  return segments.join('/') + (/\.html?$/i.test(last) ? '' : '/');
}

function readDate(value: unknown, tz: string) {
  if (value instanceof Date) return parseDate(value.toISOString(), tz);
  if (typeof value === 'string') return parseDate(value, tz);
  return { ok: false as const, reason: `${JSON.stringify(value)} is not a date; write it as YYYY-MM-DD` };
}

/** Text from a scalar: strings trimmed with inner whitespace collapsed; numbers stringified. */
function text(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return s || null;
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function bool(value: unknown, key: string, diagnostics: Diagnostic[], at: (k: string) => Partial<Diagnostic>): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|yes|on)$/i.test(value.trim())) return true;
  if (typeof value === 'string' && /^(false|no|off)$/i.test(value.trim())) return false;
  diagnostics.push(warning('frontmatter/invalid-boolean', `${key} must be true or false; ${JSON.stringify(value)} is read as false`, at(key)));
  return false;
}

/** First ATX `# heading` outside code fences, with its line index inside the body. */
export function firstHeading(body: string): { text: string; index: number } | null {
  const lines = body.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    if (fence) continue;
    const m = /^\s{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (m && m[1]!.trim()) return { text: m[1]!.trim(), index: i }; // `#   ` is an empty heading: no title
  }
  return null;
}

/** `2019-06-26-my-first-post.md` → "My first post". */
function titleFromFileName(relPath: string): string {
  const stem = path.posix.basename(relPath).replace(/\.[^.]+$/, '').replace(/^\d{4}-\d{2}-\d{2}[-_]/, '');
  const words = stem.replace(/[-_]+/g, ' ').trim() || 'Untitled';
  return words[0]!.toUpperCase() + words.slice(1);
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
