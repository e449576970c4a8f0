/**
 * The catalogue of bad inputs (issue 6): every input an author or a theme could get wrong, what
 * file(s) it takes, and what the user must see. Each entry is built on its own by
 * test/catalogue.test.ts (the heavy ones by test/catalogue.slow.test.ts), and every content entry
 * at once beside the sample posts.
 *
 * Files are made at test time in a temporary project (`content/`, `templates/`, and `outside/`
 * for things that must stay out of reach); big ones are functions, so that loading this module
 * costs nothing. Expected diagnostics name the file as shown to the user (relative to the
 * project) and give the line, and the column where it means something. Entries that must build
 * list what their pages must show instead of (or as well as) warnings.
 *
 * Beyond content and themes (issue 13), the catalogue also lists bad config files, command lines,
 * output and cache folders tampered with between two builds, and requests to the dev server: one
 * entry each, run by the same tests. An entry whose case has a test of its own (a property test, a
 * fuzz test, a real `quire dev` process) names it in `testedIn`; the entry here checks the same
 * behaviour in one short run, so that this file is the one index of every bad input.
 */
import { lstat, mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';

export type Severity = 'error' | 'warning';

export interface ExpectedDiagnostic {
  severity: Severity;
  code: string;
  /** As shown to the user: relative to the project folder, e.g. `content/a.md`. */
  file: string;
  /** Absent: the problem has no line (an unreadable file, a symlink). */
  line?: number;
  /** Compared only when given. */
  column?: number;
}

/** A file's bytes: text (written as UTF-8), raw bytes, or a function making either (big files). */
export type FileSpec = string | Uint8Array | (() => string | Uint8Array);

/** Something a built page (or feed) must show. */
export interface OutputCheck {
  /** Output file inside the output folder, e.g. `posts/hello/index.html`. */
  file: string;
  /** CSS selector (HTML files only); without one the checks apply to the whole file's text. */
  selector?: string;
  /** Exact number of matches of `selector`. */
  count?: number;
  /** Text of the first match (whitespace collapsed), or of the whole file. */
  text?: string | RegExp;
  /** Text length of the first match, at least. */
  minLength?: number;
}

/** The folders of the temporary project an entry is built in. */
export interface ProjectDirs {
  root: string;
  content: string;
  out: string;
}

/** A command line, with `{root}`, `{content}` and `{out}` standing for the project's folders. */
export interface CliCase {
  args: string[];
  /** Exit code: 0 done, 1 errors, 2 usage (never 70, an internal error). */
  exit: number;
  /** What stderr (exit 1 or 2) or stdout (exit 0) must say. */
  says: RegExp;
}

/** A request to the dev server (serving a small site from memory), and its answer. */
export interface RequestCase {
  /** The request target exactly as sent (`/posts/%E6%97%A5`, `http://[`, `*`). */
  target: string;
  /** The Host header (default: the server's own `127.0.0.1:<port>`). */
  host?: string;
  status: number;
  /** The Location header, for redirects. */
  location?: string;
  body?: RegExp;
}

export interface CatalogueEntry {
  id: string;
  /** One line: what the input is. */
  description: string;
  /**
   * `content`: files in the content folder (part of the all-at-once build); `template`: a broken
   * theme; `config`: a config file; `cli`: a command line, run as a process; `output` and `cache`:
   * the output or cache folder changed (`between`) after a first good build, then built again;
   * `request`: a request to the dev server.
   */
  kind: 'content' | 'template' | 'config' | 'cli' | 'output' | 'cache' | 'request';
  /** Files to create under `content/`. */
  files?: Record<string, FileSpec>;
  /** Files to create under `outside/`, a folder beside `content/` that must stay unpublished. */
  outside?: Record<string, FileSpec>;
  /** Symbolic links to create under `content/`: link path → target, as written in the link. */
  symlinks?: Record<string, string>;
  /** Paths under `content/` whose reads fail with EACCES (simulated through the Fs interface: CI runs as root). */
  unreadable?: string[];
  /** Template entries: a line inserted into a copy of `templates/` (which is otherwise unchanged). */
  template?: { file: string; line: number; text: string };
  /** Every diagnostic the build reports, no more, no fewer. */
  expect: ExpectedDiagnostic[];
  /** For inputs that build: what the output must show. */
  shows?: OutputCheck[];
  /** Output files that must not exist. */
  absent?: string[];
  /** Takes seconds to render (remark is linear at best): built only by test/catalogue.slow.test.ts (`npm run test:slow`). */
  heavy?: boolean;
  /** `config` entries: the config file, at the project root (its name gives the format). */
  config?: { name: string; text: string };
  /** `cli` entries: the command line and what it must do. */
  cli?: CliCase;
  /** `output` and `cache` entries: done to the project between the first build and the one checked; `cli`: before the command. */
  between?: (p: ProjectDirs) => Promise<void>;
  /** Checked after the build (throws when something is wrong). */
  verify?: (p: ProjectDirs) => Promise<void>;
  /** Files (relative to the project) the build must never read whole. */
  neverRead?: string[];
  /** `request` entries. */
  request?: RequestCase;
  /** Where the case is tested in depth, when it has a test of its own: `file: test name`. */
  testedIn?: string;
}

/** Front matter with a title and a date, then `body`: the body starts on line 5. */
const post = (title: string, body: string, extra = '') => `---\ntitle: ${JSON.stringify(title)}\ndate: 2020-01-01\n${extra}---\n${body}`;

const TEN_MB = 10 * 1024 * 1024;

/** About 10 MB of ordinary paragraphs (1 KB each, numbered, with emphasis, code and a link), then a marker paragraph. */
function tenMegabytes(): string {
  const parts = ['---\ntitle: Ten megabytes\ndate: 2020-01-01\n---\n'];
  const prose = 'The quick brown fox jumps over the lazy dog while the author keeps typing a long paragraph of ordinary prose. '.repeat(9);
  let size = parts[0]!.length;
  for (let i = 1; size < TEN_MB; i++) {
    const p = `Paragraph ${i}. ${prose}Some *emphasis*, \`code\` and a [link](https://example.com/${i}).\n\n`;
    parts.push(p);
    size += p.length;
  }
  parts.push('The very last paragraph.\n');
  return parts.join('');
}

/** A PNG's first bytes: signature, then the IHDR chunk (the first NUL is at byte 8, line 3). */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00]);

/** Text in UTF-8 with one word saved as Latin-1 (a copy-paste from another file). */
const mixedEncoding = () => Buffer.concat([Buffer.from('---\ntitle: Crème brûlée caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('\ndate: 2020-01-01\n---\nBody.\n', 'utf8')]);

/** "Notepad's Unicode": UTF-16LE with a byte order mark. */
const utf16 = () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(post('Saved as UTF-16', 'Body.\n'), 'utf16le')]);

/** One post with `n` categories and `n` tags, `Category 0000`… and `tag 0000`… */
function manyTerms(n: number): string {
  const list = (prefix: string) => Array.from({ length: n }, (_, i) => `  - ${prefix} ${String(i).padStart(4, '0')}`).join('\n');
  return `---\ntitle: Many terms\ndate: 2020-01-01\ncategories:\n${list('Category')}\ntags:\n${list('tag')}\n---\nA post with ${n} categories and ${n} tags.\n`;
}

/** A YAML alias bomb: nine levels of nine aliases each, 9^9 values if expanded. */
function aliasBomb(): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
    lines.push(`${name}: &${name} [${Array(9).fill('*' + prev).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

/** Every entry under `dir` (not following links): relative path → `folder`, `link → target` or the file's size. */
async function listing(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(e.parentPath, e.name);
    const st = await lstat(abs);
    out[path.relative(dir, abs)] = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'folder' : String(st.size);
  }
  return out;
}

export const CATALOGUE: CatalogueEntry[] = [
  // ── Front matter that does not parse ──────────────────────────────────────────────────────────
  {
    id: 'yaml-malformed',
    description: 'YAML that does not parse: an unquoted colon in a value (`title: Hello: world`)',
    kind: 'content',
    files: { 'yaml-malformed.md': '---\ntitle: Hello: world\ndate: 2020-01-01\n---\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/yaml-syntax', file: 'content/yaml-malformed.md', line: 2, column: 8 }],
  },
  {
    id: 'yaml-unclosed-quote',
    description: 'YAML with a quote that is never closed: reported where it opened, not where YAML gave up',
    kind: 'content',
    files: { 'yaml-unclosed-quote.md': '---\ntitle: "Unclosed quote\ndate: 2020-01-01\n---\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/yaml-syntax', file: 'content/yaml-unclosed-quote.md', line: 2, column: 8 }],
  },
  {
    id: 'toml-malformed',
    description: 'TOML that does not parse: an unquoted string value (`foo = bar`)',
    kind: 'content',
    files: { 'toml-malformed.md': '+++\ntitle = "TOML"\ndate = 2020-01-01\nfoo = bar\n+++\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/toml-syntax', file: 'content/toml-malformed.md', line: 4, column: 7 }],
  },
  {
    id: 'fence-unclosed',
    description: 'a front-matter fence `---` that is never closed',
    kind: 'content',
    files: { 'fence-unclosed.md': '---\ntitle: Never closed\ndate: 2020-01-01\n\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/unclosed', file: 'content/fence-unclosed.md', line: 1, column: 1 }],
  },

  // ── Files that are not UTF-8 text ──────────────────────────────────────────────────────────────
  {
    id: 'not-utf8',
    description: 'a UTF-8 file with one word saved as Latin-1: the position of the bad byte, counted in characters (no mojibake)',
    kind: 'content',
    files: { 'not-utf8.md': mixedEncoding },
    expect: [{ severity: 'error', code: 'content/not-utf8', file: 'content/not-utf8.md', line: 2, column: 24 }],
  },
  {
    id: 'utf16',
    description: 'a UTF-16 file (Windows Notepad\'s "Unicode"): not UTF-8, rather than "binary"',
    kind: 'content',
    files: { 'utf16.md': utf16 },
    expect: [{ severity: 'error', code: 'content/not-utf8', file: 'content/utf16.md', line: 1, column: 1 }],
  },
  {
    id: 'binary',
    description: 'a binary file (a PNG) with a .md name',
    kind: 'content',
    files: { 'binary.md': PNG },
    expect: [{ severity: 'error', code: 'content/binary', file: 'content/binary.md', line: 3, column: 1 }],
  },
  {
    id: 'nul-bytes',
    description: 'a text post with a NUL byte in it',
    kind: 'content',
    files: { 'nul-bytes.md': post('NUL bytes', 'A NUL \u0000 byte.\n') },
    expect: [{ severity: 'error', code: 'content/binary', file: 'content/nul-bytes.md', line: 5, column: 7 }],
  },
  {
    id: 'control-characters',
    description: 'control characters (BEL, ESC colour codes, DEL, C1) in the title and body: removed from every output, one warning at the first',
    kind: 'content',
    files: { 'control-characters.md': '---\ntitle: Bell\u0007 and escape\ndate: 2020-01-01\n---\nThe \u001b[1mbold\u001b[0m terminal text \u007f with a NEL\u0085 too.\n' },
    expect: [{ severity: 'warning', code: 'content/control-characters', file: 'content/control-characters.md', line: 2, column: 12 }],
    shows: [
      { file: 'posts/control-characters/index.html', selector: 'h1 .post-title-text', text: 'Bell and escape' },
      { file: 'posts/control-characters/index.html', selector: '.post-content p', text: 'The [1mbold[0m terminal text with a NEL too.' },
    ],
  },
  {
    id: 'empty-file',
    description: 'a 0-byte file (a post being started): skipped with a warning, not an error',
    kind: 'content',
    files: { 'empty-file.md': '' },
    expect: [{ severity: 'warning', code: 'content/empty-file', file: 'content/empty-file.md', line: 1, column: 1 }],
    absent: ['posts/empty-file/index.html'],
  },

  // ── Sizes ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'ten-megabytes',
    description: 'a 10 MB post (about 9,800 paragraphs of 1 KB with emphasis, code and a link)',
    kind: 'content',
    files: { 'ten-megabytes.md': tenMegabytes },
    heavy: true,
    expect: [],
    shows: [
      { file: 'posts/ten-megabytes/index.html', selector: 'h1 .post-title-text', text: 'Ten megabytes' },
      { file: 'posts/ten-megabytes/index.html', selector: '.post-content', minLength: 10_000_000, text: /^Paragraph 1\. The quick .* The very last paragraph\.$/ },
      { file: 'posts/ten-megabytes/index.html', selector: '.post-content a[href="https://example.com/9793"]', count: 1, text: 'link' },
    ],
  },
  {
    id: 'long-line',
    description: 'a 1 MB single line (no line break in the body)',
    kind: 'content',
    files: { 'long-line.md': () => post('One long line', 'word '.repeat(200_000) + 'end-of-line') },
    expect: [],
    shows: [{ file: 'posts/long-line/index.html', selector: '.post-content p', count: 1, minLength: 1_000_000, text: /^word word .* end-of-line$/ }],
  },
  {
    id: 'deep-list',
    description: 'a list nested 5,000 deep (`- - - … item` on one line): no stack overflow; flattened past 100 levels',
    kind: 'content',
    files: { 'deep-list.md': post('Deep list', '- '.repeat(5000) + 'bottom of the list\n') },
    heavy: true,
    expect: [{ severity: 'warning', code: 'markdown/too-deep', file: 'content/deep-list.md', line: 5, column: 1 }],
    shows: [
      { file: 'posts/deep-list/index.html', selector: '.post-content', text: 'bottom of the list' },
      { file: 'posts/deep-list/index.html', selector: '.post-content ul', count: 50 },
    ],
  },
  {
    id: 'deep-blockquote',
    description: 'a block quote nested 5,000 deep (`>>>>… text`): no stack overflow; flattened past 100 levels',
    kind: 'content',
    files: { 'deep-blockquote.md': post('Deep quote', 'Before the quote.\n\n' + '>'.repeat(5000) + ' bottom of the quote\n') },
    expect: [{ severity: 'warning', code: 'markdown/too-deep', file: 'content/deep-blockquote.md', line: 7, column: 1 }],
    shows: [
      { file: 'posts/deep-blockquote/index.html', selector: '.post-content p:first-child', text: 'Before the quote.' },
      { file: 'posts/deep-blockquote/index.html', selector: '.post-content blockquote', count: 100 },
      { file: 'posts/deep-blockquote/index.html', selector: '.post-content', text: /Before the quote\. bottom of the quote$/ },
    ],
  },
  {
    id: 'long-title',
    description: 'a 10,000-character title: shown whole; its slug is cut to 100 bytes',
    kind: 'content',
    files: { '0001.md': post('Long '.repeat(2000).trim() + ' end', 'Body.\n') },
    expect: [],
    shows: [{ file: `posts/${'long-'.repeat(20).slice(0, -1)}/index.html`, selector: 'h1 .post-title-text', minLength: 10_000, text: /^Long Long .* end$/ }],
  },

  // ── Dates ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'date-impossible',
    description: 'a date that does not exist: 2021-02-30',
    kind: 'content',
    files: { 'date-impossible.md': '---\ntitle: February 30\ndate: 2021-02-30\n---\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/invalid-date', file: 'content/date-impossible.md', line: 3, column: 1 }],
  },
  {
    id: 'date-before-1970',
    description: 'a date before 1970 (negative Unix time): shown and fed as written',
    kind: 'content',
    files: { 'date-before-1970.md': '---\ntitle: Moon landing\ndate: 1969-07-20\n---\nBody.\n' },
    expect: [],
    shows: [
      { file: 'posts/date-before-1970/index.html', selector: '.post-header time', text: 'July 20, 1969' },
      { file: 'feed.xml', text: /<published>1969-07-20T00:00:00Z<\/published>/ },
    ],
  },
  {
    id: 'date-year-one',
    description: 'the earliest date there is, 0001-01-01',
    kind: 'content',
    files: { 'date-year-one.md': '---\ntitle: Year one\ndate: 0001-01-01\n---\nBody.\n' },
    expect: [],
    shows: [{ file: 'posts/date-year-one/index.html', selector: '.post-header time', text: 'January 1, 0001' }],
  },
  {
    id: 'date-after-9999',
    description: 'a date after 9999: 10000-01-01',
    kind: 'content',
    files: { 'date-after-9999.md': '---\ntitle: Far future\ndate: 10000-01-01\n---\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/invalid-date', file: 'content/date-after-9999.md', line: 3, column: 1 }],
  },
  {
    id: 'date-offset-past-9999',
    description: 'a date-time whose offset moves it past 9999 in the site zone: 9999-12-31 23:00 -05:00 (UTC)',
    kind: 'content',
    files: { 'date-offset-past-9999.md': '---\ntitle: Last hour\ndate: 9999-12-31 23:00 -05:00\n---\nBody.\n' },
    expect: [{ severity: 'error', code: 'frontmatter/invalid-date', file: 'content/date-offset-past-9999.md', line: 3, column: 1 }],
  },

  // ── Categories and tags of the wrong shape ─────────────────────────────────────────────────────
  {
    id: 'terms-number',
    description: 'categories and tags given as numbers (`categories: 42`, `tags: 2020`): names',
    kind: 'content',
    files: { 'terms-number.md': post('Numbered terms', 'Body.\n', 'categories: 42\ntags: 2020\n') },
    expect: [],
    shows: [
      { file: 'categories/42/index.html', selector: 'h1', text: /42/ },
      { file: 'tags/2020/index.html', selector: 'h1', text: /2020/ },
    ],
  },
  {
    id: 'terms-map',
    description: 'categories given as a map (`categories: { a: 1 }`)',
    kind: 'content',
    files: { 'terms-map.md': post('Mapped terms', 'Body.\n', 'categories:\n  a: 1\n') },
    expect: [{ severity: 'error', code: 'frontmatter/invalid-terms', file: 'content/terms-map.md', line: 4, column: 1 }],
  },
  {
    id: 'terms-nested',
    description: 'tags given as a nested list (`tags: [[a, [b]], c]`): read flat, with a warning',
    kind: 'content',
    files: { 'terms-nested.md': post('Nested terms', 'Body.\n', 'tags:\n  - [nested-a, [nested-b]]\n  - nested-c\n') },
    expect: [{ severity: 'warning', code: 'frontmatter/nested-terms', file: 'content/terms-nested.md', line: 4, column: 1 }],
    shows: [
      { file: 'posts/terms-nested/index.html', selector: '.post-tags a', count: 3 },
      { file: 'tags/nested-b/index.html', selector: 'h1', text: /nested-b/ },
    ],
  },

  // ── Slugs and term names that try to leave their folder ────────────────────────────────────────
  {
    id: 'slug-dot-dot',
    description: 'a slug with `..` and `/`: `slug: ../../outside/escape`',
    kind: 'content',
    files: { 'slug-dot-dot.md': post('Dot dot', 'Body.\n', 'slug: ../../outside/escape\n') },
    expect: [],
    shows: [{ file: 'posts/outside-escape/index.html', selector: 'h1 .post-title-text', text: 'Dot dot' }],
  },
  {
    id: 'slug-backslash',
    description: 'a slug with Windows separators: `slug: ..\\..\\Windows\\win.ini`',
    kind: 'content',
    files: { 'slug-backslash.md': post('Backslash', 'Body.\n', 'slug: ..\\..\\Windows\\win.ini\n') },
    expect: [],
    shows: [{ file: 'posts/windows-win-ini/index.html', selector: 'h1 .post-title-text', text: 'Backslash' }],
  },
  {
    id: 'slug-percent-encoded',
    description: 'a slug with an encoded traversal: `slug: "%2e%2e%2f%2e%2e%2fescape"`',
    kind: 'content',
    files: { 'slug-percent-encoded.md': post('Percent', 'Body.\n', 'slug: "%2e%2e%2f%2e%2e%2fescape"\n') },
    expect: [],
    shows: [{ file: 'posts/2e2e2f2e2e2fescape/index.html', selector: 'h1 .post-title-text', text: 'Percent' }],
  },
  {
    id: 'terms-traversal',
    description: 'categories `..`, `../..`, `a/b`, `a\\b`, `%2e%2e`: each a page inside categories/ (`a/b` and `a\\b` share one)',
    kind: 'content',
    files: { 'terms-traversal.md': post('Traversal terms', 'Body.\n', 'categories: ["..", "../..", "a/b", "a\\\\b", "%2e%2e"]\n') },
    expect: [],
    shows: [
      { file: 'categories/term-2e2e/index.html', selector: 'h1', text: /\.\./ },
      { file: 'categories/term-2e2e2f2e2e/index.html', selector: 'h1', text: /\.\.\/\.\./ },
      { file: 'categories/a-b/index.html', selector: 'h1', text: /a\/b/ },
      { file: 'categories/2e2e/index.html', selector: 'h1', text: /%2e%2e/ },
      { file: 'posts/terms-traversal/index.html', selector: '.post-categories a', count: 4 },
    ],
  },
  {
    id: 'reserved-names',
    description: 'Windows device names as a title and categories (`CON`, `NUL`, `aux`): never a folder of that name',
    kind: 'content',
    files: { '0002.md': post('CON', 'Body.\n', 'categories: [NUL, aux]\n') },
    expect: [],
    shows: [
      { file: 'posts/con-1/index.html', selector: 'h1 .post-title-text', text: 'CON' },
      { file: 'categories/nul-1/index.html', selector: 'h1', text: /NUL/ },
      { file: 'categories/aux-1/index.html', selector: 'h1', text: /aux/ },
    ],
  },
  {
    id: 'punctuation-only',
    description: 'a title, slug and tags of punctuation only (`!!!`, `???`, `...`): the file name, a warning for the slug, distinct tag pages',
    kind: 'content',
    files: { 'punctuation-only.md': post('!!!', 'Body.\n', 'slug: "???"\ntags: ["!!!", "..."]\n') },
    expect: [{ severity: 'warning', code: 'frontmatter/invalid-slug', file: 'content/punctuation-only.md', line: 4, column: 1 }],
    shows: [
      { file: 'posts/punctuation-only/index.html', selector: 'h1 .post-title-text', text: '!!!' },
      { file: 'tags/term-212121/index.html', selector: 'h1', text: /!!!/ },
      { file: 'tags/term-2e2e2e/index.html', selector: 'h1', text: /\.\.\./ },
    ],
  },
  {
    id: 'case-only-slugs',
    description: 'slugs that differ only in case (`Hello-World`/`hello-world`, and Greek `ΣΑΣ`/`σασ`, whose slugs `σας`/`σασ` one macOS or Windows folder would hold): the newer gets -2',
    kind: 'content',
    files: {
      'case-a.md': '---\ntitle: Case A\ndate: 2020-01-01\nslug: Hello-World\n---\nBody.\n',
      'case-b.md': '---\ntitle: Case B\ndate: 2020-01-02\nslug: hello-world\n---\nBody.\n',
      '0003.md': '---\ntitle: ΣΑΣ\ndate: 2020-01-01\n---\nBody.\n',
      '0004.md': '---\ntitle: σασ\ndate: 2020-01-02\n---\nBody.\n',
    },
    expect: [
      { severity: 'warning', code: 'site/duplicate-slug', file: 'content/case-b.md', line: 1, column: 1 },
      { severity: 'warning', code: 'site/duplicate-slug', file: 'content/0004.md', line: 1, column: 1 },
    ],
    shows: [
      { file: 'posts/hello-world/index.html', selector: 'h1 .post-title-text', text: 'Case A' },
      { file: 'posts/hello-world-2/index.html', selector: 'h1 .post-title-text', text: 'Case B' },
      { file: 'posts/σας/index.html', selector: 'h1 .post-title-text', text: 'ΣΑΣ' },
      { file: 'posts/σασ-2/index.html', selector: 'h1 .post-title-text', text: 'σασ' },
    ],
    absent: ['posts/σασ/index.html'],
  },

  // ── Files the loader cannot or must not read ───────────────────────────────────────────────────
  {
    id: 'symlink-loop',
    description: 'symbolic links in a loop: two files pointing at each other, and a folder pointing at its parent',
    kind: 'content',
    files: { 'looped/inside-loop.md': post('Inside the loop', 'Body.\n') },
    symlinks: { 'loop-a.md': 'loop-b.md', 'loop-b.md': 'loop-a.md', 'looped/again': '.' },
    expect: [
      { severity: 'warning', code: 'content/broken-symlink', file: 'content/loop-a.md' },
      { severity: 'warning', code: 'content/broken-symlink', file: 'content/loop-b.md' },
    ],
    shows: [{ file: 'posts/inside-loop/index.html', selector: 'h1 .post-title-text', text: 'Inside the loop' }],
    absent: ['posts/inside-loop-2/index.html'],
  },
  {
    id: 'symlink-outside',
    description: 'a symbolic link to a file outside the content folder',
    kind: 'content',
    outside: { 'secret.md': post('Secret', 'Not for publishing.\n') },
    symlinks: { 'symlink-outside.md': '../outside/secret.md' },
    expect: [{ severity: 'warning', code: 'content/symlink-outside', file: 'content/symlink-outside.md' }],
    absent: ['posts/secret/index.html'],
  },
  {
    id: 'unreadable-file',
    description: 'a file that cannot be read (EACCES, simulated through the Fs interface)',
    kind: 'content',
    files: { 'unreadable-file.md': post('Unreadable', 'Body.\n') },
    unreadable: ['unreadable-file.md'],
    expect: [{ severity: 'error', code: 'content/permission-denied', file: 'content/unreadable-file.md' }],
  },
  {
    id: 'unreadable-folder',
    description: 'a folder that cannot be listed (EACCES, simulated through the Fs interface)',
    kind: 'content',
    files: { 'unreadable-folder/hidden.md': post('Hidden', 'Body.\n') },
    unreadable: ['unreadable-folder'],
    expect: [{ severity: 'error', code: 'content/permission-denied', file: 'content/unreadable-folder' }],
  },

  // ── Themes ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'template-syntax',
    description: 'a template with a syntax error (`{{post.title}` missing a brace)',
    kind: 'template',
    template: { file: 'layouts/post.hbs', line: 2, text: '<p>{{post.title}</p>' },
    expect: [{ severity: 'error', code: 'template/syntax', file: 'templates/layouts/post.hbs', line: 2 }],
  },
  {
    id: 'template-mismatched-block',
    description: 'a template whose block is closed by the wrong name (`{{#if x}}…{{/each}}`)',
    kind: 'template',
    template: { file: 'partials/post-meta.hbs', line: 2, text: '{{#if draft}}Draft{{/each}}' },
    expect: [{ severity: 'error', code: 'template/syntax', file: 'templates/partials/post-meta.hbs', line: 2, column: 4 }],
  },
  {
    id: 'template-missing-partial',
    description: 'a template using a partial that does not exist (`{{> no-such-partial}}`)',
    kind: 'template',
    template: { file: 'layouts/post.hbs', line: 2, text: '{{> no-such-partial}}' },
    expect: [{ severity: 'error', code: 'template/missing-partial', file: 'templates/layouts/post.hbs', line: 2, column: 1 }],
  },
  {
    id: 'template-helper-throws',
    description: 'a helper that throws (`{{#each}}` with nothing to iterate) in a partial used on every listing and post: one error',
    kind: 'template',
    template: { file: 'partials/post-meta.hbs', line: 2, text: '{{#each}}x{{/each}}' },
    expect: [{ severity: 'error', code: 'template/helper-failed', file: 'templates/partials/post-meta.hbs', line: 2, column: 1 }],
  },

  // ── Ids and term names that collide (issue 13) ─────────────────────────────────────────────────
  {
    id: 'heading-id-collisions',
    description: '`## Main` and `## Footnote label` as headings: ids the theme (`main`) and footnotes (`footnote-label`) use',
    kind: 'content',
    files: { 'heading-ids.md': post('Heading ids', '## Main\n\nText with a note.[^1]\n\n## Footnote label\n\n[^1]: The note.\n') },
    expect: [],
    shows: [
      { file: 'posts/heading-ids/index.html', selector: '#main', count: 1 },
      { file: 'posts/heading-ids/index.html', selector: 'h2#main-1', count: 1, text: /Main/ },
      { file: 'posts/heading-ids/index.html', selector: 'h2#footnote-label-1', count: 1, text: /Footnote label/ },
    ],
    testedIn: 'test/unit/render.test.ts: heading ids never take an id the theme or footnotes use',
  },
  {
    id: 'term-name-collision',
    description: 'a tag `!!!` (spelled out as term-212121) and a tag written `term-212121`: two tags, two pages',
    kind: 'content',
    files: { 'term-collision.md': post('Term collision', 'Body.\n', 'tags: ["!!!", "term-212121"]\n') },
    expect: [],
    shows: [
      { file: 'tags/term-212121/index.html', selector: 'h1', text: /term-212121$/ },
      { file: 'tags/term-212121-2/index.html', selector: 'h1', text: /!!!$/ },
    ],
    testedIn: 'test/unit/build-site.test.ts: a punctuation-only tag and a tag written as its spelled-out slug get pages of their own',
  },
  {
    id: 'many-terms',
    description: '1,000 categories and 1,000 tags on one post: output linear in the terms, indexes paginated',
    kind: 'content',
    files: { 'many-terms.md': () => manyTerms(1000) },
    expect: [],
    shows: [
      { file: 'posts/many-terms/index.html', selector: '.post-categories a', count: 20 },
      { file: 'posts/many-terms/index.html', selector: '.post-tags a', count: 20 },
      { file: 'categories/category-0999/index.html', selector: '.post-summary .post-categories a', count: 20 },
      { file: 'categories/index.html', selector: '.term-list a', count: 200 },
      { file: 'categories/page/5/index.html', selector: '.term-list a', count: 200 },
      { file: 'tags/page/5/index.html', selector: 'a[rel="prev"]', count: 1 },
    ],
    absent: ['categories/page/6/index.html'],
    heavy: true,
    testedIn: 'test/terms-index.test.ts (the paginated indexes); 10,000 terms: npm run bench',
  },

  // ── Config files (issue 13) ────────────────────────────────────────────────────────────────────
  {
    id: 'config-prototype-keys',
    description: 'config keys named like JavaScript built-ins (`__proto__`, `constructor`, `hasOwnProperty`, `toString`), at the top and nested',
    kind: 'config',
    config: { name: 'quire.config.yml', text: 'baseUrl: https://example.com/\n__proto__: { polluted: true }\nconstructor: 1\nhasOwnProperty: x\nmarkdown:\n  toString: y\n' },
    expect: [2, 3, 4, 6].map((line) => ({ severity: 'warning' as const, code: 'config/unknown-key', file: 'quire.config.yml', line })),
    shows: [{ file: 'index.html', selector: 'title', text: 'My Blog' }],
    testedIn: 'test/config-hardening.test.ts: every Object.prototype key name, in YAML, JSON and TOML, and property tests',
  },
  {
    id: 'config-alias-bomb',
    description: 'a YAML alias bomb in the config (nine levels of nine aliases)',
    kind: 'config',
    config: { name: 'quire.config.yml', text: aliasBomb() },
    expect: [{ severity: 'error', code: 'config/syntax', file: 'quire.config.yml', line: 9 }],
    testedIn: 'test/config-hardening.test.ts: the CLI reports a YAML alias bomb as a located config/syntax error',
  },
  {
    id: 'base-url-other-host',
    description: '`baseUrl: //evil.example/blog/`: a path to the config, another host to a browser',
    kind: 'config',
    config: { name: 'quire.config.yml', text: 'title: Mine\nbaseUrl: //evil.example/blog/\n' },
    expect: [{ severity: 'error', code: 'config/invalid-value', file: 'quire.config.yml', line: 2 }],
    testedIn: 'test/unit/config.test.ts: a base URL that names another host or is not a plain path is an error',
  },
  ...(['https://example.com/blög/', 'https://example.com/my%20blog/'] as const).map(
    (baseUrl, i): CatalogueEntry => ({
      id: `base-path-${i === 0 ? 'non-ascii' : 'percent'}`,
      description: `a base path with ${i === 0 ? 'non-ASCII' : 'percent-encoded'} characters (\`${baseUrl}\`): the link checker still checks the site's own links`,
      kind: 'config',
      config: { name: 'quire.config.yml', text: `baseUrl: ${baseUrl}\n` },
      files: {
        'a.md': post('A', 'See [B](../b/).\n'),
        'b.md': post('B', `A [stale link](${new URL(baseUrl).pathname}posts/nope/).\n`),
      },
      expect: [{ severity: 'warning', code: 'link/broken', file: 'content/b.md', line: 5 }],
      shows: [{ file: 'posts/a/index.html', selector: '.post-content a', text: 'B' }],
      testedIn: 'test/unit/linkcheck.test.ts: basePath and the checker under /blög/ and /my%20blog/',
    }),
  ),

  // ── Command lines (issue 13) ───────────────────────────────────────────────────────────────────
  {
    id: 'out-under-a-file',
    description: '`--out notes.txt/public`: an output folder under a regular file',
    kind: 'cli',
    outside: { 'notes.txt': 'a file, not a folder\n' },
    cli: { args: ['build', '--content', '{content}', '--out', '{root}/outside/notes.txt/public', '--no-cache'], exit: 1, says: /notes\.txt is a file, not a folder \[output\/not-a-dir\]/ },
    expect: [],
    testedIn: 'test/output-safety.test.ts: --out under a regular file is output/not-a-dir (exit 1)',
  },
  {
    id: 'dev-host-unresolvable',
    description: '`quire dev --host no-such-host.invalid`: an address that does not resolve',
    kind: 'cli',
    cli: { args: ['dev', '--content', '{content}', '--host', 'no-such-host.invalid', '--port', '0'], exit: 2, says: /cannot serve the site: --host no-such-host\.invalid is not an address of this machine/ },
    expect: [],
    testedIn: 'test/cli.test.ts: dev with a --host that does not resolve is a clear usage error (exit 2)',
  },

  {
    id: 'out-through-link-into-content',
    description: '`--out` given through a symbolic link that leads into `content/`',
    kind: 'cli',
    between: async (p) => symlink(p.content, path.join(p.root, 'outside-link'), 'dir'),
    cli: { args: ['build', '--content', '{content}', '--out', '{root}/outside-link/public', '--no-cache'], exit: 1, says: /\(really content\/public\)\) inside content \[output\/unsafe-dir\]/ },
    expect: [],
    verify: async (p) => assert.deepEqual(Object.keys(await listing(p.content)), ['a.md'], 'nothing written into content/'),
    testedIn: 'test/output-safety.test.ts: an --out, --content or --templates reached through a symbolic link is checked where it really is',
  },
  {
    id: 'out-is-link-elsewhere',
    description: '`--out` that is a symbolic link to a folder elsewhere (a deploy checkout)',
    kind: 'cli',
    between: async (p) => {
      await mkdir(path.join(p.root, 'outside', 'deploy'), { recursive: true }); // empty, as a new checkout
      await symlink(path.join(p.root, 'outside', 'deploy'), p.out, 'dir');
    },
    cli: { args: ['build', '--content', '{content}', '--out', '{out}', '--no-cache'], exit: 0, says: /^Built 1 posts/m },
    expect: [],
    verify: async (p) => {
      assert.equal((await lstat(p.out)).isSymbolicLink(), true, 'the link stays a link');
      assert.equal((await lstat(path.join(p.root, 'outside', 'deploy', 'index.html'))).isFile(), true, 'the site is in the folder it points to');
    },
    testedIn: 'test/output-safety.test.ts: an --out that is a symbolic link to a folder elsewhere is built in that folder and stays a link',
  },
  {
    id: 'out-is-dangling-link',
    description: '`--out` that is a symbolic link to a folder that does not exist',
    kind: 'cli',
    between: async (p) => symlink(path.join(p.root, 'outside', 'gone'), p.out, 'dir'),
    cli: { args: ['build', '--content', '{content}', '--out', '{out}', '--no-cache'], exit: 1, says: /is a symbolic link to a folder that does not exist \[output\/not-a-dir\]/ },
    expect: [],
    verify: async (p) => assert.equal((await lstat(p.out)).isSymbolicLink(), true, 'the link is not replaced'),
    testedIn: 'test/output-safety.test.ts: an --out that is a symbolic link to a missing folder is refused',
  },

  // ── Output and cache folders changed between builds (issue 13) ─────────────────────────────────
  {
    id: 'output-folder-symlinked',
    description: 'a folder inside the output (`posts/`) replaced by a symbolic link to a folder elsewhere',
    kind: 'output',
    outside: { 'elsewhere/keep.txt': 'mine\n' },
    between: async (p) => {
      await rm(path.join(p.out, 'posts'), { recursive: true });
      await symlink(path.join(p.root, 'outside', 'elsewhere'), path.join(p.out, 'posts'), 'dir');
    },
    expect: [],
    verify: async (p) => {
      assert.deepEqual(await listing(path.join(p.root, 'outside', 'elsewhere')), { 'keep.txt': '5' }, 'nothing written or deleted through the link');
      assert.equal((await lstat(path.join(p.out, 'posts'))).isSymbolicLink(), false, 'the link is replaced by a real folder');
    },
    shows: [{ file: 'posts/a/index.html', selector: 'h1 .post-title-text', text: 'A' }],
    testedIn: 'test/output-safety.test.ts: an incremental build neither writes nor deletes through a folder inside public/ that was replaced by a symbolic link',
  },
  {
    id: 'output-page-symlinked',
    description: 'a page in the output replaced by a symbolic link to a file of the same size elsewhere',
    kind: 'output',
    between: async (p) => {
      const page = path.join(p.out, 'posts', 'a', 'index.html');
      await mkdir(path.join(p.root, 'outside'), { recursive: true });
      await writeFile(path.join(p.root, 'outside', 'other.html'), Buffer.alloc((await lstat(page)).size, 'x'));
      await rm(page);
      await symlink(path.join(p.root, 'outside', 'other.html'), page);
    },
    expect: [],
    verify: async (p) => {
      assert.equal((await lstat(path.join(p.out, 'posts', 'a', 'index.html'))).isFile(), true, 'the page is a real file again');
      const other = await readFile(path.join(p.root, 'outside', 'other.html'), 'utf8');
      assert.match(other, /^x+$/, 'the file the link led to is untouched');
    },
    shows: [{ file: 'posts/a/index.html', selector: 'h1 .post-title-text', text: 'A' }],
    testedIn: 'test/output-safety.test.ts: a page replaced by a symbolic link to a file of the same size is not trusted',
  },
  {
    id: 'cache-file-is-a-folder',
    description: 'the cache files (`.cache/quire/posts.bin`, `pages.bin`, `files.json`, `last-build.json`) are folders',
    kind: 'cache',
    between: async (p) => {
      for (const name of ['posts.bin', 'pages.bin', 'files.json', 'last-build.json']) {
        await rm(path.join(p.root, '.cache', 'quire', name), { force: true });
        await mkdir(path.join(p.root, '.cache', 'quire', name, 'inside'), { recursive: true });
      }
    },
    expect: [],
    verify: async (p) => {
      assert.deepEqual(await listing(path.join(p.root, '.cache', 'quire')), { 'files.json': 'folder', 'files.json/inside': 'folder', 'last-build.json': 'folder', 'last-build.json/inside': 'folder', 'pages.bin': 'folder', 'pages.bin/inside': 'folder', 'posts.bin': 'folder', 'posts.bin/inside': 'folder' }, 'left alone, and no temporary file beside them');
    },
    testedIn: 'test/output-safety.test.ts: cache files that are folders are left alone; test/unit/post-cache.test.ts',
  },
  {
    id: 'cache-file-huge',
    description: 'a `posts.bin` over the cache limit (1 GB, sparse), and a `files.json` and a `last-build.json` over 64 MB',
    kind: 'cache',
    between: async (p) => {
      const dir = path.join(p.root, '.cache', 'quire');
      await writeFile(path.join(dir, 'posts.bin'), 'QUIRE-CACHE posts 2\n');
      await truncate(path.join(dir, 'posts.bin'), 1024 * 1024 * 1024 + 1); // sparse: no real disk used
      await truncate(path.join(dir, 'last-build.json'), 64 * 1024 * 1024 + 1);
      await writeFile(path.join(dir, 'files.json'), '{"version":1,"files":{}}');
      await truncate(path.join(dir, 'files.json'), 64 * 1024 * 1024 + 1);
    },
    neverRead: ['.cache/quire/posts.bin', '.cache/quire/files.json', '.cache/quire/last-build.json'],
    expect: [],
    verify: async (p) => {
      const sizes = await listing(path.join(p.root, '.cache', 'quire'));
      assert.ok(Number(sizes['posts.bin']) < 1024 * 1024, 'replaced by this build\'s cache');
      assert.ok(Number(sizes['last-build.json']) < 1024 * 1024, 'replaced by this build\'s record');
      assert.ok(Number(sizes['files.json']) < 1024 * 1024, 'replaced by this build\'s file stats');
    },
    testedIn: 'test/unit/post-cache.test.ts: a cache file larger than the limit is rejected by its size, without being read',
  },

  // ── Requests to the dev server (issue 13) ──────────────────────────────────────────────────────
  {
    id: 'request-cjk-slug-no-slash',
    description: 'a request for a post with a CJK slug without its trailing slash (`/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E`)',
    kind: 'request',
    request: { target: '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E', status: 302, location: '/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/' },
    expect: [],
    testedIn: 'test/dev-server.test.ts: requests that used to stop npm run dev; test/dev-server-fuzz.test.ts',
  },
  {
    id: 'request-latin1-slug-no-slash',
    description: 'a request for a post with a Latin-1 slug without its trailing slash (`/posts/caf%C3%A9`)',
    kind: 'request',
    request: { target: '/posts/caf%C3%A9', status: 302, location: '/posts/caf%C3%A9/' },
    expect: [],
    testedIn: 'test/dev-server.test.ts: a Latin-1 slug (café) redirects to /posts/caf%C3%A9/',
  },
  ...['http://[', '*', 'localhost:4000'].map(
    (target): CatalogueEntry => ({
      id: `request-target-${target.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'star'}`,
      description: `a malformed request target (\`${target}\`)`,
      kind: 'request',
      request: { target, status: 400 },
      expect: [],
      testedIn: 'test/dev-server.test.ts: malformed request targets are 400; test/dev-server-fuzz.test.ts',
    }),
  ),
  {
    id: 'request-foreign-host',
    description: 'a request whose Host names another site (`evil.example`, DNS rebinding)',
    kind: 'request',
    request: { target: '/', host: 'evil.example', status: 403, body: /DNS rebinding/ },
    expect: [],
    testedIn: 'test/dev-server.test.ts: a Host that does not name the bound address gets 403',
  },
];
