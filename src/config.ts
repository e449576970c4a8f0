/**
 * Site configuration: defaults, loading (YAML, JSON or TOML) and validation with file:line errors.
 * Every key has a default, so a project without a config file builds.
 */
import path from 'node:path';
import YAML from 'yaml';
import { parse as parseToml } from 'smol-toml';
import { error, warning, type Diagnostic, type Result } from './diagnostics.ts';

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
    /** Exact display names by term, e.g. `{ javascript: JavaScript }` (matched case-insensitively). */
    displayNames: Record<string, string>;
  };
  /** Maps foreign layout names (e.g. Jekyll's `news_item`) onto a layout of ours. */
  layoutAliases: Record<string, string>;
  feeds: {
    /** `full` puts each post's HTML in the feeds; `summary` only its summary. */
    content: 'full' | 'summary';
  };
  /** How many related posts each post page shows (0 to hide them). */
  relatedPosts: number;
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
  taxonomies: { splitCamelCase: true, displayNames: {} },
  layoutAliases: {},
  feeds: { content: 'full' },
  relatedPosts: 3,
};

/** File names looked for at the project root, in order, when `--config` is not given. */
export const CONFIG_FILES = ['quire.config.yml', 'quire.config.yaml', 'quire.config.json', 'quire.config.toml'];

/** The path part of the base URL, always starting and ending with `/`. */
export function basePath(config: Config): string {
  const raw = config.baseUrl;
  let p = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? new URL(raw).pathname : raw;
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return p;
}

/** True when the base URL is absolute, so feeds, sitemap and canonical links can be made. */
export function hasAbsoluteBase(config: Config): boolean {
  return /^https?:\/\//i.test(config.baseUrl);
}

type Check = (value: unknown) => string | null;
const isString: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const isBool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const isPositiveInt: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 10000 ? null : 'must be a whole number from 1 to 10000';
const isStringMap: Check = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
    ? null
    : 'must be a map of names to strings';

const SCHEMA: Record<string, Check> = {
  title: isString,
  description: isString,
  author: isString,
  baseUrl: (v) => {
    if (typeof v !== 'string') return 'must be a string';
    if (v.startsWith('/')) return null;
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'must be an http(s) URL or a path starting with /';
    } catch {
      return 'must be an absolute URL like https://example.com/blog/ or a path starting with /';
    }
  },
  language: (v) => (typeof v === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v) ? null : 'must be a language tag like en or pt-BR'),
  timezone: (v) => {
    if (typeof v !== 'string') return 'must be a string';
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return null;
    } catch {
      return 'is not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)';
    }
  },
  postsPerPage: isPositiveInt,
  dateFormat: isString,
  wordsPerMinute: isPositiveInt,
  'markdown.allowHtml': isBool,
  'taxonomies.splitCamelCase': isBool,
  'taxonomies.displayNames': isStringMap,
  layoutAliases: isStringMap,
  'feeds.content': (v) => (v === 'full' || v === 'summary' ? null : 'must be full or summary'),
  relatedPosts: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 20 ? null : 'must be a whole number from 0 to 20'),
};

/** Parses config text (format from the extension) and validates it against the schema. */
export function parseConfig(text: string, file: string, overrides: Partial<Config> = {}): Result<Config> {
  const diagnostics: Diagnostic[] = [];
  let raw: Record<string, unknown> = {};
  const lineOf = new Map<string, { line: number; column: number }>();
  if (path.extname(file) === '.toml') {
    try {
      raw = parseToml(text) as Record<string, unknown>;
      collectTomlLines(text, lineOf);
    } catch (e) {
      const err = e as { line?: number; column?: number; message: string };
      diagnostics.push(error('config/syntax', `invalid TOML: ${firstLine(err.message)}`, { file, line: err.line ?? 1, column: err.column ?? 1 }));
      return { value: { ...DEFAULT_CONFIG, ...overrides }, diagnostics };
    }
  } else {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      diagnostics.push(error('config/syntax', `invalid config: ${firstLine(e.message)}`, { file, line: pos.line, column: pos.col }));
    }
    if (doc.errors.length) return { value: { ...DEFAULT_CONFIG, ...overrides }, diagnostics };
    const js = doc.toJS();
    if (js !== null && js !== undefined && (typeof js !== 'object' || Array.isArray(js))) {
      diagnostics.push(error('config/not-a-map', 'the config file must be a map of keys to values', { file, line: 1, column: 1 }));
      return { value: { ...DEFAULT_CONFIG, ...overrides }, diagnostics };
    }
    raw = (js ?? {}) as Record<string, unknown>;
    collectLines(doc.contents, '', lineCounter, lineOf);
  }
  const config = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const where = { file, ...(lineOf.get(key) ?? { line: 1, column: 1 }) };
    const nested = Object.keys(SCHEMA).filter((k) => k.startsWith(key + '.'));
    if (nested.length && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      diagnostics.push(error('config/invalid-value', `"${key}" must be a map with the keys ${nested.join(', ')}`, where));
      continue;
    }
    if (nested.length) {
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>)) {
        const full = `${key}.${sub}`;
        const subWhere = { file, ...(lineOf.get(full) ?? where) };
        const check = SCHEMA[full];
        if (!check) {
          diagnostics.push(warning('config/unknown-key', `unknown config key "${full}" is ignored`, { ...subWhere, hint: `known keys under ${key}: ${nested.join(', ')}` }));
          continue;
        }
        const problem = check(subValue);
        if (problem) diagnostics.push(error('config/invalid-value', `"${full}" ${problem}`, subWhere));
        else (config[key] as Record<string, unknown>)[sub] = subValue;
      }
      continue;
    }
    const check = SCHEMA[key];
    if (!check) {
      diagnostics.push(
        warning('config/unknown-key', `unknown config key "${key}" is ignored`, {
          ...where,
          hint: nested.length ? `"${key}" must be a map` : `known keys: ${topLevelKeys().join(', ')}`,
        }),
      );
      continue;
    }
    const problem = check(value);
    if (problem) diagnostics.push(error('config/invalid-value', `"${key}" ${problem}`, where));
    else config[key] = value;
  }
  return { value: applyOverrides(config as unknown as Config, overrides, diagnostics), diagnostics };
}

/** Command-line values (e.g. `--base-url`) win over the file; they are validated the same way. */
function applyOverrides(config: Config, overrides: Partial<Config>, diagnostics: Diagnostic[]): Config {
  const out = { ...config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const problem = SCHEMA[key]?.(value);
    if (problem) diagnostics.push(error('config/invalid-value', `--${kebab(key)} ${problem}`));
    else (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function collectLines(node: unknown, prefix: string, lc: YAML.LineCounter, out: Map<string, { line: number; column: number }>): void {
  if (!YAML.isMap(node)) return;
  for (const item of node.items) {
    if (!YAML.isScalar(item.key)) continue;
    const key = prefix + String(item.key.value);
    const range = (YAML.isNode(item.value) && item.value.range) || item.key.range;
    if (range) {
      const pos = lc.linePos(range[0]);
      out.set(key, { line: pos.line, column: pos.col });
    }
    if (!prefix) collectLines(item.value, key + '.', lc, out);
  }
}

/** Lines of `key =` entries, under their `[table]` headers (a plain scan: good enough for locations). */
function collectTomlLines(text: string, out: Map<string, { line: number; column: number }>): void {
  let table = '';
  text.split('\n').forEach((line, i) => {
    const header = /^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]/.exec(line);
    if (header) {
      table = header[1]! + '.';
      out.set(header[1]!, { line: i + 1, column: 1 });
      return;
    }
    const entry = /^(\s*)([A-Za-z0-9_-]+)\s*=\s*/.exec(line);
    if (entry) out.set(table + entry[2]!, { line: i + 1, column: entry[0].length + 1 });
  });
}

function topLevelKeys(): string[] {
  return [...new Set(Object.keys(SCHEMA).map((k) => k.split('.')[0]!))];
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
