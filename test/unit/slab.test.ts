/** Unit tests for src/output/slab.ts: pages' UTF-8 bytes packed into shared slabs, and a slab used again once all its pages are given back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slabEncoder } from '../../src/output/slab.ts';

test('bytes are the UTF-8 of the text, side by side in one slab; a text over a quarter of a slab gets bytes of its own', () => {
  const encode = slabEncoder(1024);
  const texts = ['<p>plain</p>', 'Café — “quoted” 日本 𐌰', ''];
  const bytes = texts.map((t) => encode(t));
  texts.forEach((t, i) => assert.deepEqual(Buffer.from(bytes[i]!), Buffer.from(t, 'utf8')));
  assert.equal(bytes[0]!.buffer, bytes[1]!.buffer);
  const large = encode('x'.repeat(300));
  assert.notEqual(large.buffer, bytes[0]!.buffer);
  assert.equal(Buffer.from(large).toString(), 'x'.repeat(300));
});

test('a full slab whose pages were all given back is used again; one with a page still out never is', () => {
  const encode = slabEncoder(1024);
  const page = (n: number) => `<p>${String(n).padStart(3, '0')}${'.'.repeat(90)}</p>`; // 100 bytes: 10 a slab
  const first = Array.from({ length: 10 }, (_, i) => encode(page(i)));
  assert.equal(Buffer.byteLength(page(1)), 100);
  assert.ok(first.every((b) => b.buffer === first[0]!.buffer));
  const kept = encode(page(10)); // the second slab; the first is full
  assert.notEqual(kept.buffer, first[0]!.buffer);
  for (const b of first) encode.release(b);
  encode.release(first[0]!); // given back twice: counted once
  const more = Array.from({ length: 10 }, (_, i) => encode(page(100 + i))); // fills the second slab, then takes the first again
  assert.equal(more.at(-1)!.buffer, first[0]!.buffer, 'the first slab is used again');
  assert.equal(Buffer.from(kept).toString(), page(10), 'a page not given back keeps its bytes');
  more.forEach((b, i) => assert.equal(Buffer.from(b).toString(), page(100 + i)));
  // The second slab still holds `kept`: it is never used again, however many pages follow.
  const later = Array.from({ length: 40 }, (_, i) => encode(page(200 + i)));
  assert.ok(later.every((b) => b.buffer !== kept.buffer));
  assert.equal(Buffer.from(kept).toString(), page(10));
  // A slab some of whose pages were given back, not all, is not used again either.
  const fresh = slabEncoder(1024);
  const a = Array.from({ length: 10 }, (_, i) => fresh(page(i)));
  fresh(page(10));
  for (const b of a.slice(0, 9)) fresh.release(b);
  const next = Array.from({ length: 20 }, (_, i) => fresh(page(300 + i)));
  assert.ok(next.every((b) => b.buffer !== a[0]!.buffer));
  assert.equal(Buffer.from(a[9]!).toString(), page(9));
  // Bytes it did not make are ignored.
  encode.release(Buffer.from(page(1)));
  encode.release(new Uint8Array(0));
});
