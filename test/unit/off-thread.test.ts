/** Unit tests for src/output/off-thread.ts: files written by a worker thread, errors reported per file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { offThreadWriter } from '../../src/output/off-thread.ts';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-offthread-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('writes text, bytes in shared memory and bytes that are part of a larger buffer, exactly', async (t) => {
  const dir = await tempDir(t);
  const writer = offThreadWriter();
  t.after(() => writer.close());
  const shared = Buffer.from(new SharedArrayBuffer(1024));
  shared.write('AAAAhello sharedBBBB');
  const larger = Buffer.from('xxxxa view of a larger bufferyyyy');
  const files: [string, string | Uint8Array, string][] = [
    ['text.html', '<p>café ✓</p>', '<p>café ✓</p>'],
    ['shared.html', shared.subarray(4, 16), 'hello shared'],
    ['view.html', larger.subarray(4, 29), 'a view of a larger buffer'],
  ];
  // Many at once: they go in several batches.
  for (let i = 0; i < 100; i++) files.push([`page-${i}.html`, `<p>${i}</p>`, `<p>${i}</p>`]);
  await Promise.all(files.map(([name, contents]) => writer.write(path.join(dir, name), contents)));
  for (const [name, , expected] of files) assert.equal(await readFile(path.join(dir, name), 'utf8'), expected, name);
});

test('a write that fails rejects with its error code; the others in its batch are written', async (t) => {
  const dir = await tempDir(t);
  const writer = offThreadWriter();
  t.after(() => writer.close());
  const results = await Promise.allSettled([
    writer.write(path.join(dir, 'a.html'), 'a'),
    writer.write(path.join(dir, 'missing-folder', 'b.html'), 'b'),
    writer.write(path.join(dir, 'c.html'), 'c'),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.equal(((results[1] as PromiseRejectedResult).reason as NodeJS.ErrnoException).code, 'ENOENT');
  assert.equal(await readFile(path.join(dir, 'c.html'), 'utf8'), 'c');
});

test('once closed, a write fails instead of waiting forever', async (t) => {
  const dir = await tempDir(t);
  const writer = offThreadWriter();
  await writer.write(path.join(dir, 'a.html'), 'a');
  await writer.close();
  await assert.rejects(writer.write(path.join(dir, 'b.html'), 'b'), /file-writing thread stopped/);
});
