/** Unit tests for src/render/decorate.ts: code block bars and table boxes in a post's HTML. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decoratePostHtml, labelCodeBlocks, nameTaskBoxes, wrapTables } from '../../src/render/decorate.ts';

test('a fenced block gets a bar naming its language; one without a language gets an empty bar', () => {
  assert.equal(
    labelCodeBlocks('<p>x</p>\n<pre><code class="language-js">let a = 1;\n</code></pre>\n<pre><code>plain\n</code></pre>'),
    '<p>x</p>\n<div class="code-block"><div class="code-bar"><span class="code-lang">js</span></div><pre tabindex="0"><code class="language-js">let a = 1;\n</code></pre></div>\n' +
      '<div class="code-block"><div class="code-bar"></div><pre tabindex="0"><code>plain\n</code></pre></div>',
  );
});

test('the language label is escaped, and text that only looks like a code block is left alone', () => {
  assert.equal(labelCodeBlocks('<pre><code class="language-&#x3C;b&#x3E;">x</code></pre>'), '<div class="code-block"><div class="code-bar"><span class="code-lang">&lt;b&gt;</span></div><pre tabindex="0"><code class="language-&#x3C;b&#x3E;">x</code></pre></div>');
  assert.equal(labelCodeBlocks('<p>&lt;pre&gt;&lt;code&gt;</p>'), '<p>&lt;pre&gt;&lt;code&gt;</p>');
  assert.equal(labelCodeBlocks('<pre><code>never closed'), '<pre><code>never closed');
  assert.equal(labelCodeBlocks('<pre><code class="hljs language-c++">x</code></pre>').includes('<span class="code-lang">c++</span>'), true);
});

test('each outermost table is framed once; aligned GFM cells get a class instead of the obsolete attribute', () => {
  assert.equal(
    wrapTables('<table>\n<tr><th align="right">n</th><td>a</td><td align="center">b</td></tr>\n</table>'),
    '<div class="table-scroll" tabindex="0"><table>\n<tr><th class="align-right">n</th><td>a</td><td class="align-center">b</td></tr>\n</table></div>',
  );
  const nested = '<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table><p>after</p><table><tr><td>2</td></tr></table>';
  assert.equal(wrapTables(nested), '<div class="table-scroll" tabindex="0"><table><tr><td><table><tr><td>in</td></tr></table></td></tr></table></div><p>after</p><div class="table-scroll" tabindex="0"><table><tr><td>2</td></tr></table></div>');
});

test('tables whose tags do not pair up (raw HTML) are left as they are', () => {
  for (const html of ['<table><tr><td>open', '</table><table></table>', '<table><table></table>']) assert.equal(wrapTables(html), html);
  assert.equal(wrapTables('<td align="right">x</td>'), '<td align="right">x</td>', 'a cell outside a table is not touched');
});

test('HTML without code blocks or tables comes back as it was', () => {
  const html = '<h2 id="a">A</h2>\n<p>text <code>inline</code></p>';
  assert.equal(decoratePostHtml(html), html);
});

test('a task list checkbox is named by its state, in tight and loose lists', () => {
  assert.equal(
    nameTaskBoxes('<ul class="contains-task-list">\n<li class="task-list-item"><input type="checkbox" checked disabled> Done it</li>\n<li class="task-list-item"><p><input type="checkbox" disabled> Not yet</p></li>\n</ul>'),
    '<ul class="contains-task-list">\n<li class="task-list-item"><input type="checkbox" checked disabled aria-label="Done"> Done it</li>\n<li class="task-list-item"><p><input type="checkbox" disabled aria-label="To do"> Not yet</p></li>\n</ul>',
  );
  assert.equal(nameTaskBoxes('<p><input type="checkbox" disabled> raw HTML</p>'), '<p><input type="checkbox" disabled> raw HTML</p>');
});
