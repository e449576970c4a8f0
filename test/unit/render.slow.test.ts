/**
 * The slow unit test of src/markdown/render.ts (the rest is in render.test.ts): nesting 5,000 deep
 * takes remark tens of seconds for a list on a busy 2-core machine, so it runs in
 * `npm run test:slow`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'node-html-parser';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { createMarkdownRenderer } from '../../src/markdown/render.ts';
import { testDate, testPost } from './fixtures.ts';

const safeRender = createMarkdownRenderer(DEFAULT_CONFIG);
const makePost = (body: string) => testPost({ title: 'Hello World', relPath: 'posts/a.md', date: testDate('2019-06-26'), body, bodyLine: 5 });
const dom = (html: string) => parse(html, { blockTextElements: { script: true, noscript: true, style: true } });

test('a 5,000-deep list, block quote or emphasis renders without a stack overflow, flattened past 100 levels, with a warning', () => {
  for (const body of ['- '.repeat(5000) + 'deepest words\n', 'Intro.\n\n' + '>'.repeat(5000) + ' deepest words\n', '*'.repeat(5000) + 'deepest words' + '*'.repeat(5000) + '\n']) {
    const r = safeRender(makePost(body));
    assert.ok(r.value, JSON.stringify(r.diagnostics));
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code, d.line]), [['warning', 'markdown/too-deep', body.startsWith('Intro') ? 7 : 5]]);
    assert.match(r.value.text, /deepest words/);
    const doc = dom(r.value.html);
    assert.match(doc.textContent, /deepest words/);
    let depth = 0;
    for (let el = doc.firstChild ?? undefined; el && el.childNodes.length; el = el.childNodes.find((c) => c.nodeType === 1)) depth++;
    assert.ok(depth <= 104, `depth ${depth}`);
  }
});
