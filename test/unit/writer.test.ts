import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryWriter } from '../../src/output/writer.ts';

test('the memory writer keeps the site and says which outputs changed, appeared or went', async () => {
  const w = new MemoryWriter();
  const first = await w.write([{ outPath: 'a.html', contents: 'A' }, { outPath: 'b.html', contents: Buffer.from('B') }]);
  assert.deepEqual(first.value.changed, ['a.html', 'b.html']);
  const second = await w.write([{ outPath: 'a.html', contents: Buffer.from('A') }, { outPath: 'c.html', contents: 'C' }]);
  assert.deepEqual(second.value.changed, ['b.html', 'c.html'], 'the same bytes as a string or as bytes are unchanged');
  assert.deepEqual([second.value.written, second.value.unchanged, second.value.removed], [1, 1, 1]);
  assert.deepEqual([...w.files.keys()].sort(), ['a.html', 'c.html']);
});
