/**
 * The default theme's weight budget (README, Templates): every page loads at most 20 KB of CSS and
 * 8 KB of JavaScript, gzipped (node:zlib at its default level, as a server would send them).
 * Measured on each page of the built samples plus the theme fixture: its stylesheets and
 * scripts, linked or inline (JSON-LD is data, not script).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFile, readdir } from 'node:fs/promises';
import { parse } from 'node-html-parser';
import { buildThemeSite } from './theme-site.ts';

export const CSS_BUDGET = 20 * 1024;
export const JS_BUDGET = 8 * 1024;

test('every page stays within 20 KB of CSS and 8 KB of JavaScript, gzipped', async (t) => {
  const { out, report } = await buildThemeSite(t);
  assert.equal(report.ok, true);
  const gz = new Map<string, number>();
  const sizeOf = async (url: string) => {
    const file = path.join(out, new URL(url, 'https://example.com/').pathname);
    if (!gz.has(file)) gz.set(file, gzipSync(await readFile(file)).length);
    return gz.get(file)!;
  };
  const pages = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.html') && !f.startsWith('demo/')).sort();
  assert.ok(pages.length > 20, `${pages.length} pages`);
  let most = { css: 0, js: 0, cssPage: '', jsPage: '' };
  const over: string[] = [];
  for (const file of pages) {
    const doc = parse(await readFile(path.join(out, file), 'utf8'), { blockTextElements: { script: true, style: true } });
    let css = 0;
    let js = 0;
    for (const link of doc.querySelectorAll('link[rel="stylesheet"]')) css += await sizeOf(link.getAttribute('href')!);
    for (const style of doc.querySelectorAll('style')) css += gzipSync(style.textContent).length;
    for (const script of doc.querySelectorAll('script')) {
      const src = script.getAttribute('src');
      if (src) js += await sizeOf(src);
      else if (!/json/.test(script.getAttribute('type') ?? '')) js += gzipSync(script.textContent).length;
    }
    if (css > CSS_BUDGET || js > JS_BUDGET) over.push(`${file}: ${kb(css)} CSS, ${kb(js)} JS`);
    if (css > most.css) most = { ...most, css, cssPage: file };
    if (js > most.js) most = { ...most, js, jsPage: file };
  }
  t.diagnostic(`most CSS: ${kb(most.css)} (${most.cssPage}); most JavaScript: ${kb(most.js)} (${most.jsPage})`);
  assert.ok(most.css > 0 && most.js > 0, 'the measure found the stylesheet and the scripts');
  assert.deepEqual(over, []);
});

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
