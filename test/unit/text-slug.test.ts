/** Unit tests for src/text/slug.ts: every path segment we write comes from slugify. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bareSlug, slugify, slugKey, slugOfText, splitCamelCase } from '../../src/text/slug.ts';

/** The safety promise of slugify, checked on every result. */
function assertSafe(slug: string): void {
  assert.ok(slug.length > 0, 'never empty');
  assert.doesNotMatch(slug, /[/\\.%]/, `${slug} has a path character`);
  assert.ok(!slug.includes('..'));
  assert.doesNotMatch(slug, /[\u0000-\u001f\u007f]/);
  assert.ok(Buffer.byteLength(slug) <= 100, `${slug.length} chars is too long`);
  assert.doesNotMatch(slug, /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i);
}

test('makes kebab-case from a title', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
  assert.equal(slugify('Understanding the Principles of Deep Learning'), 'understanding-the-principles-of-deep-learning');
  assert.equal(slugify('  A_B   c  '), 'a-b-c');
  assert.equal(slugify('What is C++?'), 'what-is-c-plus-plus');
});

test('C++, C# and C get different slugs', () => {
  assert.deepEqual(['C++', 'C#', 'C', 'F#'].map((s) => slugify(s)), ['c-plus-plus', 'c-sharp', 'c', 'f-sharp']);
  assert.equal(slugify('Issue #42'), 'issue-42');
});

test('dots and slashes separate words', () => {
  assert.equal(slugify('Jekyll 1.0.0'), 'jekyll-1-0-0');
  assert.equal(slugify('a/b\\c'), 'a-b-c');
});

test('never contains / \\ . % or .. for hostile input', () => {
  const hostile = ['../etc/passwd', '..\\..\\windows', '%2e%2e', '%2e%2e%2f', '..', '.', '/', '\\', '.hidden', '100%', 'a/../b', 'x\u0000y', '\u202e.txt'];
  for (const input of hostile) assertSafe(slugify(input));
});

test('../etc/passwd becomes a plain slug', () => {
  assert.equal(slugify('../etc/passwd'), 'etc-passwd');
});

test('%2e%2e cannot decode to ..', () => {
  const slug = slugify('%2e%2e');
  assertSafe(slug);
  assert.notEqual(decodeURIComponent(slug), '..');
});

test('a Windows device name such as CON is not used as is', () => {
  for (const name of ['CON', 'con', 'Nul', 'aux', 'PRN', 'COM1', 'lpt9']) {
    const slug = slugify(name);
    assert.notEqual(slug, name.toLowerCase());
    assertSafe(slug);
  }
  assert.equal(slugify('Con artists'), 'con-artists');
});

test('only punctuation gives the fallback', () => {
  assert.equal(slugify('!!!', 'my-file'), 'my-file');
  assert.equal(slugify('...', 'My File'), 'my-file');
  assert.equal(slugify('?!'), 'untitled');
  assert.equal(slugify(''), 'untitled');
});

test('an unusable fallback gives untitled', () => {
  assert.equal(slugify('!!!', '???'), 'untitled');
});

test('a 10,000-character title gives at most 100 bytes', () => {
  const slug = slugify('x'.repeat(10_000));
  assert.ok(Buffer.byteLength(slug) <= 100);
  assert.ok(slug.length > 0);
  const words = slugify('word '.repeat(2_000));
  assert.ok(Buffer.byteLength(words) <= 100);
  assert.doesNotMatch(words, /-$/, 'no trailing hyphen after cutting');
  assert.match(words, /^(word-)*word$/, 'cut at a word boundary');
});

test('long unicode titles are cut on a character, not in the middle of one', () => {
  const slug = slugify('é'.repeat(200));
  assert.ok(Buffer.byteLength(slug) <= 100);
  assert.equal(slug, 'é'.repeat(50));
  const cjk = slugify('日本語'.repeat(100));
  assert.ok(Buffer.byteLength(cjk) <= 100);
  assert.doesNotMatch(cjk, /\uFFFD/);
});

test('keeps unicode letters', () => {
  assert.equal(slugify('Café Olé'), 'café-olé');
  assert.equal(slugify('Привет мир'), 'привет-мир');
  assert.equal(slugify('日本語 テスト'), '日本語-テスト');
});

test('composes decomposed accents (NFC)', () => {
  assert.equal(slugify('Cafe\u0301'), 'caf\u00e9');
});

test('drops emoji and symbols', () => {
  assert.equal(slugify('Party 🎉 time'), 'party-time');
});

test('splitCamelCase splits PascalCase words and leaves other names alone', () => {
  assert.equal(splitCamelCase('ArtificialIntelligence'), 'Artificial Intelligence');
  assert.equal(splitCamelCase('JavaScript'), 'JavaScript');
  assert.equal(splitCamelCase('AI'), 'AI');
  assert.equal(splitCamelCase('Already Spaced'), 'Already Spaced');
});

test('slugKey makes slugs that one case-insensitive file system folder would hold equal', () => {
  assert.equal(slugKey(slugify('ΣΑΣ')), slugKey(slugify('σασ')), 'final sigma');
  assert.notEqual(slugify('ΣΑΣ'), slugify('σασ'), 'the slugs themselves differ, so only the key sees the collision');
  assert.notEqual(slugKey('hello'), slugKey('hello-2'));
});

test('a text that is a slug already (the fast path) gets the slug every step would give it', () => {
  const text = fc.array(fc.constantFrom('a', 'z', '0', '9', '-', '--', 'b-c', '_', ' ', 'É', '.', 'x'.repeat(60)), { maxLength: 12 }).map((parts) => parts.join(''));
  fc.assert(fc.property(text, (t) => bareSlug(t) === slugOfText(t)), { numRuns: 5000 });
  for (const t of ['post-00042', '2014-12-17-welcome-to-jekyll', 'a', '-a', 'a-', 'a--b', 'x'.repeat(100), 'x'.repeat(101), `${'ab-'.repeat(40)}c`]) assert.equal(bareSlug(t), slugOfText(t), t);
});
