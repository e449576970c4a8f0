/**
 * The default theme on built output (issue 14): listings without noise, term pages without their
 * own chip, labelled code blocks, framed tables, the theme switch's markup and early script, feed
 * links and the feeds' stylesheet, a favicon the W3C checker accepts, and valid HTML throughout.
 * How it looks and behaves in a browser is test/e2e/theme.e2e.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cp, readFile, readdir, rm } from 'node:fs/promises';
import { HtmlValidate } from 'html-validate';
import { parse } from 'node-html-parser';
import { buildSite, page, TEMPLATES, tempDir, text, writeFiles } from './helpers.ts';
import { buildThemeSite } from './theme-site.ts';

const TOUR = 'posts/theme-tour/';

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

test('the home page shows the site title once (the header), with one h1 for screen readers, and its lede', async (t) => {
  const { out, report } = await buildThemeSite(t);
  assert.equal(report.ok, true);
  const home = await page(out, '');
  assert.equal(text(home.querySelector('.site-title')), 'My Blog');
  const h1s = home.querySelectorAll('h1');
  assert.equal(h1s.length, 1);
  assert.equal(text(h1s[0]), 'My Blog');
  assert.ok(h1s[0]!.classList.contains('sr-only'), 'the h1 is not shown a second time');
  assert.equal(text(home.querySelector('main .page-lede')), 'Notes on deep learning and neural networks.');
});

test('listings show no reading time or word count; the post page keeps its reading time', async (t) => {
  const { out } = await buildThemeSite(t);
  for (const listing of ['', 'posts/', 'categories/cybersecurity/', 'tags/css/']) {
    const doc = await page(out, listing);
    assert.ok(doc.querySelectorAll('.post-summary').length > 0, listing);
    for (const summary of doc.querySelectorAll('.post-summary')) {
      assert.doesNotMatch(text(summary.querySelector('.post-meta')), /min read|words/, listing);
    }
  }
  assert.equal(text((await page(out, TOUR)).querySelector('.post-header .meta-reading')), '1 min read');
});

test('a listed post has its date, categories and tags in one meta row; a term page leaves out its own chip', async (t) => {
  const { out } = await buildThemeSite(t);
  const chips = (summary: ReturnType<typeof parse> | null) => summary!.querySelectorAll('.chip').map((a) => a.getAttribute('href'));
  const tour = (doc: ReturnType<typeof parse>) => doc.querySelectorAll('.post-summary').find((s) => text(s.querySelector('.post-summary-title')) === 'A tour of the theme') ?? null;
  const home = tour(await page(out, ''));
  // One .post-meta holds the date line and both lists, side by side (the stylesheet lays it out as one wrapping row).
  assert.deepEqual(home!.querySelector('.post-meta')!.childNodes.filter((n) => n.nodeType === 1).map((n) => (n as ReturnType<typeof parse>).classList.value.join(' ')), ['post-meta-line', 'post-terms post-categories', 'post-terms post-tags']);
  const all = ['/categories/cybersecurity/', '/categories/notes/', '/tags/css/', '/tags/javascript/', '/tags/accessibility/'];
  assert.deepEqual(chips(home), all);
  assert.deepEqual(chips(tour(await page(out, 'categories/cybersecurity/'))), all.filter((u) => u !== '/categories/cybersecurity/'));
  assert.deepEqual(chips(tour(await page(out, 'tags/css/'))), all.filter((u) => u !== '/tags/css/'));
  // A post whose only term is the page's own shows no empty list.
  const sample = (await page(out, 'categories/tech-trends/')).querySelector('.post-summary')!;
  assert.equal(sample.querySelector('.post-terms'), null);
  // The post page shows all of them.
  assert.deepEqual((await page(out, TOUR)).querySelectorAll('.post-header .chip').map((a) => a.getAttribute('href')), all);
});

test('the archive lists each post as a date and then its title, for a grid that never goes ragged', async (t) => {
  const { out } = await buildThemeSite(t);
  const items = (await page(out, 'archive/')).querySelectorAll('.archive-list li');
  assert.equal(items.length, 7);
  for (const li of items) {
    const kids = li.childNodes.filter((n) => n.nodeType === 1) as ReturnType<typeof parse>[];
    assert.deepEqual(kids.map((k) => k.rawTagName), ['time', 'span']);
    assert.ok(kids[1]!.classList.contains('archive-title') && kids[1]!.querySelector('a'));
  }
});

test('code blocks get a bar naming their language, and no button is written into the HTML', async (t) => {
  const { out } = await buildThemeSite(t);
  const html = await readFile(path.join(out, TOUR, 'index.html'), 'utf8');
  const doc = parse(html, { blockTextElements: { script: true, style: true } }); // <pre> parsed as elements
  const blocks = doc.querySelectorAll('.post-content .code-block');
  assert.equal(blocks.length, 3);
  assert.deepEqual(blocks.map((b) => b.querySelector('.code-bar .code-lang')?.textContent ?? null), ['js', null, 'sh']);
  for (const b of blocks) assert.equal(b.querySelectorAll('pre[tabindex="0"] > code').length, 1, 'a box that may scroll can be scrolled from the keyboard');
  assert.match(blocks[0]!.querySelector('pre code')!.classList.value.join(' '), /language-js/);
  assert.equal(blocks[1]!.querySelector('pre code')!.textContent, 'plain text, kept exactly as written\n');
  assert.doesNotMatch(html, /<button/, 'copy buttons come from theme.js: without JavaScript there is no dead button');
  assert.doesNotMatch(html, /class="[^"]*line-number/, 'no line numbers');
  // Feeds keep the plain markup.
  const feed = await readFile(path.join(out, 'feed.xml'), 'utf8');
  assert.match(feed, /&lt;pre&gt;&lt;code class="language-js"&gt;/);
  assert.doesNotMatch(feed, /code-block|table-scroll/);
});

test('a table is framed in its own scrolling box, and task list boxes are named', async (t) => {
  const { out } = await buildThemeSite(t);
  const doc = await page(out, TOUR);
  const tables = doc.querySelectorAll('.post-content table');
  assert.equal(tables.length, 1);
  assert.ok(tables[0]!.parentNode.classList.contains('table-scroll'));
  assert.equal(tables[0]!.parentNode.getAttribute('tabindex'), '0');
  assert.deepEqual(doc.querySelectorAll('.task-list-item input').map((i) => [i.hasAttribute('checked'), i.getAttribute('aria-label')]), [[true, 'Done'], [true, 'Done'], [false, 'To do']]);
});

test('every page applies the stored colour scheme before its stylesheet, and has the switch and the theme script', async (t) => {
  const { out } = await buildThemeSite(t);
  for (const file of await htmlFiles(out)) {
    if (file.startsWith('demo/')) continue; // a file of the site, not a page of the theme
    const html = await readFile(path.join(out, file), 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    const inline = head.indexOf('<script>');
    assert.ok(inline > 0 && inline < head.indexOf('<link rel="stylesheet"'), `${file}: the inline script comes before the stylesheet`);
    assert.match(head, /<script src="\/assets\/theme\.js\?v&#x3D;\w+" defer><\/script>/, file);
    const doc = parse(html);
    assert.deepEqual(doc.querySelectorAll('.site-header .theme-switch select option').map((o) => o.getAttribute('value')), ['system', 'light', 'dark'], file);
    assert.equal(text(doc.querySelector('.theme-switch .sr-only')), 'Colour scheme', file);
  }
  const css = await readFile(path.join(TEMPLATES, 'assets/style.css'), 'utf8');
  assert.match(css, /\.theme-switch \{[^}]*display: none;/, 'hidden without JavaScript');
  assert.match(css, /\.js \.theme-switch \{/, 'shown when the inline script ran');
  assert.match(css, /:root\[data-theme="dark"\]/);
  assert.match(css, /@media \(prefers-color-scheme: dark\) \{\n  :root:not\(\[data-theme="light"\]\)/, 'no choice stored: the system setting');
});

test('every page links the site feed, a category page its own feed, and feeds are styled for browsers', async (t) => {
  const { out } = await buildThemeSite(t);
  for (const file of await htmlFiles(out)) {
    if (file.startsWith('demo/')) continue;
    assert.equal((await page(out, file)).querySelector('.site-footer a.feed-link')?.getAttribute('href'), '/feed.xml', file);
  }
  assert.equal((await page(out, 'categories/cybersecurity/')).querySelector('main .feed-link')?.getAttribute('href'), '/categories/cybersecurity/feed.xml');
  assert.equal((await page(out, 'tags/css/')).querySelector('main .feed-link'), null, 'tags have no feeds');
  for (const file of ['feed.xml', 'rss.xml', 'categories/cybersecurity/feed.xml', 'categories/cybersecurity/rss.xml']) {
    const xml = await readFile(path.join(out, file), 'utf8');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="/assets/feed.css" type="text/css"?>\n'), file);
    const r = spawnSync('xmllint', ['--noout', path.join(out, file)], { encoding: 'utf8' });
    if (!r.error) assert.equal(r.status, 0, `${file}: ${r.stderr}`);
  }
  assert.ok((await readFile(path.join(out, 'assets/feed.css'), 'utf8')).includes('@namespace atom'));
});

test('feeds name the stylesheet under the base path; without an absolute base URL there are no feed links', async (t) => {
  const { out } = await buildThemeSite(t, 'https://example.com/blog/');
  assert.match(await readFile(path.join(out, 'rss.xml'), 'utf8'), /^<\?xml version="1\.0" encoding="utf-8"\?>\n<\?xml-stylesheet href="\/blog\/assets\/feed\.css" type="text\/css"\?>\n<rss /);
  assert.equal((await page(out, '')).querySelector('.site-footer .feed-link')?.getAttribute('href'), '/blog/feed.xml');
  const local = await buildThemeSite(t, '/');
  assert.equal((await page(local.out, '')).querySelector('.feed-link'), null);
  assert.equal((await page(local.out, 'categories/cybersecurity/')).querySelector('.feed-link'), null);
});

test('the stylesheet line is the only change to a feed, and a theme without feed.css adds none', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, { 'a.md': '---\ntitle: A\ndate: 2020-01-01\ncategories: [C]\n---\n\nBody.\n' });
  const templates = path.join(dir, 'templates');
  await cp(TEMPLATES, templates, { recursive: true });
  const build = async (name: string) => {
    const out = path.join(dir, name);
    assert.equal((await buildSite({ root: dir, outDir: out, contentDir: content, templatesDir: templates, overrides: { baseUrl: 'https://example.com/' } })).ok, true);
    return Promise.all(['feed.xml', 'rss.xml', 'feed.json', 'categories/c/feed.xml'].map((f) => readFile(path.join(out, f), 'utf8')));
  };
  const styled = await build('styled');
  await rm(path.join(templates, 'assets/feed.css'));
  const plain = await build('plain');
  assert.deepEqual(styled.map((s) => s.replace(/<\?xml-stylesheet [^?]*\?>\n/, '')), plain);
  for (const f of plain) assert.doesNotMatch(f, /xml-stylesheet/);
});

test('the favicon is a data: URL with every space and special character percent-encoded (W3C Nu checker)', async (t) => {
  const { out } = await buildThemeSite(t);
  const href = (await page(out, '')).querySelector('link[rel="icon"]')!.getAttribute('href')!;
  // What the URL standard allows unescaped in a data: URL's path, and nothing else.
  assert.match(href, /^data:image\/svg\+xml,(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})+$/);
  const svg = parse(decodeURIComponent(href.slice('data:image/svg+xml,'.length)));
  assert.equal(svg.querySelector('svg')?.getAttribute('xmlns'), 'http://www.w3.org/2000/svg');
  assert.equal(svg.querySelector('path')?.getAttribute('d'), 'M4 4h8v1.5H4zm0 3.25h8v1.5H4zm0 3.25h5v1.5H4z');
});

test('every page of the theme site passes html-validate, code blocks, tables, embeds and the switch included', async (t) => {
  const { out } = await buildThemeSite(t);
  const validator = new HtmlValidate({
    extends: ['html-validate:recommended'],
    rules: { 'long-title': 'off', 'valid-id': ['error', { relaxed: true }], 'no-inline-style': 'off' },
  });
  const problems: string[] = [];
  for (const file of await htmlFiles(out)) {
    const report = await validator.validateString(await readFile(path.join(out, file), 'utf8'), file);
    for (const r of report.results) for (const m of r.messages) if (m.severity === 2) problems.push(`${file}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
  }
  assert.deepEqual(problems, []);
});
