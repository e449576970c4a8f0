/**
 * Nothing an author typed can run in a reader's browser (issue 6): hostile front matter is built
 * into a real site and read back from every context it reaches (HTML text and attributes, URLs,
 * XML feeds, JSON, JSON-LD); raw HTML is dropped unless the config allows it; `javascript:` links
 * are neutralised either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { parse, type HTMLElement } from 'node-html-parser';
import { parseFeed } from '@rowanmanning/feed-parser';
import { buildSite, tempDir, themeInlineScript, writeFiles } from './helpers.ts';

const BASE = 'https://example.com/';

const TITLE = `</title><script>alert("t")</script> " onmouseover="alert(1)" ' \` {{site.title}} & ]]> <!-- \u2028 end`;
const DESCRIPTION = `"><img src=x onerror=alert(2)> </script><script>alert(3)</script> ]]> & more`;
const AUTHOR = `<svg onload=alert(4)> & "quoted" 'author'`;
const CATEGORIES = ['javascript:alert(5)', '"><script>alert(6)</script>'];
const TAGS = [`' onfocus='alert(7)`, ']]><evil/>'];

/** Front-matter text as the site shows it: whitespace runs (U+2028 too) collapsed to one space. */
const shown = (s: string) => s.replace(/\s+/g, ' ').trim();
const [T, D, A] = [shown(TITLE), shown(DESCRIPTION), shown(AUTHOR)];

/** A YAML double-quoted scalar for `s` (JSON's escapes are YAML's; U+2028 spelled out). */
const yaml = (s: string) => JSON.stringify(s).replace(/\u2028/g, '\\u2028');

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

/** Builds `files` as the whole content folder with an absolute base URL (so feeds, sitemap and canonical links exist). */
async function site(t: Parameters<typeof tempDir>[0], files: Record<string, string>, allowHtml = false) {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, files);
  const out = path.join(dir, 'public');
  const report = await buildSite({ root: dir, outDir: out, contentDir: content, overrides: { baseUrl: BASE, markdown: { allowHtml } } });
  assert.equal(report.ok, true, JSON.stringify(report.diagnostics.filter((d) => d.severity === 'error')));
  return { out, report, page: async (file: string) => parse(await readFile(path.join(out, file), 'utf8'), { blockTextElements: { script: true, style: true, pre: true, noscript: true } }) };
}

/** True for a URL a browser would run as script (it ignores control characters and spaces in the scheme). */
const runsScript = (url: string) => /^(javascript|vbscript|data:text)/i.test(url.replace(/[\u0000-\u0020\u007f]/g, ''));

/** Every element of `doc`, depth first. */
function elements(doc: HTMLElement): HTMLElement[] {
  const out: HTMLElement[] = [];
  const stack = [doc];
  while (stack.length) {
    const el = stack.pop()!;
    out.push(el);
    for (const child of el.childNodes) if (child.nodeType === 1) stack.push(child as HTMLElement);
  }
  return out;
}

function xmllint(file: string): void {
  const r = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (r.error) throw new Error('xmllint is needed for this test: sudo apt-get install -y libxml2-utils');
  assert.equal(r.status, 0, `${file}: ${r.stderr}`);
}

test('every front-matter value is escaped in HTML text, attributes, URLs, XML, JSON and JSON-LD, and reads back exactly', async (t) => {
  const front = [
    '---',
    `title: ${yaml(TITLE)}`,
    `description: ${yaml(DESCRIPTION)}`,
    `author: ${yaml(AUTHOR)}`,
    `categories: [${CATEGORIES.map(yaml).join(', ')}]`,
    `tags: [${TAGS.map(yaml).join(', ')}]`,
    `slug: ${yaml('javascript:alert(8)')}`,
    `icon: ${yaml('"><script>alert(9)</script>')}`,
    `extra: ${yaml('<script>alert(10)</script>')}`,
    'date: 2020-01-01',
    '---',
    'Body text.',
    '',
  ].join('\n');
  const { out, report, page } = await site(t, { 'evil.md': front });
  assert.deepEqual(report.diagnostics.map((d) => d.code), ['frontmatter/unknown-icon'], 'the icon is not a theme icon: a warning, and no icon');

  // Every page: no event-handler attribute, no script but JSON-LD and the theme's own, no URL that runs script.
  const inline = await themeInlineScript();
  for (const file of (await allFiles(out)).filter((f) => f.endsWith('.html'))) {
    for (const el of elements(await page(file))) {
      for (const [name, value] of Object.entries(el.attributes)) {
        assert.doesNotMatch(name, /^on/i, `${file}: <${el.rawTagName} ${name}>`);
        if (name === 'href' || name === 'src') {
          assert.ok(!runsScript(value), `${file}: ${name}="${value}"`);
          assert.ok(/^(\/|#|https:\/\/example\.com\/|data:image\/svg\+xml,)/.test(value), `${file}: ${name}="${value}" leaves the site`);
        }
      }
      if (el.rawTagName === 'script') {
        const theirs = el.getAttribute('type') === 'application/ld+json' || /^\/assets\/[\w.-]+\?v=\w+$/.test(el.getAttribute('src') ?? '') || (Object.keys(el.attributes).length === 0 && el.textContent === inline);
        assert.ok(theirs, `${file}: ${el.outerHTML.slice(0, 120)}`);
      }
    }
  }

  // The post page reads every value back exactly, from text, attributes and JSON-LD.
  const url = 'posts/javascript-alert8/';
  const doc = await page(`${url}index.html`);
  assert.equal(doc.querySelector('h1 .post-title-text')!.textContent, T);
  assert.ok(doc.querySelector('title')!.textContent.startsWith(T));
  assert.equal(doc.querySelector('meta[name="description"]')!.getAttribute('content'), D);
  assert.equal(doc.querySelector('meta[property="og:title"]')!.getAttribute('content'), T);
  assert.equal(doc.querySelector('meta[property="og:url"]')!.getAttribute('content'), BASE + url);
  assert.equal(doc.querySelector('link[rel="canonical"]')!.getAttribute('href'), BASE + url);
  assert.equal(doc.querySelector('.meta-author')!.textContent, `By ${A}`);
  assert.deepEqual(doc.querySelectorAll('.post-categories a').map((a) => [a.textContent, a.getAttribute('href')]), [
    [CATEGORIES[0], '/categories/javascript-alert5/'],
    [CATEGORIES[1], '/categories/scriptalert6-script/'],
  ]);
  assert.deepEqual(doc.querySelectorAll('.post-tags a').map((a) => a.textContent), TAGS);
  assert.equal(doc.querySelector('.post-icon'), null);
  const ld = JSON.parse(doc.querySelector('script[type="application/ld+json"]')!.textContent);
  assert.deepEqual([ld.headline, ld.description, ld.author.name, ld.articleSection, ld.keywords, ld.url], [T, D, A, CATEGORIES, TAGS.join(', '), BASE + url]);
  assert.equal(doc.querySelectorAll('script[type="application/ld+json"]').length, 1, 'nothing broke out of the JSON-LD element');
  assert.deepEqual(doc.querySelectorAll('script:not([type])').map((s) => s.getAttribute('src')?.replace(/\?v=\w+$/, '') ?? s.textContent), [inline, '/assets/theme.js'], 'and the theme\'s two scripts are the only others');

  // Listings show the title as text too.
  const home = await page('index.html');
  assert.equal(home.querySelector('.post-summary-title .post-title-text')!.textContent, T);

  // XML: well-formed, and an independent parser reads the values back.
  for (const file of (await allFiles(out)).filter((f) => f.endsWith('.xml'))) xmllint(path.join(out, file));
  for (const file of ['feed.xml', 'rss.xml']) {
    const feed = parseFeed(await readFile(path.join(out, file), 'utf8'));
    assert.equal(feed.items[0]!.title, T, file);
    assert.equal(feed.items[0]!.url, BASE + url, file);
    assert.deepEqual(feed.items[0]!.categories.map((c) => c.label ?? c.term).sort(), [...CATEGORIES].sort(), file);
  }
  const sitemap = parse(await readFile(path.join(out, 'sitemap.xml'), 'utf8'));
  for (const loc of sitemap.querySelectorAll('loc')) assert.ok(loc.textContent.startsWith(BASE), loc.textContent);

  // JSON: the JSON Feed and the search index parse, and hold the values as data.
  const json = JSON.parse(await readFile(path.join(out, 'feed.json'), 'utf8'));
  assert.deepEqual([json.items[0].title, json.items[0].url, json.items[0].summary, json.items[0].authors?.[0]?.name], [T, BASE + url, D, A]);
  const index = JSON.parse(await readFile(path.join(out, 'search-index.json'), 'utf8'));
  assert.ok(JSON.stringify(index).includes(JSON.stringify(T).slice(1, -1)), 'the search index holds the title as data');
});

const RAW_HTML = [
  'Before <b>bold</b> <img src="https://example.com/x.png" onerror="alert(1)"> after.',
  '',
  '<script>alert(2)</script>',
  '',
  '<iframe src="https://example.com/embed"></iframe>',
  '',
  '<div onclick="alert(3)">in a div</div>',
  '',
].join('\n');

test('raw HTML in markdown is dropped by default: not on the page, in listings or in feeds', async (t) => {
  const { out, page } = await site(t, { 'raw.md': `---\ntitle: Raw\ndate: 2020-01-01\n---\n${RAW_HTML}` });
  const content = (await page('posts/raw/index.html')).querySelector('.post-content')!;
  for (const tag of ['b', 'img', 'script', 'iframe', 'div']) assert.equal(content.querySelector(tag), null, tag);
  assert.doesNotMatch(content.innerHTML, /alert|onerror|onclick/);
  assert.equal(content.textContent.replace(/\s+/g, ' ').trim(), 'Before bold after.', 'inline tags go, their text stays; HTML blocks go whole');
  assert.doesNotMatch((await page('index.html')).querySelector('.post-list')!.innerHTML, /<b>|alert/);
  for (const file of ['feed.xml', 'rss.xml']) {
    const item = parseFeed(await readFile(path.join(out, file), 'utf8')).items[0]!;
    const html = parse(item.content ?? item.description ?? '');
    assert.equal(html.querySelectorAll('script, iframe, img, b').length, 0, file);
    assert.doesNotMatch(html.innerHTML, /alert/, file);
  }
  assert.doesNotMatch(JSON.parse(await readFile(path.join(out, 'feed.json'), 'utf8')).items[0].content_html, /<script|<iframe|alert/);
});

test('raw HTML in markdown is kept, as written, with markdown.allowHtml', async (t) => {
  const { page } = await site(t, { 'raw.md': `---\ntitle: Raw\ndate: 2020-01-01\n---\n${RAW_HTML}` }, true);
  const content = (await page('posts/raw/index.html')).querySelector('.post-content')!;
  assert.equal(content.querySelector('b')?.textContent, 'bold');
  assert.equal(content.querySelector('iframe')?.getAttribute('src'), 'https://example.com/embed');
  assert.equal(content.querySelector('script')?.textContent, 'alert(2)', 'the author allowed HTML: their script is theirs');
});

for (const allowHtml of [false, true]) {
  test(`javascript: and other script links in markdown are neutralised ${allowHtml ? 'with' : 'without'} markdown.allowHtml`, async (t) => {
    const body = [
      '[inline](javascript:alert(1)) [upper](JaVaScRiPt:alert(2)) [entity](javascript&#58;alert(3)) [tab](java&#9;script:alert(4))',
      '',
      'Autolink: <javascript:alert(5)> and [reference][r] and [vb](vbscript:msgbox(6)) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)',
      '',
      '![image](javascript:alert(8)) [fine](https://example.com/fine)',
      '',
      '[r]: javascript:alert(9)',
      '',
    ].join('\n');
    const { out, page } = await site(t, { 'links.md': `---\ntitle: Links\ndate: 2020-01-01\n---\n${body}` }, allowHtml);
    const content = (await page('posts/links/index.html')).querySelector('.post-content')!;
    const urls = [...content.querySelectorAll('a').map((a) => a.getAttribute('href') ?? ''), ...content.querySelectorAll('img').map((i) => i.getAttribute('src') ?? '')];
    assert.equal(urls.length, 10, urls.join(' '));
    for (const url of urls) assert.ok(!runsScript(url), url);
    assert.ok(urls.includes('https://example.com/fine'), 'an ordinary link is kept');
    // The feeds carry the same HTML: no script URL there either.
    for (const file of ['feed.xml', 'rss.xml']) {
      const item = parseFeed(await readFile(path.join(out, file), 'utf8')).items[0]!;
      const html = parse(item.content ?? item.description ?? '');
      for (const el of [...html.querySelectorAll('a'), ...html.querySelectorAll('img')]) assert.ok(!runsScript(el.getAttribute('href') ?? el.getAttribute('src') ?? ''), `${file}: ${el.outerHTML}`);
    }
  });
}

test('with markdown.allowHtml, script URLs inside raw HTML are neutralised too (entities, odd case, whitespace, srcset)', async (t) => {
  const body = [
    '<a href="javascript:alert(1)">a</a> <a href=\'JaVa&#x53;cript:alert(2)\'>b</a> <a href=javascript&colon;alert(3)>c</a>',
    '',
    '<iframe src=" java\tscript:alert(4)"></iframe>',
    '',
    '<img src="data:text/html,<script>alert(5)</script>"> <img srcset="ok.png 1x, javascript:alert(6) 2x">',
    '',
    '<form action="vbscript:msgbox(7)"><button formaction="javascript:alert(8)">go</button></form>',
    '',
    '<a href="https://example.com/kept" title="javascript: is just text here">kept</a> <img src="data:image/png;base64,AAAA" alt="">',
    '',
  ].join('\n');
  const { page } = await site(t, { 'raw.md': `---\ntitle: Raw links\ndate: 2020-01-01\n---\n${body}` }, true);
  const content = (await page('posts/raw/index.html')).querySelector('.post-content')!;
  const attrs = ['href', 'src', 'srcset', 'action', 'formaction'];
  const values = content.querySelectorAll('*').flatMap((el) => attrs.map((a) => el.getAttribute(a)).filter((v): v is string => v !== undefined && v !== null));
  assert.ok(values.length >= 10, values.join(' | '));
  for (const v of values) assert.ok(!/(javascript|vbscript)|data:text/i.test(v.replace(/\s+/g, '')), v);
  assert.equal(content.querySelector('a[title]')?.getAttribute('href'), 'https://example.com/kept');
  assert.equal(content.querySelector('a[title]')?.getAttribute('title'), 'javascript: is just text here', 'only URL attributes are touched');
  assert.equal(content.querySelector('img[alt]')?.getAttribute('src'), 'data:image/png;base64,AAAA');
});
