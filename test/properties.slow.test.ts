/**
 * Property tests (issue 6): the loader, the front-matter parser, the normaliser and the markdown
 * stage fed generated input never throw; they either report diagnostics that each name a file and
 * a line, or give a post with a title, a date in years 1 to 9999 and a safe slug; and markdown
 * never puts a script, a script URL or an event handler on a page.
 *
 * fast-check with a fixed seed (FC_SEED to try another); the number of cases of each property is
 * below and printed as a test diagnostic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, type HTMLElement } from 'node-html-parser';
import { DEFAULT_CONFIG, type Config } from '../src/config.ts';
import type { Diagnostic } from '../src/diagnostics.ts';
import { decodeUtf8, type SourceFile } from '../src/content/load.ts';
import { parseFrontMatter } from '../src/content/frontmatter.ts';
import { normalisePost } from '../src/content/normalise.ts';
import { termSlug } from '../src/content/terms.ts';
import { slugify } from '../src/text/slug.ts';
import { createMarkdownRenderer } from '../src/markdown/render.ts';
import { testDate, testPost } from './unit/fixtures.ts';

const SEED = Number(process.env.FC_SEED ?? 20261121);
fc.configureGlobal({ seed: SEED });

/** Cases per property. */
const RUNS = { yaml: 5000, toml: 3000, bytes: 3000, slug: 10000, markdown: 1500, parts: 3000 };

const FILE = 'content/posts/generated.md';
const ZONES = ['UTC', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const zone = fc.constantFrom(...ZONES);

// ── Generators ─────────────────────────────────────────────────────────────────────────────────

const KEYS = ['title', 'date', 'updated', 'lastmod', 'categories', 'category', 'tags', 'tag', 'slug', 'type', 'layout', 'toc', 'draft', 'published', 'icon', 'description', 'summary', 'author'];
const key = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEYS) }, fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/), fc.string({ maxLength: 6 }));

/** Texts authors and attackers write: traversal, device names, punctuation, YAML and HTML specials. */
const NASTY = [
  '', ' ', '..', '../..', '../../etc/passwd', '/', '\\', '..\\..\\x', '%2e%2e', '%2e%2e%2f', 'CON', 'nul', 'Com1', 'LPT9', 'aux.txt', '!!!', '???', '...', '-', '—',
  ':', '- x', '[', ']', '{', '}', '*a', '&a', '|', '>', '#', '"', "'", '`', '---', '+++', 'null', '~', 'true', 'no', 'yes', '0x1F', '1e9', '.inf', '.nan',
  'javascript:alert(1)', '<script>alert(1)</script>', '{{site.title}}', 'ΣΑΣ', 'σασ', 'İstanbul', 'ß', '😀', '\u202e', '\u0000', '\u0007', '\ufeff',
];
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...NASTY));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const int = (min: number, max: number) => fc.integer({ min, max });
/** Dates, possible and impossible: years 0 to 12000, month 0 to 13, day 0 to 32, times and offsets out of range too. */
const dateText = fc.oneof(
  fc.tuple(int(0, 12000), int(0, 13), int(0, 32)).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  fc.tuple(fc.constantFrom(1, 2, 1969, 1970, 2020, 9998, 9999), int(1, 12), int(1, 31), int(0, 24), int(0, 60), int(0, 60), fc.constantFrom('', 'Z', ' +0000', ' -0500', '+14:00', '-12:00', ' +1500', 'T')).map(
    ([y, mo, d, h, mi, s, z]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}${z}`,
  ),
  fc.constantFrom('0001-01-01', '0001-01-01 00:30 +01:00', '9999-12-31', '9999-12-31 23:59:59 -14:00', '2021-02-29', '2020-02-29', '2013-09-14 20:46:50 -0400', '2019-06-26T10:30:00Z', 'yesterday', '2020-13-01', '20200101'),
);

/** A YAML value in any of the forms YAML allows, well-formed or not. */
const yamlScalar = fc.oneof(
  text,
  text.map((s) => JSON.stringify(s)),
  text.map((s) => `'${s.replace(/'/g, "''")}'`),
  dateText,
  dateText.map((s) => JSON.stringify(s)),
  fc.oneof(fc.integer(), fc.double()).map(String),
  fc.constantFrom('true', 'false', 'null', '~', ''),
);
const yamlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: yamlScalar },
  fc.array(yamlScalar, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  fc.array(yamlScalar, { maxLength: 4 }).map((xs) => xs.map((x) => `\n  - ${x}`).join('')),
  fc.array(fc.tuple(key, yamlScalar), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  fc.array(fc.tuple(key, yamlScalar), { maxLength: 3 }).map((kv) => kv.map(([k, v]) => `\n  ${k}: ${v}`).join('')),
  fc.tuple(yamlScalar, yamlScalar, yamlScalar).map(([a, b, c]) => `[[${a}, [${b}]], ${c}]`),
  fc.array(text, { maxLength: 3 }).map((lines) => `|\n${lines.map((l) => `  ${l}`).join('\n')}`),
  fc.constantFrom('&anchor x', '*anchor', '!!binary aGVsbG8=', '!!str 1', '? complex', '[unclosed', '"unclosed', '{a: [1, 2}'),
);
const yamlLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(key, yamlValue).map(([k, v]) => `${k}: ${v}`) },
  fc.constantFrom('', '# a comment', '  indented: x', '\tdate: 2020-01-01', '- top-level item', 'no colon here', ': empty key', '...', '---'),
  text,
);

const body = fc.oneof(
  fc.constant('Body text.\n'),
  fc.constant(''),
  text.map((t) => `# ${t}\n\nSome text.\n`),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

/** Values that are always well-formed YAML: quoted text, numbers, booleans, dates, lists and maps of them. */
const quoted = text.map((s) => JSON.stringify(s));
const cleanYamlValue = fc.oneof(
  { weight: 4, arbitrary: quoted },
  dateText,
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map(String),
  fc.constantFrom('true', 'false', 'null', ''),
  fc.array(quoted, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  fc.array(quoted, { maxLength: 4 }).map((xs) => xs.map((x) => `\n  - ${x}`).join('')),
  fc.tuple(quoted, quoted, quoted).map(([a, b, c]) => `[[${a}, [${b}]], ${c}]`),
  fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), quoted), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
);
const cleanKey = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEYS) }, fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/));

/**
 * A whole file: optional blank lines, a fence (or none), lines, a closing fence (or not), a body.
 * Three in four are well-formed YAML (so that most cases reach the normaliser); the rest are anything.
 */
const yamlFile = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('', '\n'), fc.array(fc.tuple(cleanKey, cleanYamlValue), { maxLength: 10 }), body)
      .map(([before, lines, rest]) => `${before}---\n${lines.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${rest}`),
  },
  fc
    .tuple(fc.constantFrom('', '\n', '\n\n  \n'), fc.constantFrom('---', '---', '---', '+++', ''), fc.array(yamlLine, { maxLength: 10 }), fc.constantFrom('---', '---', '...', ''), body)
    .map(([before, open, lines, close, rest]) => `${before}${open}\n${lines.join('\n')}\n${close}\n${rest}`),
);

const tomlValue = fc.oneof(
  { weight: 4, arbitrary: quoted },
  dateText,
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map(String),
  fc.constantFrom('true', 'false', '1979-05-27T07:32:00Z', '1979-05-27', '1979-05-27 07:32:00', '07:32:00', '{ a = 1 }', '[1, "two"]', '[[1], ["a"]]', '"""multi\nline"""', "'literal'"),
  fc.array(quoted, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
);
const tomlJunk = fc.oneof(text, fc.constantFrom('[table]', '[[array]]', 'x = ', '= 1', 'title = "unclosed', 'inf', 'nan', 'a.b = 1'));
/** Three in four have one value per key in TOML's own syntax; the rest anything. */
const tomlFile = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.uniqueArray(fc.tuple(cleanKey, tomlValue), { maxLength: 10, selector: ([k]) => k }), fc.constantFrom('# comment', ''), body)
      .map(([lines, extra, rest]) => `+++\n${lines.map(([k, v]) => `${k} = ${v}`).join('\n')}\n${extra}\n+++\n${rest}`),
  },
  fc
    .tuple(fc.array(fc.oneof({ weight: 4, arbitrary: fc.tuple(key, tomlValue).map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${v}`) }, tomlJunk), { maxLength: 10 }), fc.constantFrom('+++', ''), body)
    .map(([lines, close, rest]) => `+++\n${lines.join('\n')}\n${close}\n${rest}`),
);

// ── The per-file stages and what they must guarantee ───────────────────────────────────────────

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

function assertSafeSlug(slug: string, what: string): void {
  assert.ok(slug.length > 0, `${what}: empty slug`);
  assert.doesNotMatch(slug, /[/\\.%\u0000-\u001f\u007f]/, `${what}: unsafe slug ${JSON.stringify(slug)}`);
  assert.doesNotMatch(slug, WINDOWS_RESERVED, `${what}: device name ${slug}`);
  assert.ok(Buffer.byteLength(slug) <= 100, `${what}: ${Buffer.byteLength(slug)} bytes`);
}

function assertLocated(list: Diagnostic[]): void {
  for (const d of list) {
    assert.equal(d.file, FILE, `no file: ${JSON.stringify(d)}`);
    assert.ok(Number.isInteger(d.line) && d.line! >= 1, `no line: ${JSON.stringify(d)}`);
    if (d.column !== undefined) assert.ok(Number.isInteger(d.column) && d.column >= 1, `bad column: ${JSON.stringify(d)}`);
  }
}

/** How each generated file ended: not text, no front matter, no post, or a post. */
type Outcome = 'not text' | 'front matter error' | 'post error' | 'post';

/** Load (decode), front matter and normalise, as a build does for one file. */
function perFile(bytes: Uint8Array, timezone: string): Outcome {
  const decoded = decodeUtf8(bytes);
  if (decoded.error) {
    assertLocated([{ severity: 'error', code: decoded.error.code, message: decoded.error.message, file: FILE, line: decoded.error.line, column: decoded.error.column }]);
    return 'not text';
  }
  const config: Config = { ...DEFAULT_CONFIG, timezone };
  const fm = parseFrontMatter(decoded.text, FILE);
  assertLocated(fm.diagnostics);
  if (!fm.value) {
    assert.ok(fm.diagnostics.some((d) => d.severity === 'error'), 'no front matter and no error');
    return 'front matter error';
  }
  const source: SourceFile = { absPath: '/site/content/posts/generated.md', relPath: 'posts/generated.md', displayPath: FILE, text: decoded.text, mtimeMs: Date.UTC(2020, 0, 1) };
  const r = normalisePost(source, fm.value, { config, postLayouts: ['post', 'gallery'], gitDate: () => null });
  assertLocated(r.diagnostics);
  const post = r.value;
  if (!post) {
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'), 'no post and no error');
    return 'post error';
  }
  assert.ok(post.title.trim().length > 0, 'empty title');
  for (const date of [post.date, ...(post.updated ? [post.updated] : [])]) {
    assert.ok(Number.isFinite(date.epochMs), `date ${JSON.stringify(date)}`);
    assert.ok(date.year >= 1 && date.year <= 9999, `year ${date.year}`);
    assert.ok(date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31, `day ${date.iso}`);
    assert.match(date.iso, /^\d{4}-\d{2}-\d{2}/);
  }
  assertSafeSlug(slugify(post.slug ?? post.title, 'generated'), 'post');
  for (const name of [...post.categories, ...post.tags]) {
    assert.ok(name.length > 0 && name === name.trim(), `term name ${JSON.stringify(name)}`);
    assertSafeSlug(termSlug(name), `term ${JSON.stringify(name)}`);
  }
  return 'post';
}

/** Runs `perFile` as a property and reports how the cases ended (so a generator that only makes errors shows). */
function checkFiles(t: { diagnostic(message: string): void }, what: string, files: fc.Arbitrary<Uint8Array>, numRuns: number): void {
  const outcomes = new Map<Outcome, number>();
  fc.assert(
    fc.property(files, zone, (bytes, tz) => {
      const outcome = perFile(bytes, tz);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }),
    { numRuns },
  );
  t.diagnostic(`${numRuns} ${what}: ${[...outcomes].map(([o, n]) => `${n} ${o}`).join(', ')}`);
}

test(`generated YAML front matter never throws: located diagnostics, or a post with a title, a date in 1-9999 and safe slugs (${RUNS.yaml} cases, seed ${SEED})`, (t) => {
  checkFiles(t, 'YAML files', yamlFile.map((f) => new Uint8Array(Buffer.from(f))), RUNS.yaml);
});

test(`generated TOML front matter never throws either (${RUNS.toml} cases)`, (t) => {
  checkFiles(t, 'TOML files', tomlFile.map((f) => new Uint8Array(Buffer.from(f))), RUNS.toml);
});

test(`random bytes, alone or spliced into front matter, never throw (${RUNS.bytes} cases)`, (t) => {
  const spliced = fc.tuple(yamlFile, fc.array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })), { maxLength: 3 })).map(([file, inserts]) => {
    let bytes = Buffer.from(file);
    for (const [at, extra] of inserts) {
      const i = at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, i), extra, bytes.subarray(i)]);
    }
    return new Uint8Array(bytes);
  });
  checkFiles(t, 'byte strings', fc.oneof(fc.uint8Array({ maxLength: 300 }), spliced), RUNS.bytes);
});

test(`slugify and termSlug give a safe slug for any text (${RUNS.slug} cases)`, (t) => {
  fc.assert(
    fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom(...NASTY)).map((xs) => xs.join(''))), fc.string({ maxLength: 10 }), (s, fallback) => {
      assertSafeSlug(slugify(s, fallback), `slugify(${JSON.stringify(s)})`);
      assertSafeSlug(termSlug(s), `termSlug(${JSON.stringify(s)})`);
    }),
    { numRuns: RUNS.slug },
  );
  t.diagnostic(`${RUNS.slug} texts`);
});

// ── Markdown ───────────────────────────────────────────────────────────────────────────────────

/** URLs, mostly ones a browser would run: case, whitespace, control characters and entities in the scheme. */
const url = fc.oneof(
  fc.constantFrom(
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'javascript&#58;alert(1)', '&#106;avascript:alert(1)', 'java&#9;script:alert(1)', 'java&#x0A;script:alert(1)',
    'javascript&colon;alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'data:text/html;base64,PHNjcmlwdD4=', 'data:image/png;base64,iVBORw0KGgo=',
    '<javascript:alert(1)>', 'https://example.com/', '/posts/x/', '#anchor', 'mailto:a@example.com', '', '"onmouseover="alert(1)', "x' onerror='alert(1)",
  ),
  fc.string({ maxLength: 20 }),
);
const rawHtml = fc.constantFrom(
  '<script>alert(1)</script>', '<SCRIPT SRC=//x.js></SCRIPT>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<iframe src="javascript:alert(1)"></iframe>',
  '<b onmouseover="alert(1)">b</b>', '<style>*{}</style>', '<!-- comment -->', '<![CDATA[x]]>', '<?php echo 1; ?>', '<details open ontoggle=alert(1)>', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<form action="javascript:alert(1)"><button>x</button></form>', '<object data="javascript:alert(1)"></object>', '<div style="background:url(javascript:alert(1))">x</div>', '</p><script>alert(1)</script><p>',
);
const inline = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  fc.string({ maxLength: 10 }).map((s) => `*${s}*`),
  fc.string({ maxLength: 10 }).map((s) => `**${s}**`),
  fc.string({ maxLength: 10 }).map((s) => `\`${s}\``),
  fc.tuple(fc.string({ maxLength: 8 }), url).map(([t, u]) => `[${t}](${u})`),
  fc.tuple(fc.string({ maxLength: 8 }), url).map(([t, u]) => `![${t}](${u})`),
  url.map((u) => `<${u}>`),
  rawHtml,
  fc.constantFrom('[^1]', '[ref]', '&lt;script&gt;', '&amp;', '\\', '~~x~~', 'www.example.com', 'a@example.com'),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 6 }).map((xs) => xs.join(' '));
const block: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: paragraph },
  fc.tuple(int(1, 7), paragraph).map(([n, p]) => `${'#'.repeat(n)} ${p}`),
  fc.array(paragraph, { minLength: 1, maxLength: 4 }).map((items) => items.map((p, i) => `${'  '.repeat(i % 3)}- ${p}`).join('\n')),
  fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((items) => items.map((p, i) => `${i + 1}. [${i % 2 ? 'x' : ' '}] ${p}`).join('\n')),
  paragraph.map((p) => `> ${p}\n> > ${p}`),
  fc.tuple(fc.constantFrom('js', 'html', 'python', 'no-such-lang', ''), fc.string({ maxLength: 40 }), rawHtml).map(([lang, code, html]) => `\`\`\`${lang}\n${code}\n${html}\n\`\`\``),
  fc.tuple(paragraph, paragraph).map(([a, b]) => `| ${a.replace(/\|/g, '')} | x |\n|---|---|\n| ${b.replace(/\|/g, '')} | y |`),
  rawHtml,
  url.map((u) => `[ref]: ${u}\n\n[^1]: footnote [x](${u})`),
  fc.tuple(int(1, 300), fc.constantFrom('- ', '> ', '1. ', '* ')).map(([n, marker]) => `${marker.repeat(n)}deep`),
  fc.constant('<!--more-->'),
);
const markdown = fc.array(block, { maxLength: 8 }).map((blocks) => blocks.join('\n\n'));

const runsScript = (value: string) => /^(javascript|vbscript|data:text)/i.test(value.replace(/[\u0000-\u0020\u007f]/g, ''));
/** Attributes whose value a browser loads or follows as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite', 'longdesc', 'srcset', 'ping']);

function assertNoScript(html: string): void {
  // No `<script` outside attribute values (always double-quoted, with `"` escaped; inside one, `<` is only text).
  assert.doesNotMatch(html.replace(/="[^"]*"/g, '=""'), /<script/i);
  const stack: HTMLElement[] = [parse(html)];
  while (stack.length) {
    const el = stack.pop()!;
    assert.notEqual(el.rawTagName?.toLowerCase(), 'script');
    for (const [name, value] of Object.entries(el.attributes)) {
      assert.doesNotMatch(name, /^on/i, `event handler ${name} in ${html.slice(0, 300)}`);
      if (URL_ATTRIBUTES.has(name.toLowerCase())) assert.ok(!runsScript(value), `${name}="${value}"`);
    }
    for (const child of el.childNodes) if (child.nodeType === 1) stack.push(child as HTMLElement);
  }
}

test(`generated markdown renders without throwing, and never with a script, a script URL or an event handler (${RUNS.markdown} cases)`, (t) => {
  const render = createMarkdownRenderer(DEFAULT_CONFIG);
  fc.assert(
    fc.property(markdown, fc.string({ maxLength: 20 }), (body, title) => {
      const r = render(testPost({ title: title || 'T', relPath: 'posts/generated.md', date: testDate('2020-01-01'), body, bodyLine: 5 }));
      assert.ok(r.value, JSON.stringify(r.diagnostics));
      for (const d of r.diagnostics) assert.ok(d.file && d.line! >= 5, JSON.stringify(d));
      assertNoScript(r.value.html);
    }),
    { numRuns: RUNS.markdown },
  );
  t.diagnostic(`${RUNS.markdown} markdown bodies`);
});

// ── Parsing in parts ───────────────────────────────────────────────────────────────────────────

/** Lines of every block kind, at every indentation a cut must get right: fences of both kinds and lengths, HTML, lists, quotes, tables. */
const indent = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '  ', '   ', '    ', '\t') });
const lineText = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.constantFrom('text with www.example.com, a@b.co and **bold', 'words \\', 'words  ', 'words `code`', 'words [ref]', 'words <https://a.b>', '1986. a year, or a list?', '# heading', '### heading') },
  { weight: 3, arbitrary: fc.constantFrom('- item [link](https://x.y/)', '* item *em*', '+ item', '1. item', '2) item', '10. item', '> quote', '> ```', '> # h', '> - li') },
  { weight: 1, arbitrary: fc.constantFrom('```', '````', '~~~', '~~~~', '```js', '``` `x`') },
  { weight: 2, arbitrary: fc.constantFrom('<div>', '<span>', '</div>', '<p>', '<table>', '<a href="x">', '</pre>', '-->', '| a | b |', '|---|---|', '===', '---', '***', '___', '###### deep heading') },
);
const partsDoc = fc
  .tuple(fc.array(fc.tuple(indent, lineText), { minLength: 3, maxLength: 40 }), fc.constantFrom('\n', '\n', '\r\n', '\r'), fc.boolean())
  .map(([lines, eol, last]) => lines.map(([i, l]) => i + l).join(eol) + (last ? eol : ''));

/**
 * Checks that each document `docs` generates, cut at every allowed place and parsed in parts, gives
 * the tree of the whole, positions included; counts the documents with a cut `counted` holds.
 */
async function checkParts(docs: fc.Arbitrary<string>, counted: (cut: { join?: true }) => boolean): Promise<number> {
  const { remark } = await import('remark');
  const remarkGfm = (await import('remark-gfm')).default;
  const { cutsOf, parseInParts } = await import('../src/markdown/chunks.ts');
  const gfm = remark().use(remarkGfm).freeze();
  const parseMd = (text: string) => gfm.parse(text) as import('mdast').Root;
  let count = 0;
  fc.assert(
    fc.property(docs, (doc) => {
      const cuts = cutsOf(doc, 1);
      if (cuts.some(counted)) count++;
      assert.deepEqual(parseInParts(doc, cuts, parseMd), parseMd(doc));
    }),
    { numRuns: RUNS.parts },
  );
  return count;
}

test(`a generated document parsed in parts, cut at every allowed place, gives the tree of the whole, positions included (${RUNS.parts} cases)`, async (t) => {
  const cut = await checkParts(partsDoc, () => true);
  assert.ok(cut > RUNS.parts / 5, `${cut} of ${RUNS.parts} documents cut`);
  t.diagnostic(`${cut} of ${RUNS.parts} documents cut`);
});

/** Lines of lists above all: items of every kind, continued, nested and indented too little, among what can end or hold a list. */
const listLine = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('- item [a](https://x.y/)', '- item', '* item *em*', '+ item', '1. item', '2) item', '10. item', '- [ ] task', '- [x] done', '* * *', '- - -', '-', '- ', '-\titem', '-    code item', '- # heading item', '- > quote item', '- | a |') },
  { weight: 4, arbitrary: fc.constantFrom('  continued', '   continued', '    continued', '  - nested', '    - deeper', '   1. nested', '  > quoted', '      code?', '\tindented', '  <div>', '  | a | b |', '  |---|---|', '  ---', '  ***', ' - one space', '   - three') },
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '\t') },
  { weight: 2, arbitrary: fc.constantFrom('lazy text', '> quote', '# heading', '<div>', '</div>', '| a | b |', '|---|---|', '```', '~~~', '---', '===', '1986. a year', '***', 'text  ', '<span>') },
);
const listDoc = fc
  .tuple(fc.array(listLine, { minLength: 2, maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([lines, eol, last]) => lines.join(eol) + (last ? eol : ''));

test(`a generated list-heavy document cut between list items gives the tree of the whole, its lists joined (${RUNS.parts} cases)`, async (t) => {
  const joined = await checkParts(listDoc, (c) => !!c.join);
  assert.ok(joined > RUNS.parts / 10, `${joined} of ${RUNS.parts} documents cut between list items`);
  t.diagnostic(`${joined} of ${RUNS.parts} documents cut between list items`);
});

test(`generated markdown renders the same with the GFM constructs and transforms it has no trigger for left out (${RUNS.markdown} cases)`, () => {
  const fast = createMarkdownRenderer(DEFAULT_CONFIG);
  const full = createMarkdownRenderer(DEFAULT_CONFIG, { skipUntriggered: false, parseInParts: false });
  fc.assert(
    fc.property(markdown, (body) => {
      const post = testPost({ title: 'T', relPath: 'posts/generated.md', date: testDate('2020-01-01'), body, bodyLine: 5 });
      assert.deepEqual(fast(post), full(post));
    }),
    { numRuns: RUNS.markdown },
  );
});
