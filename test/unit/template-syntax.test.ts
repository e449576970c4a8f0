/** Unit tests for src/render/template-syntax.ts: Handlebars parse errors in words, checked against Handlebars' real errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { explainTemplateError } from '../../src/render/template-syntax.ts';
import { loadTheme } from '../../src/render/templates.ts';
import { nodeFs } from '../../src/fs.ts';
import { tempDir } from '../helpers.ts';

/** Parses `text` with Handlebars and explains the error it throws. */
function explain(text: string) {
  try {
    Handlebars.create().parse(text);
  } catch (e) {
    const err = e as Error & { lineNumber?: number };
    const line = err.lineNumber ?? Number(/line (\d+)/.exec(err.message)?.[1] ?? 1);
    return explainTemplateError(err.message, text, line);
  }
  assert.fail(`${text} parses`);
}

test('an unclosed {{ is named, with the tag as it should be written', () => {
  const x = explain('<h1>\n<p>{{post.title}</p>\n');
  assert.equal(x.message, 'a `{{` is not closed by `}}`: `{{post.title}`');
  assert.match(x.hint, /^write `\{\{post\.title\}\}`\n {2}detail: Handlebars: Parse error on line 2: Expecting 'CLOSE_RAW_BLOCK', 'CLOSE', … got 'INVALID'$/);
  assert.equal(explain('{{ site.title ').message, 'a `{{` is not closed by `}}`: `{{ site.title `');
});

test('an unclosed block names the tag that opened it and its line', () => {
  const x = explain('<main>\n{{#each posts}}\n  {{#if draft}}Draft{{/if}}\n</main>\n');
  assert.equal(x.message, '`{{#each posts}}` (line 2) is never closed');
  assert.match(x.hint, /^add `\{\{\/each\}\}` where the block ends\n {2}detail: /);
});

test('a stray {{/if}} and a stray {{else}} are named', () => {
  assert.equal(explain('<p>\n{{/if}}\n').message, '`{{/if}}` closes a block that was never opened');
  assert.match(explain('{{title}}{{else}}').message, /^`\{\{else\}\}` is not inside an/);
});

test('a block closed by another name says which name closes it', () => {
  const x = explain('x\n{{#if draft}}Draft{{/each}}');
  assert.equal(x.message, '`{{#if draft}}` is closed by `{{/each}}`');
  assert.match(x.hint, /close it with `\{\{\/if\}\}`.*\n {2}detail: Handlebars: if doesn't match each$/);
});

test('brace, quote, parenthesis and comment mistakes each get their own words', () => {
  assert.equal(explain('{{{body}}').message, '`{{{body}}` opens with three braces and closes with two');
  assert.equal(explain('{{post.title}}}').message, '`{{post.title}}}` has one `}` too many');
  assert.equal(explain('{{eq "abc}}').message, 'a quoted string in `{{eq "abc}}` is not closed');
  assert.equal(explain('{{#if (eq a b}}x{{/if}}').message, 'a `(` in `{{#if (eq a b}}` is not closed by `)`');
  assert.equal(explain('{{}}').message, '`{{}}` is empty');
  assert.equal(explain('{{> }}').message, '`{{> }}` names no partial');
  assert.equal(explain('a\n{{!-- note\n').message, 'a `{{!--` comment is not closed by `--}}`');
});

test('loadTheme reports the reworded error with the same code, line and column as Handlebars gives', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'layouts'), { recursive: true });
  await writeFile(path.join(dir, 'layouts/post.hbs'), '<article>\n<h1>{{post.title}</h1>\n</article>\n');
  await writeFile(path.join(dir, 'layouts/home.hbs'), 'x\n  {{#if draft}}Draft{{/each}}\n');
  const r = await loadTheme(nodeFs, dir, (abs) => path.relative(dir, abs));
  const byFile = new Map(r.diagnostics.filter((d) => d.code === 'template/syntax').map((d) => [d.file, d]));
  const post = byFile.get('layouts/post.hbs')!;
  assert.deepEqual([post.line, post.column], [2, 1]);
  assert.equal(post.message, 'template syntax error: a `{{` is not closed by `}}`: `{{post.title}`');
  assert.match(post.hint!, /detail: Handlebars: Parse error on line 2/);
  const home = byFile.get('layouts/home.hbs')!;
  const thrown = (() => {
    try {
      Handlebars.create().parse('x\n  {{#if draft}}Draft{{/each}}\n');
    } catch (e) {
      return e as { lineNumber: number; column: number };
    }
  })()!;
  assert.deepEqual([home.line, home.column], [thrown.lineNumber, thrown.column + 1], "Handlebars' own position, as before");
  assert.equal(home.message, 'template syntax error: `{{#if draft}}` is closed by `{{/each}}`');
});
