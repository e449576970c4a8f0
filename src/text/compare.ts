/**
 * Code-point order (the order of the UTF-8 bytes): the same on every machine, whatever the locale.
 * JavaScript's `<` compares UTF-16 code units, which differs only where a character beyond U+FFFF
 * (a surrogate pair, from U+D800) meets one from U+E000 to U+FFFF: `<` is used unless both
 * strings hold such units.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (HIGH_UNIT.test(a) && HIGH_UNIT.test(b)) return compareCodePoints(a, b);
  return a < b ? -1 : 1;
}

const HIGH_UNIT = /[\uD800-\uFFFF]/;

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (U+D800–DFFF, code points from U+10000) go after U+E000–FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
