/**
 * Everything a real blog keeps in its content folder (here: Jekyll's 102 real posts, plus
 * the rest): images beside posts, page bundles,
 * images in content/images/, a static/ folder, plain .txt files, standalone pages with a menu,
 * links written as files, old URLs that redirect. Built for real at / and under /blog/, every
 * page parsed, and every internal URL on every page followed to a file the build wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse } from 'node-html-parser';
import { buildSite, copyJekyllPosts, page, snapshot, tempDir, writeFiles } from './helpers.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function blog(root: string): Promise<{ content: string; statics: string }> {
  const content = path.join(root, 'content');
  await writeFiles(content, {
    'posts/2024-01-02-baking.md': '---\ntitle: Baking bread at home\ndate: 2024-01-02\ncategories: [Food]\n---\n\nMy starter: ![starter](baking/starter.png).\n\nThe [next post](2025-01-12-hello-again.md#intro), [my trip](my-trip/), [its photo](my-trip/photo.png), [about](../pages/about.md) and ![books](/images/books.png).\n',
    'posts/2025-01-12-hello-again.md': '---\ntitle: Hello again\nredirect_from:\n  - /2025/01/12/hello-again.html\naliases: [/old/hello/]\n---\n\n## Intro\n\nBack to [the bread](./2024-01-02-baking.md).\n',
    'posts/my-trip/index.md': '---\ntitle: A trip to the sea\ndate: 2024-05-01\ncover: photo.png\n---\n\n![the sea](photo.png)\n',
    'pages/about.md': '---\ntitle: About me\nmenu: 1\n---\n\nI bake. Read [my first post](../posts/2024-01-02-baking.md).\n',
    'contact.md': '---\ntitle: Contact\nlayout: page\nmenu: 2\n---\n\nWrite to me.\n',
    'notes.txt': 'Plain notes, no front matter: a file, not a post.\n',
    CNAME: 'blog.example.com\n',
  });
  await writeFiles(content, {});
  const { writeFile, mkdir } = await import('node:fs/promises');
  for (const rel of ['posts/baking/starter.png', 'posts/my-trip/photo.png', 'images/books.png']) {
    await mkdir(path.dirname(path.join(content, rel)), { recursive: true });
    await writeFile(path.join(content, rel), PNG);
  }
  await copyJekyllPosts(path.join(content, 'posts/jekyll'));
  const statics = path.join(root, 'static');
  await writeFiles(statics, { 'favicon.ico': 'icon', '.well-known/security.txt': 'Contact: mailto:me@example.com\n' });
  return { content, statics };
}

/** Jekyll's own blog publishes posts here; kept, its posts' links to each other resolve. */
const JEKYLL_PERMALINK = '/news/:year/:month/:day/:slug/';

/** Every internal URL (href, src) on every HTML page, with the page it is on. */
function internalUrls(files: Map<string, Buffer>, base: string): { page: string; url: string }[] {
  const out: { page: string; url: string }[] = [];
  for (const [rel, bytes] of files) {
    if (!rel.endsWith('.html')) continue;
    const doc = parse(bytes.toString('utf8'));
    for (const el of doc.querySelectorAll('[href], [src]')) {
      const url = el.getAttribute('href') ?? el.getAttribute('src')!;
      if (/^[a-z]+:/i.test(url) || url.startsWith('//') || url.startsWith('#')) continue;
      out.push({ page: base + rel.replace(/index\.html$/, ''), url });
    }
  }
  return out;
}

for (const base of ['/', '/blog/']) {
  test(`a blog with images, bundles, pages, static files and redirects builds with no errors at ${base}, and every internal URL resolves`, async (t) => {
    const root = await tempDir(t);
    const { content, statics } = await blog(root);
    const out = path.join(root, 'public');
    const r = await buildSite({ root, outDir: out, contentDir: content, staticDir: statics, overrides: { baseUrl: `https://example.com${base}`, permalink: JEKYLL_PERMALINK } });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    // Jekyll's posts link to its documentation (/docs/…), which this site does not have: warned, not broken.
    assert.deepEqual(r.diagnostics.filter((d) => d.code.startsWith('link/') && d.code !== 'link/not-generated').map((d) => `${d.file}:${d.line} ${d.message}`), [], 'no broken links');
    assert.equal(r.posts, 105, 'pages are not posts');
    const files = await snapshot(out);

    // Files: beside their post, in a bundle beside its page, at their path, from static/ at the root.
    assert.deepEqual(files.get('posts/baking/starter.png'), PNG);
    assert.deepEqual(files.get('news/2024/05/01/my-trip/photo.png'), PNG);
    assert.deepEqual(files.get('images/books.png'), PNG);
    assert.equal(files.get('notes.txt')?.toString(), 'Plain notes, no front matter: a file, not a post.\n');
    assert.equal(files.get('CNAME')?.toString(), 'blog.example.com\n');
    assert.equal(files.get('favicon.ico')?.toString(), 'icon');
    assert.ok(files.has('.well-known/security.txt'));

    // Links written as files became URLs; root-relative ones got the base path.
    const post = await page(out, 'news/2024/01/02/baking/');
    const body = post.querySelector('.post-content')!;
    assert.equal(body.querySelector('img[alt="starter"]')!.getAttribute('src'), `${base}posts/baking/starter.png`);
    assert.equal(body.querySelector('img[alt="books"]')!.getAttribute('src'), `${base}images/books.png`);
    // Local images carry their size (no layout shift); all but the first load lazily.
    const [firstImg, secondImg] = body.querySelectorAll('img');
    assert.deepEqual([firstImg!.getAttribute('width'), firstImg!.getAttribute('height'), firstImg!.getAttribute('loading')], ['1', '1', undefined]);
    assert.deepEqual([secondImg!.getAttribute('width'), secondImg!.getAttribute('loading'), secondImg!.getAttribute('decoding')], ['1', 'lazy', 'async']);
    const hrefs = body.querySelectorAll('a').map((a) => a.getAttribute('href'));
    assert.deepEqual(hrefs, [`${base}news/2025/01/12/hello-again/#intro`, `${base}news/2024/05/01/my-trip/`, `${base}news/2024/05/01/my-trip/photo.png`, `${base}about/`]);
    const trip = await page(out, 'news/2024/05/01/my-trip/');
    assert.equal(trip.querySelector('.post-content img')!.getAttribute('src'), `${base}news/2024/05/01/my-trip/photo.png`);
    // cover: the post's hero image, its card image, its JSON-LD and JSON Feed image, small in listings.
    assert.equal(trip.querySelector('.post-header img.post-cover')!.getAttribute('src'), `${base}news/2024/05/01/my-trip/photo.png`);
    assert.equal(trip.querySelector('meta[property="og:image"]')!.getAttribute('content'), `https://example.com${base}news/2024/05/01/my-trip/photo.png`);
    assert.equal(trip.querySelector('meta[name="twitter:card"]')!.getAttribute('content'), 'summary_large_image');
    assert.equal(JSON.parse(trip.querySelector('script[type="application/ld+json"]')!.textContent).image, `https://example.com${base}news/2024/05/01/my-trip/photo.png`);
    const feedItem = JSON.parse(files.get('feed.json')!.toString()).items.find((i: { title: string }) => i.title === 'A trip to the sea');
    assert.equal(feedItem.image, `https://example.com${base}news/2024/05/01/my-trip/photo.png`);
    assert.equal((await page(out, '')).querySelector('.post-summary.has-cover img.post-summary-cover')!.getAttribute('src'), `${base}news/2024/05/01/my-trip/photo.png`);
    assert.equal((await page(out, 'news/2024/01/02/baking/')).querySelector('meta[name="twitter:card"]')!.getAttribute('content'), 'summary', 'fine without one');

    // Pages: at /<slug>/, in the header in menu order, nowhere a post is listed.
    const about = await page(out, 'about/');
    assert.equal(about.querySelector('h1')!.textContent.trim(), 'About me');
    assert.equal(about.querySelector('.post-content a')!.getAttribute('href'), `${base}news/2024/01/02/baking/`);
    const nav = (await page(out, '')).querySelectorAll('.site-nav a').map((a) => a.textContent.trim());
    assert.deepEqual(nav.slice(-2), ['About me', 'Contact']);
    for (const listing of [files.get('index.html')!, files.get('archive/index.html')!, files.get('feed.xml')!, files.get('search-index.json')!, files.get('posts/index.html')!]) {
      assert.doesNotMatch(listing.toString(), /About me<\/a><\/h2>|"About me"|<title[^>]*>About me|Contact<\/a><\/h2>/);
    }
    assert.ok(!files.get('search-index.json')!.toString().includes('About me'));
    assert.ok(files.get('sitemap.xml')!.toString().includes(`https://example.com${base}about/`), 'pages are in the sitemap');

    // posts/ lists every post.
    assert.equal((await page(out, 'posts/')).querySelectorAll('.post-list article').length, 10, 'the first page of posts/');
    assert.ok(files.has('posts/page/11/index.html'), '105 posts: 11 pages');

    // Old URLs redirect: meta refresh, canonical and a link, no script; not in the sitemap.
    for (const old of ['2025/01/12/hello-again.html', 'old/hello/index.html']) {
      const doc = parse(files.get(old)!.toString());
      assert.equal(doc.querySelector('meta[http-equiv="refresh"]')!.getAttribute('content'), `0; url=${base}news/2025/01/12/hello-again/`);
      assert.equal(doc.querySelector('link[rel="canonical"]')!.getAttribute('href'), `https://example.com${base}news/2025/01/12/hello-again/`);
      assert.equal(doc.querySelector('a')!.getAttribute('href'), `${base}news/2025/01/12/hello-again/`);
      assert.equal(doc.querySelectorAll('script').length, 0);
    }
    assert.ok(!files.get('sitemap.xml')!.toString().includes('hello-again.html'));

    // Crawl: every internal URL on every page leads to a file the build wrote.
    // (Links into folders this site does not write at all, Jekyll's /docs/, are left out: warned above.)
    const urls = internalUrls(files, base);
    const topLevel = new Set([...files.keys()].map((f) => f.split('/')[0]));
    assert.ok(urls.length > 1000);
    for (const { page: from, url } of urls) {
      const resolved = new URL(url, `https://example.com${from}`);
      if (!topLevel.has(decodeURIComponent(resolved.pathname.slice(base.length)).split('/')[0]) && resolved.pathname.startsWith(base)) continue;
      assert.ok(resolved.pathname.startsWith(base), `${url} on ${from} stays under ${base}`);
      let rel = decodeURIComponent(resolved.pathname.slice(base.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      assert.ok(files.has(rel), `${url} on ${from} leads to ${rel}`);
    }
  });
}

test('a link written as a file that leads nowhere is a link/broken warning at its line', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  await writeFiles(content, { 'a-post.md': '---\ntitle: A post\ndate: 2020-01-01\n---\n\nText.\n\nSee [gone](../missing.md) and ![no image](img/none.png).\n' });
  const r = await buildSite({ root, outDir: path.join(root, 'public'), contentDir: content, overrides: { baseUrl: 'https://example.com/' } });
  assert.equal(r.ok, true);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'link/broken').map((d) => [path.basename(d.file!), d.line, d.severity]), [
    ['a-post.md', 8, 'warning'],
    ['a-post.md', 8, 'warning'],
  ]);
  assert.match(await readFile(path.join(root, 'public/posts/a-post/index.html'), 'utf8'), /href="\.\.\/missing\.md"/);
});

test('with markdown.allowHtml, src and href in raw HTML are links written as files too', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  await writeFiles(content, {
    'posts/a-post.md': '---\ntitle: A post\ndate: 2020-01-01\n---\n\n<figure><img src="a-post/pic.png" alt="p"><figcaption><a href=\'../about.md#me\'>about</a></figcaption></figure>\n',
    'about.md': '---\ntitle: About\nlayout: page\n---\n\n## Me\n\nHi.\n',
  });
  const { writeFile, mkdir } = await import('node:fs/promises');
  await mkdir(path.join(content, 'posts/a-post'), { recursive: true });
  await writeFile(path.join(content, 'posts/a-post/pic.png'), PNG);
  const out = path.join(root, 'public');
  const r = await buildSite({ root, outDir: out, contentDir: content, overrides: { baseUrl: 'https://example.com/blog/', markdown: { allowHtml: true } } });
  assert.deepEqual(r.diagnostics.filter((d) => d.code.startsWith('link/') || d.severity === 'error'), []);
  const figure = (await page(out, 'posts/a-post/')).querySelector('.post-content figure')!;
  assert.equal(figure.querySelector('img')!.getAttribute('src'), '/blog/posts/a-post/pic.png');
  assert.equal(figure.querySelector('a')!.getAttribute('href'), '/blog/about/#me');
});

test('a large local image gets WebP variants (480, 960, 1600 px) and a srcset; a warm build takes them from the cache', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  const sharp = (await import('sharp')).default;
  const big = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: { r: 30, g: 90, b: 160 } } }).png().toBuffer();
  await writeFiles(content, { 'posts/sea.md': '---\ntitle: The sea\ndate: 2020-01-01\n---\n\n![the sea](sea/wide.png)\n' });
  const { writeFile, mkdir, readdir: list, stat } = await import('node:fs/promises');
  await mkdir(path.join(content, 'posts/sea'), { recursive: true });
  await writeFile(path.join(content, 'posts/sea/wide.png'), big);
  const out = path.join(root, 'public');
  const build = () => buildSite({ root, outDir: out, contentDir: content, overrides: { baseUrl: 'https://example.com/' } });
  const first = await build();
  assert.deepEqual(first.diagnostics.filter((d) => d.severity === 'error' || d.code.startsWith('link/')), []);
  const img = (await page(out, 'posts/sea/')).querySelector('.post-content img')!;
  assert.equal(img.getAttribute('src'), '/posts/sea/wide.png');
  assert.deepEqual([img.getAttribute('width'), img.getAttribute('height')], ['2000', '1000']);
  assert.equal(img.getAttribute('srcset'), '/posts/sea/wide-480w.webp 480w, /posts/sea/wide-960w.webp 960w, /posts/sea/wide-1600w.webp 1600w, /posts/sea/wide.png 2000w');
  assert.match(img.getAttribute('sizes')!, /100vw/);
  for (const w of [480, 960, 1600]) {
    const meta = await sharp(path.join(out, `posts/sea/wide-${w}w.webp`)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', w, w / 2]);
  }
  // Warm: the variants come from .cache/quire/images, none is made again.
  const cache = path.join(root, '.cache/quire/images');
  const before = await Promise.all((await list(cache)).map(async (f) => [f, (await stat(path.join(cache, f))).mtimeMs]));
  assert.equal(before.length, 3);
  await writeFile(path.join(content, 'posts/sea.md'), '---\ntitle: The sea, again\ndate: 2020-01-01\n---\n\n![the sea](sea/wide.png)\n');
  const warm = await build();
  assert.equal(warm.ok, true);
  assert.equal(warm.timings.images! < 1000, true);
  const after = await Promise.all((await list(cache)).map(async (f) => [f, (await stat(path.join(cache, f))).mtimeMs]));
  assert.deepEqual(after, before, 'no variant was made again');
});

test('a changed image or static file is written by the next build (the up-to-date check covers every file of the site)', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  const statics = path.join(root, 'static');
  await writeFiles(content, { 'a-post.md': '---\ntitle: A post\ndate: 2020-01-01\n---\n\n![pic](pic.png)\n', 'pic.png': 'first', 'notes.txt': 'first notes' });
  await writeFiles(statics, { 'favicon.ico': 'first icon' });
  const out = path.join(root, 'public');
  const build = () => buildSite({ root, outDir: out, contentDir: content, staticDir: statics, overrides: { baseUrl: 'https://example.com/' } });
  assert.equal((await build()).ok, true);
  assert.equal((await build()).upToDate, true, 'nothing changed: nothing done');
  await writeFiles(content, { 'pic.png': 'second', 'notes.txt': 'second notes' });
  await writeFiles(statics, { 'favicon.ico': 'second icon' });
  const r = await build();
  assert.notEqual(r.upToDate, true);
  assert.equal(r.output?.written, 3);
  const { readFile: read } = await import('node:fs/promises');
  assert.deepEqual(await Promise.all(['pic.png', 'notes.txt', 'favicon.ico'].map((f) => read(path.join(out, f), 'utf8'))), ['second', 'second notes', 'second icon']);
});

test('an image whose header says 2000 px but whose data is cut off is published as it is, with a warning (no crash)', async (t) => {
  const root = await tempDir(t);
  const content = path.join(root, 'content');
  const sharp = (await import('sharp')).default;
  const big = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
  await writeFiles(content, { 'a-post.md': '---\ntitle: A post\ndate: 2020-01-01\n---\n\n![cut](cut.png)\n' });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(content, 'cut.png'), big.subarray(0, 60));
  const out = path.join(root, 'public');
  const r = await buildSite({ root, outDir: out, contentDir: content, overrides: { baseUrl: 'https://example.com/' } });
  assert.equal(r.ok, true);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'content/image-unreadable').map((d) => path.basename(d.file!)), ['cut.png']);
  assert.equal((await page(out, 'posts/a-post/')).querySelector('.post-content img')!.getAttribute('srcset'), undefined);
});
