/** Builds the five sample posts with the real theme and checks the real pages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { buildSite, page, tempDir, text } from './helpers.ts';

const TWIN_TITLE = 'Understanding the Principles of Deep Learning in Neural Networks';

test('the sample blog builds with warnings and no errors', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  const report = await buildSite({ outDir: out });
  assert.equal(report.ok, true, report.diagnostics.map((d) => d.message).join('\n'));
  assert.equal(report.posts, 5);
  assert.deepEqual(
    report.diagnostics.filter((d) => d.code === 'frontmatter/duplicate-key').map((d) => [path.basename(d.file!), d.line]),
    [
      ['000_12afb2bbc284cb8d.txt', 9],
      ['001_858fe4bea8dbd5a5.txt', 9],
      ['002_c5b9f78b67f4bf40.txt', 9],
    ],
  );
});

test('five distinct post pages, including both posts that share a title', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  const slugs = (await readdir(path.join(out, 'posts'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  assert.equal(slugs.length, 5);
  assert.ok(slugs.includes('understanding-the-principles-of-deep-learning-in-neural-networks'));
  assert.ok(slugs.includes('understanding-the-principles-of-deep-learning-in-neural-networks-2'));
  // The older post (001, 2018-10-02) keeps the plain slug; the newer (000, 2019-06-26) gets the suffix.
  const older = await page(out, 'posts/understanding-the-principles-of-deep-learning-in-neural-networks/');
  const newer = await page(out, 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
  assert.equal(older.querySelector('article time')?.getAttribute('datetime'), '2018-10-02');
  assert.equal(newer.querySelector('article time')?.getAttribute('datetime'), '2019-06-26');
  assert.equal(text(older.querySelector('h1')), TWIN_TITLE);
  assert.equal(text(newer.querySelector('h1')), TWIN_TITLE);
  const bodies = new Set<string>();
  for (const slug of slugs) bodies.add(text((await page(out, `posts/${slug}/`)).querySelector('.post-content')));
  assert.equal(bodies.size, 5, 'every post page shows its own body');
});

test('every post page has exactly one h1, the title, and an article with a time element', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  for (const slug of (await readdir(path.join(out, 'posts'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const doc = await page(out, `posts/${slug}/`);
    assert.equal(doc.querySelectorAll('h1').length, 1, slug);
    const article = doc.querySelector('main article');
    assert.ok(article, `${slug} has an article`);
    assert.match(article.querySelector('time')?.getAttribute('datetime') ?? '', /^\d{4}-\d{2}-\d{2}/);
    assert.equal(doc.querySelector('html')?.getAttribute('lang'), 'en');
  }
});

test('five category pages list the right posts, and the category index counts them', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  const expected: Record<string, { name: string; date: string }> = {
    cybersecurity: { name: 'Cybersecurity', date: '2019-06-26' },
    'artificial-intelligence': { name: 'Artificial Intelligence', date: '2018-10-02' },
    cryptography: { name: 'Cryptography', date: '2018-01-27' },
    'tech-trends': { name: 'Tech Trends', date: '2018-10-08' },
    'data-structures': { name: 'Data Structures', date: '' },
  };
  const dirs = (await readdir(path.join(out, 'categories'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.deepEqual(dirs.sort(), Object.keys(expected).sort());
  for (const [slug, { name, date }] of Object.entries(expected)) {
    const doc = await page(out, `categories/${slug}/`);
    assert.match(text(doc.querySelector('h1')), new RegExp(name));
    const articles = doc.querySelectorAll('main article');
    assert.equal(articles.length, 1, `${slug} lists one post`);
    if (date) assert.equal(articles[0]!.querySelector('time')?.getAttribute('datetime'), date);
    const link = articles[0]!.querySelector('a[href^="/posts/"]')!.getAttribute('href')!;
    const post = await page(out, link.slice(1));
    const chips = post.querySelectorAll('a[href^="/categories/"]').map((a) => a.getAttribute('href'));
    assert.ok(chips.includes(`/categories/${slug}/`), `${link} links back to ${slug}`);
  }
  const index = await page(out, 'categories/');
  for (const { name } of Object.values(expected)) assert.match(text(index.querySelector('main')), new RegExp(`${name}\\D*1`));
});

test('the home page lists all five posts newest first, linking to every post page', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out, now: Date.UTC(2100, 0, 1) });
  const doc = await page(out, '');
  const links = doc.querySelectorAll('main article h2 a').map((a) => a.getAttribute('href')!);
  assert.equal(links.length, 5);
  assert.equal(new Set(links).size, 5);
  const dates = doc.querySelectorAll('main article time').map((el) => el.getAttribute('datetime')!);
  assert.deepEqual([...dates].sort().reverse(), dates, 'newest first');
  assert.equal(doc.querySelectorAll('h1').length, 1);
});

test('the table of contents appears only on the post with toc: true', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  for (const slug of (await readdir(path.join(out, 'posts'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const doc = await page(out, `posts/${slug}/`);
    const toc = doc.querySelector('nav.toc');
    if (slug === 'understanding-the-fundamentals-of-deep-learning-and-neural-networks') {
      assert.ok(toc, 'sample 004 has a table of contents');
      const targets = toc.querySelectorAll('a').map((a) => a.getAttribute('href')!.slice(1));
      assert.ok(targets.length >= 5);
      for (const id of targets) assert.ok(doc.getElementById(id), `#${id} exists`);
    } else {
      assert.equal(toc, null, `${slug} has no table of contents`);
    }
  }
});

test('the repeated "# Title" line is dropped from the body and headings get anchors', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  const doc = await page(out, 'posts/understanding-the-principles-of-neural-networks-in-deep-learning/');
  const content = doc.querySelector('.post-content')!;
  assert.ok(!text(content).startsWith('Understanding the Principles'), 'no repeated title at the top of the body');
  const h2 = content.querySelector('h2')!;
  assert.equal(h2.getAttribute('id'), 'introduction');
  assert.equal(h2.querySelector('a.heading-anchor')?.getAttribute('href'), '#introduction');
});

test('sample 000 shows June 26, 2019 and the icon is inline SVG (no external requests)', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  const doc = await page(out, 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
  assert.equal(text(doc.querySelector('article time')), 'June 26, 2019');
  assert.ok(doc.querySelector('h1 svg'), 'icon beside the title');
  const html = await readFile(path.join(out, 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/index.html'), 'utf8');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no external URLs');
});

test('every internal link honours a sub-path base URL', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  const report = await buildSite({ outDir: out, overrides: { baseUrl: 'https://example.com/blog/' } });
  assert.equal(report.ok, true);
  for (const file of ['index.html', 'categories/index.html', 'posts/understanding-the-principles-of-neural-networks-in-deep-learning/index.html']) {
    const doc = await page(out, file);
    const refs = [...doc.querySelectorAll('a[href]').map((a) => a.getAttribute('href')!), ...doc.querySelectorAll('link[href]').map((l) => l.getAttribute('href')!)];
    const internal = refs.filter((r) => !r.startsWith('#') && !r.startsWith('data:') && !r.startsWith('https://example.com/blog/'));
    assert.ok(refs.every((r) => !r.startsWith('http') || r.startsWith('https://example.com/blog/')), 'absolute URLs (canonical) are under the base too');
    assert.ok(internal.length > 3);
    for (const r of internal) assert.ok(r.startsWith('/blog/'), `${file}: ${r} starts with /blog/`);
  }
});

test('the output is byte-identical across builds and time zones', async (t) => {
  const dir = await tempDir(t);
  const a = await buildSite({ outDir: path.join(dir, 'a'), write: false });
  const b = await buildSite({ outDir: path.join(dir, 'b'), write: false });
  const norm = (r: typeof a) => r.files.map((f) => [f.outPath, Buffer.from(f.contents).toString('base64')]).sort();
  assert.deepEqual(norm(a), norm(b));
});

test('home and category pages paginate with postsPerPage, linking page to page', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  const report = await buildSite({ outDir: out, overrides: { postsPerPage: 2 }, now: Date.UTC(2100, 0, 1) });
  assert.equal(report.ok, true);
  const titles: string[] = [];
  let next: string | undefined = '';
  let pages = 0;
  while (next !== undefined) {
    const doc = await page(out, next.replace(/^\//, ''));
    pages++;
    titles.push(...doc.querySelectorAll('main article h2 a').map((a) => a.getAttribute('href')!));
    assert.equal(doc.querySelectorAll('h1').length, 1);
    next = doc.querySelector('nav[aria-label="Pagination"] a[rel="next"]')?.getAttribute('href') ?? undefined;
  }
  assert.equal(pages, 3, 'five posts at two per page');
  assert.equal(new Set(titles).size, 5, 'every post once across the pages');
  const last = await page(out, 'page/3/');
  assert.equal(last.querySelector('nav[aria-label="Pagination"] a[rel="prev"]')?.getAttribute('href'), '/page/2/');
});

test('related posts link only posts that share a topic: none rather than an unrelated one', async (t) => {
  // The samples share no category or tag, so text alone relates them, at a similarity of at least
  // 0.2 with two keywords in common: the two posts on GANs (0.455) and the two on activation
  // functions (0.231). The others are left without a "Related posts" box.
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out });
  const related = async (slug: string) => {
    const doc = await page(out, `posts/${slug}/`);
    return doc.querySelector('.related') ? doc.querySelectorAll('.related-list a').map((a) => a.getAttribute('href')) : null;
  };
  const plain = 'understanding-the-principles-of-deep-learning-in-neural-networks';
  assert.deepEqual(await related(plain), ['/posts/understanding-the-principles-of-deep-learning-and-neural-networks/', '/posts/understanding-the-principles-of-neural-networks-in-deep-learning/']);
  assert.deepEqual(await related('understanding-the-principles-of-deep-learning-and-neural-networks'), [`/posts/${plain}/`]);
  assert.deepEqual(await related('understanding-the-principles-of-neural-networks-in-deep-learning'), [`/posts/${plain}/`]);
  assert.equal(await related('understanding-the-fundamentals-of-deep-learning-and-neural-networks'), null);
  assert.equal(await related(`${plain}-2`), null);
});
