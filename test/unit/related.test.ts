/** Unit tests for src/publish/related.ts: scoring order, ties, determinism and sub-quadratic work. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import type { Site, SitePost } from '../../src/model.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { CANDIDATE_WINDOW, KEYWORD_WINDOW, KEYWORDS_PER_POST, MIN_TEXT_SIMILARITY, relatedPosts, textSimilarity, type RelatedStats } from '../../src/publish/related.ts';
import { testContent, testDate, testPost, type TestEntry, type TestPostSpec } from './fixtures.ts';

interface PostSpec extends TestPostSpec {
  text?: string;
}

function entry(spec: PostSpec, n: number): TestEntry {
  const { title, categories, tags, text = '' } = spec;
  const post = testPost({ title, relPath: `posts/${n}_${Buffer.from(title).toString('hex').slice(-16)}.md`, // not a readable name: the title gives the URL
     date: testDate(spec.date), categories, tags, body: text });
  return { post, content: testContent({ text }) };
}

const site = (specs: PostSpec[]): Site => buildSite(specs.map(entry), DEFAULT_CONFIG).value;

/** Titles of the related posts of the post with this title. */
function relatedTitles(s: Site, title: string, limit?: number): string[] {
  const p = s.posts.find((x) => x.post.title === title)!;
  return relatedPosts(s, limit).get(p)!.map((r) => r.post.title);
}

// Filler posts so that words have a document frequency (a word in every post is no keyword).
const filler = (n: number): PostSpec[] =>
  Array.from({ length: n }, (_, i) => ({ title: `Filler ${i}`, date: '2010-01-01', text: `weather report number ${i} sunny cloudy` }));

/** Deterministic generated posts: one of 20 categories, two of 50 tags, Zipf-like words. */
function generated(count: number, wordsPerPost = 40): PostSpec[] {
  let seed = 11;
  const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0), seed / 2 ** 32);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}q`);
  const word = () => vocabulary[Math.floor(3000 ** next()) - 1]!;
  return Array.from({ length: count }, (_, i) => ({
    title: `Post ${i}`,
    date: `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`,
    text: Array.from({ length: wordsPerPost }, word).join(' '),
    categories: [`Category ${Math.floor(next() * 20)}`],
    tags: [`tag ${Math.floor(next() * 50)}`, `tag ${Math.floor(next() * 50)}`],
  }));
}

const asUrls = (m: Map<SitePost, SitePost[]>) => new Map([...m].map(([p, rs]) => [p.url, rs.map((r) => r.url)]));

test('shared categories rank first, then shared tags, then similar text', () => {
  const s = site([
    { title: 'Subject', date: '2020-01-01', categories: ['Physics'], tags: ['light'], text: 'quantum entanglement of photons in a lab' },
    { title: 'Same category', date: '2019-01-01', categories: ['Physics'], text: 'gardening' },
    { title: 'Same tag', date: '2019-01-02', tags: ['light'], text: 'lamps' },
    { title: 'Similar text', date: '2019-01-03', text: 'entanglement of photons, quantum style' },
    { title: 'Nothing shared', date: '2021-01-01', text: 'bread recipes' },
    ...filler(5),
  ]);
  assert.deepEqual(relatedTitles(s, 'Subject'), ['Same category', 'Same tag', 'Similar text']);
  assert.ok(!relatedTitles(s, 'Subject', 10).includes('Nothing shared'));
});

test('more shared terms beat fewer, and a category outweighs a tag', () => {
  const s = site([
    { title: 'Subject', date: '2020-01-01', categories: ['A', 'B'], tags: ['x', 'y'] },
    { title: 'Two categories', date: '2010-01-01', categories: ['A', 'B'] },
    { title: 'Category and tag', date: '2011-01-01', categories: ['A'], tags: ['x'] },
    { title: 'Two tags', date: '2012-01-01', tags: ['x', 'y'] },
    { title: 'One category', date: '2013-01-01', categories: ['B'] },
  ]);
  assert.deepEqual(relatedTitles(s, 'Subject', 4), ['Two categories', 'Category and tag', 'Two tags', 'One category']);
});

test('text similarity orders posts that share the same terms', () => {
  const s = site([
    { title: 'Subject', date: '2020-01-01', categories: ['Cooking'], text: 'sourdough starter hydration and crumb' },
    { title: 'Plain', date: '2020-06-01', categories: ['Cooking'], text: 'soup' },
    { title: 'Sourdough too', date: '2019-01-01', categories: ['Cooking'], text: 'my sourdough starter and its hydration' },
    ...filler(5),
  ]);
  assert.deepEqual(relatedTitles(s, 'Subject'), ['Sourdough too', 'Plain']);
});

test('a post is never related to itself, even when another post is identical', () => {
  const twin = { date: '2020-01-01', categories: ['Same'], tags: ['same'], text: 'identical words here' };
  const s = site([{ title: 'Twin', ...twin }, { title: 'Twin', ...twin }, ...generated(200)]);
  for (const [p, rs] of relatedPosts(s, 10)) {
    assert.ok(!rs.includes(p), p.url);
    assert.equal(new Set(rs).size, rs.length);
  }
  const [a, b] = s.posts.filter((p) => p.post.title === 'Twin');
  assert.equal(relatedPosts(s).get(a!)![0], b);
  assert.equal(relatedPosts(s).get(b!)![0], a);
});

test('ties go to the newer post, then the title, then the URL', () => {
  const s = site([
    { title: 'Subject', date: '2020-01-01', categories: ['C'] },
    { title: 'Old', date: '2015-01-01', categories: ['C'] },
    { title: 'Beta', date: '2018-01-01', categories: ['C'] },
    { title: 'Alpha', date: '2018-01-01', categories: ['C'] },
    { title: 'Alpha', date: '2018-01-01', categories: ['C'] },
  ]);
  const related = relatedPosts(s, 4).get(s.posts[0]!)!;
  assert.deepEqual(related.map((r) => r.post.title), ['Alpha', 'Alpha', 'Beta', 'Old']);
  assert.ok(related[0]!.url < related[1]!.url);
});

test('gives at most `limit` posts (3 by default), none when nothing is shared, and every post an entry', () => {
  const s = site([...generated(50), { title: 'Loner', date: '2020-01-01', text: 'zzzunique' }]);
  const three = relatedPosts(s);
  assert.equal(three.size, s.posts.length);
  for (const rs of three.values()) assert.ok(rs.length <= 3);
  const sharing = (p: SitePost) => s.posts.filter((q) => q !== p && (q.categories.some((t) => p.categories.includes(t)) || q.tags.some((t) => p.tags.includes(t))));
  const post0 = s.posts.find((p) => p.post.title === 'Post 0')!;
  assert.ok(sharing(post0).length >= 2);
  assert.equal(relatedPosts(s, 2).get(post0)!.length, 2);
  assert.deepEqual(three.get(s.posts.find((p) => p.post.title === 'Loner')!), []);
  assert.ok([...relatedPosts(s, 0).values()].every((rs) => rs.length === 0));
  assert.equal(relatedPosts(site([])).size, 0);
});

test('only posts that really relate: a shared category or tag, or text similar enough; none is better than an unrelated one', () => {
  const s = site([
    { title: 'Sourdough starter', date: '2020-01-01', text: 'feeding a sourdough starter: flour, water, hydration, levain, rye, fermentation, bubbles, discard' },
    { title: 'Rye levain', date: '2019-01-01', text: 'a rye levain: flour and water, fermentation and bubbles, then hydration; keep the discard' },
    { title: 'Garden notes', date: '2021-01-01', text: 'tomatoes need water and sun; weeds, mulch, compost' },
    { title: 'Tagged', date: '2018-01-01', tags: ['bread'], text: 'nothing alike' },
    { title: 'Tagged too', date: '2018-02-01', tags: ['bread'], text: 'different words' },
    ...filler(8),
  ]);
  const sim = textSimilarity(s);
  const post = (title: string) => s.posts.find((p) => p.post.title === title)!;
  assert.ok(sim(post('Sourdough starter'), post('Rye levain')) >= MIN_TEXT_SIMILARITY);
  // The short garden post's only keyword is "water", which makes its cosine high: one word is not enough.
  assert.ok(sim(post('Sourdough starter'), post('Garden notes')) >= MIN_TEXT_SIMILARITY);
  assert.deepEqual(relatedTitles(s, 'Sourdough starter', 10), ['Rye levain']);
  assert.deepEqual(relatedTitles(s, 'Garden notes', 10), [], 'one shared word relates nothing');
  assert.deepEqual(relatedTitles(s, 'Tagged', 10), ['Tagged too'], 'a shared tag relates, whatever the text');
});

test('a weak text similarity relates nothing, however many words are shared', () => {
  const words = Array.from({ length: 40 }, (_, i) => `topic${String.fromCharCode(97 + (i % 26))}${i}`);
  const s = site([
    { title: 'Long one', date: '2020-01-01', text: words.slice(0, 20).join(' ') + ' ' + words.slice(0, 18).join(' ') + ' common shared' },
    { title: 'Long two', date: '2019-01-01', text: words.slice(20).join(' ') + ' ' + words.slice(20, 38).join(' ') + ' common shared' },
    { title: 'Echo one', date: '2018-01-01', text: words.slice(0, 20).join(' ') },
    { title: 'Echo two', date: '2017-01-01', text: words.slice(20).join(' ') },
    ...filler(8),
  ]);
  const sim = textSimilarity(s);
  const [one, two] = ['Long one', 'Long two'].map((t) => s.posts.find((p) => p.post.title === t)!);
  const weak = sim(one!, two!);
  assert.ok(weak > 0 && weak < MIN_TEXT_SIMILARITY, `two shared words among 20: ${weak}`);
  assert.deepEqual(relatedTitles(s, 'Long one', 10), ['Echo one']);
});

test('the same posts give the same related posts, whatever the input order', () => {
  const specs = generated(400);
  const first = asUrls(relatedPosts(site(specs)));
  assert.deepEqual(asUrls(relatedPosts(site(specs))), first);
  assert.deepEqual(asUrls(relatedPosts(site([...specs].reverse()))), first);
  const shuffled = specs.map((s, i) => [(i * 7919) % specs.length, s] as const).sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  assert.deepEqual(asUrls(relatedPosts(site(shuffled))), first);
});

test('10,000 posts in 20 categories finish with sub-quadratic work', () => {
  const work = (n: number) => {
    const s = site(generated(n));
    const stats: RelatedStats = { comparisons: 0 };
    const related = relatedPosts(s, 3, stats);
    assert.equal(related.size, n);
    assert.ok([...related.values()].every((rs) => rs.length === 3));
    return stats.comparisons;
  };
  const half = work(5_000);
  const full = work(10_000);
  // Each post looks at no more than a window of each of its lists (1 category, ≤ 2 tags, keywords)...
  assert.ok(full <= 10_000 * (CANDIDATE_WINDOW * (1 + 2) + KEYWORD_WINDOW * KEYWORDS_PER_POST), `${full}`);
  // ...a small part of comparing every pair...
  assert.ok(full < (10_000 * 10_000) / 5, `${full}`);
  // ...and twice the posts cost about twice the work, not four times.
  assert.ok(full / half < 2.5, `${half} → ${full}`);
});
