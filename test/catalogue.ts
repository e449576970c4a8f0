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
 */

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

export interface CatalogueEntry {
  id: string;
  /** One line: what the input is. */
  description: string;
  /** `content`: files in the content folder (part of the all-at-once build); `template`: a broken theme. */
  kind: 'content' | 'template';
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
];
