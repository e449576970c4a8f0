/**
 * The sample blog as readers' tools see it: feeds read by an independent parser and checked
 * by xmllint, the sitemap, every page through html-validate, a crawl of the served site, and
 * escaping of hostile front matter in HTML, XML, JSON and JSON-LD.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { parseFeed } from '@rowanmanning/feed-parser';
import { HtmlValidate } from 'html-validate';
import { parse } from 'node-html-parser';
import { buildSite, page, tempDir, writeFiles } from './helpers.ts';
import { serveStatic } from './static-server.ts';

const BASE = 'https://example.com/blog/';

async function built(t: Parameters<typeof tempDir>[0], baseUrl = BASE, contentDir?: string) {
  const out = path.join(await tempDir(t), 'public');
  const report = await buildSite({ outDir: out, overrides: { baseUrl }, ...(contentDir ? { contentDir } : {}) });
  assert.equal(report.ok, true, JSON.stringify(report.diagnostics.filter((d) => d.severity === 'error')));
  return { out, report };
}

function xmllint(file: string): void {
  const r = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (r.error) throw new Error('xmllint is needed for this test: sudo apt-get install -y libxml2-utils');
  assert.equal(r.status, 0, `${file}: ${r.stderr}`);
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)));
  return out.sort();
}

test('the site and category feeds are well-formed and read back by an independent parser', async (t) => {
  const { out } = await built(t);
  for (const file of ['feed.xml', 'rss.xml', 'categories/cybersecurity/feed.xml', 'categories/cybersecurity/rss.xml', 'sitemap.xml']) xmllint(path.join(out, file));
  for (const file of ['feed.xml', 'rss.xml']) {
    const feed = parseFeed(await readFile(path.join(out, file), 'utf8'));
    assert.equal(feed.items.length, 5, file);
    const dates = feed.items.map((i) => i.published!.getTime());
    assert.deepEqual([...dates].sort((a, b) => b - a), dates, `${file}: newest first`);
    for (const item of feed.items) assert.match(item.url!, /^https:\/\/example\.com\/blog\/posts\/[a-z0-9-]+\/$/);
    assert.ok(feed.items.some((i) => i.title === 'Understanding the Fundamentals of Deep Learning and Neural Networks'), 'the undated post is in the feed');
  }
  const json = JSON.parse(await readFile(path.join(out, 'feed.json'), 'utf8'));
  assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(json.items.length, 5);
  const cat = parseFeed(await readFile(path.join(out, 'categories/cybersecurity/feed.xml'), 'utf8'));
  assert.deepEqual(cat.items.map((i) => i.title), ['Understanding the Principles of Deep Learning in Neural Networks']);
  const home = await page(out, '');
  const alternates = home.querySelectorAll('link[rel="alternate"]').map((l) => l.getAttribute('href'));
  assert.deepEqual(alternates, ['/blog/feed.xml', '/blog/rss.xml', '/blog/feed.json']);
});

test('sitemap lists every public page with lastmod, robots.txt points at it, and 404.html exists', async (t) => {
  const { out } = await built(t);
  const sitemap = parse(await readFile(path.join(out, 'sitemap.xml'), 'utf8'));
  const locs = sitemap.querySelectorAll('loc').map((l) => l.textContent);
  const pages = (await allFiles(out)).filter((f) => f.endsWith('index.html')).map((f) => BASE + f.replace(/index\.html$/, ''));
  assert.deepEqual([...locs].sort(), pages.sort());
  assert.ok(sitemap.querySelectorAll('url').some((u) => u.querySelector('loc')?.textContent === BASE + 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/' && u.querySelector('lastmod')?.textContent === '2019-06-26'));
  assert.match(await readFile(path.join(out, 'robots.txt'), 'utf8'), /^Sitemap: https:\/\/example\.com\/blog\/sitemap\.xml$/m);
  const notFound = await page(out, '404.html');
  assert.equal(notFound.querySelectorAll('h1').length, 1);
});

test('post pages carry canonical, description, Open Graph, Twitter and JSON-LD BlogPosting', async (t) => {
  const { out } = await built(t);
  const doc = await page(out, 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
  const meta = (sel: string) => doc.querySelector(sel)?.getAttribute('content');
  assert.equal(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), BASE + 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
  assert.ok(meta('meta[name="description"]')!.length > 50);
  assert.equal(meta('meta[property="og:type"]'), 'article');
  assert.equal(meta('meta[property="og:title"]'), 'Understanding the Principles of Deep Learning in Neural Networks');
  assert.equal(meta('meta[name="twitter:card"]'), 'summary');
  const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent);
  assert.equal(ld['@type'], 'BlogPosting');
  assert.equal(ld.datePublished, '2019-06-26');
  assert.equal(ld.url, BASE + 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
});

test('every page passes html-validate with no errors', async (t) => {
  const { out } = await built(t);
  const validator = new HtmlValidate({
    extends: ['html-validate:recommended'],
    rules: {
      'long-title': 'off', // post titles plus the site name are often longer than 70 characters
      'valid-id': ['error', { relaxed: true }], // GitHub-style heading ids may start with a digit ("1-neural-networks")
      'no-inline-style': 'off',
    },
  });
  const problems: string[] = [];
  for (const file of (await allFiles(out)).filter((f) => f.endsWith('.html'))) {
    const report = await validator.validateString(await readFile(path.join(out, file), 'utf8'), file);
    for (const r of report.results) for (const m of r.messages) if (m.severity === 2) problems.push(`${file}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
  }
  assert.deepEqual(problems, []);
});

test('a crawl of the site served under /blog/ finds no broken links, and the search index is there', async (t) => {
  const { out } = await built(t);
  const server = await serveStatic(out, '/blog/');
  t.after(server.close);
  const seen = new Set<string>();
  const queue = [server.url];
  const broken: string[] = [];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(url, { redirect: 'manual' });
    if (res.status !== 200) {
      broken.push(`${url} → ${res.status}`);
      continue;
    }
    if (!(res.headers.get('content-type') ?? '').includes('html')) continue;
    const doc = parse(await res.text());
    for (const el of doc.querySelectorAll('a[href], link[href], script[src], img[src]')) {
      const ref = el.getAttribute('href') ?? el.getAttribute('src')!;
      const target = new URL(ref, url);
      if (target.origin !== new URL(server.url).origin) continue;
      target.hash = '';
      queue.push(target.href);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(seen.size > 20, `crawled ${seen.size} URLs`);
  for (const must of ['search/', 'archive/', 'categories/', 'tags/', 'assets/search.js?v=', 'assets/style.css?v=']) assert.ok([...seen].some((u) => u.startsWith(server.url + must)), must);
  const searchPage = parse(await (await fetch(server.url + 'search/')).text());
  const index = new URL(searchPage.querySelector('#search-form')!.getAttribute('data-index')!, server.url);
  assert.equal((await fetch(index)).status, 200, 'the search index is served under the sub-path');
});

test('front matter with <script>, quotes and & is escaped in HTML, XML, JSON and JSON-LD', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const evil = `<script>alert("x")</script> & 'quotes' "too"`;
  await writeFiles(content, {
    'evil.md': [
      '---',
      `title: ${JSON.stringify(evil)}`,
      `description: ${JSON.stringify('</script><script>alert(1)</script> & "desc"')}`,
      `categories: [${JSON.stringify('<b>Cat</b> & Co')}]`,
      `tags: [${JSON.stringify('"><img src=x onerror=alert(1)>')}]`,
      'date: 2020-01-01',
      '---',
      'Body text.',
      '',
    ].join('\n'),
  });
  const { out } = await built(t, BASE, content);
  for (const file of await allFiles(out)) {
    const text = await readFile(path.join(out, file), 'utf8');
    // In JSON the text is data (JSON.parse below); in HTML and XML it must never become markup.
    if (!file.endsWith('.json')) assert.doesNotMatch(text, /<script>alert|<img src=x|<b>Cat/, file);
    if (file.endsWith('.xml')) xmllint(path.join(out, file));
    if (file.endsWith('.json')) JSON.parse(text);
  }
  const [slug] = await readdir(path.join(out, 'posts'));
  const doc = await page(out, `posts/${slug}/`);
  assert.equal(doc.querySelector('h1')!.textContent.trim(), evil, 'the title reads back exactly');
  const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent);
  assert.equal(ld.headline, evil);
  assert.deepEqual(doc.querySelectorAll('script').map((s) => s.getAttribute('type') ?? s.getAttribute('src')?.replace(/\?v=\w+$/, '') ?? 'inline'), ['inline', '/blog/assets/theme.js', 'application/ld+json'], 'the JSON-LD is the only script besides the theme\'s own, and nothing broke out of it');
  const feed = parseFeed(await readFile(path.join(out, 'feed.xml'), 'utf8'));
  assert.equal(feed.items[0]!.title, evil);
  const json = JSON.parse(await readFile(path.join(out, 'feed.json'), 'utf8'));
  assert.equal(json.items[0].title, evil);
  const index = await readFile(path.join(out, 'search-index.json'), 'utf8');
  assert.ok(index.includes('alert'), 'the search index holds the title as data');
});

test('a broken internal link or anchor is a counted warning by default, and an error with links: error or --strict (regression: stale anchors refused whole blogs)', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, {
    'a.md': '---\ntitle: First\ndate: 2020-01-01\n---\n\n## Setup\n\nSee [the second post](/blog/posts/second/) and [setup](#setup).\n',
    'b.md': '---\ntitle: Second\ndate: 2020-01-02\n---\n\nIntro.\n\nBroken: [nope](/blog/posts/nope/).\n\nAnchor: [gone](/blog/posts/first/#no-such-heading).\n\nLater: [link](TODO)\n',
  });
  const expected = [
    ['link/broken', 'b.md', 8],
    ['link/missing-anchor', 'b.md', 10],
    ['link/broken', 'b.md', 12],
  ];
  const links = (r: { diagnostics: { code: string; file?: string; line?: number; severity: string }[] }, severity: string) =>
    r.diagnostics.filter((d) => d.code.startsWith('link/') && d.severity === severity).map((d) => [d.code, path.basename(d.file ?? ''), d.line]);
  const lenient = await buildSite({ outDir: path.join(dir, 'public'), contentDir: content, overrides: { baseUrl: BASE } });
  assert.equal(lenient.ok, true);
  assert.deepEqual(links(lenient, 'warning'), expected);
  assert.ok((await page(path.join(dir, 'public'), 'posts/second/')).querySelector('a[href="/blog/posts/nope/"]'), 'the site was written, links as the author wrote them');
  for (const strictness of [{ overrides: { baseUrl: BASE, links: 'error' as const } }, { overrides: { baseUrl: BASE }, strict: true }]) {
    const strict = await buildSite({ outDir: path.join(dir, 'strict'), contentDir: content, ...strictness });
    assert.equal(strict.ok, false);
    assert.deepEqual(links(strict, 'error'), expected);
  }
});
