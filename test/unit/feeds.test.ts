/** Unit tests for src/publish/feeds.ts: Atom, RSS and JSON Feed read back by an independent parser and xmllint. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import { instantDate } from '../../src/content/dates.ts';
import type { DateSource, OutputFile, Site } from '../../src/model.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { Memo } from '../../src/memo.ts';
import { buildFeeds, DEFAULT_FEED_ITEMS, feedLinks, type FeedOptions } from '../../src/publish/feeds.ts';
import { testContent, testDate, testPost, type TestEntry } from './fixtures.ts';

interface PostSpec {
  title: string;
  /** Front-matter style date, or an epoch (ms) for a git/mtime date. */
  date: string | number;
  dateSource?: DateSource;
  updated?: string;
  description?: string;
  author?: string;
  categories?: string[];
  tags?: string[];
  html?: string;
  firstParagraph?: string;
}

const CONFIG: Config = { ...DEFAULT_CONFIG, title: 'Quire Blog', description: 'Notes', author: 'Site Author', baseUrl: 'https://example.com/' };

function date(value: string | number, timeZone: string) {
  return typeof value === 'number' ? instantDate(value, timeZone) : testDate(value, timeZone);
}

function entry(spec: PostSpec, config: Config): TestEntry {
  const { title, dateSource, description, author, categories, tags } = spec;
  const post = testPost({
    title,
    date: date(spec.date, config.timezone),
    dateSource,
    updated: spec.updated ? date(spec.updated, config.timezone) : null,
    description,
    author,
    categories,
    tags,
  });
  const { html = `<p>Body of ${title}</p>`, firstParagraph = `Body of ${title}` } = spec;
  return { post, content: testContent({ html, text: firstParagraph, wordCount: 3, firstParagraph }) };
}

function makeSite(specs: PostSpec[], config: Config = CONFIG): Site {
  return buildSite(specs.map((s) => entry(s, config)), config).value;
}

function feeds(site: Site, options: FeedOptions = { content: 'full' }): Map<string, string> {
  const r = buildFeeds(site, options, new Memo());
  assert.deepEqual(r.diagnostics, []);
  return new Map(r.value.map((f: OutputFile) => [f.outPath, String(f.contents)]));
}

function file(files: Map<string, string>, outPath: string): string {
  const text = files.get(outPath);
  assert.ok(text !== undefined, `${outPath} was not written (have ${[...files.keys()].join(', ')})`);
  return text;
}

/** Runs xmllint on the text; fails with its messages when the XML is not well-formed. */
function assertWellFormed(xml: string, name: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quire-feeds-'));
  try {
    const target = path.join(dir, path.basename(name));
    writeFileSync(target, xml);
    const r = spawnSync('/usr/bin/xmllint', ['--noout', target], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${name} is not well-formed:\n${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The XML-decoded text an XPath expression selects, read by xmllint (feed-parser decodes entities in content a second time). */
function xpathText(xml: string, expression: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quire-feeds-'));
  try {
    const target = path.join(dir, 'feed.xml');
    writeFileSync(target, xml);
    const r = spawnSync('/usr/bin/xmllint', ['--xpath', `string(${expression})`, target], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/\n$/, ''); // xmllint ends its output with a line break
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const POSTS: PostSpec[] = [
  { title: 'Oldest', date: '2019-01-10', categories: ['News'] },
  { title: 'Newest', date: '2019-03-05 09:30', categories: ['News', 'Code'], tags: ['js'] },
  { title: 'Middle', date: '2019-02-01', updated: '2019-02-20', categories: ['Code'], author: 'Ada' },
];

test('writes Atom, RSS and JSON Feed for the site and for each category', () => {
  const files = feeds(makeSite(POSTS));
  assert.deepEqual([...files.keys()], [
    'feed.xml', 'rss.xml', 'feed.json',
    'categories/code/feed.xml', 'categories/code/rss.xml', 'categories/code/feed.json',
    'categories/news/feed.xml', 'categories/news/rss.xml', 'categories/news/feed.json',
  ]);
});

test('the Atom feed parses with its title, self link, dates and items newest first', () => {
  const feed = parseFeed(file(feeds(makeSite(POSTS)), 'feed.xml'));
  assert.equal(feed.meta.type, 'atom');
  assert.equal(feed.title, 'Quire Blog');
  assert.equal(feed.description, 'Notes');
  assert.equal(feed.self, 'https://example.com/feed.xml');
  assert.equal(feed.url, 'https://example.com/');
  assert.equal(feed.language, 'en');
  // The newest change is Middle's update (Feb 20), older than Newest's date (Mar 5).
  assert.equal(feed.updated?.toISOString(), '2019-03-05T09:30:00.000Z');
  assert.deepEqual(feed.items.map((i) => i.title), ['Newest', 'Middle', 'Oldest']);
  const [newest, middle] = feed.items;
  assert.equal(newest?.url, 'https://example.com/posts/newest/');
  assert.equal(newest?.id, 'https://example.com/posts/newest/');
  assert.equal(newest?.published?.toISOString(), '2019-03-05T09:30:00.000Z');
  assert.deepEqual(newest?.categories.map((c) => c.term), ['News', 'Code']);
  assert.deepEqual(newest?.authors.map((a) => a.name), ['Site Author']);
  assert.equal(middle?.published?.toISOString(), '2019-02-01T00:00:00.000Z');
  assert.equal(middle?.updated?.toISOString(), '2019-02-20T00:00:00.000Z');
  assert.deepEqual(middle?.authors.map((a) => a.name), ['Ada']);
  assert.equal(middle?.content, '<p>Body of Middle</p>');
});

test('the RSS feed parses with an atom:link self link, publication dates and items newest first', () => {
  const xml = file(feeds(makeSite(POSTS)), 'rss.xml');
  assert.match(xml, /<atom:link href="https:\/\/example\.com\/rss\.xml" rel="self" type="application\/rss\+xml"\/>/);
  const feed = parseFeed(xml);
  assert.equal(feed.meta.type, 'rss');
  assert.equal(feed.meta.version, '2.0');
  assert.equal(feed.title, 'Quire Blog');
  assert.equal(feed.self, 'https://example.com/rss.xml');
  assert.equal(feed.url, 'https://example.com/');
  assert.equal(feed.updated?.toISOString(), '2019-03-05T09:30:00.000Z');
  assert.deepEqual(feed.items.map((i) => i.title), ['Newest', 'Middle', 'Oldest']);
  assert.deepEqual(feed.items.map((i) => i.url), ['newest', 'middle', 'oldest'].map((s) => `https://example.com/posts/${s}/`));
  assert.deepEqual(feed.items.map((i) => i.id), ['newest', 'middle', 'oldest'].map((s) => `https://example.com/posts/${s}/`));
  assert.deepEqual(feed.items.map((i) => i.published?.toISOString()), ['2019-03-05T09:30:00.000Z', '2019-02-01T00:00:00.000Z', '2019-01-10T00:00:00.000Z']);
  assert.deepEqual(feed.items[1]?.authors.map((a) => a.name), ['Ada']);
  assert.deepEqual(feed.items[0]?.categories.map((c) => c.term), ['News', 'Code']);
});

test('the JSON feed is JSON Feed 1.1 with authors, language and items newest first', () => {
  const json = JSON.parse(file(feeds(makeSite(POSTS)), 'feed.json'));
  assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(json.title, 'Quire Blog');
  assert.equal(json.home_page_url, 'https://example.com/');
  assert.equal(json.feed_url, 'https://example.com/feed.json');
  assert.equal(json.description, 'Notes');
  assert.equal(json.language, 'en');
  assert.deepEqual(json.authors, [{ name: 'Site Author' }]);
  assert.equal(json.author, undefined, 'the 1.0 `author` field is deprecated in 1.1');
  assert.deepEqual(json.items.map((i: { title: string }) => i.title), ['Newest', 'Middle', 'Oldest']);
  assert.deepEqual(json.items[1], {
    id: 'https://example.com/posts/middle/',
    url: 'https://example.com/posts/middle/',
    title: 'Middle',
    content_html: '<p>Body of Middle</p>',
    date_published: '2019-02-01T00:00:00Z',
    date_modified: '2019-02-20T00:00:00Z',
    authors: [{ name: 'Ada' }],
    tags: ['Code'],
  });
});

test('a category feed lists only that category\'s posts, newest first, under its own title and URLs', () => {
  const files = feeds(makeSite(POSTS));
  const atom = parseFeed(file(files, 'categories/code/feed.xml'));
  assert.equal(atom.title, 'Quire Blog: Code');
  assert.equal(atom.self, 'https://example.com/categories/code/feed.xml');
  assert.equal(atom.url, 'https://example.com/categories/code/');
  assert.deepEqual(atom.items.map((i) => i.title), ['Newest', 'Middle']);
  const rss = parseFeed(file(files, 'categories/news/rss.xml'));
  assert.equal(rss.self, 'https://example.com/categories/news/rss.xml');
  assert.deepEqual(rss.items.map((i) => i.title), ['Newest', 'Oldest']);
  const json = JSON.parse(file(files, 'categories/news/feed.json'));
  assert.equal(json.feed_url, 'https://example.com/categories/news/feed.json');
  assert.equal(json.home_page_url, 'https://example.com/categories/news/');
  assert.deepEqual(json.items.map((i: { title: string }) => i.title), ['Newest', 'Oldest']);
});

test(`a feed holds the newest ${DEFAULT_FEED_ITEMS} items by default, as every peer does, and feeds.limit of them when set`, () => {
  const specs = Array.from({ length: 60 }, (_, i) => ({ title: `Post ${i + 1}`, date: instantDate(Date.UTC(2020, 0, 1) + i * 86_400_000, 'UTC').iso, categories: ['All'] }));
  const files = feeds(makeSite(specs));
  assert.equal(DEFAULT_FEED_ITEMS, 20);
  for (const name of ['feed.xml', 'rss.xml', 'categories/all/feed.xml', 'categories/all/rss.xml']) {
    const items = parseFeed(file(files, name)).items;
    assert.equal(items.length, 20, name);
    assert.equal(items[0]?.title, 'Post 60', name);
    assert.equal(items[19]?.title, 'Post 41', name);
  }
  for (const name of ['feed.json', 'categories/all/feed.json']) assert.equal(JSON.parse(file(files, name)).items.length, 20, name);
  assert.equal(JSON.parse(file(feeds(makeSite(specs), { content: 'full', limit: 50 }), 'feed.json')).items.length, 50);
});

test('the feed\'s updated date is its latest item change, never the build time, so two builds are byte-identical', (t) => {
  const site = makeSite([
    { title: 'Recent', date: '2021-05-01' },
    { title: 'Revised', date: '2020-01-01', updated: '2021-06-15 12:00' },
  ]);
  t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2030, 0, 1) });
  assert.equal(new Date().getUTCFullYear(), 2030, 'the clock is mocked');
  const first = buildFeeds(site, { content: 'full' }, new Memo()).value;
  t.mock.timers.tick(400 * 86_400_000);
  const second = buildFeeds(site, { content: 'full' }, new Memo()).value;
  t.mock.timers.reset();
  assert.deepEqual(second, first);
  const files = new Map(first.map((f) => [f.outPath, String(f.contents)]));
  assert.equal(parseFeed(file(files, 'feed.xml')).updated?.toISOString(), '2021-06-15T12:00:00.000Z');
  assert.equal(parseFeed(file(files, 'rss.xml')).updated?.toISOString(), '2021-06-15T12:00:00.000Z');
  for (const text of files.values()) assert.doesNotMatch(text, /2030|2031/);
});

test('output is byte-identical across two calls on separately built sites', () => {
  for (const content of ['full', 'summary'] as const) {
    const a = buildFeeds(makeSite(POSTS), { content }, new Memo()).value;
    const b = buildFeeds(makeSite([...POSTS].reverse()), { content }, new Memo()).value;
    assert.deepEqual(b, a);
  }
});

const NASTY_TITLE = '<script>alert("x")</script> & \'q\'';

function nastySite(config: Config = CONFIG): Site {
  return makeSite(
    [
      {
        title: `${NASTY_TITLE}\u0001\u000b\uFFFE`,
        date: '2019-06-26',
        categories: ['<b>', 'R&D'],
        tags: ['"quoted"'],
        author: 'Tom & "Jerry" <tj>',
        description: 'Less < more & "quotes"\u0007',
        html: '<p>Use <code>a ]]&gt; b</code> and ]]> twice ]]> here &amp; <a href="/x?a=1&amp;b=2">there</a></p>',
      },
    ],
    config,
  );
}

test('every XML feed is well-formed according to xmllint, whatever the front matter holds', () => {
  for (const content of ['full', 'summary'] as const) {
    for (const [name, text] of feeds(nastySite(), { content })) if (name.endsWith('.xml')) assertWellFormed(text, name);
    for (const [name, text] of feeds(makeSite(POSTS), { content })) if (name.endsWith('.xml')) assertWellFormed(text, name);
  }
});

test('titles, categories and authors with markup, ampersands, quotes and control characters survive every format as text', () => {
  const files = feeds(nastySite());
  for (const name of ['feed.xml', 'rss.xml']) {
    const xml = file(files, name);
    assert.doesNotMatch(xml, /<script|<b>|[\u0001\u0007\u000b\uFFFE]/, name);
    const feed = parseFeed(xml);
    const item = feed.items[0];
    assert.equal(item?.title, NASTY_TITLE, name);
    assert.deepEqual(item?.categories.map((c) => c.term), ['<b>', 'R&D'], name);
    assert.deepEqual(item?.authors.map((a) => a.name), ['Tom & "Jerry" <tj>'], name);
  }
  const json = JSON.parse(file(files, 'feed.json'));
  assert.equal(json.items[0].title, NASTY_TITLE);
  assert.deepEqual(json.items[0].tags, ['<b>', 'R&D']);
  assert.deepEqual(json.items[0].authors, [{ name: 'Tom & "Jerry" <tj>' }]);
  assert.equal(json.items[0].summary, 'Less < more & "quotes"');
  // The HTML arrives intact, `]]>` included: no CDATA section to break.
  assert.equal(json.items[0].content_html, '<p>Use <code>a ]]&gt; b</code> and ]]> twice ]]> here &amp; <a href="https://example.com/x?a=1&amp;b=2">there</a></p>');
  assert.equal(xpathText(file(files, 'feed.xml'), "//*[local-name()='content']"), json.items[0].content_html);
  assert.equal(xpathText(file(files, 'rss.xml'), '//item/description'), json.items[0].content_html);
  const categoryFeed = parseFeed(file(files, 'categories/b/feed.xml'));
  assert.equal(categoryFeed.title, 'Quire Blog: <b>');
});

test('full content makes relative links absolute: root-relative to the host, fragments and relative paths to the post', () => {
  const html =
    '<h2 id="intro"><a href="#intro">Intro</a></h2>' +
    '<p><a href="/about/">about</a> <img src="/img/a.png" alt="a"> <img src=\'pic.png\' alt="b"> ' +
    '<a href="https://other.example/x">abs</a> <a href="mailto:me@example.com">mail</a> <a href="//cdn.example/lib.js">cdn</a></p>' +
    '<pre><code>&lt;a href="/not-a-link"&gt; href="/also-not"</code></pre>';
  const site = makeSite([{ title: 'Links', date: '2020-01-01', html }], { ...CONFIG, baseUrl: 'https://example.com/blog/' });
  const content = JSON.parse(file(feeds(site), 'feed.json')).items[0].content_html as string;
  const post = 'https://example.com/blog/posts/links/';
  assert.equal(
    content,
    `<h2 id="intro"><a href="${post}#intro">Intro</a></h2>` +
      `<p><a href="https://example.com/about/">about</a> <img src="https://example.com/img/a.png" alt="a"> <img src="${post}pic.png" alt="b"> ` +
      '<a href="https://other.example/x">abs</a> <a href="mailto:me@example.com">mail</a> <a href="https://cdn.example/lib.js">cdn</a></p>' +
      '<pre><code>&lt;a href="/not-a-link"&gt; href="/also-not"</code></pre>',
  );
  assert.equal(xpathText(file(feeds(site), 'feed.xml'), "//*[local-name()='content']"), content);
});

test('summary content is the plain-text description, else the first paragraph', () => {
  const site = makeSite([
    { title: 'Described', date: '2020-01-02', description: 'Why a < b & c' },
    { title: 'Plain', date: '2020-01-01', firstParagraph: 'The first\n  paragraph.', html: '<p>The first paragraph.</p><p>More</p>' },
  ]);
  const files = feeds(site, { content: 'summary' });
  const atomXml = file(files, 'feed.xml');
  assert.doesNotMatch(atomXml, /<content/);
  assert.match(atomXml, /<summary type="text">Why a &lt; b &amp; c<\/summary>/);
  const atom = parseFeed(atomXml);
  assert.deepEqual(atom.items.map((i) => i.description), ['Why a < b & c', 'The first paragraph.']);
  // RSS descriptions are HTML: the text is escaped as HTML, then as XML, and reads back as the text.
  const rssXml = file(files, 'rss.xml');
  assert.equal(xpathText(rssXml, '//item[1]/description'), 'Why a &lt; b &amp; c');
  assert.deepEqual(parseFeed(rssXml).items.map((i) => i.description), ['Why a < b & c', 'The first paragraph.']);
  const json = JSON.parse(file(files, 'feed.json'));
  assert.deepEqual(json.items.map((i: Record<string, unknown>) => [i.content_text, i.content_html]), [
    ['Why a < b & c', undefined],
    ['The first paragraph.', undefined],
  ]);
});

test('under a sub-path base every URL keeps the path', () => {
  const site = makeSite(POSTS, { ...CONFIG, baseUrl: 'https://example.com/blog/' });
  const files = feeds(site);
  const atom = parseFeed(file(files, 'feed.xml'));
  assert.equal(atom.self, 'https://example.com/blog/feed.xml');
  assert.equal(atom.url, 'https://example.com/blog/');
  assert.equal(atom.items[0]?.url, 'https://example.com/blog/posts/newest/');
  assert.equal(atom.items[0]?.id, 'https://example.com/blog/posts/newest/');
  const rss = parseFeed(file(files, 'categories/code/rss.xml'));
  assert.equal(rss.self, 'https://example.com/blog/categories/code/rss.xml');
  assert.equal(rss.url, 'https://example.com/blog/categories/code/');
  assert.equal(rss.items[0]?.url, 'https://example.com/blog/posts/newest/');
  const json = JSON.parse(file(files, 'feed.json'));
  assert.equal(json.feed_url, 'https://example.com/blog/feed.json');
  assert.equal(json.items[0].id, 'https://example.com/blog/posts/newest/');
});

test('the author comes from the post, else the config, and is left out when both are empty', () => {
  const specs: PostSpec[] = [
    { title: 'Own', date: '2020-01-02', author: 'Grace' },
    { title: 'Default', date: '2020-01-01' },
  ];
  const withDefault = feeds(makeSite(specs));
  assert.deepEqual(parseFeed(file(withDefault, 'feed.xml')).items.map((i) => i.authors.map((a) => a.name)), [['Grace'], ['Site Author']]);
  const anonymous = feeds(makeSite(specs, { ...CONFIG, author: '' }));
  const atomXml = file(anonymous, 'feed.xml');
  assert.equal((atomXml.match(/<author>/g) ?? []).length, 1, 'only Grace\'s entry has an author');
  assert.doesNotMatch(file(anonymous, 'rss.xml'), /<dc:creator>(?!Grace)/);
  const json = JSON.parse(file(anonymous, 'feed.json'));
  assert.equal(json.authors, undefined);
  assert.deepEqual(json.items.map((i: { authors?: unknown }) => i.authors), [[{ name: 'Grace' }], undefined]);
});

test('posts dated by file name, git or mtime have publication dates in the site\'s time zone', () => {
  const config: Config = { ...CONFIG, timezone: 'America/New_York' };
  const site = makeSite(
    [
      { title: 'From Git', date: Date.UTC(2021, 6, 4, 15, 0, 0), dateSource: 'git' },
      { title: 'From Name', date: '2021-07-01', dateSource: 'file-name' },
      { title: 'From Mtime', date: Date.UTC(2021, 0, 15, 3, 0, 0), dateSource: 'mtime' },
    ],
    config,
  );
  const files = feeds(site);
  const json = JSON.parse(file(files, 'feed.json'));
  assert.deepEqual(json.items.map((i: { date_published: string }) => i.date_published), [
    '2021-07-04T11:00:00-04:00',
    '2021-07-01T00:00:00-04:00', // a date-only value is midnight in the site's zone
    '2021-01-14T22:00:00-05:00',
  ]);
  const atom = file(files, 'feed.xml');
  assert.match(atom, /<published>2021-07-01T00:00:00-04:00<\/published>/);
  assert.match(atom, /<updated>2021-07-04T11:00:00-04:00<\/updated>\n {2}<author>/);
  assert.deepEqual(parseFeed(file(files, 'rss.xml')).items.map((i) => i.published?.toISOString()), ['2021-07-04T15:00:00.000Z', '2021-07-01T04:00:00.000Z', '2021-01-15T03:00:00.000Z']);
  assert.match(file(files, 'rss.xml'), /<pubDate>Thu, 01 Jul 2021 04:00:00 GMT<\/pubDate>/);
});

test('an empty site gets valid feeds with no items', () => {
  const files = feeds(makeSite([]));
  assert.deepEqual([...files.keys()], ['feed.xml', 'rss.xml', 'feed.json']);
  for (const name of ['feed.xml', 'rss.xml']) {
    assertWellFormed(file(files, name), name);
    assert.deepEqual(parseFeed(file(files, name)).items, []);
  }
  assert.match(file(files, 'feed.xml'), /<updated>1970-01-01T00:00:00Z<\/updated>/);
  assert.deepEqual(JSON.parse(file(files, 'feed.json')).items, []);
});

test('warns and writes nothing when the base URL is only a path', () => {
  const r = buildFeeds(makeSite(POSTS, { ...CONFIG, baseUrl: '/blog/' }), { content: 'full' }, new Memo());
  assert.deepEqual(r.value, []);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['feeds/no-absolute-base-url', 'warning']]);
});

test('feedLinks lists the site\'s feeds, plus the category\'s own on its page', () => {
  const site = makeSite(POSTS, { ...CONFIG, baseUrl: 'https://example.com/blog/' });
  const siteLinks = [
    { type: 'application/atom+xml', title: 'Quire Blog (Atom)', href: '/blog/feed.xml' },
    { type: 'application/rss+xml', title: 'Quire Blog (RSS)', href: '/blog/rss.xml' },
    { type: 'application/feed+json', title: 'Quire Blog (JSON Feed)', href: '/blog/feed.json' },
  ];
  assert.deepEqual(feedLinks(site), siteLinks);
  assert.deepEqual(feedLinks(site, 'no-such-category'), siteLinks);
  assert.deepEqual(feedLinks(site, 'code'), [
    ...siteLinks,
    { type: 'application/atom+xml', title: 'Quire Blog: Code (Atom)', href: '/blog/categories/code/feed.xml' },
    { type: 'application/rss+xml', title: 'Quire Blog: Code (RSS)', href: '/blog/categories/code/rss.xml' },
    { type: 'application/feed+json', title: 'Quire Blog: Code (JSON Feed)', href: '/blog/categories/code/feed.json' },
  ]);
});

test('every feed link points at a file buildFeeds writes', () => {
  const site = makeSite(POSTS, { ...CONFIG, baseUrl: 'https://example.com/blog/' });
  const written = new Set(buildFeeds(site, { content: 'full' }, new Memo()).value.map((f) => '/blog/' + f.outPath));
  for (const c of site.categories) for (const link of feedLinks(site, c.slug)) assert.ok(written.has(link.href), link.href);
});


test('a stylesheet is named by one <?xml-stylesheet?> line after the declaration of the Atom and RSS files, escaped; nothing else changes', () => {
  const site = makeSite(POSTS);
  const plain = feeds(site);
  const styled = feeds(site, { content: 'full', stylesheet: '/a&b/assets/feed.css' });
  for (const [outPath, text] of styled) {
    if (outPath.endsWith('.json')) {
      assert.equal(text, plain.get(outPath), outPath);
      continue;
    }
    const lines = text.split('\n');
    assert.equal(lines[1], '<?xml-stylesheet href="/a&amp;b/assets/feed.css" type="text/css"?>', outPath);
    assert.equal([lines[0], ...lines.slice(2)].join('\n'), plain.get(outPath), outPath);
    assertWellFormed(text, outPath);
  }
});

test("a feed's key says what it shows: a post changed changes the keys of the feeds it is in, and no other's", async () => {
  const { feedJobs } = await import('../../src/publish/feeds.ts');
  const { HTML_DIGEST } = await import('../../src/model.ts');
  // 50 posts, alternately in "Even" and "Odd", newest last; a post's content digest is its title and a version.
  const specs = (changed = -1): PostSpec[] => Array.from({ length: 50 }, (_, i) => ({ title: `Post ${i}`, date: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`, categories: [i % 2 ? 'Odd' : 'Even'], html: `<p>Post ${i}${i === changed ? ', changed' : ''}</p>` }));
  const keys = (changed = -1, withDigests = true) => {
    const entries = specs(changed).map((s, i) => {
      const e = entry(s, CONFIG);
      if (withDigests) Object.defineProperty(e.content, HTML_DIGEST, { value: `post-${i}-${i === changed ? 2 : 1}` });
      return e;
    });
    const jobs = feedJobs(buildSite(entries, CONFIG).value, { content: 'full' }, new Memo()).value;
    return { keys: new Map(jobs.map((j) => [j.outPath, j.key])), jobs };
  };
  const before = keys().keys;
  assert.equal(before.size, 9, 'the site and two categories, three formats each');
  const newest = keys(49).keys; // Odd, and the site's newest
  const differs = [...before].filter(([file, key]) => newest.get(file) !== key).map(([file]) => file).sort();
  assert.deepEqual(differs, ['categories/odd/feed.json', 'categories/odd/feed.xml', 'categories/odd/rss.xml', 'feed.json', 'feed.xml', 'rss.xml']);
  assert.deepEqual(keys(1).keys, before, 'an old post, in no feed (each holds the latest 20): no key changes');
  // Without a digest a post cannot be told unchanged: its feeds have no key, and are made every time.
  const plain = keys(-1, false);
  assert.ok([...plain.keys.values()].every((k) => k === undefined));
  assert.match(String(plain.jobs.find((j) => j.outPath === 'feed.xml')!.make()), /Post 49/);
});
