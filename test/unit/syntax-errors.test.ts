/** Unit tests for src/content/syntax-errors.ts, through the front-matter reader that uses it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrontMatter } from '../../src/content/frontmatter.ts';

const FILE = 'content/posts/a.md';

/** The one diagnostic for front matter whose line 2 is `line`. */
function diagnose(line: string, fence = '---') {
  const r = parseFrontMatter(`${fence}\n${line}\n${fence === '---' ? 'draft: true' : 'draft = true'}\n${fence}\nBody\n`, FILE);
  assert.equal(r.value, null, line);
  return r.diagnostics[0]!;
}

test('a value with ": " is told to go in quotes, with the line as it should be', () => {
  const d = diagnose('title: Hello: world');
  assert.equal(d.message, 'invalid YAML front matter: a value contains `: ` — put the value in quotes');
  assert.equal(d.hint, 'write title: "Hello: world"\n  detail: YAML: Nested mappings are not allowed in compact mappings');
  assert.deepEqual([d.code, d.line, d.column], ['frontmatter/yaml-syntax', 2, 8], 'where it was before');
});

test('each suggested rewrite of a broken YAML line reads back as the text that was meant', () => {
  const cases: [string, RegExp, string][] = [
    ['title: Hello: world', /contains `: `/, 'Hello: world'],
    ['title: @home', /starts with `@`, which YAML reserves/, '@home'],
    ['title: %done', /starts with `%`/, '%done'],
    ['title: `code` rocks', /starts with a backquote/, '`code` rocks'],
    ['title: - not a list', /starts with `- `/, '- not a list'],
    ['title: "Hello" world', /text follows a quoted value/, '"Hello" world'],
    ["title: 'It's here'", /a `'` inside a single-quoted value ends it early/, "It's here"],
    ['title: "Say "hi""', /a `"` inside a double-quoted value ends it early/, 'Say "hi"'],
  ];
  for (const [line, message, meant] of cases) {
    const d = diagnose(line);
    assert.match(d.message, message, line);
    const rewrite = /^write (.*)$/m.exec(d.hint!)?.[1];
    assert.ok(rewrite, `${line}: ${d.hint}`);
    const fixed = parseFrontMatter(`---\n${rewrite}\n---\n`, FILE);
    assert.deepEqual(fixed.diagnostics, [], rewrite);
    assert.equal(fixed.value?.data.title, meant, rewrite);
  }
});

test('quotes, brackets, tabs and indentation mistakes say what to fix, keeping YAML\'s words as a detail', () => {
  const expect: [string, RegExp][] = [
    ['title: "Unclosed', /a value starts with `"` but its closing `"` is missing/],
    ['tags: [one, two', /a `\[` list is not closed by `\]`/],
    ['tags: {one: two', /a `\{` map is not closed by `\}`/],
    ['\tdate: 2020-01-01', /a tab is used for indentation/],
    ['title without colon', /a line is not `key: value`/],
    ['title: "a\\qb"', /`\\q` is not an escape YAML knows/],
  ];
  for (const [line, message] of expect) {
    const d = diagnose(line);
    assert.equal(d.code, 'frontmatter/yaml-syntax');
    assert.match(d.message, message, line);
    assert.match(d.hint!, /\n {2}detail: YAML: \S/, line);
  }
});

test('TOML mistakes say what to fix, with the line rewritten where it can be', () => {
  const bare = diagnose('foo = bar baz', '+++');
  assert.deepEqual([bare.code, bare.line, bare.column], ['frontmatter/toml-syntax', 2, 7]);
  assert.equal(bare.message, 'invalid TOML front matter: a value is not valid TOML — text must be in quotes');
  assert.equal(bare.hint, 'write foo = "bar baz"\n  detail: TOML: invalid value');
  assert.match(diagnose('title: "Hello"', '+++').hint!, /^write title = "Hello"\n/);
  assert.match(diagnose('date = ', '+++').message, /"date" has no value/);
  assert.match(diagnose('tags = ["a", "b"', '+++').message, /not closed, or a comma is missing/);
  assert.match(diagnose('title = "unclosed', '+++').message, /a string is not closed/);
  assert.match(diagnose('date = 2020-13-45', '+++').message, /not a valid TOML date/);
});
