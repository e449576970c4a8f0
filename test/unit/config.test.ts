/** Unit tests for src/config.ts: defaults, YAML/JSON/TOML config files, validation and overrides. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basePath, DEFAULT_CONFIG, parseConfig, type Config } from '../../src/config.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';

const codesAndLines = (list: Diagnostic[]) => list.map((d) => [d.code, d.line]);
const withBase = (baseUrl: string): Config => ({ ...DEFAULT_CONFIG, baseUrl });

test('an empty config file gives the defaults', () => {
  const r = parseConfig('', 'quire.config.yml');
  assert.deepEqual(r.value, DEFAULT_CONFIG);
  assert.deepEqual(r.diagnostics, []);
});

test('the defaults are complete and sensible', () => {
  assert.equal(DEFAULT_CONFIG.baseUrl, '/');
  assert.equal(DEFAULT_CONFIG.timezone, 'UTC');
  assert.equal(DEFAULT_CONFIG.language, 'en');
  assert.equal(DEFAULT_CONFIG.markdown.allowHtml, false);
  assert.equal(DEFAULT_CONFIG.taxonomies.splitCamelCase, true);
  assert.ok(DEFAULT_CONFIG.postsPerPage > 0);
});

test('reads a valid YAML config, nested keys included', () => {
  const text = [
    'title: Field Notes',
    'baseUrl: https://example.com/blog/',
    'timezone: Europe/Berlin',
    'language: pt-BR',
    'postsPerPage: 5',
    'markdown:',
    '  allowHtml: true',
    'taxonomies:',
    '  splitCamelCase: false',
    '  displayNames:',
    '    js: JavaScript',
    'layoutAliases:',
    '  news_item: post',
  ].join('\n');
  const r = parseConfig(text, 'quire.config.yml');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.title, 'Field Notes');
  assert.equal(r.value.baseUrl, 'https://example.com/blog/');
  assert.equal(r.value.timezone, 'Europe/Berlin');
  assert.equal(r.value.language, 'pt-BR');
  assert.equal(r.value.postsPerPage, 5);
  assert.equal(r.value.markdown.allowHtml, true);
  assert.equal(r.value.taxonomies.splitCamelCase, false);
  // User maps have a null prototype: spread them to compare.
  assert.deepEqual({ ...r.value.taxonomies.displayNames }, { js: 'JavaScript' });
  assert.deepEqual({ ...r.value.layoutAliases }, { news_item: 'post' });
  // Unset keys keep their defaults.
  assert.equal(r.value.wordsPerMinute, DEFAULT_CONFIG.wordsPerMinute);
});

test('parsing a config never changes DEFAULT_CONFIG', () => {
  const before = JSON.stringify(DEFAULT_CONFIG);
  parseConfig('markdown:\n  allowHtml: true\ntaxonomies:\n  splitCamelCase: false\n  displayNames:\n    ai: AI\nlayoutAliases:\n  x: post\n', 'quire.config.yml');
  assert.equal(JSON.stringify(DEFAULT_CONFIG), before);
});

test('reads a JSON config', () => {
  const r = parseConfig('{"title": "J", "postsPerPage": 3}', 'quire.config.json');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.title, 'J');
  assert.equal(r.value.postsPerPage, 3);
});

test('an unknown key is a warning at its line and is ignored', () => {
  const r = parseConfig('title: T\n\nfoo: 1\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/unknown-key', 3]]);
  assert.equal(r.diagnostics[0]!.severity, 'warning');
  assert.equal(r.diagnostics[0]!.file, 'quire.config.yml');
  assert.equal(r.value.title, 'T');
  assert.equal('foo' in r.value, false);
});

test('an unknown nested key is a warning at its line', () => {
  const r = parseConfig('markdown:\n  allowHTML: true\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/unknown-key', 2]]);
  assert.equal(r.value.markdown.allowHtml, false);
});

test('a value of the wrong type is an error at the line of the value', () => {
  const r = parseConfig('title: T\npostsPerPage: ten\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]]);
  assert.equal(r.diagnostics[0]!.severity, 'error');
  assert.equal(r.value.postsPerPage, DEFAULT_CONFIG.postsPerPage);
});

test('math is on by default; math: false turns it off, and a value that is not a boolean is an error at its line', () => {
  assert.equal(DEFAULT_CONFIG.math, true);
  assert.equal(parseConfig('math: false\n', 'quire.config.yml').value.math, false);
  const r = parseConfig('title: T\nmath: katex\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]]);
  assert.equal(r.value.math, true);
});

test('a value on the line after its key is reported at the value line', () => {
  const r = parseConfig('title: T\nwordsPerMinute:\n  - 200\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 3]]);
});

test('a nested value of the wrong type is an error at its line', () => {
  const r = parseConfig('title: T\nmarkdown:\n  allowHtml: "yes"\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 3]]);
});

test('numbers out of range are invalid', () => {
  for (const v of ['0', '-1', '2.5', '10001']) {
    assert.deepEqual(codesAndLines(parseConfig(`postsPerPage: ${v}\n`, 'c.yml').diagnostics), [['config/invalid-value', 1]], v);
  }
});

test('a map-valued key given a scalar is an invalid value', () => {
  const r = parseConfig('title: T\nmarkdown: true\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]]);
});

test('an unknown time zone is an error at its line', () => {
  const r = parseConfig('title: T\ntimezone: Mars/Olympus_Mons\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]]);
  assert.equal(r.value.timezone, 'UTC');
});

test('a base URL that is neither http(s) nor a path is an error', () => {
  for (const bad of ['example.com/blog', 'ftp://example.com/', 'javascript:alert(1)', 'blog/']) {
    const r = parseConfig(`baseUrl: "${bad}"\n`, 'quire.config.yml');
    assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 1]], bad);
    assert.equal(r.value.baseUrl, '/');
  }
});

test('a path and an https URL are good base URLs', () => {
  assert.deepEqual(parseConfig('baseUrl: /blog/\n', 'c.yml').diagnostics, []);
  assert.deepEqual(parseConfig('baseUrl: http://localhost:8080/\n', 'c.yml').diagnostics, []);
});

test('a bad language tag is an error', () => {
  assert.deepEqual(codesAndLines(parseConfig('language: english!\n', 'c.yml').diagnostics), [['config/invalid-value', 1]]);
});

test('a YAML syntax error is reported with a line', () => {
  const r = parseConfig('title: T\ndescription: [oops\n', 'quire.config.yml');
  assert.ok(r.diagnostics.length > 0);
  assert.ok(r.diagnostics.every((d) => d.code === 'config/syntax' && d.severity === 'error'));
  assert.equal(typeof r.diagnostics[0]!.line, 'number');
  assert.deepEqual(r.value, DEFAULT_CONFIG);
});

test('a config that is not a map is an error', () => {
  assert.deepEqual(codesAndLines(parseConfig('- a\n- b\n', 'c.yml').diagnostics), [['config/not-a-map', 1]]);
});

test('reads a TOML config file when the name ends in .toml', () => {
  const text = 'title = "Toml Blog"\npostsPerPage = 7\ntimezone = "Asia/Tokyo"\n\n[markdown]\nallowHtml = true\n\n[taxonomies.displayNames]\nai = "AI"\n';
  const r = parseConfig(text, 'quire.config.toml');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.title, 'Toml Blog');
  assert.equal(r.value.postsPerPage, 7);
  assert.equal(r.value.timezone, 'Asia/Tokyo');
  assert.equal(r.value.markdown.allowHtml, true);
  assert.deepEqual({ ...r.value.taxonomies.displayNames }, { ai: 'AI' }); // smol-toml maps have a null prototype
  assert.equal(r.value.taxonomies.splitCamelCase, true);
});

test('TOML syntax in a .yml file is not read as TOML', () => {
  const r = parseConfig('title = "x"\n', 'quire.config.yml');
  // YAML reads `title = "x"` as a bare string: not a map.
  assert.equal(r.diagnostics[0]!.severity, 'error');
});

test('a TOML syntax error is reported with its line', () => {
  const r = parseConfig('title = "ok"\npostsPerPage = \n', 'quire.config.toml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/syntax', 2]]);
});

test('a wrong type in a TOML config is an error', () => {
  const r = parseConfig('title = "T"\npostsPerPage = "ten"\n', 'quire.config.toml');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['config/invalid-value']);
  assert.equal(r.value.postsPerPage, DEFAULT_CONFIG.postsPerPage);
});

test('a wrong type in a TOML config is reported at the line of the value', () => {
  const r = parseConfig('title = "T"\npostsPerPage = "ten"\n', 'quire.config.toml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]]);
});

test('overrides win over the file', () => {
  const r = parseConfig('title: T\nbaseUrl: /from-file/\n', 'quire.config.yml', { baseUrl: 'https://cli.example.com/' });
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.baseUrl, 'https://cli.example.com/');
  assert.equal(r.value.title, 'T');
});

test('overrides apply when there is no config file', () => {
  assert.equal(parseConfig('', 'defaults.yml', { baseUrl: '/docs/' }).value.baseUrl, '/docs/');
});

test('an undefined override is ignored', () => {
  assert.equal(parseConfig('baseUrl: /a/\n', 'c.yml', { baseUrl: undefined }).value.baseUrl, '/a/');
});

test('an invalid override is an error and does not apply', () => {
  const r = parseConfig('', 'c.yml', { baseUrl: 'not a url' });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['config/invalid-value']);
  assert.equal(r.value.baseUrl, '/');
});

test('basePath of a URL with a path is that path with slashes on both ends', () => {
  assert.equal(basePath(withBase('https://x.com/blog')), '/blog/');
  assert.equal(basePath(withBase('https://x.com/blog/')), '/blog/');
  assert.equal(basePath(withBase('https://x.com/a/b')), '/a/b/');
});

test('basePath of / or a bare origin is /', () => {
  assert.equal(basePath(withBase('/')), '/');
  assert.equal(basePath(withBase('https://x.com')), '/');
  assert.equal(basePath(withBase('/blog')), '/blog/');
});

// ── Keys that are names on Object.prototype (issue: `__proto__` crashed the build with exit 70) ──

test('__proto__, hasOwnProperty, constructor and toString are unknown keys at their line, not crashes', () => {
  for (const key of ['__proto__', 'hasOwnProperty', 'constructor', 'toString', 'valueOf']) {
    const r = parseConfig(`title: T\n${key}: 1\n`, 'quire.config.yml');
    assert.deepEqual(codesAndLines(r.diagnostics), [['config/unknown-key', 2]], key);
    assert.match(r.diagnostics[0]!.message, new RegExp(`"${key}"`));
    assert.equal(r.value.title, 'T');
    assert.equal(Object.getPrototypeOf(r.value), Object.prototype, `${key} did not change the config's prototype`);
  }
});

test('a display name for a term called constructor or __proto__ is an ordinary entry', () => {
  const r = parseConfig('taxonomies:\n  displayNames:\n    constructor: Foo\n    __proto__: Bar\n    toString: Baz\n', 'quire.config.yml');
  assert.deepEqual(r.diagnostics, []);
  const names = r.value.taxonomies.displayNames;
  assert.equal(Object.getPrototypeOf(names), null);
  assert.deepEqual(Object.keys(names), ['constructor', '__proto__', 'toString']);
  assert.equal(names['constructor'], 'Foo');
  assert.equal(names['__proto__'], 'Bar');
});

test('a display name that is not text is an error at its own line', () => {
  const r = parseConfig('taxonomies:\n  displayNames:\n    ai: AI\n    js: [a, b]\n', 'quire.config.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 4]]);
});

// ── Syntax errors say what to fix; the parser's message is kept in the hint ────────────────────

test('a YAML value with ": " in it says to quote it, at the value, with the parser message in the hint', () => {
  const r = parseConfig('description: d\ntitle: Hello: world\n', 'quire.config.yml');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line, d.column]), [['config/syntax', 2, 8]]);
  assert.match(r.diagnostics[0]!.message, /contains `: `.*quotes/);
  assert.match(r.diagnostics[0]!.hint ?? '', /title: "Hello: world"/);
  assert.match(r.diagnostics[0]!.hint ?? '', /Nested mappings are not allowed in compact mappings/);
});

test('an unclosed YAML quote is reported where the quote opened', () => {
  const r = parseConfig('title: T\ndescription: "unclosed\npostsPerPage: 3\n', 'quire.config.yml');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line, d.column]), [['config/syntax', 2, 14]]);
  assert.match(r.diagnostics[0]!.message, /quote/);
  assert.match(r.diagnostics[0]!.hint ?? '', /Missing closing "quote/);
});

test('YAML mistakes get their own advice: tabs, a reserved first character, a duplicate key, two documents', () => {
  const cases: [string, number, RegExp][] = [
    ['\ttitle: x\n', 1, /tab/],
    ['title: @me\n', 1, /starting with @ must be in quotes/],
    ['title: a\ntitle: b\n', 2, /`title` is given twice/],
    ['title: a\n---\ntitle: b\n', 2, /more than one YAML document/],
    ['title: x\n  bad: 1\n', 1, /indented/],
  ];
  for (const [text, line, message] of cases) {
    const r = parseConfig(text, 'quire.config.yml');
    assert.deepEqual(codesAndLines(r.diagnostics), [['config/syntax', line]], JSON.stringify(text));
    assert.match(r.diagnostics[0]!.message, message, JSON.stringify(text));
    assert.match(r.diagnostics[0]!.hint ?? '', /YAML parser: "/, JSON.stringify(text));
  }
});

test('a JSON config missing a comma says so, at the line', () => {
  const r = parseConfig('{\n  "title": "T"\n  "author": "A"\n}\n', 'quire.config.json');
  assert.equal(r.diagnostics[0]!.code, 'config/syntax');
  assert.equal(typeof r.diagnostics[0]!.line, 'number');
  assert.match(r.diagnostics[0]!.message, /comma/);
  assert.match(r.diagnostics[0]!.hint ?? '', /JSON parser: "/);
});

test('a bare word in TOML says to quote it, with the fix and the parser message in the hint', () => {
  const r = parseConfig('title = "T"\nauthor = Ada\n', 'quire.config.toml');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line, d.column]), [['config/syntax', 2, 10]]);
  assert.match(r.diagnostics[0]!.message, /in quotes/);
  assert.match(r.diagnostics[0]!.hint ?? '', /author = "Ada"/);
  assert.match(r.diagnostics[0]!.hint ?? '', /TOML parser: "invalid value"/);
});

test('an alias to no anchor is a syntax error at the alias', () => {
  assert.deepEqual(codesAndLines(parseConfig('title: T\nauthor: *nobody\n', 'c.yml').diagnostics), [['config/syntax', 2]]);
});

test('an alias inside the value it refers to is a syntax error, not a hang', () => {
  assert.deepEqual(codesAndLines(parseConfig('title: T\nx: &a [1, *a]\n', 'c.yml').diagnostics), [['config/syntax', 2]]);
});

test('a few ordinary aliases are fine', () => {
  const r = parseConfig('author: &me Ada\ndescription: *me\n', 'c.yml');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.description, 'Ada');
});

test('a YAML alias bomb is a located syntax error, not a crash or a hang', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
    lines.push(`${name}: &${name} [${Array(10).fill('*' + prev).join(', ')}]`);
  }
  const r = parseConfig(lines.join('\n') + '\n', 'quire.config.yml');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0]!.code, 'config/syntax');
  assert.ok(r.diagnostics[0]!.line! >= 2 && r.diagnostics[0]!.line! <= 9, `line ${r.diagnostics[0]!.line}`);
  assert.deepEqual(r.value, DEFAULT_CONFIG);
});

test('nesting thousands of levels deep is a located syntax error', () => {
  const cases: [string, string][] = [
    ['title: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n', 'c.yml'],
    ['{"title": ' + '['.repeat(5000) + ']'.repeat(5000) + '}', 'c.json'],
    ['title = ' + '['.repeat(500) + ']'.repeat(500) + '\n', 'c.toml'],
  ];
  for (const [text, file] of cases) {
    const r = parseConfig(text, file);
    assert.ok(r.diagnostics.length >= 1, file);
    assert.ok(r.diagnostics.every((d) => d.severity === 'error' && d.file === file && typeof d.line === 'number'), file);
  }
});

// ── Unknown keys and values ────────────────────────────────────────────────────────────────────

test('an unknown key spelled like a known one suggests it', () => {
  const r = parseConfig('titel: T\nmarkdown:\n  allowhtml: true\n', 'c.yml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/unknown-key', 1], ['config/unknown-key', 3]]);
  assert.match(r.diagnostics[0]!.hint ?? '', /did you mean title\?/);
  assert.match(r.diagnostics[1]!.hint ?? '', /did you mean allowHtml\?/);
});

test('a section with nothing under it keeps its defaults', () => {
  const r = parseConfig('markdown:\n  # allowHtml: true\ntaxonomies:\n', 'c.yml');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value, DEFAULT_CONFIG);
});

test('a wrong value is named in the message', () => {
  const r = parseConfig('postsPerPage: ten\n', 'c.yml');
  assert.match(r.diagnostics[0]!.message, /^"postsPerPage" must be .*; it is "ten"$/);
});

test('TOML keys in quotes and dotted keys are located', () => {
  const r = parseConfig('title = "T"\n"__proto__" = 1\nmarkdown.allowHTML = true\n[taxonomies]\n"constructor" = 2\n', 'quire.config.toml');
  assert.deepEqual(codesAndLines(r.diagnostics), [['config/unknown-key', 2], ['config/unknown-key', 3], ['config/unknown-key', 5]]);
});

// ── links ──────────────────────────────────────────────────────────────────────────────────────

test('links is warning by default and may be error', () => {
  assert.equal(DEFAULT_CONFIG.links, 'warning');
  const r = parseConfig('links: error\n', 'c.yml');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.value.links, 'error');
  assert.equal(parseConfig('{"links": "warning"}', 'c.json').value.links, 'warning');
  assert.equal(parseConfig('links = "error"\n', 'c.toml').value.links, 'error');
});

test('links other than warning or error is an invalid value at its line', () => {
  for (const v of ['fatal', 'true', '1', '[error]', 'Error']) {
    const r = parseConfig(`title: T\nlinks: ${v}\n`, 'c.yml');
    assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]], v);
    assert.equal(r.value.links, 'warning');
  }
});

// ── Base URL: http(s)://host/path/ or a path starting with a single / ──────────────────────────

test('a base URL that names another host or is not a plain path is an error', () => {
  const bad = [
    '//evil.example/',
    '//evil.example/blog/',
    '/\\evil.example/',
    'https:example.com/',
    'https:///example.com/',
    'https://user:secret@example.com/',
    'https://example.com/blog/?x=1',
    '/blog/#top',
    '/blog/?x',
    '/a/../b/',
    '/a/%2e%2e/b/',
    '/a%zz/',
    ' /blog/',
    '/blog/\t',
  ];
  for (const v of bad) {
    const r = parseConfig(`title: T\nbaseUrl: ${JSON.stringify(v)}\n`, 'c.yml');
    assert.deepEqual(codesAndLines(r.diagnostics), [['config/invalid-value', 2]], v);
    assert.equal(r.value.baseUrl, '/', v);
  }
});

test('a //host base URL on the command line is an error too', () => {
  const r = parseConfig('', 'c.yml', { baseUrl: '//evil.example/' });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['config/invalid-value']);
  assert.match(r.diagnostics[0]!.message, /^--base-url /);
  assert.equal(r.value.baseUrl, '/');
});

test('base URLs with spaces, non-ASCII or percent escapes are good', () => {
  for (const v of ['/blög/', '/my blog/', '/my%20blog/', 'https://example.com/blög/', 'https://example.com/my%20blog/', 'HTTPS://example.com', 'http://localhost:4000/a/b/']) {
    assert.deepEqual(parseConfig(`baseUrl: ${JSON.stringify(v)}\n`, 'c.yml').diagnostics, [], v);
  }
});

test('basePath is percent-encoded in one spelling, whatever the base URL wrote', () => {
  assert.equal(basePath(withBase('/blög/')), '/bl%C3%B6g/');
  assert.equal(basePath(withBase('https://x.com/blög')), '/bl%C3%B6g/');
  assert.equal(basePath(withBase('/bl%c3%b6g/')), '/bl%C3%B6g/');
  assert.equal(basePath(withBase('/my blog/')), '/my%20blog/');
  assert.equal(basePath(withBase('/my%20blog/')), '/my%20blog/');
  assert.equal(basePath(withBase('https://x.com/my%20blog/')), '/my%20blog/');
  assert.equal(basePath(withBase('/%62log/')), '/blog/', 'an escaped letter is the letter');
});

test('basePath never throws, even for a base URL validation would refuse', () => {
  for (const v of ['//evil.example/', 'https://', '', 'not a url', '\\\\x']) assert.match(basePath(withBase(v)), /^\/(.*\/)?$/, v);
});

// ── Overrides ──────────────────────────────────────────────────────────────────────────────────

test('an unknown override is a warning and is not applied', () => {
  const r = parseConfig('', 'c.yml', { nope: 1 } as Partial<Config>);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['config/unknown-key', 'warning']]);
  assert.equal('nope' in r.value, false);
});
