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

test('the favicon is a data: URL with every space and special character percent-encoded (W3C Nu checker)', async (t) => {
  const { out } = await buildThemeSite(t);
  const href = (await page(out, '')).querySelector('link[rel="icon"]')!.getAttribute('href')!;
  // What the URL standard allows unescaped in a data: URL's path, and nothing else.
  assert.match(href, /^data:image\/svg\+xml,(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})+$/);
  const svg = parse(decodeURIComponent(href.slice('data:image/svg+xml,'.length)));
  assert.equal(svg.querySelector('svg')?.getAttribute('xmlns'), 'http://www.w3.org/2000/svg');
  assert.equal(svg.querySelector('path')?.getAttribute('d'), 'M4 4h8v1.5H4zm0 3.25h8v1.5H4zm0 3.25h5v1.5H4z');
});
