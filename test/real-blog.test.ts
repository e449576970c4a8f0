/**
 * What real blogs with years of history look like to the command line (issue: two public blogs
 * did not build at all): hundreds of posts dated only by their file name, stale anchors and a
 * `[link](TODO)`, one layout nobody has a template for. The build succeeds with a short, counted
 * summary; `--strict` (for CI) makes the same problems fatal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, tempDir, writeFiles } from './helpers.ts';

async function oldBlog(root: string): Promise<string> {
  const content = path.join(root, 'content');
  const files: Record<string, string> = {};
  for (let i = 0; i < 500; i++) {
    const day = new Date(Date.UTC(2012, 0, 1) + i * 5 * 86_400_000).toISOString().slice(0, 10);
    files[`_posts/${day}-release-${i}.md`] = `---\nlayout: news_item\ntitle: Release ${i}\ncategories: [release]\n---\n\nRelease notes for version ${i}.\n\n## Changes\n\nSee [the changes](#changes).\n`;
  }
  // Years-old mistakes: an anchor that was renamed, a link left as TODO.
  files['_posts/2013-05-06-security.md'] = '---\ntitle: Security fix\n---\n\nRead [details](#CVE-2016-6304) first.\n';
  files['_posts/2013-05-07-help.md'] = '---\ntitle: Help wanted\n---\n\nSee [how to help](#how-can-i-help?) or [link](TODO).\n';
  await writeFiles(content, files);
  return content;
}

test('500 posts dated by file name, a stale anchor and a TODO link build (exit 0) with a short counted summary; --strict exits 1', async (t) => {
  const root = await tempDir(t);
  const content = await oldBlog(root);
  const args = ['build', '--content', content, '--out', path.join(root, 'public'), '--base-url', 'https://example.com/'];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /missing-date/, 'a date from a YYYY-MM-DD- file name is no warning');
  // 500 identical unknown-layout warnings are said once, with a count.
  const layoutLines = r.stderr.split('\n').filter((l) => l.includes('[frontmatter/unknown-layout]'));
  assert.equal(layoutLines.length, 1, r.stderr);
  assert.match(layoutLines[0]!, /499 other files/);
  // The three link problems are each named with file and line.
  assert.match(r.stderr, /2013-05-06-security\.md:5:1: warning: .*#CVE-2016-6304.*\[link\/missing-anchor\]/);
  assert.match(r.stderr, /2013-05-07-help\.md:5:1: warning: .*#how-can-i-help\?.*\[link\/missing-anchor\]/);
  assert.match(r.stderr, /2013-05-07-help\.md:5:1: warning: .*TODO.*\[link\/broken\]/);
  assert.ok(r.stderr.split('\n').length < 40, `the terminal output stays short:\n${r.stderr}`);
  assert.match(r.stdout, /^Built 502 posts, .* \(503 warnings\)/m);
  assert.match(r.stderr, /500 × frontmatter\/unknown-layout/);

  const strict = await runCli([...args, '--strict']);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /error: .*\[link\/broken\]/);
  assert.match(strict.stderr, /Build failed: /);
});
