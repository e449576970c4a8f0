/**
 * Load stage: finds every post file under the content folder and reads it as UTF-8 text.
 * Editor leftovers and dotfiles are skipped; unreadable, non-UTF-8 and empty files become
 * diagnostics instead of pages.
 */
import path from 'node:path';
import { error, warning, type Diagnostic, type Result } from '../diagnostics.ts';
import { isErrno, type Fs } from '../fs.ts';
import { compareText } from '../text/compare.ts';
import { relativePosix } from '../paths.ts';

export interface SourceFile {
  /** Absolute path on disk. */
  absPath: string;
  /** Path inside the content folder, with `/` separators: the stable identity of a post. */
  relPath: string;
  /** Path as shown in diagnostics (relative to where the command was run). */
  displayPath: string;
  /** File text: BOM removed, line endings normalised to `\n`. */
  text: string;
  /** Modification time, the last-resort date of an undated post. */
  mtimeMs: number;
}

const POST_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);

/** True for names the loader never treats as posts: dotfiles and editors' temporary files. */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') || // dotfiles, .#lock files (Emacs), .swp (Vim) are all dotfiles
    name.endsWith('~') ||
    name.endsWith('.swp') ||
    name.endsWith('.swx') ||
    name.endsWith('.tmp') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name === '4913' // Vim's write-permission probe file
  );
}

/** True when a file name is a post: a known extension and not an ignored name. */
export function isPostFile(name: string): boolean {
  return !isIgnoredName(name) && POST_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** Lists the post files under `root` (sorted by relative path); follows symlinks that stay inside it. */
export async function listPostFiles(fs: Fs, root: string, display: (abs: string) => string): Promise<Result<string[]>> {
  const r = await listContent(fs, root, display);
  return { value: r.value.posts, diagnostics: r.diagnostics };
}

/** Every file under `root` (sorted by path): posts by their extension, and all other files. */
export async function listContent(fs: Fs, root: string, display: (abs: string) => string): Promise<Result<{ posts: string[]; files: string[] }>> {
  const diagnostics: Diagnostic[] = [];
  const posts: string[] = [];
  const files: string[] = [];
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (e) {
    diagnostics.push(
      error('content/missing', `content folder ${display(root)} cannot be read (${(e as Error).message})`, {
        hint: 'create it, or point --content at the folder that holds your posts',
      }),
    );
    return { value: { posts, files }, diagnostics };
  }
  const visited = new Set<string>();
  async function walk(dir: string): Promise<void> {
    // Every folder is walked once, however many symlinks lead to it (and loops end here).
    const real = await fs.realpath(dir).catch(() => dir);
    if (visited.has(real)) return;
    visited.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (e) {
      const code = isErrno(e, 'EACCES') || isErrno(e, 'EPERM') ? 'content/permission-denied' : 'content/unreadable';
      diagnostics.push(error(code, `cannot read folder: ${(e as Error).message}`, { file: display(dir), hint: 'check the folder permissions' }));
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name)); // by code point: the same order on every machine
    for (const entry of entries) {
      if (isIgnoredName(entry.name) && entry.name !== '.well-known') continue; // .well-known/ is published (security.txt, ACME)
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = await fs.realpath(abs);
        } catch {
          diagnostics.push(warning('content/broken-symlink', 'symbolic link points nowhere (or loops); skipped', { file: display(abs) }));
          continue;
        }
        if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
          diagnostics.push(
            warning('content/symlink-outside', `symbolic link points outside the content folder (${real}); skipped`, {
              file: display(abs),
              hint: 'copy the file into the content folder instead',
            }),
          );
          continue;
        }
        const st = await fs.stat(abs);
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) await walk(abs);
      else if (isFile) (isPostFile(entry.name) ? posts : files).push(abs);
    }
  }
  await walk(root);
  return { value: { posts, files }, diagnostics };
}

/** A content file's bytes as read from disk: the only read of it in a build (its cache key is made from these bytes). */
export interface RawFile {
  absPath: string;
  bytes: Uint8Array;
  mtimeMs: number;
}

/**
 * Reads one content file's bytes, and its mtime unless `mtime` is false (then NaN: the build asks
 * for it only for files it parses, so a build with nothing to do costs no stat per file).
 */
export async function readRawFile(fs: Fs, absPath: string, displayPath: string, mtime = true): Promise<Result<RawFile | null>> {
  try {
    const [bytes, mtimeMs] = await Promise.all([fs.readFile(absPath), mtime ? fs.stat(absPath).then((st) => st.mtimeMs) : NaN]);
    return { value: { absPath, bytes, mtimeMs }, diagnostics: [] };
  } catch (e) {
    const code = isErrno(e, 'EACCES') || isErrno(e, 'EPERM') ? 'content/permission-denied' : 'content/unreadable';
    return { value: null, diagnostics: [error(code, `cannot read file: ${(e as Error).message}`, { file: displayPath, hint: 'check the file permissions' })] };
  }
}

/** Reads one post file; returns null (with a diagnostic) when it cannot become a post. */
export async function readSourceFile(fs: Fs, root: string, absPath: string, displayPath: string): Promise<Result<SourceFile | null>> {
  const raw = await readRawFile(fs, absPath, displayPath);
  return raw.value ? decodeSource(raw.value, root, displayPath) : { value: null, diagnostics: raw.diagnostics };
}

/** A post file's bytes as text (pure): null, with a diagnostic, when empty or not UTF-8. */
export function decodeSource(raw: RawFile, root: string, displayPath: string): Result<SourceFile | null> {
  const { absPath, bytes, mtimeMs } = raw;
  const relPath = relativePosix(root, absPath);
  if (bytes.length === 0) {
    return { value: null, diagnostics: [warning('content/empty-file', 'file is empty; skipped', { file: displayPath, line: 1, column: 1 })] };
  }
  const decoded = decodeUtf8(bytes);
  if (decoded.error) {
    return { value: null, diagnostics: [error(decoded.error.code, decoded.error.message, { file: displayPath, line: decoded.error.line, column: decoded.error.column, hint: decoded.error.hint })] };
  }
  const diagnostics: Diagnostic[] = [];
  if (decoded.controls) {
    const { count, first, line, column } = decoded.controls;
    diagnostics.push(
      warning('content/control-characters', `${count === 1 ? 'a control character' : `${count} control characters`} (first: ${first}) removed from the text`, {
        file: displayPath,
        line,
        column,
        hint: 'they are invisible in most editors; they usually come from copying text out of a terminal or a PDF',
      }),
    );
  }
  return { value: { absPath, relPath, displayPath, text: decoded.text, mtimeMs }, diagnostics };
}

interface DecodeFailure {
  code: string;
  message: string;
  hint: string;
  line: number;
  column: number;
}

/** Control characters removed from a decoded text: how many, the first (as U+XXXX) and where it was. */
interface RemovedControls {
  count: number;
  first: string;
  line: number;
  column: number;
}

/**
 * C0 controls other than tab, line feed, form feed and carriage return, DEL, C1 controls and the
 * noncharacters U+FFFE/U+FFFF: invisible in editors, parse errors in HTML, and not allowed in XML
 * feeds. NUL is not here: a NUL byte means the file is binary.
 */
const CONTROL_CHARACTERS = /[\u0001-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/**
 * Strict UTF-8 decoding; reports the line and column of the first bad byte instead of producing
 * mojibake. Control characters are removed (and counted, for a warning).
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; controls?: RemovedControls; error?: undefined } | { text?: undefined; error: DecodeFailure } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    // Notepad's "Unicode": every other byte of ASCII text is NUL, which would otherwise read as "binary".
    return { error: { code: 'content/not-utf8', message: 'file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8', hint: 'save the file as UTF-8 in your editor', line: 1, column: 1 } };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = positionOfByte(bytes, nul);
    return { error: { code: 'content/binary', message: 'file contains NUL bytes: it looks binary, not a text post', hint: 'remove it from the content folder or rename it', line, column } };
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    text = text.replace(/\r\n?/g, '\n');
    CONTROL_CHARACTERS.lastIndex = 0;
    const found = CONTROL_CHARACTERS.exec(text);
    if (!found) return { text };
    const before = text.slice(0, found.index);
    const lineStart = before.lastIndexOf('\n') + 1;
    const first = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const stripped = text.replace(CONTROL_CHARACTERS, '');
    const controls = { count: text.length - stripped.length, first, line: countLines(before), column: [...before.slice(lineStart)].length + 1 };
    return { text: stripped, controls };
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    const { line, column } = positionOfByte(bytes, bad);
    return { error: { code: 'content/not-utf8', message: 'file is not valid UTF-8', hint: 'save the file as UTF-8 in your editor (e.g. convert from Latin-1 / Windows-1252)', line, column } };
  }
}

/** Line and column (in characters, as editors count them) of a byte: continuation bytes do not count. */
function positionOfByte(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) (line++, (column = 1));
    else if ((bytes[i]! & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index of the first byte of the first invalid UTF-8 sequence (RFC 3629: no overlongs, surrogates, or > U+10FFFF). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // Allowed range of the second byte, which rules out overlongs, surrogates and > U+10FFFF.
    const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (bytes[i + 1]! < lo || bytes[i + 1]! > hi) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}
