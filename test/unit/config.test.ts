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
  assert.deepEqual(r.value.taxonomies, { splitCamelCase: false, displayNames: { js: 'JavaScript' } });
  assert.deepEqual(r.value.layoutAliases, { news_item: 'post' });
  // Unset keys keep their defaults.
  assert.equal(r.value.wordsPerMinute, DEFAULT_CONFIG.wordsPerMinute);
});

test('parsing a config never changes DEFAULT_CONFIG', () => {
  const before = structuredClone(DEFAULT_CONFIG);
  parseConfig('markdown:\n  allowHtml: true\ntaxonomies:\n  splitCamelCase: false\n', 'quire.config.yml');
  assert.deepEqual(DEFAULT_CONFIG, before);
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
