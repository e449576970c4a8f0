/**
 * Front-matter stage: splits a post into its metadata and markdown body and parses the metadata
 * (YAML between `---`, TOML between `+++`) with line numbers that point into the original file.
 *
 * gray-matter is always called with an options object: its no-options path caches results by
 * text and returns `data: {}` for a file that failed before (silent data loss in watch mode).
 */
import type Matter from 'gray-matter';
import type * as Yaml from 'yaml';
import type * as Toml from 'smol-toml';
import { loadOnFirstUse, onFirstUse } from '../lazy.ts';
import { error, warning, type Diagnostic, type Result } from '../diagnostics.ts';
import { explainTomlError, explainYamlError } from './syntax-errors.ts';

const matter = loadOnFirstUse<typeof Matter>('gray-matter');
const YAML = onFirstUse<typeof Yaml>('yaml');
const TOML = onFirstUse<typeof Toml>('smol-toml');

export interface FrontMatter {
  /** Parsed metadata; `{}` when the file has none. */
  data: Record<string, unknown>;
  /** File line (1-based) of each top-level key's last occurrence, for pointing at values. */
  keyLines: Record<string, number>;
  format: 'yaml' | 'toml' | 'none';
  /** The markdown after the closing fence. */
  body: string;
  /** File line (1-based) on which `body` starts. */
  bodyLine: number;
}

const FENCES = { yaml: /^---[ \t]*$/, toml: /^\+\+\+[ \t]*$/ } as const;
const YAML_CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** Whether a text opens with a front-matter fence (after blank lines): how a `.txt` post is told from a plain text file. */
export function startsWithFrontMatter(text: string): boolean {
  const first = /^(?:\uFEFF)?(?:[ \t]*\r?\n)*([^\r\n]*)/.exec(text)![1]!;
  return FENCES.yaml.test(first) || FENCES.toml.test(first);
}

/** Splits and parses front matter. Returns null (with errors) when it cannot be read at all. */
export function parseFrontMatter(text: string, file: string): Result<FrontMatter | null> {
  const lines = text.split('\n');
  let open = 0;
  while (open < lines.length && /^\s*$/.test(lines[open]!)) open++; // blank lines before the fence are allowed
  const format = open < lines.length ? (FENCES.yaml.test(lines[open]!) ? 'yaml' : FENCES.toml.test(lines[open]!) ? 'toml' : null) : null;
  if (!format) return { value: { data: {}, keyLines: {}, format: 'none', body: text, bodyLine: 1 }, diagnostics: [] };

  const closeRe = format === 'yaml' ? YAML_CLOSE : FENCES.toml;
  let close = open + 1;
  while (close < lines.length && !closeRe.test(lines[close]!)) close++;
  if (close >= lines.length) {
    const fence = format === 'yaml' ? '---' : '+++';
    return {
      value: null,
      diagnostics: [
        error('frontmatter/unclosed', `front matter opened with ${fence} is never closed`, {
          file,
          line: open + 1,
          column: 1,
          hint: `add a line with only ${fence} after the last front-matter key`,
        }),
      ],
    };
  }

  const source = lines.slice(open + 1, close).join('\n');
  const diagnostics: Diagnostic[] = [];
  let parsed: { data: Record<string, unknown>; keyLines: Record<string, number> } | null = null;
  const engines = {
    yaml: (s: string) => (parsed = parseYaml(s, file, open, diagnostics))?.data ?? {},
    toml: (s: string) => (parsed = parseTomlMatter(s, file, open, diagnostics))?.data ?? {},
  };
  // gray-matter closes the block at the first line that merely *starts* with its delimiter, so it
  // gets a delimiter that cannot occur in this source; we found the real fences above.
  let fence = '<<<quire-front-matter>>>';
  while (source.includes(fence)) fence += '>';
  matter()(`${fence}\n${source}\n${fence}\n`, { language: format, delimiters: fence, engines });
  // gray-matter does not call the engine for an empty block (`---` right after `---`, or only comments).
  if (parsed === null && diagnostics.length === 0 && isBlank(source)) parsed = { data: {}, keyLines: {} };
  const result = parsed as { data: Record<string, unknown>; keyLines: Record<string, number> } | null;
  if (!result) return { value: null, diagnostics };
  return {
    value: { data: result.data, keyLines: result.keyLines, format, body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 },
    diagnostics,
  };
}

/**
 * `s` starts with the newline after the opening fence, so its line N is file line N + offset. Front
 * matter made only of the plainest lines (see simpleYaml) is read without the YAML library, whose
 * document model cost 0.4–0.6 ms a post (a tenth of a worker's time on the generated posts); the
 * rest goes to the library. A property test checks both give the same data, lines and messages.
 */
export function parseYaml(s: string, file: string, offset: number, diagnostics: Diagnostic[]): { data: Record<string, unknown>; keyLines: Record<string, number> } | null {
  const simple = simpleYaml(s);
  return simple ? { data: simple.data, keyLines: keyLinesOf(simple.keys, file, offset, diagnostics) } : parseYamlFully(s, file, offset, diagnostics);
}

/** Each key's line in the file, with a warning for each key given twice (the last value wins): the same for both readers. */
function keyLinesOf(keys: Key[], file: string, offset: number, diagnostics: Diagnostic[]): Record<string, number> {
  const keyLines: Record<string, number> = {};
  const first = new Map<string, number>();
  for (const { key, line: sLine, column } of keys) {
    const line = sLine + offset;
    const previous = first.get(key);
    if (previous !== undefined) {
      diagnostics.push(
        warning('frontmatter/duplicate-key', `duplicate key "${key}" (first at line ${previous}); the last value wins`, {
          file,
          line,
          column,
          hint: `remove one of the two "${key}:" lines`,
        }),
      );
    } else {
      first.set(key, line);
    }
    keyLines[key] = line;
  }
  return keyLines;
}

/** A top-level key of front matter, where it is in `s` (line and column from 1). */
interface Key {
  key: string;
  line: number;
  column: number;
}

/** A key of the plainest kind: a letter or `_`, then letters, digits, `_` and `-`; not one YAML reads as a boolean or null. */
const SIMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?:[ ]+(.*?))?[ ]*$/;
const NOT_A_SIMPLE_KEY = /^(?:true|false|null|__proto__)$/i;
/** A plain scalar that starts with a letter and holds no character YAML could read as anything but text. */
const SIMPLE_PLAIN = /^[A-Za-z][A-Za-z0-9 _.!?()/&+%=@$*;~^'-]*$/;
/** A date or date-time as front matter writes them: text to YAML 1.2 (the date stage reads it). */
const SIMPLE_DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)?$/;
const SIMPLE_INT = /^(?:0|[1-9]\d{0,14})$/;
/** A version number (`3.8.5`, `1.3.0.rc1`): two dots or more make it text to YAML, never a number. */
const SIMPLE_VERSION = /^\d+\.\d+\.\d+[A-Za-z0-9._-]*$/;
const BLOCK_ITEM = /^( *)- (.*?)[ ]*$/;

/**
 * Front matter whose every line is blank, a comment, or `key: value` at the start of the line with
 * a value that is empty, a plain word-like text, `true`/`false`/`null` (YAML 1.2's spellings), a
 * date or date-time, a version number, a small whole number, a quoted text without escapes, a
 * flow list `[a, b]` of such texts, or (after an empty value) a block list `- a` of them: its data
 * and its keys with their lines in `s`, as YAML reads it. Anything else (or in doubt): null.
 */
export function simpleYaml(s: string): { data: Record<string, unknown>; keys: Key[] } | null {
  const lines = s.split('\n');
  const data: Record<string, unknown> = {};
  const keys: Key[] = [];
  const skippable = (line: string) => /^[ ]*(?:#.*)?$/.test(line);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (skippable(line)) continue;
    const m = SIMPLE_KEY.exec(line);
    if (!m || NOT_A_SIMPLE_KEY.test(m[1]!)) return null;
    const key = m[1]!;
    keys.push({ key, line: i + 1, column: 1 });
    const written = m[2] ?? '';
    let value: unknown;
    if (written !== '') {
      value = simpleValue(written, true);
      if (value === undefined) return null;
    } else {
      // A block list may follow (items indented alike); anything else indented is not this simple.
      let next = i + 1;
      while (next < lines.length && skippable(lines[next]!)) next++;
      const item = next < lines.length ? BLOCK_ITEM.exec(lines[next]!) : null;
      if (!item) {
        value = null; // a line after it that is not a key is refused when the loop reaches it
      } else {
        const items: unknown[] = [];
        let j = next;
        for (; j < lines.length; j++) {
          if (skippable(lines[j]!)) continue;
          const it = BLOCK_ITEM.exec(lines[j]!);
          if (!it) break;
          if (it[1] !== item[1]) return null;
          const v = simpleValue(it[2]!, false);
          if (v === undefined) return null;
          items.push(v);
        }
        value = items;
        i = j - 1;
      }
    }
    data[key] = value;
  }
  return { data, keys };
}

/** A simple value's data (see simpleYaml), or undefined when it is not that simple. `flowList`: a `[a, b]` list may be it. */
function simpleValue(v: string, flowList: boolean): unknown {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"') && !/["\\]/.test(v.slice(1, -1))) return v.slice(1, -1);
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'") && !v.slice(1, -1).includes("'")) return v.slice(1, -1);
  if (flowList && v.startsWith('[') && v.endsWith(']')) {
    const inner = v.slice(1, -1).trim();
    if (inner === '') return [];
    const items = inner.split(',').map((x) => x.trim());
    // In a flow list, plain text without an apostrophe (YAML reads those alike; kept out to be sure).
    const values = items.map((x) => ((SIMPLE_PLAIN.test(x) && !x.includes("'")) || x.startsWith('"') ? simpleValue(x, false) : undefined));
    return values.includes(undefined) ? undefined : values;
  }
  if (SIMPLE_PLAIN.test(v)) return /^(?:[Tt]rue|TRUE)$/.test(v) ? true : /^(?:[Ff]alse|FALSE)$/.test(v) ? false : /^(?:[Nn]ull|NULL)$/.test(v) ? null : v;
  if (SIMPLE_DATE.test(v) || SIMPLE_VERSION.test(v)) return v;
  if (SIMPLE_INT.test(v)) return Number(v);
  return undefined;
}

/** The YAML library's reading of `s` (see parseYaml): every construct, its errors and warnings. */
export function parseYamlFully(s: string, file: string, offset: number, diagnostics: Diagnostic[]): { data: Record<string, unknown>; keyLines: Record<string, number> } | null {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(s, { uniqueKeys: false, lineCounter, prettyErrors: false, strict: false });
  const at = (pos: number) => {
    const p = lineCounter.linePos(pos);
    return { line: p.line + offset, column: p.col };
  };
  // Reworded into what to fix (syntax-errors.ts), from the line the position falls on.
  const lineText = (fileLine: number) => s.split('\n')[fileLine - offset - 1] ?? '';
  for (const e of doc.errors) {
    const where = at(openingOf(doc, e));
    const explained = explainYamlError(e.code, e.message, lineText(where.line));
    diagnostics.push(error('frontmatter/yaml-syntax', `invalid YAML front matter: ${explained.message}`, { file, ...where, hint: explained.hint }));
  }
  if (doc.errors.length) return null;
  for (const w of doc.warnings) diagnostics.push(warning('frontmatter/yaml-warning', firstLine(w.message), { file, ...at(w.pos[0]) }));
  if (doc.contents === null) return { data: {}, keyLines: {} };
  if (!YAML.isMap(doc.contents)) {
    const range = doc.contents.range;
    diagnostics.push(
      error('frontmatter/not-a-map', 'front matter must be a list of `key: value` lines', {
        file,
        ...at(range ? range[0] : 0),
        hint: 'write e.g. `title: My post` on its own line',
      }),
    );
    return null;
  }
  const keys: Key[] = [];
  for (const item of doc.contents.items) {
    const keyNode = item.key;
    if (!YAML.isScalar(keyNode) || !keyNode.range) continue;
    const p = lineCounter.linePos(keyNode.range[0]);
    keys.push({ key: String(keyNode.value), line: p.line, column: p.col });
  }
  const keyLines = keyLinesOf(keys, file, offset, diagnostics);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const explained = explainYamlError('', (e as Error).message, '');
    diagnostics.push(error('frontmatter/yaml-syntax', `invalid YAML front matter: ${explained.message}`, { file, line: offset + 1, column: 1, hint: explained.hint }));
    return null;
  }
  return { data: (data ?? {}) as Record<string, unknown>, keyLines };
}

/**
 * YAML reports an unclosed quote or bracket where the value ends, which is often the next key's
 * line (or the closing fence): point at the top-level value that opened it instead.
 */
function openingOf(doc: Yaml.Document, e: Yaml.YAMLError): number {
  const pos = e.pos[0];
  if ((e.code !== 'MISSING_CHAR' && e.code !== 'BAD_INDENT') || !YAML.isMap(doc.contents)) return pos;
  for (const item of doc.contents.items) {
    const range = YAML.isNode(item.value) ? item.value.range : undefined;
    if (range && range[0] < pos && pos <= range[1]) return range[0];
  }
  return pos;
}

function parseTomlMatter(s: string, file: string, offset: number, diagnostics: Diagnostic[]) {
  try {
    const data = plainToml(TOML.parse(s)) as Record<string, unknown>;
    const keyLines: Record<string, number> = {};
    s.split('\n').forEach((line, i) => {
      const m = /^\s*([A-Za-z0-9_-]+|"[^"]*")\s*=/.exec(line);
      if (m) keyLines[m[1]!.replace(/^"|"$/g, '')] = i + 1 + offset;
    });
    return { data, keyLines };
  } catch (e) {
    const err = e as Toml.TomlError;
    const explained = explainTomlError(err.message, s.split('\n')[(err.line ?? 1) - 1] ?? '');
    diagnostics.push(
      error('frontmatter/toml-syntax', `invalid TOML front matter: ${explained.message}`, {
        file,
        line: (err.line ?? 1) + offset,
        column: err.column ?? 1,
        hint: explained.hint,
      }),
    );
    return null;
  }
}

/** TOML dates become the same strings YAML gives us, so one date parser serves both. */
function plainToml(value: unknown): unknown {
  if (value instanceof Date) return (value as Date & { toISOString(): string }).toISOString();
  if (Array.isArray(value)) return value.map(plainToml);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainToml(v);
    return out;
  }
  return value;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** True when front matter holds nothing but blank lines and comments. */
function isBlank(source: string): boolean {
  return source.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}
