/** Unit tests for src/text/one-byte.ts: Latin-1 text stored one byte per character. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneByte } from '../../src/text/one-byte.ts';
import { isOneByte } from './fixtures.ts';

test('an ASCII string V8 holds two bytes per character comes back equal and one byte per character', () => {
  const twoByte = ('<p>' + 'plain ascii text '.repeat(50) + '\u2026').slice(0, -1);
  assert.equal(isOneByte(twoByte), false, 'the test needs a two-byte string to start from');
  const copy = oneByte(twoByte);
  assert.equal(copy, twoByte);
  assert.equal(isOneByte(copy), true);
});

test('Latin-1 beyond ASCII keeps its characters', () => {
  const text = ('café naïve ß ÿ ' + '\u2026').slice(0, -1);
  assert.equal(oneByte(text), 'café naïve ß ÿ ');
  assert.equal(isOneByte(oneByte(text)), true);
});

test('text with a character above U+00FF is returned as it is', () => {
  for (const text of ['quotes ’like this’', 'emoji 🎉 and CJK 日本', '\u0100']) assert.equal(oneByte(text), text);
});

test('the empty string stays empty', () => {
  assert.equal(oneByte(''), '');
});
