/**
 * Over 250 lines: the schema is one table of every key with its check and hint; splitting it would scatter the keys.
 *
 * Site configuration: defaults, the schema, and validation with file:line diagnostics. The text is
 * read by `config-read.ts` into a located tree; here each key is looked up in the schema (a key is
 * known or an "unknown key" warning, never a lookup on a prototype) and only known keys are copied
 * into the result. Every key has a default, so a project without a config file builds.
 */
import { readConfigText, type ConfigEntry, type ConfigNode, type Loc } from './config-read.ts';
import { error, warning, type Diagnostic, type Result } from './diagnostics.ts';
import { canonicalPath } from './site/urls.ts';

export interface Config {
  /** Site title, shown in the header and the `<title>` of every page. */
  title: string;
  /** One-sentence description: home page meta description. */
  description: string;
  /** Default author name for posts without `author`. */
  author: string;
  /** Where the site is deployed. Its path part (e.g. `/blog/`) prefixes every internal link. */
  baseUrl: string;
  /** `<html lang>` and the locale for month names. */
  language: string;
  /** IANA zone in which date-only and offset-less dates are read and every date is shown. */
  timezone: string;
  /** Posts per page on the home page and on category and tag pages. */
  postsPerPage: number;
  /** Date display pattern: YYYY, MMMM (June), MMM (Jun), MM, M, DD, D. */
  dateFormat: string;
  /** Reading speed used for "N min read". */
  wordsPerMinute: number;
  markdown: {
    /** Keep raw HTML written in markdown. Off by default: raw HTML is dropped. */
    allowHtml: boolean;
  };
  taxonomies: {
    /** Show `ArtificialIntelligence` as "Artificial Intelligence". */
    splitCamelCase: boolean;
    /** Exact display names by term, e.g. `{ javascript: JavaScript }` (matched case-insensitively). A null-prototype map. */
    displayNames: Record<string, string>;
  };
  /** Maps foreign layout names (e.g. Jekyll's `news_item`) onto a layout of ours. A null-prototype map. */
  layoutAliases: Record<string, string>;
  feeds: {
    /** `full` puts each post's HTML in the feeds; `summary` only its summary. */
    content: 'full' | 'summary';
    /** Entries per feed: the newest posts (site feed and each category's). */
    limit: number;
  };
  /** How many related posts each post page shows (0 to hide them). */
  relatedPosts: number;
  /**
   * `$…$` and `$$…$$` are TeX math, rendered to MathML at build time (no client JavaScript).
   * `false` keeps every dollar sign as text; a post's own `math:` front matter overrides it.
   */
  math: boolean;
  /**
   * Severity of broken internal links and missing anchors (`link/broken`, `link/missing-anchor`):
   * `warning` (the build succeeds and counts them) or `error` (for CI; `--strict` does the same).
   */
  links: 'warning' | 'error';
  /**
   * Where posts are published: a path with tokens `:year`, `:month`, `:day`, `:slug`, `:category`
   * (the first category's slug); ending in `/` (a folder with index.html) or `.html`.
   */
  permalink: string;
}


/** A map of names the user chooses: no prototype, so `constructor` or `__proto__` is just a name. */
function names(entries: Record<string, string> = {}): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, entries);
}

export const DEFAULT_CONFIG: Config = {
  title: 'My Blog',
  description: '',
  author: '',
  baseUrl: '/',
  language: 'en',
  timezone: 'UTC',
  postsPerPage: 10,
  dateFormat: 'MMMM D, YYYY',
  wordsPerMinute: 220,
  markdown: { allowHtml: false },
  taxonomies: { splitCamelCase: true, displayNames: names() },
  layoutAliases: names(),
  feeds: { content: 'full', limit: 20 },
  relatedPosts: 3,
  math: true,
  links: 'warning',
  permalink: '/posts/:slug/',
};

/** A fresh copy of the defaults that validation may fill in (DEFAULT_CONFIG itself is never changed). */
function defaults(): Config {
  const d = DEFAULT_CONFIG;
  return {
    ...d,
    markdown: { ...d.markdown },
    taxonomies: { ...d.taxonomies, displayNames: names(d.taxonomies.displayNames) },
    layoutAliases: names(d.layoutAliases),
    feeds: { ...d.feeds },
  };
}

/** File names looked for at the project root, in order, when `--config` is not given. */
export const CONFIG_FILES = ['quire.config.yml', 'quire.config.yaml', 'quire.config.json', 'quire.config.toml'];

/**
 * The path part of the base URL, starting and ending with `/`, always percent-encoded the one way
 * `canonicalPath` spells it (`/blög/` → `/bl%C3%B6g/`, `/my blog/` → `/my%20blog/`): every URL
 * the site writes starts with it, and the link checker compares URLs with it in that form.
 */
export function basePath(config: Pick<Config, 'baseUrl'>): string {
  const raw = config.baseUrl;
  let p: string;
  try {
    p = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? new URL(raw).pathname : new URL('/' + raw.replace(/^[/\\]+/, ''), 'http://quire.invalid').pathname;
  } catch {
    p = '/';
  }
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return canonicalPath(p);
}

/** True when the base URL is absolute, so feeds, sitemap and canonical links can be made. */
export function hasAbsoluteBase(config: Config): boolean {
  return /^https?:\/\//i.test(config.baseUrl);
}

// ── The schema ─────────────────────────────────────────────────────────────────────────────────

/** What is wrong with a value (completing `"key" …`), or null when it is fine. */
type Check = (value: unknown) => string | null;

/** A key of the config: one value, a section of further keys, or a map of user-chosen names to text. */
type Field = { kind: 'value'; check: Check; hint?: string } | { kind: 'section'; fields: Fields } | { kind: 'names'; example: string };
type Fields = { readonly [key: string]: Field };

/** Null-prototype, so looking up `constructor` or `__proto__` finds no field instead of Object's. */
function fields(f: Record<string, Field>): Fields {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, Field>, f));
}
const value = (check: Check, hint?: string): Field => ({ kind: 'value', check, ...(hint ? { hint } : {}) });
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? null : `must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
const isString: Check = (v) => (typeof v === 'string' ? null : 'must be text');
const isBool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const wholeNumber =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be a whole number from ${min} to ${max}`;

/** `http(s)://host/path/` or a path starting with a single `/`; nothing a browser would read as another host. */
const isBaseUrl: Check = (v) => {
  if (typeof v !== 'string') return 'must be text';
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'must not contain control characters (tabs, line breaks)';
  if (v !== v.trim()) return 'must not start or end with spaces';
  if (v.includes('\\')) return 'must use / and not \\ (browsers read \\ as /)';
  if (v.startsWith('//')) return 'must not start with // (browsers read //host/ as another host)';
  if (/%(?![0-9A-Fa-f]{2})/.test(v)) return 'has a % that does not start an escape like %20 (write a % sign as %25)';
  let pathPart: string;
  if (v.startsWith('/')) {
    pathPart = v;
    if (/[?#]/.test(v)) return 'must be a path, without a ?query or #fragment';
  } else {
    if (!/^https?:\/\/[^/?#]/i.test(v)) return 'must be an http(s) URL or a path starting with /';
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return 'is not a valid URL';
    }
    if (url.username || url.password) return 'must not contain a user name or password';
    if (/[?#]/.test(v)) return 'must not have a ?query or #fragment';
    pathPart = v.replace(/^https?:\/\/[^/]*/i, '');
  }
  if (pathPart.split('/').some((seg) => /^(?:\.|%2e){1,2}$/i.test(seg))) return 'must not contain . or .. path segments';
  return null;
};

const isPermalink: Check = (v) => {
  if (typeof v !== 'string') return 'must be text';
  if (!v.includes(':slug')) return 'must contain :slug (so that every post has its own URL)';
  if (!/^\/?[A-Za-z0-9:_\-./]*$/.test(v) || v.split('/').some((s) => s === '..' || s === '.')) return 'may only hold letters, digits, - _ . / and the tokens :year :month :day :slug :category';
  if (!v.endsWith('/') && !v.endsWith('.html')) return 'must end with / or .html';
  const unknown = v.match(/:[a-z]+/g)?.find((t) => ![':year', ':month', ':day', ':slug', ':category'].includes(t));
  return unknown ? `has an unknown token ${unknown} (known: :year :month :day :slug :category)` : null;
};

const isLanguage: Check = (v) => (typeof v === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v) ? null : 'must be a language tag like en or pt-BR');

const isTimeZone: Check = (v) => {
  if (typeof v !== 'string') return 'must be text';
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return null;
  } catch {
    return 'is not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)';
  }
};

const SCHEMA: Fields = fields({
  title: value(isString),
  description: value(isString),
  author: value(isString),
  baseUrl: value(isBaseUrl, 'write an http(s) URL like https://example.com/blog/, or a path like /blog/'),
  language: value(isLanguage),
  timezone: value(isTimeZone),
  postsPerPage: value(wholeNumber(1, 10000)),
  dateFormat: value(isString),
  wordsPerMinute: value(wholeNumber(1, 10000)),
  markdown: { kind: 'section', fields: fields({ allowHtml: value(isBool) }) },
  taxonomies: {
    kind: 'section',
    fields: fields({ splitCamelCase: value(isBool), displayNames: { kind: 'names', example: '{ ai: AI, javascript: JavaScript }' } }),
  },
  layoutAliases: { kind: 'names', example: '{ news_item: post }' },
  feeds: { kind: 'section', fields: fields({ content: value(oneOf('full', 'summary')), limit: value(wholeNumber(1, 10000)) }) },
  relatedPosts: value(wholeNumber(0, 20)),
  math: value(isBool, 'math: false keeps $ as text everywhere; a post can still say math: true'),
  links: value(oneOf('warning', 'error'), 'links: error makes broken links and missing anchors fail the build (as --strict does)'),
  permalink: value(isPermalink, 'e.g. /posts/:slug/ (the default), /:year/:month/:day/:slug.html or /:category/:slug/'),
});

// ── Validation ─────────────────────────────────────────────────────────────────────────────────

/** Where diagnostics point and how keys are named: in the file (`"markdown.allowHtml"` at its line) or on the command line (`--base-url`). */
interface Origin {
  where(at: Loc): Partial<Diagnostic>;
  name(path: string[]): string;
}

/**
 * Parses config text (format from the extension: `.toml`, `.json`, else YAML) and validates it
 * against the schema. Never throws: whatever the text, the result is a complete config (defaults
 * where the file had nothing usable) and diagnostics that each name the file, line and column.
 */
export function parseConfig(text: string, file: string, overrides: Partial<Config> = {}): Result<Config> {
  const diagnostics: Diagnostic[] = [];
  const config = defaults();
  const root = readConfigText(text, file, diagnostics);
  const inFile: Origin = { where: (at) => ({ file, ...at }), name: (path) => JSON.stringify(path.map(shorten).join('.')) };
  if (root) applySection(SCHEMA, root, config as unknown as Record<string, unknown>, [], inFile, diagnostics);
  // Command-line values (e.g. `--base-url`) win over the file; they are validated the same way.
  const fromCli: Origin = { where: () => ({}), name: (path) => `--${path.map(kebab).join('.')}` };
  applySection(SCHEMA, nodeOf(overrides), config as unknown as Record<string, unknown>, [], fromCli, diagnostics);
  return { value: config, diagnostics };
}

function applySection(schema: Fields, node: ConfigNode, target: Record<string, unknown>, path: string[], origin: Origin, diagnostics: Diagnostic[]): void {
  if (node.kind !== 'map') return;
  for (const entry of node.entries) {
    const field = Object.hasOwn(schema, entry.key) ? schema[entry.key] : undefined;
    const here = [...path, entry.key];
    if (!field) {
      diagnostics.push(unknownKey(entry, here, Object.keys(schema), origin));
      continue;
    }
    const v = entry.value;
    if (field.kind === 'value') {
      const problem = field.check(v.kind === 'scalar' ? v.value : undefined);
      if (problem) diagnostics.push(invalid(here, v, problem, origin, field.hint));
      else target[entry.key] = v.kind === 'scalar' ? v.value : undefined;
    } else if (isEmpty(v)) {
      // `markdown:` with every line under it commented out: nothing to change.
    } else if (v.kind !== 'map') {
      const what = field.kind === 'section' ? `must be a map with the keys ${Object.keys(field.fields).join(', ')}` : `must be a map of names to text, e.g. ${field.example}`;
      diagnostics.push(invalid(here, v, what, origin));
    } else if (field.kind === 'section') {
      applySection(field.fields, v, target[entry.key] as Record<string, unknown>, here, origin, diagnostics);
    } else {
      const map = names();
      for (const item of v.entries) {
        if (item.value.kind === 'scalar' && typeof item.value.value === 'string') map[item.key] = item.value.value;
        else diagnostics.push(invalid([...here, item.key], item.value, 'must be text (put it in quotes)', origin));
      }
      target[entry.key] = map;
    }
  }
}

function unknownKey(entry: ConfigEntry, path: string[], known: string[], origin: Origin): Diagnostic {
  const guess = suggest(entry.key, known);
  const under = path.length > 1 ? ` under ${path.slice(0, -1).join('.')}` : '';
  return warning('config/unknown-key', `unknown config key ${origin.name(path)} is ignored`, {
    ...origin.where(entry.at),
    hint: guess ? `did you mean ${guess}?` : `known keys${under}: ${known.join(', ')}`,
  });
}

function invalid(path: string[], node: ConfigNode, problem: string, origin: Origin, hint?: string): Diagnostic {
  return error('config/invalid-value', `${origin.name(path)} ${problem}; it is ${describe(node)}`, { ...origin.where(node.at), ...(hint ? { hint } : {}) });
}

/** The value as a reader would name it: `"ten"`, `0`, `a list`, `empty`. */
function describe(node: ConfigNode): string {
  if (node.kind === 'list') return 'a list';
  if (node.kind === 'map') return 'a map';
  const v = node.value;
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return JSON.stringify(shorten(v));
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return 'a date';
  if (v instanceof Uint8Array) return 'binary data';
  return 'a value of another kind';
}

function isEmpty(node: ConfigNode): boolean {
  return node.kind === 'scalar' && (node.value === null || node.value === undefined);
}

/** A known key spelled almost the same (case, or one or two letters off). */
function suggest(key: string, known: string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === lower);
  if (exact || key.length > 40) return exact;
  const allowed = key.length < 5 ? 1 : 2;
  return known.find((k) => editDistance(k.toLowerCase(), lower) <= allowed);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** Overrides as a tree, so they go through the same schema (unlocated: they come from the command line). */
function nodeOf(v: unknown, depth = 0): ConfigNode {
  const at = { line: 0, column: 0 };
  if (depth > 20) return { kind: 'scalar', value: undefined, at };
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => nodeOf(x, depth + 1)), at };
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const entries = Object.keys(v)
      .filter((key) => (v as Record<string, unknown>)[key] !== undefined)
      .map((key) => ({ key, at, value: nodeOf((v as Record<string, unknown>)[key], depth + 1) }));
    return { kind: 'map', entries, at };
  }
  return { kind: 'scalar', value: v, at };
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function shorten(s: string): string {
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}
