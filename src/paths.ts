/**
 * Paths relative to a folder, made by slicing where the path is plainly inside it. A build asks
 * this of every file it knows, thousands of times (to key a post, to show its path, to check an
 * output path), and `path.relative` and `path.resolve` normalise both paths every time: at 4,000
 * posts with nothing changed that was about a tenth of the build, in garbage as much as in time.
 * Anything not plainly inside (another root, `..`, `.`, doubled separators, letter case on
 * Windows) goes to `path` as before, so the answers are always `path`'s.
 */
import path from 'node:path';

/** Folders known to be absolute and normalised (as `path.resolve` gives them): a build asks about a few, many times. */
const normal = new Map<string, boolean>();

function isNormal(dir: string): boolean {
  let known = normal.get(dir);
  if (known === undefined) {
    known = path.isAbsolute(dir) && path.resolve(dir) === dir && !dir.endsWith(path.sep);
    if (normal.size > 64) normal.clear();
    normal.set(dir, known);
  }
  return known;
}

/** True for a relative path whose segments (split at `/`, and at `\` on Windows) are all names: none empty, `.` or `..` (so it stays inside any folder it is joined to). */
export function isPlainRelative(rel: string): boolean {
  return rel !== '' && !path.isAbsolute(rel) && !(path.sep === '/' ? NOT_PLAIN : NOT_PLAIN_WINDOWS).test(rel);
}

/** An empty, `.` or `..` segment. */
const NOT_PLAIN = /(?:^|\/)\.{0,2}(?:\/|$)/;
/** The same with either separator, or a `:` (on Windows `C:x` is not absolute but leaves for drive C's current folder). */
const NOT_PLAIN_WINDOWS = /(?:^|[\\/])\.{0,2}(?:[\\/]|$)|:/;

/** `path.relative(from, to)`: the same answer, without normalising both when `to` is plainly inside `from`. */
export function relativeIn(from: string, to: string): string {
  if (to.length > from.length + 1 && to.charCodeAt(from.length) === SEP && to.startsWith(from) && isNormal(from)) {
    const rest = to.slice(from.length + 1);
    if (isPlainNative(rest)) return rest;
  }
  return path.relative(from, to);
}

/** `to` relative to `from`, with `/` between the parts whatever the system (keys, output paths). */
export function relativePosix(from: string, to: string): string {
  const rel = relativeIn(from, to);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** `path.join(dir, rel)` for an absolute, normalised `dir`: the same answer, by concatenation when `rel` is plain. */
export function joinIn(dir: string, rel: string): string {
  return isNormal(dir) && isPlainNative(rel) ? dir + path.sep + rel : path.join(dir, rel);
}

/** Plain, and written with this system's separator only (on Windows, `path` would turn a `/` into `\`). */
function isPlainNative(rel: string): boolean {
  return isPlainRelative(rel) && (path.sep === '/' || !rel.includes('/'));
}

const SEP = path.sep.charCodeAt(0);
