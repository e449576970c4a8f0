/** Unit tests for src/site/build-site.ts: order, unique slugs, URLs, neighbours and taxonomies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import type { Post, Site } from '../../src/model.ts';
import { buildSite } from '../../src/site/build-site.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { testContent, testDate, testPost, type TestPostSpec } from './fixtures.ts';

interface PostSpec extends TestPostSpec {
  relPath?: string;
  slug?: string;
}

function makePost(spec: PostSpec): Post {
  const { title, date, relPath = `posts/0_${Buffer.from(`${title}\0${date}`).toString('hex').slice(-24)}.md`, slug, categories, tags } = spec; // a name that is not words: the title gives the slug
  return testPost({ title, date: testDate(date), relPath, slug, categories, tags });
}

const content = testContent({ html: '<p>x</p>', text: 'x', wordCount: 1, firstParagraph: 'x' });

function site(specs: PostSpec[], config: Config = DEFAULT_CONFIG): { site: Site; diagnostics: Diagnostic[] } {
  const r = buildSite(specs.map((s) => ({ post: makePost(s), content })), config);
  return { site: r.value, diagnostics: r.diagnostics };
}

const titles = (s: Site) => s.posts.map((p) => p.post.title);
const slugs = (s: Site) => s.posts.map((p) => p.slug);

test('orders posts newest first', () => {
  const { site: s } = site([
    { title: 'Old', date: '2018-01-01' },
    { title: 'New', date: '2020-01-01' },
    { title: 'Middle', date: '2019-01-01' },
  ]);
  assert.deepEqual(titles(s), ['New', 'Middle', 'Old']);
});

test('orders posts of the same date by title, then by path', () => {
  const { site: s } = site([
    { title: 'Beta', date: '2019-01-01', relPath: 'posts/1.md' },
    { title: 'Alpha', date: '2019-01-01', relPath: 'posts/z.md' },
    { title: 'Alpha', date: '2019-01-01', relPath: 'posts/a.md' },
  ]);
  assert.deepEqual(s.posts.map((p) => p.post.relPath), ['posts/a.md', 'posts/z.md', 'posts/1.md']);
});

test('the order does not depend on the input order', () => {
  const specs: PostSpec[] = [
    { title: 'A', date: '2019-01-01' },
    { title: 'B', date: '2019-01-01' },
    { title: 'C', date: '2020-01-01' },
  ];
  assert.deepEqual(titles(site(specs).site), titles(site([...specs].reverse()).site));
});

test('gives each post a slug from its title and a URL under posts/', () => {
  const { site: s, diagnostics } = site([{ title: 'Hello World', date: '2019-01-01' }]);
  assert.deepEqual(diagnostics, []);
  assert.equal(s.posts[0]!.slug, 'hello-world');
  assert.equal(s.posts[0]!.url, '/posts/hello-world/');
});

test('of two posts with the same title the older keeps the plain slug and the newer gets -2', () => {
  const { site: s, diagnostics } = site([
    { title: 'Twins', date: '2019-06-26', relPath: 'posts/000.txt' },
    { title: 'Twins', date: '2018-10-02', relPath: 'posts/001.txt' },
  ]);
  const byPath = new Map(s.posts.map((p) => [p.post.relPath, p]));
  assert.equal(byPath.get('posts/001.txt')!.slug, 'twins');
  assert.equal(byPath.get('posts/000.txt')!.slug, 'twins-2');
  assert.equal(byPath.get('posts/000.txt')!.url, '/posts/twins-2/');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.file, d.line]), [['site/duplicate-slug', 'warning', 'content/posts/000.txt', 1]]);
});

test('three posts with one title get the plain slug, -2 and -3 from oldest to newest', () => {
  const { site: s, diagnostics } = site([
    { title: 'Same', date: '2020-01-01' },
    { title: 'Same', date: '2018-01-01' },
    { title: 'Same', date: '2019-01-01' },
  ]);
  assert.deepEqual(slugs(s), ['same-3', 'same-2', 'same']);
  assert.equal(diagnostics.filter((d) => d.code === 'site/duplicate-slug').length, 2);
});

test('a suffixed slug skips a slug another post already has', () => {
  const { site: s } = site([
    { title: 'Same', date: '2020-01-01' },
    { title: 'Same', date: '2018-01-01' },
    { title: 'Same 2', date: '2019-01-01' },
  ]);
  assert.deepEqual(slugs(s), ['same-3', 'same-2', 'same']);
});

test('slugs that differ only in case collide', () => {
  const { site: s, diagnostics } = site([
    { title: 'HELLO WORLD', date: '2020-01-01' },
    { title: 'Hello World', date: '2019-01-01' },
    { title: 'x', slug: 'Hello-World', date: '2021-01-01' },
  ]);
  assert.deepEqual(slugs(s).map((x) => x.toLowerCase()), ['hello-world-3', 'hello-world-2', 'hello-world']);
  assert.equal(new Set(slugs(s).map((x) => x.toLowerCase())).size, 3);
  assert.equal(diagnostics.filter((d) => d.code === 'site/duplicate-slug').length, 2);
});

test('a slug: override is used instead of the title', () => {
  const { site: s } = site([{ title: 'Long Title Here', slug: 'short', date: '2019-01-01' }]);
  assert.equal(s.posts[0]!.slug, 'short');
  assert.equal(s.posts[0]!.url, '/posts/short/');
});

test('a slug: override is sanitised', () => {
  const { site: s } = site([
    { title: 'A', slug: '../../etc/passwd', date: '2019-01-01' },
    { title: 'B', slug: 'My Slug!', date: '2018-01-01' },
    { title: 'C', slug: '%2e%2e', date: '2017-01-01' },
  ]);
  assert.deepEqual(slugs(s), ['etc-passwd', 'my-slug', '2e2e']);
  for (const p of s.posts) assert.doesNotMatch(p.url.slice('/posts/'.length), /\.\.|%|\\|\/./);
});

test('a title with nothing sluggable falls back to the file name', () => {
  const { site: s } = site([{ title: '!!!', date: '2019-01-01', relPath: 'posts/2019/my-file.md' }]);
  assert.equal(s.posts[0]!.slug, 'my-file');
});

test('newer and older neighbours follow the date order', () => {
  const { site: s } = site([
    { title: 'One', date: '2017-01-01' },
    { title: 'Three', date: '2019-01-01' },
    { title: 'Two', date: '2018-01-01' },
  ]);
  const [three, two, one] = s.posts;
  assert.ok(three && two && one);
  assert.equal(three.newer, null);
  assert.equal(three.older, two);
  assert.equal(two.newer, three);
  assert.equal(two.older, one);
  assert.equal(one.newer, two);
  assert.equal(one.older, null);
});

test('categories are grouped by slug with their posts newest first', () => {
  const { site: s } = site([
    { title: 'A', date: '2017-01-01', categories: ['ArtificialIntelligence'] },
    { title: 'B', date: '2019-01-01', categories: ['Artificial Intelligence', 'Cryptography'] },
    { title: 'C', date: '2018-01-01', categories: ['artificial intelligence'] },
  ]);
  assert.deepEqual(
    s.categories.map((t) => [t.slug, t.posts.length]),
    [
      ['artificial-intelligence', 3],
      ['cryptography', 1],
    ],
  );
  const ai = s.categories[0]!;
  assert.equal(ai.kind, 'category');
  assert.equal(ai.name, 'Artificial Intelligence');
  assert.equal(ai.url, '/categories/artificial-intelligence/');
  assert.deepEqual(ai.posts.map((p) => p.post.title), ['B', 'C', 'A']);
});

test('a category\'s display name is the spelling most posts use, CamelCase split', () => {
  const { site: s } = site([
    { title: 'A', date: '2017-01-01', categories: ['DataStructures'] },
    { title: 'B', date: '2018-01-01', categories: ['DataStructures'] },
    { title: 'C', date: '2019-01-01', categories: ['data structures'] },
  ]);
  assert.equal(s.categories.length, 1);
  assert.equal(s.categories[0]!.name, 'Data Structures');
});

test('a configured display name wins', () => {
  const config: Config = { ...DEFAULT_CONFIG, taxonomies: { splitCamelCase: true, displayNames: { ai: 'A.I.' } } };
  const { site: s } = site([{ title: 'A', date: '2019-01-01', categories: ['AI'] }], config);
  assert.equal(s.categories[0]!.name, 'A.I.');
  assert.equal(s.categories[0]!.slug, 'ai');
});

test('terms are sorted by display name', () => {
  const { site: s } = site([{ title: 'A', date: '2019-01-01', categories: ['zeta', 'Alpha', 'beta'] }]);
  assert.deepEqual(s.categories.map((t) => t.name), ['Alpha', 'beta', 'zeta']);
});

test('each post lists its terms in the author\'s order, a shared slug once', () => {
  const { site: s } = site([{ title: 'A', date: '2019-01-01', categories: ['Zed', 'ArtificialIntelligence', 'Artificial Intelligence'] }]);
  assert.deepEqual(s.posts[0]!.categories.map((t) => t.slug), ['zed', 'artificial-intelligence']);
  assert.equal(s.categories.find((t) => t.slug === 'artificial-intelligence')!.posts.length, 1);
});

test('tags are collected under tags/', () => {
  const { site: s } = site([
    { title: 'A', date: '2018-01-01', tags: ['js'] },
    { title: 'B', date: '2019-01-01', tags: ['JS', 'css'] },
  ]);
  assert.deepEqual(s.tags.map((t) => [t.slug, t.kind, t.url, t.posts.length]), [
    ['css', 'tag', '/tags/css/', 1],
    ['js', 'tag', '/tags/js/', 2],
  ]);
  assert.deepEqual(s.posts[0]!.tags.map((t) => t.slug), ['js', 'css']);
  assert.deepEqual(s.categories, []);
});

test('a base path of /blog/ prefixes every URL', () => {
  const config: Config = { ...DEFAULT_CONFIG, baseUrl: 'https://example.com/blog' };
  const { site: s } = site([{ title: 'Hello', date: '2019-01-01', categories: ['News'], tags: ['x'] }], config);
  assert.equal(s.posts[0]!.url, '/blog/posts/hello/');
  assert.equal(s.categories[0]!.url, '/blog/categories/news/');
  assert.equal(s.tags[0]!.url, '/blog/tags/x/');
  assert.equal(s.config, config);
});

test('an empty site builds', () => {
  const { site: s, diagnostics } = site([]);
  assert.deepEqual([s.posts, s.categories, s.tags, diagnostics], [[], [], [], []]);
});

test('a readable file name gives the slug (date prefix dropped, a bundle its folder); a name that is not words does not', async () => {
  const { readableFileName } = await import('../../src/site/build-site.ts');
  assert.equal(readableFileName('posts/2014-09-15-rust-1.0.md'), 'rust-1.0');
  assert.equal(readableFileName('posts/my-trip/index.md'), 'my-trip');
  assert.equal(readableFileName('posts/000_12afb2bbc284cb8d.txt'), null);
  assert.equal(readableFileName('index.md'), null);
  assert.equal(readableFileName('p1.md'), null);
  assert.equal(readableFileName('posts/Über-uns.md'), 'Über-uns');
});

test('a punctuation-only tag and a tag written as its spelled-out slug get pages of their own (regression: they shared tags/term-212121/)', () => {
  const { site: s } = site([
    { title: 'Bangs', date: '2020-01-01', tags: ['!!!'] },
    { title: 'Literal', date: '2020-01-02', tags: ['term-212121'] },
  ]);
  const bySlug = new Map(s.tags.map((t) => [t.slug, t.posts.map((p) => p.post.title)]));
  assert.deepEqual([...bySlug].sort(), [['term-212121', ['Literal']], ['term-212121-2', ['Bangs']]]);
});

test('a permalink with :category puts a post under its first category\'s slug, or uncategorized; with :year, :month and :day under its date', () => {
  const config: Config = { ...DEFAULT_CONFIG, permalink: '/:category/:year/:month/:day/:slug/' };
  const { site: s, diagnostics } = site([
    { title: 'Tensors', date: '2020-03-04', categories: ['Machine Learning', 'Maths'] },
    { title: 'Plain', date: '2019-11-20' },
  ], config);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(s.posts.map((p) => p.url), ['/machine-learning/2020/03/04/tensors/', '/uncategorized/2019/11/20/plain/']);
});
