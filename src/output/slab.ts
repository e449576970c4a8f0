/**
 * UTF-8 bytes of many output files, packed side by side into shared 1 MiB slabs. `Buffer.from`
 * gives every page over 4 KB an ArrayBuffer of its own; 20,000 of them (a site with 10,000
 * categories and 10,000 tags) cost more in allocation and garbage collection than rendering the
 * pages did. Slabs are made per build (one encoder per call of `slabEncoder`), so nothing is
 * shared between builds.
 *
 * A slab is used again once every page in it was given back (`release`: the writer has written
 * it, or found it unchanged on disk, and nothing else holds its bytes): a cold build of 10,000
 * posts held 80 MB of written pages' slabs until the garbage collector came for them; it now holds
 * about the bytes waiting to be written. A slab with a page never given back is left to the
 * garbage collector, as before.
 */

const SLAB_BYTES = 1 << 20;

export interface SlabEncoder {
  /** The UTF-8 bytes of `text`, in the current slab when it fits. */
  (text: string): Buffer;
  /** Gives back bytes this encoder made, that nothing will read again; others (and a second release) are ignored. */
  release(bytes: Uint8Array): void;
}

interface Slab {
  bytes: Buffer;
  /** Pages made in it and not given back. */
  pages: number;
  /** No further page goes into it (a newer slab is the current one). */
  full: boolean;
}

export function slabEncoder(slabBytes = SLAB_BYTES): SlabEncoder {
  const slabs = new WeakMap<ArrayBufferLike, Slab>();
  const released = new WeakSet<Uint8Array>();
  const free: Buffer[] = [];
  let slab: Slab | null = null;
  let used = 0;
  const retire = (s: Slab) => {
    s.full = true;
    if (s.pages === 0) free.push(s.bytes);
  };
  const encode = ((text: string) => {
    const size = Buffer.byteLength(text);
    if (size > slabBytes / 4) return Buffer.from(text);
    if (!slab || slab.bytes.length - used < size) {
      if (slab) retire(slab);
      // Shared memory: a page in it reaches the thread that writes it without a copy (see output/off-thread.ts).
      const bytes = free.pop() ?? Buffer.from(new SharedArrayBuffer(slabBytes));
      slabs.set(bytes.buffer, (slab = { bytes, pages: 0, full: false }));
      used = 0;
    }
    // With the exact length: given more room, writing costs time in proportion to the room.
    slab.bytes.write(text, used, size, 'utf8');
    used += size;
    slab.pages++;
    return slab.bytes.subarray(used - size, used);
  }) as SlabEncoder;
  encode.release = (bytes) => {
    const s = slabs.get(bytes.buffer);
    if (!s || released.has(bytes)) return;
    released.add(bytes);
    if (--s.pages === 0 && s.full) free.push(s.bytes);
  };
  return encode;
}
