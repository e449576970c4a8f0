/**
 * A string V8 stores with one byte per character when every character fits in one (Latin-1).
 *
 * V8 keeps a string two bytes per character once a piece it was joined from was two-byte, even
 * when every character is ASCII. The text values micromark makes are two-byte, and remark-html's
 * output often ends up so too: each generated post's 8 KB of ASCII HTML took 16 KB (159 MB at
 * 10,000 posts), and twice the bytes to pass from a worker thread. Encoding and decoding it
 * again as Latin-1 makes a one-byte copy; text with a character above U+00FF is returned as it is.
 */
export function oneByte(text: string): string {
  return NOT_LATIN1.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

const NOT_LATIN1 = /[^\x00-\xff]/;
