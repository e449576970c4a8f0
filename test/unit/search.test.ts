/** Unit tests for src/publish/search.ts (the index) and templates/assets/search.js (the page script, run in a VM). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import type { Site } from '../../src/model.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { bodyWords, buildSearchIndex, encodePostings, MAX_WORDS_PER_POST, POSTING_ALPHABET, SEARCH_TEXT_CHARS, searchText, searchWords, type SearchIndex } from '../../src/publish/search.ts';
import { relatedPosts } from '../../src/publish/related.ts';
import { postWords } from '../../src/text/words.ts';
import { testContent, testDate, testPost, type TestEntry, type TestPostSpec } from './fixtures.ts';

const SCRIPT = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates/assets/search.js'), 'utf8');

interface PostSpec extends TestPostSpec {
  text?: string;
}

function entry(spec: PostSpec, n: number): TestEntry {
  const { title, categories, tags, text = '' } = spec;
  const post = testPost({ title, relPath: `posts/${n}.md`, date: testDate(spec.date), categories, tags, body: text });
  return { post, content: testContent({ html: `<p>${text}</p>`, text, wordCount: text.split(/\s+/).length, firstParagraph: text }) };
}

function site(specs: PostSpec[], config: Config = DEFAULT_CONFIG): Site {
  return buildSite(specs.map(entry), config).value;
}

function indexText(s: Site): string {
  const file = buildSearchIndex(s);
  assert.equal(file.outPath, 'search-index.json');
  assert.equal(typeof file.contents, 'string');
  return file.contents as string;
}

const index = (s: Site) => JSON.parse(indexText(s)) as SearchIndex;

/** The body words of the index with their posts, decoded independently of search.js. */
function decodeIndex(idx: SearchIndex): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!idx.words) return out;
  const lists = idx.postings.split(' ');
  let prev = '';
  idx.words.split(' ').forEach((e, i) => {
    prev = prev.slice(0, parseInt(e[0]!, 36)) + e.slice(1);
    const code = lists[i]!;
    const posts: number[] = [];
    if (code.startsWith('~')) {
      [...code.slice(1)].forEach((c, cell) => {
        for (let b = 0; b < 6; b++) if ((POSTING_ALPHABET.indexOf(c) >> b) & 1) posts.push(cell * 6 + b);
      });
    } else {
      let n = 0;
      let post = -1;
      for (const c of code) {
        const d = POSTING_ALPHABET.indexOf(c);
        n = n * 32 + (d & 31);
        if (d < 32) (post += n + 1), posts.push(post), (n = 0);
      }
    }
    out.set(prev, posts);
  });
  return out;
}

/** search.js's pure functions, from a VM with no DOM. */
interface Client {
  words: (s: string) => string[];
  decode: (s: string) => number[];
  open: (idx: unknown) => Search;
  marks: (text: string, terms: Term[]) => [number, number][];
  excerpt: (text: string, terms: Term[], size: number) => [number, number];
}
type Term = { w: string; prefix: boolean };
type Search = ((q: string) => { post: { i: number; title: string; url: string; date: string; text: string }; score: number }[]) & { terms: (q: string) => Term[] };
function client(): Client {
  const hook = {} as Client;
  vm.runInNewContext(SCRIPT, { quireSearchTest: hook });
  return hook;
}

/** Titles found for a query, best first. */
function searcher(s: Site): (q: string) => string[] {
  const search = client().open(index(s));
  return (q) => Array.from(search(q), (r) => r.post.title); // an array of this realm, for deepEqual
}

// Deterministic pseudo-random text: a Zipf-like vocabulary of made-up words, like real prose.
function generator(seed: number, vocabularySize: number) {
  const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0), seed / 2 ** 32);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'shi', 'po', 'va', 'de', 'gra', 'tion', 'er', 'in', 'an', 'or', 'ble', 'ment', 'ly', 'ing'];
  const vocabulary = Array.from({ length: vocabularySize }, (_, i) => {
    let w = '';
    for (let x = i + 27; x > 0; x = Math.floor(x / syllables.length)) w += syllables[x % syllables.length];
    return w;
  });
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < vocabularySize; i++) cumulative.push((total += 1 / (i + 1)));
  const word = () => {
    const r = next() * total;
    let lo = 0;
    let hi = vocabularySize - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  return { next, word, text: (n: number) => Array.from({ length: n }, word).join(' ') };
}

function generatedPosts(count: number, wordsPerPost: number): PostSpec[] {
  const g = generator(7, 30000);
  return Array.from({ length: count }, (_, i) => ({
    title: `${g.word()} ${g.word()} ${i}`,
    date: `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    text: g.text(wordsPerPost),
    categories: [`Category ${i % 20}`],
    tags: [`tag-${i % 50}`, `topic ${i % 7}`],
  }));
}

// --- The index ---------------------------------------------------------------------------------

test('lists every post newest first with title, URL, day, categories and tags', () => {
  const s = site(
    [
      { title: 'Older', date: '2019-01-02', categories: ['Life'], tags: ['cats', 'Dogs'] },
      { title: 'Newer', date: '2020-03-04T22:30:00+05:00', categories: ['Code', 'Life'], tags: ['dogs'] },
    ],
    { ...DEFAULT_CONFIG, baseUrl: 'https://example.com/blog/' },
  );
  const idx = index(s);
  assert.equal(idx.v, 2);
  assert.deepEqual(idx.categories, ['Code', 'Life']);
  assert.deepEqual(idx.tags, ['cats', 'Dogs']);
  assert.deepEqual(idx.posts, [
    ['Newer', '/blog/posts/newer/', '2020-03-04', [0, 1], [1], ''],
    ['Older', '/blog/posts/older/', '2019-01-02', [1], [0, 1], ''],
  ]);
});

test('indexes each distinct body word once with the posts it occurs in', () => {
  const s = site([
    { title: 'A', date: '2020-01-03', text: 'Gardening tips: tomatoes, tomatoes and more tomatoes.' },
    { title: 'B', date: '2020-01-02', text: 'Tomatoes need sun; peppers need sun too.' },
    { title: 'C', date: '2020-01-01', text: 'Nothing here but peppers.' },
  ]);
  const words = decodeIndex(index(s));
  assert.deepEqual(words.get('tomatoes'), [0, 1]);
  assert.deepEqual(words.get('peppers'), [1, 2]);
  assert.deepEqual(words.get('gardening'), [0]);
  // Stop words and single letters are left out; the client treats them as optional.
  assert.equal(words.has('and'), false);
  assert.equal(words.has('the'), false);
  assert.ok(index(s).stop.split(' ').includes('and'));
});

test('keeps the opening of each post\'s text for excerpts, cut at a space with an ellipsis', () => {
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' \n ');
  const idx = index(site([
    { title: 'Short', date: '2020-01-02', text: 'One  line,\n\nthen   another.' },
    { title: 'Long', date: '2020-01-01', text: long },
  ]));
  assert.equal(idx.posts[0]![5], 'One line, then another.');
  const text = idx.posts[1]![5];
  assert.ok(text.length <= SEARCH_TEXT_CHARS + 1, `${text.length} characters`);
  assert.ok(text.endsWith('…') && long.replace(/\s+/g, ' ').startsWith(text.slice(0, -1) + ' '), text);
  const emoji = searchText('a' + '😀'.repeat(200));
  assert.equal(emoji.length, 300, 'never half a surrogate pair');
  assert.ok(!/[\ud800-\udbff]…$/.test(emoji));
});

test('keeps the first distinct body words of a long post, up to the cap', () => {
  const text = Array.from({ length: MAX_WORDS_PER_POST + 50 }, (_, i) => `word${i}x`).join(' ');
  const words = decodeIndex(index(site([{ title: 'Long', date: '2020-01-01', text }])));
  assert.equal(words.size, MAX_WORDS_PER_POST);
  assert.ok(words.has('word0x'));
  assert.ok(!words.has(`word${MAX_WORDS_PER_POST}x`));
});

test('word lists derived in the per-file stage (one string each, as workers and the cache keep them) give the index and related posts that the text gives', () => {
  const specs = [...generatedPosts(60, 120), { title: 'Crème brûlée', date: '2030-01-01', text: 'Crème BRÛLÉE at the café, 日本語 and “quoted” words, café again' }];
  const fromText = site(specs);
  const derived = buildSite(specs.map((spec, n) => {
    const e = entry(spec, n);
    return { ...e, content: { ...e.content!, text: '', words: postWords(e.post.title, spec.text ?? '') } };
  }), DEFAULT_CONFIG).value;
  assert.equal(typeof derived.posts[0]!.content.words!.body, 'string');
  assert.ok(!derived.posts.some((p) => p.content.words!.body.includes('  ') || p.content.words!.terms.words.split(' ').length !== p.content.words!.terms.counts.length));
  assert.equal(indexText(derived), indexText(fromText));
  derived.posts.forEach((p, i) => assert.deepEqual(bodyWords(p.content), bodyWords(fromText.posts[i]!.content)));
  const names = (m: Map<{ url: string }, { url: string }[]>) => [...m].map(([p, rs]) => [p.url, rs.map((r) => r.url)]);
  assert.deepEqual(names(relatedPosts(derived, 3)), names(relatedPosts(fromText, 3)));
  assert.deepEqual(bodyWords(testContent({ words: { body: '', terms: { words: '', counts: [] }, lead: '' } })), []);
});

test('posting lists round-trip as deltas and as bitmaps, whichever is shorter', () => {
  const { decode } = client();
  const cases = [[0], [5], [0, 1, 2, 3], [31, 32, 33, 1000, 40000], Array.from({ length: 600 }, (_, i) => i * 2), Array.from({ length: 999 }, (_, i) => i + 1)];
  for (const numbers of cases) {
    const code = encodePostings(numbers);
    assert.match(code, /^~?[0-9A-Za-z_-]*$/);
    assert.deepEqual([...decode(code)], numbers, code);
  }
  assert.ok(encodePostings(Array.from({ length: 999 }, (_, i) => i + 1)).startsWith('~'));
  assert.ok(!encodePostings([3, 700]).startsWith('~'));
  // Any list: the shorter form (deltas on a tie), as made plainly here, and it decodes back.
  const plainly = (numbers: number[]): string => {
    let prev = -1;
    const deltas = numbers.map((n) => {
      let gap = n - prev - 1;
      prev = n;
      let digits = POSTING_ALPHABET[gap & 31]!;
      while ((gap >>>= 5) > 0) digits = POSTING_ALPHABET[32 + (gap & 31)]! + digits;
      return digits;
    }).join('');
    const last = numbers.at(-1) ?? 0;
    if (deltas.length <= 2 + Math.floor(last / 6)) return deltas;
    const cells = new Array<number>(1 + Math.floor(last / 6)).fill(0);
    for (const n of numbers) cells[Math.floor(n / 6)]! |= 1 << n % 6;
    return '~' + cells.map((c) => POSTING_ALPHABET[c]!).join('');
  };
  const lists = fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 70_000 })), { maxLength: 400 }).map((a) => a.sort((x, y) => x - y));
  fc.assert(fc.property(lists, (numbers) => {
    const code = encodePostings(numbers);
    assert.equal(code, plainly(numbers));
    assert.deepEqual([...decode(code)], numbers);
  }), { numRuns: 2000 });
});

test('a 1,000-post blog gets an index well under 1 MB that still finds every post by a body word', () => {
  const specs = generatedPosts(1000, 800);
  const s = site(specs);
  const text = indexText(s);
  const bytes = Buffer.byteLength(text);
  assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  const idx = JSON.parse(text) as SearchIndex;
  assert.equal(idx.posts.length, 1000);
  // Every 37th post, by its rarest indexed body word (the word's posting list must contain it).
  const words = decodeIndex(idx);
  for (let i = 0; i < 1000; i += 37) {
    const own = bodyWords(s.posts[i]!.content);
    assert.ok(own.length > 100, `post ${i} has ${own.length} indexed words`);
    const rarest = own.sort((a, b) => words.get(a)!.length - words.get(b)!.length)[0]!;
    assert.ok(words.get(rarest)!.includes(i), rarest);
  }
});

test('the same site always gives the same bytes, whatever the input order', () => {
  const specs = generatedPosts(60, 50);
  const a = indexText(site(specs));
  assert.equal(indexText(site(specs)), a);
  assert.equal(indexText(site([...specs].reverse())), a);
});

test('titles with </script>, quotes and backslashes round-trip and cannot end a script element', () => {
  const title = '</script><script>alert("x")</script> \\ \'q\' & \u2028 “quotes”';
  const s = site([{ title, date: '2020-01-01', categories: ['<b>bold</b>'], tags: ['"quoted"'], text: 'plain </script> text' }]);
  const text = indexText(s);
  assert.ok(!/<\/?script/i.test(text));
  assert.ok(!text.includes('\u2028'));
  const idx = JSON.parse(text) as SearchIndex;
  assert.equal(idx.posts[0]![0], title);
  assert.deepEqual(idx.categories, ['<b>bold</b>']);
  assert.deepEqual(idx.tags, ['"quoted"']);
});

test('accents, case and compatibility forms are normalised in the index', () => {
  const words = decodeIndex(index(site([{ title: 'x', date: '2020-01-01', text: 'Crème BRÛLÉE at the café, the ﬁnest naïve Ångström' }])));
  for (const w of ['creme', 'brulee', 'cafe', 'finest', 'naive', 'angstrom']) assert.ok(words.has(w), w);
});

test('words outside the Basic Multilingual Plane survive front-coding', () => {
  // Gothic letters are surrogate pairs that share their first half, so shared prefixes split pairs.
  const s = site([
    { title: 'One', date: '2020-01-02', text: '𐌰𐌱𐌲 and 𐌰𐌲' },
    { title: 'Two', date: '2020-01-01', text: '𐌰𐌴' },
  ]);
  const words = decodeIndex(index(s));
  assert.deepEqual(words.get('𐌰𐌲'), [0]);
  assert.deepEqual(words.get('𐌰𐌴'), [1]);
  assert.deepEqual(searcher(s)('𐌰𐌴 '), ['Two']);
  assert.deepEqual(searcher(s)('𐌰'), ['One', 'Two']);
});

test('an empty site gives a valid index that finds nothing', () => {
  const idx = index(site([]));
  assert.deepEqual(idx.posts, []);
  assert.equal(client().open(idx)('anything').length, 0);
});

// --- search.js: matching and ranking -----------------------------------------------------------

test('the script splits words exactly as the index does', () => {
  const { words } = client();
  for (const text of ["Plain ASCII: Don't STOP at 2024, x-ray", 'Café CRÈME, don’t stop — it’s 2024!', 'naïve ﬁle Ångström', '東京タワー と ひらがな', 'Ελληνικά Straße']) {
    assert.deepEqual([...words(text)], searchWords(text), text);
  }
});

test('every query word must match (AND)', () => {
  const search = searcher(
    site([
      { title: 'One', date: '2020-01-03', text: 'red apples and green pears' },
      { title: 'Two', date: '2020-01-02', text: 'green pears only' },
      { title: 'Three', date: '2020-01-01', text: 'purple plums' },
    ]),
  );
  assert.deepEqual(search('green pears'), ['One', 'Two']);
  assert.deepEqual(search('red pears '), ['One']);
  assert.deepEqual(search('purple pears '), []);
  assert.deepEqual(search('purple plums'), ['Three']);
});

test('ranks title matches above category and tag matches above body matches, then newest first', () => {
  const search = searcher(
    site([
      { title: 'Body old', date: '2018-01-01', text: 'all about kayaks' },
      { title: 'Body new', date: '2021-01-01', text: 'kayaks again' },
      { title: 'Tagged', date: '2017-01-01', tags: ['Kayaks'] },
      { title: 'Categorised', date: '2016-01-01', categories: ['kayaks'] },
      { title: 'Kayaks in the title', date: '2015-01-01' },
      { title: 'Unrelated', date: '2022-01-01', text: 'canoes' },
    ]),
  );
  assert.deepEqual(search('kayaks '), ['Kayaks in the title', 'Tagged', 'Categorised', 'Body new', 'Body old']);
});

test('posts matching more query words in better places rank first', () => {
  const search = searcher(
    site([
      { title: 'Bread', date: '2020-01-03', text: 'sourdough starter' },
      { title: 'Sourdough bread', date: '2019-01-01', text: 'a starter' },
      { title: 'Notes', date: '2020-01-04', text: 'bread sourdough' },
    ]),
  );
  assert.deepEqual(search('sourdough bread '), ['Sourdough bread', 'Bread', 'Notes']);
});

test('the last word matches as a prefix while typing, and exactly after a space', () => {
  const search = searcher(
    site([
      { title: 'Go', date: '2020-01-02', text: 'goroutines and channels' },
      { title: 'Gardening', date: '2020-01-01', text: 'good soil' },
    ]),
  );
  assert.deepEqual(search('go'), ['Go', 'Gardening']);
  assert.deepEqual(search('gor'), ['Go']);
  assert.deepEqual(search('go '), ['Go']);
  assert.deepEqual(search('soil go'), ['Gardening']);
});

test('stop words in a query are optional, unless the query has nothing else', () => {
  const search = searcher(
    site([
      { title: 'The Hobbit', date: '2020-01-02', text: 'a book about dragons' },
      { title: 'Dragons', date: '2020-01-01', text: 'more dragons' },
    ]),
  );
  assert.deepEqual(search('the dragons '), ['Dragons', 'The Hobbit']);
  assert.deepEqual(search('dragons of the'), ['Dragons', 'The Hobbit']);
  assert.deepEqual(search('the '), ['The Hobbit']);
});

test('a search for "cafe" finds "Café", and "CAFÉ" finds "cafe"', () => {
  const search = searcher(
    site([
      { title: 'Café society', date: '2020-01-03' },
      { title: 'Coffee', date: '2020-01-02', text: 'the best cafe in town' },
      { title: 'Dessert', date: '2020-01-01', text: 'crème brûlée', tags: ['Señor'] },
    ]),
  );
  assert.deepEqual(search('cafe'), ['Café society', 'Coffee']);
  assert.deepEqual(search('CAFÉ '), ['Café society', 'Coffee']);
  assert.deepEqual(search('creme brulee'), ['Dessert']);
  assert.deepEqual(search('senor'), ['Dessert']);
});

// --- search.js on a page -----------------------------------------------------------------------

/** Just enough DOM for search.js. */
class FakeNode {
  children: FakeNode[] = [];
  attributes = new Map<string, string>();
  listeners = new Map<string, ((e: unknown) => void)[]>();
  value = '';
  private ownText = '';
  constructor(readonly tagName: string) {}
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    this.ownText = String(v);
    this.children = [];
  }
  append(...nodes: (FakeNode | string)[]) {
    for (const n of nodes) this.children.push(typeof n === 'string' ? Object.assign(new FakeNode('#text'), { textContent: n }) : n);
  }
  appendChild(n: FakeNode) {
    this.children.push(n);
    return n;
  }
  setAttribute(k: string, v: string) {
    this.attributes.set(k, String(v));
  }
  getAttribute(k: string) {
    return this.attributes.get(k) ?? null;
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  dispatch(type: string, event: object = {}) {
    for (const fn of this.listeners.get(type) ?? []) fn(event);
  }
  querySelectorAll(tag: string): FakeNode[] {
    return this.children.flatMap((c) => [...(c.tagName === tag ? [c] : []), ...c.querySelectorAll(tag)]);
  }
  querySelector(tag: string): FakeNode | null {
    return this.querySelectorAll(tag)[0] ?? null;
  }
  focus() {
    focused.node = this;
  }
  /** The children as HTML, text escaped as a browser would: what the page shows. */
  get html(): string {
    if (this.tagName === '#text') return this.textContent.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return this.ownText.replace(/&/g, '&amp;').replace(/</g, '&lt;') + this.children.map((c) => (c.tagName === '#text' ? c.html : `<${c.tagName}>${c.html}</${c.tagName}>`)).join('');
  }
}
const focused: { node: FakeNode | null } = { node: null };

function page(url: string, idx: SearchIndex | null) {
  const el = (tag: string, attrs: Record<string, string> = {}) => {
    const n = new FakeNode(tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    return n;
  };
  const nodes: Record<string, FakeNode> = {
    'search-form': el('form', { 'data-index': '/blog/search-index.json' }),
    'search-input': el('input'),
    'search-status': el('p'),
    'search-results': el('ol'),
  };
  const fetched: string[] = [];
  const replaced: string[] = [];
  const location = new URL(url);
  const document = {
    readyState: 'complete',
    documentElement: { lang: 'en' },
    getElementById: (id: string) => nodes[id] ?? null,
    createElement: (tag: string) => new FakeNode(tag),
    get activeElement() {
      return focused.node;
    },
  };
  const context = {
    document,
    location,
    history: { state: null, replaceState: (_s: unknown, _t: string, u: string) => replaced.push(u) },
    fetch: async (u: string) => (fetched.push(u), idx ? { ok: true, status: 200, json: async () => idx } : { ok: false, status: 404, json: async () => null }),
    setTimeout,
    clearTimeout,
    URL,
    URLSearchParams,
  };
  vm.runInNewContext(SCRIPT, context);
  const results = () =>
    nodes['search-results']!.children.map((li) => {
      const [a, space, time, excerpt] = li.children;
      assert.equal(li.tagName, 'li');
      assert.equal(space!.textContent, ' ');
      assert.ok(!excerpt || (excerpt.tagName === 'p' && excerpt.getAttribute('class') === 'search-excerpt'));
      return { title: a!.textContent, href: a!.getAttribute('href'), datetime: time!.getAttribute('datetime'), shown: time!.textContent };
    });
  const shown = () => nodes['search-results']!.children.map((li) => ({ title: li.children[0]!.html, excerpt: li.children[3]?.html ?? null }));
  return { nodes, fetched, replaced, results, shown, status: () => nodes['search-status']!.textContent };
}

const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function pageSite(): Site {
  return site(
    [
      { title: 'Café <b>culture</b>', date: '2019-06-26', text: 'espresso and croissants', tags: ['Paris'] },
      { title: 'Espresso at home', date: '2020-02-01', text: 'grinders, beans, machines' },
      { title: 'Tea', date: '2018-01-01', text: 'green tea' },
    ],
    { ...DEFAULT_CONFIG, baseUrl: '/blog/' },
  );
}

test('the page searches for ?q= once the index has loaded from data-index', async () => {
  const s = pageSite();
  const p = page('https://example.com/blog/search/?q=espresso', index(s));
  assert.equal(p.nodes['search-input']!.value, 'espresso');
  assert.equal(p.status(), 'Loading…');
  await settle();
  assert.deepEqual(p.fetched, ['/blog/search-index.json']);
  assert.equal(p.status(), '2 posts found');
  assert.deepEqual(p.results(), [
    { title: 'Espresso at home', href: '/blog/posts/espresso-at-home/', datetime: '2020-02-01', shown: 'February 1, 2020' },
    { title: 'Café <b>culture</b>', href: s.posts[1]!.url, datetime: '2019-06-26', shown: 'June 26, 2019' },
  ]);
});

test('the page asks for a query when there is none', async () => {
  const p = page('https://example.com/blog/search/', index(pageSite()));
  await settle();
  assert.equal(p.status(), 'Type to search');
  assert.deepEqual(p.results(), []);
});

test('typing searches after a short pause, and says when nothing is found', async () => {
  const p = page('https://example.com/blog/search/', index(pageSite()));
  await settle();
  const input = p.nodes['search-input']!;
  input.value = 'cafe';
  input.dispatch('input');
  assert.equal(p.status(), 'Type to search'); // debounced
  await settle(150);
  assert.equal(p.status(), '1 post found');
  assert.deepEqual(p.results().map((r) => r.title), ['Café <b>culture</b>']);
  input.value = 'coffee tea';
  input.dispatch('input');
  await settle(150);
  assert.equal(p.status(), 'No posts found for “coffee tea”');
  assert.deepEqual(p.results(), []);
});

test('submitting searches at once and puts the query in the address without reloading', async () => {
  const p = page('https://example.com/blog/search/?q=old#top', index(pageSite()));
  await settle();
  p.nodes['search-input']!.value = 'green tea';
  let prevented = false;
  p.nodes['search-form']!.dispatch('submit', { preventDefault: () => (prevented = true) });
  assert.ok(prevented);
  assert.equal(p.status(), '1 post found');
  assert.deepEqual(p.replaced, ['https://example.com/blog/search/?q=green+tea#top']);
});

test('the page says so when the index cannot be loaded', async () => {
  const p = page('https://example.com/blog/search/?q=tea', null);
  await settle();
  assert.equal(p.status(), 'Search is unavailable: the index could not be loaded.');
});

test('the page shows at most 50 results and says how many there are', async () => {
  const specs = Array.from({ length: 60 }, (_, i) => ({ title: `Note ${i}`, date: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`, text: 'shared word' }));
  const p = page('https://example.com/search/?q=shared', index(site(specs)));
  await settle();
  assert.equal(p.status(), '60 posts found, showing the first 50');
  assert.equal(p.results().length, 50);
});

test('results quote the post around the first match, with the matched words marked as text, never as HTML', async () => {
  const s = site([
    { title: 'Café <b>culture</b>', date: '2019-06-26', text: 'espresso and <i>croissants</i> & more', tags: ['Paris'] },
    { title: 'Espresso at home', date: '2020-02-01', text: 'grinders, beans, machines' },
    {
      title: 'A long one',
      date: '2018-01-01',
      text: 'It starts slowly with nothing of interest for quite a while, words and more words, until at last, well past the opening lines that any reader would skim, the ESPRESSO appears, and then the text rambles on about other things for a good while longer.',
    },
  ]);
  const p = page('https://example.com/search/?q=espresso', index(s));
  await settle();
  assert.equal(p.status(), '3 posts found');
  assert.deepEqual(p.shown(), [
    { title: '<mark>Espresso</mark> at home', excerpt: 'grinders, beans, machines' }, // no match in the text: its opening
    { title: 'Café &lt;b>culture&lt;/b>', excerpt: '<mark>espresso</mark> and &lt;i>croissants&lt;/i> &amp; more' },
    // The window stays inside the text: near its end, it ends there.
    { title: 'A long one', excerpt: '…at last, well past the opening lines that any reader would skim, the <mark>ESPRESSO</mark> appears, and then the text rambles on about other things for a good while longer.' },
  ]);
});

test('marks find words as the index normalises them, the last query word as a prefix', () => {
  const { marks, open } = client();
  const search = open(index(site([{ title: 'x', date: '2020-01-01', text: 'x' }])));
  const marked = (text: string, q: string) => Array.from(marks(text, search.terms(q)), ([a, b]) => text.slice(a, b));
  assert.deepEqual(marked('Café society; the CAFE is a café. Cafés!', 'cafe '), ['Café', 'CAFE', 'café']);
  assert.deepEqual(marked('Café society; the CAFE is a café. Cafés!', 'cafe'), ['Café', 'CAFE', 'café', 'Cafés']);
  assert.deepEqual(marked('O’Reilly and O\'Reilly books', 'oreilly'), ['O’Reilly', "O'Reilly"]);
  assert.deepEqual(marked('The dragons of the north', 'the dragons'), ['dragons'], 'stop words are not marked when other words matched');
  assert.deepEqual(marked('東京タワーの夜', '東京'), ['東', '京']);
});

test('an excerpt is a window of whole words around the first match, or the opening without one', () => {
  const { excerpt, open } = client();
  const search = open(index(site([{ title: 'x', date: '2020-01-01', text: 'x' }])));
  const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ') + ' target ' + Array.from({ length: 60 }, (_, i) => `v${i}`).join(' ');
  const [from, to] = excerpt(text, search.terms('target '), 100);
  const window = text.slice(from, to);
  assert.ok(window.includes('target') && window.length <= 100, window);
  assert.ok(text[from - 1] === ' ' && text[to] === ' ', 'cut at spaces');
  assert.deepEqual([...excerpt(text, search.terms('absent '), 100)].map(Number)[0], 0);
  assert.deepEqual([...excerpt('short text', search.terms('text'), 100)], [0, 10]);
});

test('arrow keys move from the search box through the results and back', async () => {
  const p = page('https://example.com/blog/search/?q=e', index(pageSite()));
  await settle();
  const links = p.nodes['search-results']!.querySelectorAll('a');
  assert.ok(links.length >= 2);
  const key = (node: FakeNode, k: string) => {
    let prevented = false;
    node.dispatch('keydown', { key: k, preventDefault: () => (prevented = true) });
    return prevented;
  };
  assert.ok(key(p.nodes['search-input']!, 'ArrowDown'));
  assert.equal(focused.node, links[0]);
  assert.ok(key(p.nodes['search-results']!, 'ArrowDown'));
  assert.equal(focused.node, links[1]);
  assert.ok(key(p.nodes['search-results']!, 'ArrowUp'));
  assert.ok(key(p.nodes['search-results']!, 'ArrowUp'));
  assert.equal(focused.node, p.nodes['search-input'], 'up from the first result: back to the box');
  assert.equal(key(p.nodes['search-results']!, 'Enter'), false, 'Enter follows the focused link as usual');
});

test('the script stays small', () => {
  // About 3.6 KB gzipped.
  assert.ok(Buffer.byteLength(SCRIPT) < 10 * 1024, `${Buffer.byteLength(SCRIPT)} bytes`);
});
