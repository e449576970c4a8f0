/// <reference lib="dom" />
/**
 * The built sample blog in Chromium, served by a plain static server under /blog/: home, a
 * category, a post and search at desktop and 375 px widths, with no console errors, no failed
 * requests, no horizontal scrolling and no axe-core violations. Screenshots go to
 * test-results/screenshots/ for a human to look at. (At the root, every page type at four widths
 * is test/e2e/theme.e2e.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { buildSite, ROOT, tempDir } from '../helpers.ts';
import { serveStatic } from '../static-server.ts';
import { launchBrowser } from './browser.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const PAGES = [
  ['home', ''],
  ['category', 'categories/artificial-intelligence/'],
  ['post', 'posts/understanding-the-fundamentals-of-deep-learning-and-neural-networks/'],
  ['search', 'search/?q=backpropagation'],
] as const;
const WIDTHS = [1280, 375];

async function audit(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  page.removeAllListeners('console');
  page.removeAllListeners('requestfailed');
  page.removeAllListeners('response');
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('requestfailed', (r) => void problems.push(`failed request: ${r.url()}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  await page.goto(url, { waitUntil: 'networkidle' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) problems.push(`horizontal scrolling: ${overflow}px wider than the viewport`);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  problems.push(...violations.map((v) => `axe ${v}`));
  return problems;
}

for (const [label, baseUrl, prefix] of [['under /blog/', 'https://example.com/blog/', '/blog/']] as const) {
  test(`the sample blog ${label}: no console errors, failed requests, overflow or axe violations`, async (t) => {
    const out = path.join(await tempDir(t), 'public');
    const report = await buildSite({ outDir: out, overrides: { baseUrl } });
    assert.equal(report.ok, true);
    const server = await serveStatic(out, prefix);
    t.after(server.close);
    const browser: Browser = await launchBrowser();
    t.after(() => browser.close());
    await mkdir(SHOTS, { recursive: true });
    const problems: string[] = [];
    for (const width of WIDTHS) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
        for (const [name, sitePath] of PAGES) {
          const url = server.url + sitePath;
          for (const p of await audit(page, url)) problems.push(`${width}px ${scheme} ${name}: ${p}`);
          if (name === 'search') await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => problems.push(`${width}px ${name}: no search results`));
          await page.screenshot({ path: path.join(SHOTS, `blog-${name}-${width}-${scheme}.png`), fullPage: false });
        }
        await page.close();
      }
    }
    assert.deepEqual(problems, []);
  });
}

test('search finds posts by words in the title, category and body, offline under /blog/', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  await buildSite({ outDir: out, overrides: { baseUrl: 'https://example.com/blog/' } });
  const server = await serveStatic(out, '/blog/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  await page.goto(server.url + 'search/');
  const results = async (q: string) => {
    await page.fill('#search-input', q);
    await page.press('#search-input', 'Enter'); // submitting puts ?q= in the URL
    await page.waitForFunction((query) => document.getElementById('search-status')!.textContent!.length > 0 && new URL(location.href).searchParams.get('q') === query, q, { timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(300);
    return page.$$eval('#search-results li a', (as) => as.map((a) => a.textContent));
  };
  assert.deepEqual(await results('fundamentals'), ['Understanding the Fundamentals of Deep Learning and Neural Networks']);
  assert.deepEqual(await page.$$eval('#search-results li a mark', (ms) => ms.map((m) => m.textContent)), ['Fundamentals'], 'the matched title word is marked');
  assert.equal((await results('cryptography')).length, 1, 'by category');
  assert.equal((await results('neural')).length, 5, 'by body word');
  assert.equal(await page.textContent('#search-status'), '5 posts found');
  // Each result quotes its post, with the matched words marked.
  const speech = await results('speech recognition');
  assert.ok(speech.length >= 3, `${speech.length} results`);
  const excerpts = await page.$$eval('#search-results li', (lis) => lis.map((li) => ({ text: li.querySelector('.search-excerpt')?.textContent ?? '', marks: [...li.querySelectorAll('.search-excerpt mark')].map((m) => m.textContent!.toLowerCase()) })));
  assert.ok(excerpts.every((e) => e.text.length > 40 && e.text.length < 200), JSON.stringify(excerpts));
  assert.ok(excerpts.filter((e) => e.marks.includes('speech') && e.marks.includes('recognition')).length >= 3, JSON.stringify(excerpts));
  assert.ok(excerpts.every((e) => e.marks.every((m) => m === 'speech' || m === 'recognition')));
  assert.deepEqual(await results('zzzyxq'), []);
  assert.match((await page.textContent('#search-status')) ?? '', /No posts/);
  // The count is announced: the status is a polite live region.
  assert.equal(await page.getAttribute('#search-status', 'role'), 'status');
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');

  // Keyboard: arrows move from the box through the results and back; Enter opens the focused one.
  const links = await results('neural');
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).id || document.activeElement!.textContent);
  await page.focus('#search-input');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), links[0]);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), links[1]);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'search-input');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL(/\/blog\/posts\/[^/]+\/$/), page.keyboard.press('Enter')]);
  assert.equal((await page.textContent('h1'))?.trim(), links[1]);
  // Offline: nothing but the site itself was asked for.
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
});
