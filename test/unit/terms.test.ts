/** Unit tests for src/content/terms.ts: reading, naming and slugging categories and tags. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import { displayTermName, termNames, termSlug } from '../../src/content/terms.ts';

const withTaxonomies = (taxonomies: Config['taxonomies']): Config => ({ ...DEFAULT_CONFIG, taxonomies });

test('termNames reads a list', () => {
  assert.deepEqual(termNames(['One', 'Two']), { names: ['One', 'Two'], problem: null, nested: false });
});

test('termNames reads a bare string as one name', () => {
  assert.deepEqual(termNames('DataStructures').names, ['DataStructures']);
});

test('termNames splits a comma-separated string', () => {
  assert.deepEqual(termNames('a, b,,c').names, ['a', 'b', 'c']);
});

test('termNames does not split commas inside list items', () => {
  assert.deepEqual(termNames(['Hello, World']).names, ['Hello, World']);
});

test('termNames reads empty, null and undefined as no names', () => {
  for (const v of ['', null, undefined, [], ['', '  ', null]]) assert.deepEqual(termNames(v), { names: [], problem: null, nested: false });
});

test('termNames turns numbers and booleans into names', () => {
  assert.deepEqual(termNames([2019, 1.5, true]).names, ['2019', '1.5', 'true']);
  assert.deepEqual(termNames(42).names, ['42']);
});

test('termNames merges duplicates case-insensitively, first spelling wins', () => {
  assert.deepEqual(termNames(['AI', 'ai', 'Ai', 'ML']).names, ['AI', 'ML']);
});

test('termNames trims names and collapses inner whitespace and control characters', () => {
  assert.deepEqual(termNames(['  Deep \t Learning  ', 'x\u0000y']).names, ['Deep Learning', 'x y']);
});

test('termNames reports a map as a problem', () => {
  const r = termNames({ a: 1 });
  assert.deepEqual(r.names, []);
  assert.equal(typeof r.problem, 'string');
  assert.equal(termNames(['ok', { a: 1 }]).names[0], 'ok');
  assert.notEqual(termNames(['ok', { a: 1 }]).problem, null);
});

test('displayTermName splits CamelCase into words', () => {
  assert.equal(displayTermName('ArtificialIntelligence', DEFAULT_CONFIG), 'Artificial Intelligence');
  assert.equal(displayTermName('DataStructures', DEFAULT_CONFIG), 'Data Structures');
  assert.equal(displayTermName('TechTrends', DEFAULT_CONFIG), 'Tech Trends');
});

test('displayTermName keeps brand names written in CamelCase', () => {
  assert.equal(displayTermName('JavaScript', DEFAULT_CONFIG), 'JavaScript');
  assert.equal(displayTermName('GitHub', DEFAULT_CONFIG), 'GitHub');
});

test('displayTermName leaves names that are not CamelCase alone', () => {
  for (const name of ['Cybersecurity', 'AI', 'iOS', 'machine learning', 'ABTesting']) {
    assert.equal(displayTermName(name, DEFAULT_CONFIG), name);
  }
});

test('displayTermName uses a configured display name, matched case-insensitively', () => {
  const config = withTaxonomies({ splitCamelCase: true, displayNames: { javascript: 'JS', ArtificialIntelligence: 'AI' } });
  assert.equal(displayTermName('JavaScript', config), 'JS');
  assert.equal(displayTermName('JAVASCRIPT', config), 'JS');
  assert.equal(displayTermName('artificialintelligence', config), 'AI');
  assert.equal(displayTermName('DataStructures', config), 'Data Structures');
});

test('displayTermName keeps CamelCase when splitCamelCase is false', () => {
  const config = withTaxonomies({ splitCamelCase: false, displayNames: {} });
  assert.equal(displayTermName('ArtificialIntelligence', config), 'ArtificialIntelligence');
  assert.equal(displayTermName('DataStructures', config), 'DataStructures');
});

test('termSlug gives CamelCase and spaced spellings one slug', () => {
  assert.equal(termSlug('ArtificialIntelligence'), 'artificial-intelligence');
  assert.equal(termSlug('Artificial Intelligence'), 'artificial-intelligence');
  assert.equal(termSlug('artificial intelligence'), 'artificial-intelligence');
});

test('termSlug keeps brand names in one word', () => {
  assert.equal(termSlug('JavaScript'), 'javascript');
  assert.equal(termSlug('DataStructures'), 'data-structures');
});

test('termSlug of a name with nothing sluggable is a fallback, never empty', () => {
  const slug = termSlug('!!!');
  assert.ok(slug.length > 0);
  assert.match(slug, /^[\p{L}\p{N}-]+$/u);
});

test('termSlug gives different punctuation-only names different pages (regression: `..` and `!!!` shared tags/term/)', () => {
  assert.equal(termSlug('..'), 'term-2e2e');
  assert.equal(termSlug('!!!'), 'term-212121');
  assert.notEqual(termSlug('..'), termSlug('!!!'));
});

test('termNames flattens a list inside a list and says so', () => {
  const r = termNames([['a', ['b', 'c']], 'd']);
  assert.deepEqual(r, { names: ['a', 'b', 'c', 'd'], problem: null, nested: true });
  assert.equal(termNames(['a', 'b']).nested, false);
});
