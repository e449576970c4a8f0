/** Unit tests for src/content/frontmatter.ts: splitting and parsing front matter with file lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseFrontMatter, parseYaml, parseYamlFully, simpleYaml, type FrontMatter } from '../../src/content/frontmatter.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';

const POSTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content/posts');

/** Parses and fails the test unless a value came back. */
function parsed(text: string): { fm: FrontMatter; diagnostics: Diagnostic[] } {
  const r = parseFrontMatter(text, 'content/a.md');
  assert.ok(r.value, `expected front matter, got ${JSON.stringify(r.diagnostics)}`);
  return { fm: r.value, diagnostics: r.diagnostics };
}

const codesAndLines = (list: Diagnostic[]) => list.map((d) => [d.code, d.line]);

test('reads YAML between --- fences', () => {
  const { fm, diagnostics } = parsed('---\ntitle: Hello\ntags: [a, b]\n---\nThe body.\n');
  assert.equal(fm.format, 'yaml');
  assert.deepEqual(fm.data, { title: 'Hello', tags: ['a', 'b'] });
  assert.deepEqual(fm.keyLines, { title: 2, tags: 3 });
  assert.equal(fm.body, 'The body.\n');
  assert.equal(fm.bodyLine, 5);
  assert.deepEqual(diagnostics, []);
});

test('keeps a YAML date as the string the author wrote', () => {
  const { fm } = parsed('---\ndate: 2019-06-26\n---\n');
  assert.equal(fm.data.date, '2019-06-26');
});

test('allows blank lines before the opening fence and counts them in file lines', () => {
  const { fm } = parsed('\n\n---\ntitle: Hello\ndate: "2019-06-26"\n---\nBody');
  assert.deepEqual(fm.data, { title: 'Hello', date: '2019-06-26' });
  assert.deepEqual(fm.keyLines, { title: 4, date: 5 });
  assert.equal(fm.body, 'Body');
  assert.equal(fm.bodyLine, 7);
});

test('allows blank lines inside the front matter', () => {
  const { fm } = parsed('---\n\ntitle: Hello\n\n\ndate: "2019-06-26"\n\n---\nBody');
  assert.deepEqual(fm.data, { title: 'Hello', date: '2019-06-26' });
  assert.deepEqual(fm.keyLines, { title: 3, date: 6 });
  assert.equal(fm.bodyLine, 9);
});

test('accepts ... as the closing YAML fence', () => {
  const { fm } = parsed('---\ntitle: Dots\n...\nBody');
  assert.equal(fm.format, 'yaml');
  assert.deepEqual(fm.data, { title: 'Dots' });
  assert.equal(fm.body, 'Body');
  assert.equal(fm.bodyLine, 4);
});

test('reads TOML between +++ fences', () => {
  const { fm, diagnostics } = parsed('+++\ntitle = "Hello"\ntags = ["a", "b"]\ndraft = true\n+++\nBody');
  assert.equal(fm.format, 'toml');
  assert.deepEqual(fm.data, { title: 'Hello', tags: ['a', 'b'], draft: true });
  assert.deepEqual(fm.keyLines, { title: 2, tags: 3, draft: 4 });
  assert.equal(fm.body, 'Body');
  assert.equal(fm.bodyLine, 6);
  assert.deepEqual(diagnostics, []);
});

test('turns TOML dates into strings', () => {
  const { fm } = parsed('+++\ndate = 2019-06-26\nupdated = 1979-05-27T07:32:00-08:00\n+++\n');
  assert.equal(fm.data.date, '2019-06-26');
  assert.equal(typeof fm.data.updated, 'string');
  assert.equal(new Date(fm.data.updated as string).getTime(), Date.UTC(1979, 4, 27, 15, 32));
});

test('a file without front matter has empty data and the whole text as body from line 1', () => {
  const text = '# Just markdown\n\nNo metadata here.\n';
  const r = parseFrontMatter(text, 'content/a.md');
  assert.deepEqual(r.value, { data: {}, keyLines: {}, format: 'none', body: text, bodyLine: 1 });
  assert.deepEqual(r.diagnostics, []);
});

test('a --- that is not on the first non-blank line is not front matter', () => {
  const text = 'Intro\n---\ntitle: x\n---\n';
  const r = parseFrontMatter(text, 'content/a.md');
  assert.equal(r.value?.format, 'none');
  assert.equal(r.value?.body, text);
});

test('an unclosed --- fence is an error at the fence line and gives no value', () => {
  const r = parseFrontMatter('\n\n---\ntitle: Hello\n\nBody without a closing fence\n', 'content/a.md');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/unclosed', 3]]);
  assert.equal(r.diagnostics[0]!.severity, 'error');
  assert.equal(r.diagnostics[0]!.file, 'content/a.md');
});

test('an unclosed +++ fence is an error too', () => {
  const r = parseFrontMatter('+++\ntitle = "x"\n', 'content/a.md');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/unclosed', 1]]);
});

test('a YAML syntax error points at its line in the file, counting blank lines before the fence', () => {
  // Line 1 and 2 blank, fence on 3, title on 4, blank 5, the broken line on 6.
  const r = parseFrontMatter('\n\n---\ntitle: ok\n\ntags: [unclosed\n---\nBody', 'content/a.md');
  assert.equal(r.value, null);
  assert.ok(r.diagnostics.length >= 1);
  assert.ok(r.diagnostics.every((d) => d.code === 'frontmatter/yaml-syntax' && d.severity === 'error'));
  assert.equal(r.diagnostics[0]!.line, 6);
  assert.equal(r.diagnostics[0]!.file, 'content/a.md');
});

test('a YAML value with an unquoted ": " is a syntax error on its line', () => {
  const r = parseFrontMatter('---\ntitle: ok\ndescription: Note: this breaks\n---\n', 'content/a.md');
  assert.equal(r.value, null);
  assert.equal(r.diagnostics[0]!.code, 'frontmatter/yaml-syntax');
  assert.equal(r.diagnostics[0]!.line, 3);
});

test('a TOML syntax error is reported with its file line', () => {
  const r = parseFrontMatter('\n+++\ntitle = "ok"\ndate = \n+++\nBody', 'content/a.md');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/toml-syntax', 4]]);
  assert.equal(r.diagnostics[0]!.severity, 'error');
});

test('a YAML list as front matter is not a map', () => {
  const r = parseFrontMatter('---\n- a\n- b\n---\nBody', 'content/a.md');
  assert.equal(r.value, null);
  assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/not-a-map', 2]]);
});

test('a bare YAML scalar as front matter is not a map', () => {
  const r = parseFrontMatter('---\njust some words\n---\nBody', 'content/a.md');
  assert.equal(r.value, null);
  assert.equal(r.diagnostics[0]!.code, 'frontmatter/not-a-map');
});

test('a duplicate key keeps the last value and warns at the duplicate line', () => {
  const { fm, diagnostics } = parsed('---\ntitle: First\ndate: "2019-06-26"\ntitle: Second\n---\n');
  assert.equal(fm.data.title, 'Second');
  assert.equal(fm.keyLines.title, 4);
  assert.deepEqual(codesAndLines(diagnostics), [['frontmatter/duplicate-key', 4]]);
  assert.equal(diagnostics[0]!.severity, 'warning');
});

test('the body line is right after the closing fence', () => {
  assert.equal(parsed('---\na: 1\n---\nx').fm.bodyLine, 4);
  assert.equal(parsed('\n---\na: 1\nb: 2\n---\n\n\nx').fm.bodyLine, 6);
  assert.equal(parsed('---\na: 1\n---').fm.body, '');
});

test('the same text parsed twice gives the same result both times (no gray-matter cache)', () => {
  const text = '---\ntitle: [broken\n---\n';
  const first = parseFrontMatter(text, 'a.md');
  const second = parseFrontMatter(text, 'a.md');
  assert.deepEqual(second, first);
  assert.equal(second.value, null);
  assert.equal(second.diagnostics[0]!.code, 'frontmatter/yaml-syntax');
});

test('empty front matter gives empty data instead of dropping the post', () => {
  // gray-matter never calls the engine for an empty block, so `parsed` stays null.
  const r = parseFrontMatter('---\n---\nBody', 'content/a.md');
  assert.deepEqual(r.value, { data: {}, keyLines: {}, format: 'yaml', body: 'Body', bodyLine: 3 });
});

test('front matter holding only a comment gives empty data instead of dropping the post', () => {
  const r = parseFrontMatter('---\n# draft, fill in later\n---\nBody', 'content/a.md');
  assert.ok(r.value !== null || r.diagnostics.length > 0, 'a post must never vanish without a diagnostic');
  assert.deepEqual(r.value?.data, {});
});

test('a key line starting with --- does not cut off the rest of the front matter', () => {
  const r = parseFrontMatter('---\ntitle: x\n---note: 1\ntags: a\n---\nBody', 'content/a.md');
  assert.ok(r.value);
  assert.equal(r.value.data.tags, 'a');
});

// The five real sample posts.

async function sample(name: string) {
  const text = await readFile(path.join(POSTS, name), 'utf8');
  return parseFrontMatter(text, `content/posts/${name}`);
}

for (const name of ['000_12afb2bbc284cb8d.txt', '001_858fe4bea8dbd5a5.txt', '002_c5b9f78b67f4bf40.txt']) {
  test(`sample ${name} warns about the duplicate "type" key at line 9`, async () => {
    const r = await sample(name);
    assert.ok(r.value);
    assert.deepEqual(codesAndLines(r.diagnostics), [['frontmatter/duplicate-key', 9]]);
    assert.equal(r.diagnostics[0]!.file, `content/posts/${name}`);
    assert.equal(r.value.data.type, 'posts');
    assert.equal(r.value.keyLines.type, 9);
    assert.equal(r.value.bodyLine, 11);
  });
}

test('sample 003 parses without diagnostics', async () => {
  const r = await sample('003_b76d264152549c9e.txt');
  assert.ok(r.value);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.data.title, 'Understanding the Principles of Neural Networks in Deep Learning');
  assert.equal(r.value.data.date, '2018-10-08');
  assert.deepEqual(r.value.data.categories, ['TechTrends']);
  assert.equal(r.value.bodyLine, 9);
});

test('sample 004 has a null tag and a bare-string category', async () => {
  const r = await sample('004_3851d665f39fbac6.txt');
  assert.ok(r.value);
  assert.deepEqual(r.diagnostics, []);
  assert.ok('tag' in r.value.data);
  assert.equal(r.value.data.tag, null);
  assert.equal(r.value.data.categories, 'DataStructures');
  assert.equal(r.value.data.layout, 'posts');
  assert.equal(r.value.data.toc, true);
  assert.equal(r.value.data.date, undefined);
});

test('an unclosed quote or bracket is reported on the line where it opened, not where YAML gave up', () => {
  const quote = parseFrontMatter('---\ntitle: "Hello\ndate: 2020-01-01\n---\nBody\n', 'content/a.md');
  assert.deepEqual(quote.diagnostics.map((d) => [d.code, d.line, d.column]), [['frontmatter/yaml-syntax', 2, 8]]);
  const flow = parseFrontMatter('---\ntitle: A\ntags: [one, two\ndate: 2020-01-01\n---\nBody\n', 'content/a.md');
  assert.deepEqual(flow.diagnostics.map((d) => [d.code, d.line, d.column]), [['frontmatter/yaml-syntax', 3, 7]]);
});

test('front matter of the plainest lines, read without the YAML library, gives what the library gives: data, key order, lines and messages', () => {
  const keys = ['title', 'date', 'tags', 'categories', 'layout', 'draft', 'x_y', 'a-b', 'Title', 'constructor', 'toString', 'true', 'Null', '__proto__', 'yes', '1key', 'ké', 'k'.repeat(120)];
  const values = [
    'hello', 'Hello world', "Don't stop", 'a: b', 'a #b', 'a#b', 'a:b', '"quoted"', '"with \\" escape"', '"tab\\there"', "'single'", "'it''s'", "''", '""',
    '[a, b]', '[]', '[ x , y ]', '[a, [b]]', '[a,,b]', '[a, b,]', '[true, Null, x]', '["q", r]', "[it's]", '[1, 2]', '[a, b] # c', '{a: b}',
    'true', 'True', 'TRUE', 'tRue', 'false', 'FALSE', 'null', 'Null', 'NULL', '~', 'yes', 'no', 'on', 'off', 'y',
    '2020-01-01', '2020-01-01 10:00:00 +0100', '2020-01-01T10:00:00Z', '2020-01-01 10:00', '2020-13-45', '10:30', '1.0.0', '1.3.0.rc1', '3.8.5-beta.2', '1.0', '1.', '1.0.0 x', '1.0.0:1', '007', '0', '42', '999999999999999', '1234567890123456789', '1.5', '-3', '+3', '1e3', '0x1F', '0o17', '.inf', '.NaN',
    '*alias', '&anchor x', '!tag x', '!!str 5', '|', '>', '- a', '? a', '@at', '%pct', '`tick`', 'a  b', 'a\tb', 'a\\b', 'Web Development', 'C++', 'a ? b', 'a - b', 'end.', 'a=b', '(paren)', 'a/b', 'café', 'x*y&z!', 'semi;colon', '"a" # c', "'a' 'b'",
  ];
  const item = fc.constantFrom(...values);
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...keys), item, fc.constantFrom('', ' ', '  ', '\t', '\r')).map(([k, v, end]) => `${k}: ${v}${end}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...keys), fc.constantFrom('', ' ', '\r')).map(([k, end]) => `${k}:${end}`) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', '  ', '    ', '\t'), item).map(([indent, v]) => `${indent}- ${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', '# a comment', '  # indented comment', 'key:value', 'key:\tvalue', '  indented: x', '    continued text', '...', '%YAML 1.2', '- ', '-', 'title: [a,\n  b]', 'a: b: c', '? complex', 'k: >\n  folded', 'k: |\n  literal') },
  );
  let simple = 0;
  const same = (lines: string[]) => {
    const s = `\n${lines.join('\n')}\n`;
    const fast: Diagnostic[] = [];
    const full: Diagnostic[] = [];
    const a = parseYaml(s, 'content/a.md', 3, fast);
    const b = parseYamlFully(s, 'content/a.md', 3, full);
    if (simpleYaml(s)) simple++;
    assert.deepEqual(a, b);
    assert.deepEqual(a && Object.keys(a.data), b && Object.keys(b.data), 'the same key order');
    assert.deepEqual(fast, full);
  };
  fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 9 }), same), { numRuns: 20_000 });
  // Mostly lines the plain reading takes, so that it is taken often, with its edge cases among them.
  const plainItem = fc.constantFrom('hello', 'Hello world', "Don't stop", '"quoted"', "'single'", '""', '[a, b]', '[]', '[ x , y ]', '[true, Null, x]', 'True', 'tRue', 'FALSE', 'Null', 'yes', '2020-01-01', '2020-01-01 10:00:00 +0100', '2020-13-45', '1.0.0', '1.3.0.rc1', '1.0', '007', '0', '42', '999999999999999', 'C++', 'a ? b', 'a - b', 'x*y&z!', 'a  b', '1.5', 'a: b');
  const plainLine = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('title', 'tags', 'date', 'constructor', 'a-b', 'x_y', 'Null'), plainItem, fc.constantFrom('', ' ')).map(([k, v, end]) => `${k}: ${v}${end}`) },
    { weight: 2, arbitrary: fc.constantFrom('tags:', 'categories:', 'empty:') },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', '  '), plainItem).map(([indent, v]) => `${indent}- ${v}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '# a comment', '  # indented comment') },
  );
  const before = simple;
  fc.assert(fc.property(fc.array(plainLine, { minLength: 1, maxLength: 9 }), same), { numRuns: 10_000 });
  assert.ok(simple - before > 2_000, `the plain reading was taken ${simple - before} times of 10,000`);
});

test('the plain reading takes typical front matter and leaves the rest to the library', () => {
  const typical = '\ntitle: Jekyll 3.8.5 Released\ndate: 2018-11-04 12:00:00 +0100\nauthor: parkr\nversion: 3.8.5\ncategories: [release]\ntags:\n  - release\n  - jekyll\ndraft: false\n';
  const r = simpleYaml(typical);
  assert.deepEqual(r?.data, { title: 'Jekyll 3.8.5 Released', date: '2018-11-04 12:00:00 +0100', author: 'parkr', version: '3.8.5', categories: ['release'], tags: ['release', 'jekyll'], draft: false });
  assert.deepEqual(r?.keys.map((k) => [k.key, k.line]), [['title', 2], ['date', 3], ['author', 4], ['version', 5], ['categories', 6], ['tags', 7], ['draft', 10]]);
  assert.equal(simpleYaml('\nversion: 1.5\n'), null, 'a number with one dot is a float to YAML: left to it');
  for (const s of ['\ntitle: a: b\n', '\ntitle: "esc\\n"\n', '\nnested:\n  a: b\n', '\ntitle: one\n  two\n', '\ntitle: x\r\n']) assert.equal(simpleYaml(s), null, JSON.stringify(s));
});
