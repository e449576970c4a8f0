import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunksBySize, youngGenerationMb } from '../../src/parallel/pool.ts';

test('work goes out largest first, every file exactly once, in chunks of about equal bytes', () => {
  // Release-note-shaped: one post in ten is a hundred times larger.
  const sizes = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 300_000 : 3_000 + (i % 7)));
  const chunks = chunksBySize(sizes, 2);
  const flat = chunks.flat();
  assert.deepEqual([...flat].sort((a, b) => a - b), sizes.map((_, i) => i), 'each index once');
  for (let k = 1; k < flat.length; k++) assert.ok(sizes[flat[k - 1]!]! >= sizes[flat[k]!]!, 'largest first');
  const total = sizes.reduce((a, b) => a + b, 0);
  const bytes = chunks.map((c) => c.reduce((a, i) => a + sizes[i]!, 0));
  // No chunk holds more than one budget (total / 32) plus one post, so no worker is left with a long tail.
  for (const b of bytes) assert.ok(b <= total / 32 + 300_000, `chunk of ${b} bytes`);
  assert.ok(chunks.every((c) => c.length <= 64));
  assert.deepEqual(chunksBySize([], 2), []);
  assert.deepEqual(chunksBySize([5], 4), [[0]]);
});

test('workers get a larger young generation only when a post is long (over 64 KB): short posts gain nothing from it and it costs memory', () => {
  assert.equal(youngGenerationMb(8 * 1024), 48);
  assert.equal(youngGenerationMb(64 * 1024), 48);
  assert.equal(youngGenerationMb(64 * 1024 + 1), 96);
  assert.equal(youngGenerationMb(900 * 1024), 96);
});
