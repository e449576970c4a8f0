/** Unit tests for src/diagnostics.ts: the order and the format of problems. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, sortDiagnostics, warning, error } from '../../src/diagnostics.ts';

test('diagnostics are ordered by file, line, column, code and message, comparing by code point: the same on every machine, whatever its locale', () => {
  const list = [
    warning('links/stale-anchor', 'x', { file: 'content/posts/a.md', line: 3, column: 1 }),
    error('frontmatter/yaml', 'x', { file: 'content/posts/é.md', line: 1, column: 1 }),
    warning('links/broken', 'x', { file: 'content/posts/a.md', line: 3, column: 1 }),
    warning('frontmatter/duplicate-key', 'x', { file: 'content/posts/B.md', line: 10, column: 1 }),
    warning('frontmatter/duplicate-key', 'x', { file: 'content/posts/a.md', line: 12, column: 1 }),
    warning('config/unknown', 'x'),
  ];
  const sorted = sortDiagnostics(list);
  // A locale-aware comparison would put `a.md` before `B.md`; code points put capitals first.
  assert.deepEqual(sorted.map((d) => `${d.file ?? ''}:${d.line ?? ''} ${d.code}`), [
    ':' + ' config/unknown',
    'content/posts/B.md:10 frontmatter/duplicate-key',
    'content/posts/a.md:3 links/broken',
    'content/posts/a.md:3 links/stale-anchor',
    'content/posts/a.md:12 frontmatter/duplicate-key',
    'content/posts/é.md:1 frontmatter/yaml',
  ]);
  assert.notEqual(sorted, list, 'a new list');
  // Same file, line, column and code: by message; paths beyond U+FFFF by code point.
  const same = [warning('links/broken', 'b', { file: 'x.md', line: 1, column: 1 }), warning('links/broken', 'a', { file: 'x.md', line: 1, column: 1 })];
  assert.deepEqual(sortDiagnostics(same).map((d) => d.message), ['a', 'b']);
  const files = ['content/😀.md', 'content/ａ.md'].map((file) => warning('links/broken', 'x', { file }));
  assert.deepEqual(sortDiagnostics(files).map((d) => d.file), ['content/ａ.md', 'content/😀.md']);
  assert.equal(formatDiagnostic(sorted[1]!), 'content/posts/B.md:10:1: warning: x [frontmatter/duplicate-key]');
});
