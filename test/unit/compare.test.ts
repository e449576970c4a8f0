/** Unit tests for src/text/compare.ts: code-point order, whatever the locale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareText } from '../../src/text/compare.ts';

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

test('texts are ordered by code point, as their UTF-8 bytes are, also where UTF-16 code units disagree', () => {
  // U+1F600 is stored as the surrogates D83D DE00, below U+FF41 as code units but above it as a code point.
  assert.equal(compareText('content/😀.md', 'content/ａ.md'), 1);
  assert.equal(compareText('content/ａ.md', 'content/😀.md'), -1);
  assert.equal(compareText('B', 'a'), -1, 'capitals first, not the locale');
  assert.equal(compareText('a', 'ab'), -1, 'a prefix first');
  assert.equal(compareText('é', 'é'), 0);
  const texts = ['z', 'Z', 'é', 'e', '😀', 'ａ', '\uE000', '\uFFFF', '𝔸', 'a😀', 'aａ', 'a', '', '中文', 'ﬀ'];
  assert.deepEqual([...texts].sort(compareText), [...texts].sort(utf8Order));
  for (const a of texts) for (const b of texts) assert.equal(Math.sign(compareText(a, b)), Math.sign(utf8Order(a, b)), `${a} / ${b}`);
});
