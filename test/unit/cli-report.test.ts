/** Unit tests for the printed report (diagnosticLines in src/cli.ts), at the sizes of real migrated blogs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticLines } from '../../src/cli.ts';
import { error, warning, type Diagnostic } from '../../src/diagnostics.ts';

const unknownLayout = (i: number) => warning('frontmatter/unknown-layout', 'layout "news_item" has no template; using the post layout', { file: `content/${String(i).padStart(4, '0')}.md`, line: 3, column: 1, hint: 'layouts that exist: post' });
const missingDate = (i: number) => warning('frontmatter/missing-date', `no date in front matter; using 2013-01-${i} from the file name`, { file: `content/${String(i).padStart(4, '0')}.md`, line: 1, column: 1 });

test('1,043 posts with the same unknown layout print one warning naming how many other files have it', () => {
  const lines = diagnosticLines(Array.from({ length: 1043 }, (_, i) => unknownLayout(i)), false);
  assert.deepEqual(lines, [
    'content/0000.md:3:1: warning: layout "news_item" has no template; using the post layout (and 1042 other files) [frontmatter/unknown-layout]\n  hint: layouts that exist: post',
    '1043 warnings: 1043 × frontmatter/unknown-layout',
  ]);
});

test('559 different warnings of one code print the first 5 and a count of the rest; --verbose prints all', () => {
  const list = Array.from({ length: 559 }, (_, i) => missingDate(i));
  const lines = diagnosticLines(list, false);
  assert.equal(lines.length, 5 + 2);
  assert.deepEqual(lines.slice(0, 5), list.slice(0, 5).map((d) => `${d.file}:1:1: warning: ${d.message} [frontmatter/missing-date]`));
  assert.equal(lines[5], '… and 554 more frontmatter/missing-date (--verbose lists all)');
  assert.equal(lines[6], '559 warnings: 559 × frontmatter/missing-date');
  assert.equal(diagnosticLines(list, true).length, 559 + 1);
});

test('ten warnings of a code are all printed; the limit is per code', () => {
  const list = [...Array.from({ length: 10 }, (_, i) => missingDate(i)), ...Array.from({ length: 11 }, (_, i) => warning('link/not-generated', `link to /docs/${i}/`, { file: 'content/a.md', line: i + 1 }))];
  const lines = diagnosticLines(list, false);
  assert.equal(lines.filter((l) => l.endsWith('[frontmatter/missing-date]')).length, 10);
  assert.equal(lines.filter((l) => l.endsWith('[link/not-generated]')).length, 5);
  assert.ok(lines.includes('… and 6 more link/not-generated (--verbose lists all)'));
  assert.equal(lines.at(-1), '21 warnings: 11 × link/not-generated, 10 × frontmatter/missing-date');
});

test('errors are never merged or cut, and are counted by code too', () => {
  const list: Diagnostic[] = Array.from({ length: 30 }, (_, i) => error('link/broken', 'link to /nowhere/ leads nowhere', { file: `content/${i}.md`, line: 1 }));
  const lines = diagnosticLines([...list, unknownLayout(1), unknownLayout(2)], false);
  assert.equal(lines.filter((l) => l.includes(': error: ')).length, 30);
  assert.equal(lines.at(-1), '30 errors: 30 × link/broken; 2 warnings: 2 × frontmatter/unknown-layout');
});

test('the same warning twice in one file says so instead of "other files"', () => {
  const twice = [warning('content/control-characters', 'control characters removed', { file: 'a.md', line: 2 }), warning('content/control-characters', 'control characters removed', { file: 'a.md', line: 9 })];
  assert.match(diagnosticLines(twice, false)[0]!, /control characters removed \(and 1 more time in this file\)/);
});
