/**
 * Over 250 lines: three parsers (YAML, JSON, TOML) mapped onto one located tree, each with its error positions.
 *
 * Reads config text (YAML, JSON or TOML) into one located tree, before any key means anything.
 * Maps are lists of entries, never JavaScript objects, so no key (`__proto__`, `constructor`,
 * `hasOwnProperty`) can collide with a built-in; every node keeps the line and column it was
 * written at. Syntax errors are worded as what to fix, with the parser's own message in the hint.
 */
import type * as Yaml from 'yaml';
import type * as Toml from 'smol-toml';
import { onFirstUse } from './lazy.ts';

const YAML = onFirstUse<typeof Yaml>('yaml');
const TOML = onFirstUse<typeof Toml>('smol-toml');
import { error, type Diagnostic } from './diagnostics.ts';

/** 1-based line and column. */
export interface Loc {
  line: number;
  column: number;
}

/** A parsed config value and where it was written, whatever the format. */
export type ConfigNode =
  | { kind: 'scalar'; value: unknown; at: Loc }
  | { kind: 'map'; entries: ConfigEntry[]; at: Loc }
  | { kind: 'list'; items: ConfigNode[]; at: Loc };

export interface ConfigEntry {
  key: string;
  /** Where the key is written (the value's own `at` is where the value is). */
  at: Loc;
  value: ConfigNode;
}

/** How deep a config may nest: ours needs 3 levels; anything near this is a mistake or an attack. */
const MAX_DEPTH = 100;
/** How many values aliases (`*name`) may expand a YAML config to: a billion-laughs file is an error, not a hang. */
export const MAX_EXPANDED_VALUES = 10_000;

const START: Loc = { line: 1, column: 1 };

/**
 * The top-level map of a config file, or null when the text does not parse (the diagnostics say
 * where and why). Empty text is an empty map. Never throws.
 */
export function readConfigText(text: string, file: string, diagnostics: Diagnostic[]): ConfigNode | null {
  if (text.trim() === '') return { kind: 'map', entries: [], at: START }; // no config file: no parser to load
  const toml = /\.toml$/i.test(file);
  const root = toml ? readToml(text, file, diagnostics) : readYaml(text, file, /\.json$/i.test(file) ? 'JSON' : 'YAML', diagnostics);
  if (root === null) return null;
  if (root.kind === 'scalar' && root.value === null) return { kind: 'map', entries: [], at: START };
  if (root.kind !== 'map') {
    const looksToml = !toml && /^\s*[A-Za-z0-9_-]+\s*=/m.test(text);
    diagnostics.push(
      error('config/not-a-map', 'the config file must be a map of keys to values', {
        file,
        ...root.at,
        hint: looksToml ? 'this looks like TOML: name the file quire.config.toml' : toml ? 'write `key = value` lines' : 'write `key: value` lines, e.g. `title: My Blog`',
      }),
    );
    return null;
  }
  return root;
}

// ── YAML (and JSON, which the YAML parser reads with line numbers) ─────────────────────────────

function readYaml(text: string, file: string, format: 'YAML' | 'JSON', diagnostics: Diagnostic[]): ConfigNode | null {
  const lineCounter = new YAML.LineCounter();
  let doc: Yaml.Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    diagnostics.push(error('config/syntax', `the config is not valid ${format}`, { file, ...START, hint: `parser: ${firstLine(errorMessage(e))}` }));
    return null;
  }
  const at = (offset: number): Loc => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length) {
    const lines = text.split(/\r?\n|\r/);
    const reported = new Set<number>();
    for (const e of doc.errors) {
      const where = at(openingOf(doc, e));
      // One mistake often yields several parser errors on one line: the first says the most.
      if (reported.has(where.line)) continue;
      reported.add(where.line);
      const { message, hint } = rewordYamlError(e, lines[where.line - 1] ?? '', where.column, format);
      diagnostics.push(error('config/syntax', message, { file, ...where, hint: withDetail(hint, `${format} parser: "${firstLine(e.message)}"`) }));
    }
    return null;
  }
  return new YamlReader(doc, at, file, diagnostics).read();
}

/** Converts the YAML syntax tree, resolving each alias once (to a shared node) and counting what it expands to. */
class YamlReader {
  private readonly anchors = new Map<string, ConfigNode>();
  private readonly done = new Map<unknown, ConfigNode>();
  private readonly inProgress = new Set<ConfigNode>();
  /** Expanded size of each node: 1 per value, aliases counted at their full size. */
  private readonly sizes = new Map<ConfigNode, number>();
  private readonly aliases: { name: string; at: Loc; size: number }[] = [];
  private failed = false;

  constructor(
    private readonly doc: Yaml.Document.Parsed,
    private readonly at: (offset: number) => Loc,
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  read(): ConfigNode | null {
    const contents = this.doc.contents;
    if (contents === null) return { kind: 'scalar', value: null, at: START };
    const root = this.node(contents, 0, START);
    if (this.failed) return null;
    // What aliases add: the expanded size beyond the values actually written.
    const expansion = (this.sizes.get(root) ?? 1) - this.done.size;
    if (expansion > MAX_EXPANDED_VALUES && this.aliases.length) {
      const worst = this.aliases.reduce((a, b) => (b.size > a.size ? b : a));
      this.fail(
        worst.at,
        `aliases make this config expand to over ${MAX_EXPANDED_VALUES.toLocaleString('en')} values (*${shorten(worst.name)} here alone repeats ${formatCount(worst.size)})`,
        'a config needs no nested aliases: write the values out, or use fewer *aliases of lists that themselves hold aliases',
      );
      return null;
    }
    return root;
  }

  private fail(at: Loc, message: string, hint: string): void {
    if (!this.failed) this.diagnostics.push(error('config/syntax', message, { file: this.file, ...at, hint }));
    this.failed = true;
  }

  private locOf(node: unknown, fallback: Loc): Loc {
    const range = YAML.isNode(node) ? node.range : undefined;
    return range ? this.at(range[0]) : fallback;
  }

  private node(yaml: unknown, depth: number, fallback: Loc): ConfigNode {
    const at = this.locOf(yaml, fallback);
    if (YAML.isAlias(yaml)) {
      const source = this.anchors.get(yaml.source);
      if (!source) {
        this.fail(at, `*${shorten(yaml.source)} refers to no &${shorten(yaml.source)} anchor above it`, `define the value with &${shorten(yaml.source)} before using *${shorten(yaml.source)}, or write the value out`);
        return { kind: 'scalar', value: null, at };
      }
      if (this.inProgress.has(source)) {
        this.fail(at, `*${shorten(yaml.source)} refers to the value it is part of`, 'an alias cannot contain itself: write the value out');
        return { kind: 'scalar', value: null, at };
      }
      this.aliases.push({ name: yaml.source, at, size: this.sizes.get(source) ?? 1 });
      return source;
    }
    const cached = this.done.get(yaml);
    if (cached) return cached;
    if (depth > MAX_DEPTH) {
      this.fail(at, `the config nests more than ${MAX_DEPTH} levels deep`, 'a Quire config needs at most 3 levels (taxonomies → displayNames → name)');
      return { kind: 'scalar', value: null, at };
    }
    let out: ConfigNode;
    let size = 1;
    if (YAML.isMap(yaml)) {
      const entries: ConfigEntry[] = [];
      out = { kind: 'map', entries, at };
      this.enter(yaml, out);
      for (const pair of yaml.items) {
        const keyAt = this.locOf(pair.key, at);
        const key = this.key(pair.key, keyAt);
        const value = pair.value === null || pair.value === undefined ? { kind: 'scalar' as const, value: null, at: keyAt } : this.node(pair.value, depth + 1, keyAt);
        if (this.failed) break;
        size += this.sizes.get(value) ?? 1;
        entries.push({ key, at: keyAt, value });
      }
    } else if (YAML.isSeq(yaml)) {
      const items: ConfigNode[] = [];
      out = { kind: 'list', items, at };
      this.enter(yaml, out);
      for (const item of yaml.items) {
        const value = this.node(item, depth + 1, at);
        if (this.failed) break;
        size += this.sizes.get(value) ?? 1;
        items.push(value);
      }
    } else {
      out = { kind: 'scalar', value: YAML.isScalar(yaml) ? yaml.value : null, at };
      this.enter(yaml, out);
    }
    this.inProgress.delete(out);
    this.sizes.set(out, Math.min(size, Number.MAX_SAFE_INTEGER));
    return out;
  }

  /** Registers a node before its children, so `&a [*a]` is seen as the cycle it is. */
  private enter(yaml: unknown, out: ConfigNode): void {
    this.done.set(yaml, out);
    this.inProgress.add(out);
    const anchor = YAML.isNode(yaml) ? (yaml as { anchor?: string }).anchor : undefined;
    if (anchor) this.anchors.set(anchor, out);
  }

  private key(key: unknown, at: Loc): string {
    if (key === null || key === undefined) return '';
    if (YAML.isScalar(key)) {
      const anchor = key.anchor;
      if (anchor) this.anchors.set(anchor, { kind: 'scalar', value: key.value, at });
      if (typeof key.value === 'string') return key.value;
      return key.source ?? String(key.value ?? '');
    }
    this.fail(at, 'a key must be a plain name, not a list, a map or an alias', 'write `name: value`');
    return '';
  }
}

/**
 * YAML reports an unclosed quote or bracket where the text ends (often a later line): point at the
 * innermost value that opened it instead.
 */
function openingOf(doc: Yaml.Document.Parsed, e: Yaml.YAMLError): number {
  const pos = e.pos[0];
  const quote = /closing .?quote/.test(e.message);
  if (!quote && !/end with a/.test(e.message)) return pos;
  let best = pos;
  YAML.visit(doc, {
    Node(_key, node) {
      const range = node.range;
      const kind = quote ? YAML.isScalar(node) : YAML.isCollection(node);
      if (kind && range && range[0] < pos && pos <= range[1] && (best === pos || range[0] > best)) best = range[0];
    },
  });
  return best;
}

/** What to fix, for the parser errors people actually make. */
function rewordYamlError(e: Yaml.YAMLError, line: string, column: number, format: 'YAML' | 'JSON'): { message: string; hint?: string } {
  const rest = line.slice(column - 1);
  const keyOfLine = /^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)/.exec(line)?.[1];
  const msg = e.message;
  if (format === 'JSON') {
    if (/Missing ,|Block collections are not allowed within flow/.test(msg)) return { message: 'a comma is missing between two items', hint: 'separate items with `,` (and check that every string is in "double quotes").' };
    if (/Unexpected , in|Unexpected empty item/.test(msg)) return { message: 'one comma too many', hint: 'remove the extra `,`.' };
    if (/Missing closing "quote/.test(msg)) return { message: 'a string is not closed: add the closing "', hint: 'every string needs a closing " on the same line.' };
    if (/must end with a [}\]]/.test(msg) || /sufficiently indented and end with/.test(msg)) return { message: 'a { or [ is never closed', hint: 'add the missing } or ] (each { needs a }, each [ a ]).' };
    if (e.code === 'DUPLICATE_KEY') return { message: `the key ${quoted(keyAt(rest))} is given twice in one object: keep one` };
    return { message: 'the config is not valid JSON here', hint: 'check the quotes, commas and brackets around this point.' };
  }
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/:\s/.test(rest) || /:$/.test(rest.trimEnd())) {
        const value = rest.trim();
        return {
          message: 'a value contains `: ` — put it in quotes',
          hint: keyOfLine ? `write ${keyOfLine}: ${JSON.stringify(value)}` : `write it as ${JSON.stringify(value)}`,
        };
      }
      return { message: `the line after ${quoted(keyOfLine ?? rest.trim())} is indented under a value`, hint: 'indent the keys of one map by the same number of spaces; a key that holds a map has nothing after its `:`' };
    case 'MULTILINE_IMPLICIT_KEY':
      return { message: 'this line has no `key: value` shape (is a `:` missing?)', hint: 'write `name: value`; a value that continues on the next line must be indented or quoted' };
    case 'TAB_AS_INDENT':
      return { message: 'a tab is used for indentation: indent with spaces', hint: 'YAML does not allow tabs before keys.' };
    case 'BAD_INDENT':
      if (/end with a [\]}]/.test(msg)) return { message: 'a [ or { is never closed: add the ] or }, or put the value in quotes', hint: 'a value starting with [ is a list and one starting with { is a map.' };
      return { message: 'the indentation is off here: keys of one map must start in the same column', hint: 'indent with spaces, the same number for every key of a map.' };
    case 'MISSING_CHAR':
      if (/closing "quote|closing 'quote/.test(msg)) return { message: 'a quoted value is never closed: add the closing quote', hint: 'a value that starts with a quote must end with the same quote.' };
      if (/followed by map values/.test(msg)) return { message: `${quoted(rest.trim() || line.trim())} has no \`:\` — write \`key: value\``, hint: 'or put the whole text in quotes if it is a value.' };
      if (/Missing ,|between .* items|Flow .* must end/.test(msg)) return { message: 'a [list] or {map} on one line is not closed or misses a comma', hint: 'write [a, b] or {a: 1, b: 2}; quote items that contain , [ ] { } or `: `' };
      return { message: 'a character is missing here (a space after `:`, a closing bracket or quote?)' };
    case 'DUPLICATE_KEY':
      return { message: `${quoted(keyAt(rest))} is given twice in one map: keep one`, hint: 'the second one would silently win; delete the one you do not mean.' };
    case 'BAD_SCALAR_START': {
      const ch = /with (?:reserved character )?(\S+)/.exec(msg)?.[1] ?? rest.charAt(0);
      return { message: `a value starting with ${ch} must be in quotes`, hint: keyOfLine ? `write ${keyOfLine}: ${JSON.stringify(rest.trim())}` : `write ${JSON.stringify(rest.trim())}` };
    }
    case 'BAD_DQ_ESCAPE':
      return { message: `${/sequence (\S+)/.exec(msg)?.[1] ?? 'this backslash'} is not an escape in a "double-quoted" value`, hint: 'write \\\\ for a backslash, or use single quotes, where \\ means itself.' };
    case 'MULTIPLE_DOCS':
      return { message: 'the config holds more than one YAML document: remove the second `---` line' };
    case 'RESOURCE_EXHAUSTION':
      return { message: 'the config nests too deeply', hint: 'a Quire config needs at most 3 levels (taxonomies → displayNames → name).' };
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE':
      return { message: 'a `!tag` here cannot be read: remove it', hint: 'config values are plain text, numbers, true/false, lists and maps.' };
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'BAD_PROP_ORDER':
      return { message: 'an &anchor, *alias or !tag here is malformed', hint: 'if the value is text that starts with & * or !, put it in quotes.' };
    case 'UNEXPECTED_TOKEN':
      if (/block-seq-ind on same line/.test(msg)) return { message: 'a `- item` list must start on the line after its key', hint: `write ${keyOfLine ?? 'key'}: on its own line and each "- item" indented below it, or [a, b] on one line` };
      if (/Unexpected scalar at node end/.test(msg)) return { message: 'text follows a closed quote or bracket: put the whole value in quotes' };
      return { message: 'the config is not valid YAML here', hint: 'if a value holds special characters (: # [ ] { } , & * ! | > % @ `), put it in quotes.' };
    case 'KEY_OVER_1024_CHARS':
      return { message: 'a key is over 1024 characters long (is a `:` missing after a long value?)' };
    default:
      return { message: `the config is not valid YAML here`, hint: 'if a value holds special characters (: # [ ] { } , & * ! | > % @ `), put it in quotes.' };
  }
}

/** The key written at the start of `text` (`title: x` → title). */
function keyAt(text: string): string {
  return (/^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:]*?)\s*:/.exec(text)?.[1] ?? text.trim()).replace(/^["']|["']$/g, '');
}

// ── TOML ───────────────────────────────────────────────────────────────────────────────────────

function readToml(text: string, file: string, diagnostics: Diagnostic[]): ConfigNode | null {
  let data: unknown;
  try {
    data = TOML.parse(text);
  } catch (e) {
    const err = e as { line?: unknown; column?: unknown };
    const line = typeof err.line === 'number' && err.line >= 1 ? err.line : 1;
    const column = typeof err.column === 'number' && err.column >= 1 ? err.column : 1;
    const original = firstLine(errorMessage(e)).replace(/^Invalid TOML document:\s*/, '');
    const { message, hint } = rewordTomlError(original, text.split(/\r?\n/)[line - 1] ?? '');
    diagnostics.push(error('config/syntax', message, { file, line, column, hint: withDetail(hint, `TOML parser: "${original}"`) }));
    return null;
  }
  const locations = tomlLocations(text);
  let tooDeep = false;
  const convert = (value: unknown, path: string[], depth: number): ConfigNode => {
    const at = locate(locations, path);
    if (depth > MAX_DEPTH) {
      tooDeep = true;
      return { kind: 'scalar', value: null, at };
    }
    if (Array.isArray(value)) return { kind: 'list', items: value.map((v, i) => convert(v, [...path, String(i)], depth + 1)), at };
    if (isPlainObject(value)) {
      const entries = Object.keys(value).map((key) => {
        const child = [...path, key];
        return { key, at: locate(locations, child, 'key'), value: convert((value as Record<string, unknown>)[key], child, depth + 1) };
      });
      return { kind: 'map', entries, at };
    }
    return { kind: 'scalar', value, at };
  };
  const root = convert(data, [], 0);
  if (tooDeep) {
    diagnostics.push(error('config/syntax', `the config nests more than ${MAX_DEPTH} levels deep`, { file, ...START, hint: 'a Quire config needs at most 3 levels' }));
    return null;
  }
  return root;
}

function rewordTomlError(original: string, line: string): { message: string; hint?: string } {
  const entry = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
  if (/invalid value/.test(original) && entry && /^[^"'[{\d+\-]/.test(entry[2]!) && !/^(true|false|inf|nan)$/.test(entry[2]!)) {
    return { message: 'text values must be in quotes', hint: `write ${entry[1]} = ${JSON.stringify(entry[2])}` };
  }
  if (/invalid value/.test(original)) return { message: 'this value is not a TOML string, number, true/false, date, [list] or {table}', hint: 'put text in "double quotes".' };
  if (/unfinished string/.test(original)) return { message: 'a quoted value is never closed: add the closing quote' };
  if (/redefine/.test(original)) return { message: 'this key or [table] is already defined above: keep one' };
  if (/end-of-line/.test(original)) return { message: 'put each `key = value` on its own line', hint: 'text with spaces must be in quotes.' };
  if (/key/.test(original)) return { message: 'a key may only hold letters, digits, - and _ (quote other keys), and a [table] header ends with ]' };
  if (/leading zero/.test(original)) return { message: 'a number cannot start with 0: put it in quotes if it is text' };
  if (/escape/.test(original)) return { message: 'a backslash in a "double-quoted" string starts an unknown escape', hint: "write \\\\ for a backslash, or use 'single quotes', where \\ means itself." };
  if (/date|time/.test(original)) return { message: 'this date or time does not exist or is malformed' };
  if (/nested/.test(original)) return { message: 'the config nests too deeply' };
  return { message: 'the config is not valid TOML here', hint: 'TOML needs `key = value` lines with text in quotes.' };
}

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEY_PATH = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`^(\s*\[\[?\s*)(${KEY_PATH})\s*\]\]?`);
const ENTRY = new RegExp(String.raw`^(\s*)(${KEY_PATH})\s*=\s*`);

/**
 * Where each key path is written: a line scan of `key = value` lines under their `[table]`
 * headers, skipping multi-line strings (good enough for locations; the parser has read the file).
 */
function tomlLocations(text: string): Map<string, { key: Loc; value: Loc }> {
  const out = new Map<string, { key: Loc; value: Loc }>();
  const set = (path: string[], key: Loc, value: Loc) => {
    const id = pathId(path);
    if (!out.has(id)) out.set(id, { key, value });
  };
  let table: string[] = [];
  let openString: string | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    if (openString) {
      if (line.includes(openString)) openString = null;
      return;
    }
    const header = HEADER.exec(line);
    if (header) {
      table = keyParts(header[2]!);
      const at = { line: i + 1, column: header[1]!.length + 1 };
      for (let n = 1; n <= table.length; n++) set(table.slice(0, n), at, at);
      return;
    }
    const entry = ENTRY.exec(line);
    if (!entry) return;
    const path = [...table, ...keyParts(entry[2]!)];
    const keyLoc = { line: i + 1, column: entry[1]!.length + 1 };
    for (let n = table.length + 1; n < path.length; n++) set(path.slice(0, n), keyLoc, keyLoc);
    set(path, keyLoc, { line: i + 1, column: entry[0].length + 1 });
    const rest = line.slice(entry[0].length);
    for (const quote of ['"""', "'''"]) {
      if (rest.startsWith(quote) && !rest.slice(3).includes(quote)) openString = quote;
    }
  });
  return out;
}

/** The location of a key path, else of its nearest located ancestor, else 1:1. */
function locate(locations: Map<string, { key: Loc; value: Loc }>, path: string[], which: 'key' | 'value' = 'value'): Loc {
  for (let n = path.length; n > 0; n--) {
    const found = locations.get(pathId(path.slice(0, n)));
    if (found) return n === path.length ? found[which] : found.value;
  }
  return START;
}

function keyParts(keyPath: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(KEY_PART, 'g');
  for (let m = re.exec(keyPath); m; m = re.exec(keyPath)) {
    const raw = m[0];
    if (raw.startsWith('"')) {
      try {
        parts.push(JSON.parse(raw) as string);
      } catch {
        parts.push(raw.slice(1, -1));
      }
    } else if (raw.startsWith("'")) parts.push(raw.slice(1, -1));
    else parts.push(raw);
  }
  return parts;
}

function pathId(path: string[]): string {
  return path.join('\u0000');
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

// ── Wording helpers ────────────────────────────────────────────────────────────────────────────

/** Our advice, then the parser's own words as a detail. */
function withDetail(hint: string | undefined, detail: string): string {
  return hint ? `${hint} (${detail})` : detail;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}

function shorten(s: string, max = 40): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

function quoted(s: string): string {
  return '`' + shorten(s) + '`';
}

function formatCount(n: number): string {
  return n >= Number.MAX_SAFE_INTEGER ? 'more values than can be counted' : `${n.toLocaleString('en')} values`;
}
