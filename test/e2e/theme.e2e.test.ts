/// <reference lib="dom" />
/**
 * The default theme in Chromium (issue 14): every page type (a post with a cover too) at 320, 375, 768 and 1280 px in the
 * light and dark schemes, with no horizontal overflow, no element sticking out of its box, text
 * and controls at WCAG AA contrast (axe, plus a check of controls' borders), and no console
 * errors or failed requests; then the theme switch (remembered across pages and reloads, applied
 * before the first paint, hidden without JavaScript), the copy button, embeds and the archive.
 *
 * Screenshots of every page, width and scheme go to test-results/screenshots/theme/ (git-ignored).
 * With SCREENSHOTS=docs/screenshots the three the README shows are written there too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../helpers.ts';
import { serveStatic } from '../static-server.ts';
import { buildThemeSite } from '../theme-site.ts';
import { launchBrowser } from './browser.ts';
import { layoutProblems } from './layout-checks.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots', 'theme');
const README_SHOTS = process.env.SCREENSHOTS ? path.resolve(ROOT, process.env.SCREENSHOTS) : null;
const PAGES = [
  ['home', ''],
  ['post', 'posts/theme-tour/'],
  ['cover-post', 'posts/cover-story/'],
  ['page', 'about/'],
  ['category', 'categories/cybersecurity/'],
  ['tag', 'tags/css/'],
  ['tag-index', 'tags/'],
  ['archive', 'archive/'],
  ['search', 'search/?q=neural'],
  ['404', 'no-such-page/'],
] as const;
const WIDTHS = [320, 375, 768, 1280];
const SCHEMES = ['light', 'dark'] as const;
/** The README's three: home and a post on a desktop in light, a post on a phone in dark. */
const README = new Set(['home-1280-light', 'post-1280-light', 'post-375-dark']);
const VIDEO_HOST = 'https://www.youtube-nocookie.com/';

/** A context like a reader's: the embed host answered locally (tests make no external requests). */
async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  // tsx names functions with an __name() helper; page.evaluate() sends them as source, so the page needs it too.
  await context.addInitScript({ content: 'window.__name = (fn) => fn;' });
  await context.route(`${VIDEO_HOST}**`, (r) => r.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>video</title><body style="margin:0;background:#222"></body>' }));
  return context;
}

/** Console errors, uncaught exceptions, failed requests and HTTP errors of whatever the page loads next. */
function watch(page: Page, allow404 = false): string[] {
  const problems: string[] = [];
  page.removeAllListeners('console');
  page.removeAllListeners('pageerror');
  page.removeAllListeners('requestfailed');
  page.removeAllListeners('response');
  page.on('console', (m) => void (m.type() === 'error' && !(allow404 && m.text().includes('404')) && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => void problems.push(`failed request: ${r.url()}`));
  page.on('response', (r) => void (r.status() >= 400 && !(allow404 && r.request().isNavigationRequest()) && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  return problems;
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.map((v) => `axe ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('every page type at 320, 375, 768 and 1280 px, light and dark: no overflow, nothing sticking out of its box, AA contrast, no console errors', async (t) => {
  const { out, report } = await buildThemeSite(t);
  assert.equal(report.ok, true);
  const server = await serveStatic(out, '/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  await mkdir(SHOTS, { recursive: true });
  if (README_SHOTS) await mkdir(README_SHOTS, { recursive: true });
  const problems: string[] = [];
  for (const scheme of SCHEMES) {
    for (const width of WIDTHS) {
      const context = await newContext(browser, { viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [label, sitePath] of PAGES) {
        const seen = watch(page, label === '404');
        const response = await page.goto(server.url + sitePath);
        if (label === '404') assert.equal(response?.status(), 404);
        if (label === 'search') await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => seen.push('no search results'));
        if (label === 'post') await page.waitForSelector('.copy-button', { timeout: 5000 }).catch(() => seen.push('no copy button'));
        seen.push(...(await page.evaluate(layoutProblems)), ...(await axe(page)));
        problems.push(...seen.map((p) => `${label} ${width}px ${scheme}: ${p}`));
        const shot = `${label}-${width}-${scheme}`;
        await page.screenshot({ path: path.join(SHOTS, `${shot}.png`) });
        if (README_SHOTS && README.has(shot)) await page.screenshot({ path: path.join(README_SHOTS, `${shot}.png`) });
      }
      await context.close();
    }
  }
  assert.deepEqual(problems, []);
});

test('layout details: the archive lines up, a listed post keeps its meta on one row, embeds keep their ratio, tables scroll in their box, checked tasks stand out', async (t) => {
  const { out } = await buildThemeSite(t);
  const server = await serveStatic(out, '/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  for (const width of [320, 375, 1280]) {
    const context = await newContext(browser, { viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url + 'archive/');
    const lefts = await page.$$eval('.archive-list li', (lis) => lis.map((li) => [li.querySelector('time')!.getBoundingClientRect(), li.querySelector('.archive-title')!.getBoundingClientRect()].map((r) => [Math.round(r.left), Math.round(r.top)])));
    assert.equal(new Set(lefts.map(([time]) => time![0])).size, 1, `${width}px: dates in one column`);
    assert.equal(new Set(lefts.map(([, title]) => title![0])).size, 1, `${width}px: titles in one column`);
    const above = lefts.map(([time, title]) => title![1]! > time![1]!);
    assert.ok(above.every((a) => a === above[0]), `${width}px: every date above its title, or every one beside it`);

    await page.goto(server.url + 'posts/theme-tour/');
    const ratios = await page.$$eval('.post-content iframe', (frames) => frames.map((f) => f.getBoundingClientRect().width / f.getBoundingClientRect().height));
    assert.ok(Math.abs(ratios[0]! - 16 / 9) < 0.02, `${width}px: the video is 16:9 (${ratios[0]})`);
    assert.ok(Math.abs(ratios[1]! - 4 / 3) < 0.02, `${width}px: the 400×300 embed is 4:3 (${ratios[1]})`);
    const table = await page.$eval('.table-scroll', (box) => ({ scrolls: box.scrollWidth > box.clientWidth, right: box.getBoundingClientRect().right, wraps: [...box.querySelectorAll('td')].some((td) => td.getBoundingClientRect().height > 60) }));
    if (width < 768) assert.ok(table.scrolls, `${width}px: the table scrolls inside its box`);
    assert.ok(table.right <= width, `${width}px: the table's box stays on the page`);
    assert.equal(table.wraps, false, `${width}px: no squeezed cells`);
    const boxes = await page.$$eval('.task-list-item input', (inputs) => inputs.map((i) => getComputedStyle(i).backgroundColor));
    assert.equal(boxes[0], boxes[1]);
    assert.notEqual(boxes[0], boxes[2], 'a checked box is filled, an unchecked one is not');
    await context.close();
  }
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  const rows = await page.$eval('.post-summary:has(a[href="/posts/theme-tour/"]) .post-meta', (meta) => [...meta.children].map((c) => [c.getBoundingClientRect().top, c.getBoundingClientRect().bottom]));
  assert.equal(rows.length, 3);
  assert.ok(rows.every(([top]) => rows.every(([, bottom]) => top! < bottom!)), `date, categories and tags on one row at 1280 px (${JSON.stringify(rows)})`);
  await context.close();
});

test('the theme switch: remembered across pages and reloads, applied before the first paint, back to the system setting', async (t) => {
  const { out } = await buildThemeSite(t);
  const server = await serveStatic(out, '/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await newContext(browser, { viewport: { width: 375, height: 800 }, colorScheme: 'light' });
  // What <html data-theme> was when <body> was parsed, before anything could paint.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      (window as unknown as { themeAtBody: string }).themeAtBody = document.documentElement.dataset.theme ?? 'none';
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const problems = watch(page);
  const state = () =>
    page.evaluate(() => ({
      atBody: (window as unknown as { themeAtBody: string }).themeAtBody,
      theme: document.documentElement.dataset.theme ?? 'none',
      select: document.querySelector<HTMLSelectElement>('.theme-switch select')!.value,
      background: getComputedStyle(document.body).backgroundColor,
      stored: localStorage.getItem('quire-theme'),
    }));
  const LIGHT = 'rgb(252, 252, 250)';
  const DARK = 'rgb(22, 24, 28)';

  await page.goto(server.url);
  assert.deepEqual(await state(), { atBody: 'none', theme: 'none', select: 'system', background: LIGHT, stored: null });
  assert.ok(await page.isVisible('.theme-switch select'));
  await page.selectOption('.theme-switch select', 'dark');
  assert.deepEqual(await state(), { atBody: 'none', theme: 'dark', select: 'dark', background: DARK, stored: 'dark' });
  await page.click('a[href="/posts/theme-tour/"]');
  await page.waitForURL(/theme-tour/);
  assert.deepEqual(await state(), { atBody: 'dark', theme: 'dark', select: 'dark', background: DARK, stored: 'dark' }, 'the next page is dark from the start');
  await page.reload();
  assert.deepEqual(await state(), { atBody: 'dark', theme: 'dark', select: 'dark', background: DARK, stored: 'dark' }, 'and after a reload');
  // Keyboard: the switch is a real select.
  await page.focus('.theme-switch select');
  await page.selectOption('.theme-switch select', 'system');
  assert.deepEqual(await state(), { atBody: 'dark', theme: 'none', select: 'system', background: LIGHT, stored: null }, 'system: the stored choice is gone');
  await page.goto(server.url + 'archive/');
  assert.equal((await state()).atBody, 'none');
  await context.close();

  // A dark system with light chosen.
  const dark = await newContext(browser, { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const darkPage = await dark.newPage();
  await darkPage.goto(server.url);
  assert.equal(await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor), DARK);
  await darkPage.selectOption('.theme-switch select', 'light');
  await darkPage.goto(server.url + 'tags/');
  assert.equal(await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor), LIGHT);
  await dark.close();
  assert.deepEqual(problems, []);
});

test('without JavaScript: the system scheme, no switch, code shown as plain code with its label and no button', async (t) => {
  const { out } = await buildThemeSite(t);
  const server = await serveStatic(out, '/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await newContext(browser, { viewport: { width: 375, height: 800 }, colorScheme: 'dark', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + 'posts/theme-tour/');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(22, 24, 28)');
  assert.equal(await page.isVisible('.theme-switch'), false);
  assert.equal(await page.locator('button').count(), 0);
  assert.deepEqual(await page.$$eval('.code-bar', (bars) => bars.map((b) => getComputedStyle(b).display)), ['flex', 'none', 'flex'], 'a bar shows only where there is a language to name');
  assert.deepEqual(await page.$$eval('.code-lang', (labels) => labels.map((l) => l.textContent)), ['js', 'sh']);
  await context.close();
});

test('the copy button copies the code, by keyboard too, and says so', async (t) => {
  const { out } = await buildThemeSite(t);
  const server = await serveStatic(out, '/');
  t.after(server.close);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await newContext(browser, { viewport: { width: 375, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url + 'posts/theme-tour/');
  const buttons = page.locator('.code-block .copy-button');
  assert.equal(await buttons.count(), 3);
  assert.equal(await buttons.first().getAttribute('type'), 'button');
  assert.equal(await buttons.first().evaluate((b) => (b as HTMLButtonElement).tabIndex), 0, 'in the tab order');
  assert.equal(await page.locator('.code-block .copy-status[role="status"]').count(), 3);

  await buttons.first().focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.copy-status')!.textContent === 'Copied');
  assert.equal(await buttons.first().evaluate((b) => b.textContent), 'Copied code');
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clipboard, '// Highlighted at build time; the copy button comes from a few lines of JavaScript.\nexport function greet(name) {\n  return `Hello, ${name}!`;\n}');
  await page.waitForFunction(() => document.querySelector('.copy-button')!.textContent === 'Copy code', null, { timeout: 5000 });

  await buttons.nth(2).click();
  await page.waitForFunction(() => document.querySelectorAll('.copy-status')[2]!.textContent === 'Copied');
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^npm run build -- --base-url https:\/\/example\.com\/a\/very\/long\/path/);
  await context.close();
  assert.deepEqual(problems, []);
});
