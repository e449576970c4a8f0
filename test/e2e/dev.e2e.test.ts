/// <reference lib="dom" />
/**
 * `npm run dev` in a real browser: edits show up without a manual reload, added and deleted
 * posts appear and disappear, a broken post shows an overlay naming file and line, and fixing it
 * brings the page back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { startDevProcess, tempDir, writeFiles } from '../helpers.ts';
import { launchBrowser } from './browser.ts';

const post = (title: string, date: string, body: string) => `---\ntitle: ${title}\ndate: ${date}\ncategories: Notes\n---\n\n${body}\n`;

test('the dev loop in a browser: edit, add, delete, break and fix a post', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  // File names that are not words: the titles give the URLs, so a title edit moves the post.
  await writeFiles(content, {
    'p1.md': post('First post', '2020-01-01', 'The first body.'),
    'p2.md': post('Second post', '2020-02-01', 'The second body.'),
  });
  const browser: Browser = await launchBrowser();
  t.after(() => browser.close());
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  // The broken post's page is a 404 while it is broken (by design): the refresh that fetches it is no error.
  const expected404 = (m: { text(): string; location(): { url: string } }) => m.text().includes('status of 404') && m.location().url.includes('/posts/third-post/');
  page.on('console', (m) => void (m.type() === 'error' && !expected404(m) && consoleErrors.push(`${m.text()} (${m.location().url})`)));
  await page.goto(new URL('posts/first-post/', dev.url).href);
  assert.equal(await page.textContent('h1'), 'First post');

  // Edit the title: the open page follows the post to its new URL and shows the new title.
  const first = path.join(content, 'p1.md');
  await writeFile(first, post('First post, edited', '2020-01-01', 'The first body.'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'First post, edited', null, { timeout: 10_000 });
  assert.match(page.url(), /\/posts\/first-post-edited\/$/);

  // Add a post: the open home page lists it.
  await page.goto(dev.url);
  await writeFile(path.join(content, 'p3.md'), post('Third post', '2020-03-01', 'The third body.'));
  await page.waitForSelector('main article a:has-text("Third post")', { timeout: 10_000 });

  // Delete a post: gone from the home page, and its URL is a 404.
  await rm(path.join(content, 'p2.md'));
  await page.waitForFunction(() => !document.body.textContent!.includes('Second post'), null, { timeout: 10_000 });
  const gone = await (await browser.newPage()).goto(new URL('posts/second-post/', dev.url).href);
  assert.equal(gone?.status(), 404);

  // Break the front matter: an overlay names the file and line; the post's page is gone while it
  // is broken (the site served is what the current files build), the overlay stays over it.
  await page.goto(new URL('posts/third-post/', dev.url).href);
  const third = path.join(content, 'p3.md');
  const good = await readFile(third, 'utf8');
  await writeFile(third, good.replace('date: 2020-03-01', 'date: 2020-03-32'));
  const overlay = await page.waitForSelector('#quire-error-overlay', { timeout: 10_000 });
  assert.match((await overlay.textContent()) ?? '', /p3\.md:3:1: error: invalid date/);

  // Fix it: the overlay goes away by itself and the page is right.
  await writeFile(third, good.replace('The third body.', 'The third body, fixed.'));
  await page.waitForSelector('#quire-error-overlay', { state: 'detached', timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('.post-content')?.textContent?.includes('fixed'), null, { timeout: 10_000 });
  assert.deepEqual(consoleErrors, []);
  assert.equal(await dev.stop('SIGINT'), 0);
});

test('dev whose first build has a broken-YAML post and a broken link serves the good pages with an overlay naming both files; fixing both clears it without a reload', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const config = path.join(dir, 'quire.config.yml');
  await writeFile(config, 'links: error\n');
  await writeFiles(content, {
    'good.md': post('Good post', '2020-01-01', 'See [the broken one](/posts/missing/).'),
    'broken.md': '---\ntitle: Broken: yaml\ndate: 2020-02-01\n---\n\nBody.\n',
  });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const dev = await startDevProcess(t, ['--content', content, '--config', config, '--port', '0']);
  const page = await browser.newPage();
  await page.goto(dev.url);
  await page.waitForSelector('main article a:has-text("Good post")', { timeout: 10_000 });
  const overlay = await page.waitForSelector('#quire-error-overlay', { timeout: 10_000 });
  const text = (await overlay.textContent()) ?? '';
  assert.match(text, /broken\.md:2:\d+: error: .*\[frontmatter\/yaml-syntax\]/);
  assert.match(text, /good\.md:7:\d+: error: .*\/posts\/missing\/.*\[link\/broken\]/);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await writeFile(path.join(content, 'broken.md'), '---\ntitle: "Broken: yaml"\ndate: 2020-02-01\n---\n\nBody.\n');
  await writeFile(path.join(content, 'good.md'), post('Good post', '2020-01-01', 'See [the fixed one](/posts/broken/).'));
  await page.waitForSelector('#quire-error-overlay', { state: 'detached', timeout: 15_000 });
  await page.waitForSelector('main article a:has-text("Broken: yaml")', { timeout: 10_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 7, 'no manual or full reload');
  assert.equal(await dev.stop('SIGINT'), 0);
});

/** A blog of these posts with its own copy of the theme, served by `quire dev`, and a browser page. */
async function devWithTheme(t: Parameters<typeof tempDir>[0], posts: Record<string, string>) {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const templates = path.join(dir, 'templates');
  await writeFiles(content, posts);
  const { cp } = await import('node:fs/promises');
  await cp(path.resolve(import.meta.dirname, '../../templates'), templates, { recursive: true });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const dev = await startDevProcess(t, ['--content', content, '--templates', templates, '--port', '0']);
  return { templates, dev, page: await browser.newPage() };
}

test('a stylesheet change is swapped in without reloading the page', async (t) => {
  const { templates, dev, page } = await devWithTheme(t, { 'a.md': post('Only post', '2020-01-01', 'Body.') });
  await page.goto(dev.url);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const css = path.join(templates, 'assets/style.css');
  await writeFile(css, (await readFile(css, 'utf8')) + '\nbody { outline: 7px solid rgb(1, 2, 3); }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === '7px', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'no full reload');
});

test('after a template change the open page reloads with it first, before the rest of the site is rendered', async (t) => {
  const posts: Record<string, string> = {};
  for (let i = 1; i <= 60; i++) posts[`p${i}.md`] = post(`Post ${i}`, `2020-01-${String((i % 28) + 1).padStart(2, '0')}`, `Body of post ${i}.`);
  const { templates, dev, page } = await devWithTheme(t, posts);
  await page.goto(new URL('posts/post-7/', dev.url).href);
  await page.waitForFunction(() => document.title.includes('Post 7'));
  const layout = path.join(templates, 'layouts/base.hbs');
  const from = dev.output().length;
  await writeFile(layout, (await readFile(layout, 'utf8')).replace('</body>', '<p id="changed-template">changed</p></body>'));
  await page.waitForSelector('#changed-template', { timeout: 15_000 });
  assert.match(await dev.waitFor(/Rebuilt \(theme\) in \d+ ms \(open pages shown after \d+ ms\)/, from), /open pages shown after/, 'the open page was shown early');
  assert.equal(await dev.stop('SIGINT'), 0);
});

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
const PNG_2x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8DwH4QBEfcD/ePF9e8AAAAASUVORK5CYII=', 'base64');

test('dev handles adding, changing, renaming and deleting an image and a page like a post', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, { 'posts/photo-post.md': post('Photo post', '2020-01-01', '![pic](photo-post/pic.png)') });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const page = await browser.newPage();
  await page.goto(new URL('posts/photo-post/', dev.url).href);
  const width = () => page.evaluate(() => (document.querySelector('.post-content img') as HTMLImageElement | null)?.naturalWidth ?? -1);
  assert.equal(await width(), 0, 'no image yet');

  // Add the image beside the post: the open page shows it.
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(content, 'posts/photo-post'), { recursive: true });
  await writeFile(path.join(content, 'posts/photo-post/pic.png'), PNG_1x1);
  await page.waitForFunction(() => (document.querySelector('.post-content img') as HTMLImageElement).naturalWidth === 1, null, { timeout: 10_000 });

  // Change it: the open page fetches it again.
  await writeFile(path.join(content, 'posts/photo-post/pic.png'), PNG_2x1);
  await page.waitForFunction(() => (document.querySelector('.post-content img') as HTMLImageElement).naturalWidth === 2, null, { timeout: 10_000 });

  // Rename it away: the link no longer leads anywhere; rename it back: shown again.
  const { rename } = await import('node:fs/promises');
  await rename(path.join(content, 'posts/photo-post/pic.png'), path.join(content, 'posts/photo-post/other.png'));
  await page.waitForFunction(() => (document.querySelector('.post-content img') as HTMLImageElement).naturalWidth === 0, null, { timeout: 10_000 });
  await rename(path.join(content, 'posts/photo-post/other.png'), path.join(content, 'posts/photo-post/pic.png'));
  await page.waitForFunction(() => (document.querySelector('.post-content img') as HTMLImageElement).naturalWidth === 2, null, { timeout: 10_000 });

  // Delete it: gone from the site.
  await rm(path.join(content, 'posts/photo-post/pic.png'));
  await page.waitForFunction(() => (document.querySelector('.post-content img') as HTMLImageElement).naturalWidth === 0, null, { timeout: 10_000 });
  const gone = await (await browser.newPage()).goto(new URL('posts/photo-post/pic.png', dev.url).href);
  assert.equal(gone?.status(), 404);

  // A page: added, it appears in the open page's header; renamed, it moves; deleted, it goes.
  await writeFile(path.join(content, 'about.md'), '---\ntitle: About\nlayout: page\nmenu: 1\n---\n\nHello.\n');
  await page.waitForSelector('.site-nav a:has-text("About")', { timeout: 10_000 });
  assert.equal(await page.getAttribute('.site-nav a:has-text("About")', 'href'), '/about/');
  await writeFile(path.join(content, 'about.md'), '---\ntitle: About me\nlayout: page\nmenu: 1\n---\n\nHello.\n');
  await page.waitForSelector('.site-nav a:has-text("About me")', { timeout: 10_000 });
  await rename(path.join(content, 'about.md'), path.join(content, 'who.md'));
  await page.waitForFunction(() => document.querySelector('.site-nav a[href="/who/"]') !== null || document.querySelector('.site-nav a[href="/about-me/"]') !== null, null, { timeout: 10_000 });
  await rm(path.join(content, 'who.md'));
  await page.waitForFunction(() => !document.querySelector('.site-nav')!.textContent!.includes('About'), null, { timeout: 10_000 });
  assert.equal(await dev.stop('SIGINT'), 0);
});

test('a page swapped in by live reload keeps the theme script working: copy buttons and the switch without a full reload', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const body = (text: string) => `${text}\n\n\`\`\`js\nlet a = 1;\n\`\`\`\n`;
  await writeFiles(content, { 'code.md': post('Code post', '2020-01-01', body('First version.')) });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const dev = await startDevProcess(t, ['--content', content, '--port', '0']);
  const page = await browser.newPage();
  await page.goto(new URL('posts/code/', dev.url).href);
  await page.waitForSelector('.copy-button');
  await page.selectOption('.theme-switch select', 'dark');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 3));
  const asked: string[] = [];
  page.on('request', (r) => void asked.push(new URL(r.url()).pathname));
  await writeFile(path.join(content, 'code.md'), post('Code post', '2020-01-01', body('Second version.')));
  await page.waitForFunction(() => document.querySelector('.post-content')?.textContent?.includes('Second version'), null, { timeout: 10_000 });
  await page.waitForSelector('.copy-button', { timeout: 5_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 3, 'swapped in place, not reloaded');
  assert.deepEqual(asked.filter((p) => p === '/posts/code/'), [], 'the new page came with the reload event: it was not fetched');
  assert.equal(await page.locator('.copy-button').count(), 1);
  assert.equal(await page.inputValue('.theme-switch select'), 'dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await dev.stop('SIGINT'), 0);
});
