/** Unit tests for src/publish/sitemap.ts: sitemap.xml URLs and lastmod, robots.txt. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../src/config.ts';
import type { Site } from '../../src/model.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { buildSitemap } from '../../src/publish/sitemap.ts';
import { testContent, testDate, testPost, type TestEntry, type TestPostSpec } from './fixtures.ts';

interface PostSpec extends TestPostSpec {
  updated?: string;
}

const CONFIG: Config = { ...DEFAULT_CONFIG, baseUrl: 'https://example.com' };

function entry(spec: PostSpec, config: Config): TestEntry {
  const { title, categories, tags } = spec;
  const date = testDate(spec.date, config.timezone);
  const updated = spec.updated ? testDate(spec.updated, config.timezone) : null;
  const post = testPost({ title, date, updated, categories, tags });
  return { post, content: testContent({ html: '<p>x</p>', text: 'x', wordCount: 1, firstParagraph: 'x' }) };
}

function makeSite(specs: PostSpec[], config: Config = CONFIG): Site {
  return buildSite(specs.map((s) => entry(s, config)), config).value;
}

const POSTS: PostSpec[] = [
  { title: 'Alpha', date: '2019-06-26', categories: ['News'], tags: ['js'] },
  { title: 'Beta', date: '2019-07-01 10:30 +02:00', categories: ['News'] },
  { title: 'Gamma', date: '2018-01-01', updated: '2019-08-15', tags: ['js', 'css'] },
];

/** The output paths the routes would render for POSTS. */
const PAGES = [
  'index.html',
  'page/2/index.html',
  '404.html',
  'posts/alpha/index.html',
  'posts/beta/index.html',
  'posts/gamma/index.html',
  'categories/index.html',
  'categories/news/index.html',
  'tags/index.html',
  'tags/js/index.html',
  'tags/css/index.html',
  'archive/index.html',
  'search/index.html',
];

function sitemap(site: Site, pages = PAGES): { xml: string; robots: string; urls: { loc: string; lastmod: string | null }[] } {
  const files = buildSitemap(site, pages);
  assert.deepEqual(files.map((f) => f.outPath), ['sitemap.xml', 'robots.txt']);
  const xml = String(files[0]!.contents);
  const urls = [...xml.matchAll(/<url>\s*<loc>([^<]*)<\/loc>\s*(?:<lastmod>([^<]*)<\/lastmod>\s*)?<\/url>/g)].map((m) => ({ loc: m[1]!, lastmod: m[2] ?? null }));
  assert.equal(urls.length, (xml.match(/<url>/g) ?? []).length, 'every <url> has the expected shape');
  return { xml, robots: String(files[1]!.contents), urls };
}

test('lists every page except 404.html as absolute pretty URLs, sorted', () => {
  const { urls } = sitemap(makeSite(POSTS));
  assert.deepEqual(
    urls.map((u) => u.loc),
    [
      'https://example.com/',
      'https://example.com/archive/',
      'https://example.com/categories/',
      'https://example.com/categories/news/',
      'https://example.com/page/2/',
      'https://example.com/posts/alpha/',
      'https://example.com/posts/beta/',
      'https://example.com/posts/gamma/',
      'https://example.com/search/',
      'https://example.com/tags/',
      'https://example.com/tags/css/',
      'https://example.com/tags/js/',
    ],
  );
});

test('a post page\'s lastmod is its updated date, else its date: a calendar date when only a day was given', () => {
  const lastmod = new Map(sitemap(makeSite(POSTS)).urls.map((u) => [u.loc, u.lastmod]));
  assert.equal(lastmod.get('https://example.com/posts/alpha/'), '2019-06-26');
  assert.equal(lastmod.get('https://example.com/posts/beta/'), '2019-07-01T08:30:00Z');
  assert.equal(lastmod.get('https://example.com/posts/gamma/'), '2019-08-15');
});

test('the home, category and tag pages take the lastmod of their latest post; other pages have none', () => {
  const lastmod = new Map(sitemap(makeSite(POSTS)).urls.map((u) => [u.loc, u.lastmod]));
  assert.equal(lastmod.get('https://example.com/'), '2019-08-15', 'Gamma was updated last');
  assert.equal(lastmod.get('https://example.com/categories/news/'), '2019-07-01T08:30:00Z');
  assert.equal(lastmod.get('https://example.com/tags/js/'), '2019-08-15');
  assert.equal(lastmod.get('https://example.com/tags/css/'), '2019-08-15');
  for (const other of ['archive/', 'categories/', 'tags/', 'search/', 'page/2/']) assert.equal(lastmod.get(`https://example.com/${other}`), null, other);
});

test('robots.txt allows everything and points at the sitemap', () => {
  assert.equal(sitemap(makeSite(POSTS)).robots, 'User-agent: *\nAllow: /\nSitemap: https://example.com/sitemap.xml\n');
});

test('under a sub-path base the URLs keep the path and robots.txt points at /blog/sitemap.xml', () => {
  const site = makeSite(POSTS, { ...CONFIG, baseUrl: 'https://example.com/blog/' });
  const { urls, robots } = sitemap(site);
  assert.equal(urls[0]?.loc, 'https://example.com/blog/');
  assert.equal(urls[0]?.lastmod, '2019-08-15');
  assert.ok(urls.every((u) => u.loc.startsWith('https://example.com/blog/')));
  assert.equal(urls.find((u) => u.loc === 'https://example.com/blog/categories/news/')?.lastmod, '2019-07-01T08:30:00Z');
  assert.equal(robots, 'User-agent: *\nAllow: /\nSitemap: https://example.com/blog/sitemap.xml\n');
});

test('dates in a site time zone keep their offset', () => {
  const config: Config = { ...CONFIG, timezone: 'Europe/Berlin' };
  const { urls } = sitemap(makeSite([{ title: 'Local', date: '2020-03-01 09:00' }], config), ['index.html', 'posts/local/index.html']);
  assert.deepEqual(urls, [
    { loc: 'https://example.com/', lastmod: '2020-03-01T09:00:00+01:00' },
    { loc: 'https://example.com/posts/local/', lastmod: '2020-03-01T09:00:00+01:00' },
  ]);
});

test('the sitemap is well-formed XML in the sitemaps.org namespace', () => {
  const { xml } = sitemap(makeSite(POSTS), [...PAGES, 'odd&name.html']);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">\n/);
  assert.match(xml, /<loc>https:\/\/example\.com\/odd&amp;name\.html<\/loc>/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quire-sitemap-'));
  try {
    writeFileSync(path.join(dir, 'sitemap.xml'), xml);
    const r = spawnSync('/usr/bin/xmllint', ['--noout', path.join(dir, 'sitemap.xml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty site lists its pages without lastmod', () => {
  const { urls } = sitemap(makeSite([]), ['index.html', '404.html', 'archive/index.html']);
  assert.deepEqual(urls, [
    { loc: 'https://example.com/', lastmod: null },
    { loc: 'https://example.com/archive/', lastmod: null },
  ]);
});

test('output is byte-identical whatever the order of the pages and posts', () => {
  const a = buildSitemap(makeSite(POSTS), PAGES);
  const b = buildSitemap(makeSite([...POSTS].reverse()), [...PAGES].reverse());
  assert.deepEqual(b, a);
});

test('writes nothing when the base URL is only a path, since sitemaps need absolute URLs', () => {
  assert.deepEqual(buildSitemap(makeSite(POSTS, { ...CONFIG, baseUrl: '/blog/' }), PAGES), []);
});
