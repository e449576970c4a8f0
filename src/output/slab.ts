/**
 * UTF-8 bytes of many output files, packed side by side into shared 1 MiB slabs. `Buffer.from`
 * gives every page over 4 KB an ArrayBuffer of its own; 20,000 of them (a site with 10,000
 * categories and 10,000 tags) cost more in allocation and garbage collection than rendering the
 * pages did. Slabs are made per build (one encoder per call of `slabEncoder`), so nothing is
 * shared between builds; a slab lives as long as any file in it.
 */

const SLAB_BYTES = 1 << 20;

/** Returns a function that encodes a string as UTF-8 bytes, into the current slab when it fits. */
export function slabEncoder(slabBytes = SLAB_BYTES): (text: string) => Buffer {
  let slab = Buffer.alloc(0);
  let used = 0;
  return (text) => {
    const size = Buffer.byteLength(text);
    if (size > slabBytes / 4) return Buffer.from(text);
    if (slab.length - used < size) {
      slab = Buffer.allocUnsafeSlow(slabBytes);
      used = 0;
    }
    // With the exact length: given more room, writing costs time in proportion to the room.
    slab.write(text, used, size, 'utf8');
    used += size;
    return slab.subarray(used - size, used);
  };
}
