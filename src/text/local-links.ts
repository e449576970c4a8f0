/**
 * Links written as files or root-relative, between the markdown stage (which cannot know URLs)
 * and the site stage (which knows every post's URL and the base path). A placeholder is a
 * root-relative URL no site uses, so it survives the sanitiser unchanged:
 * - `/__quire__/c/<content path>` for a relative link, resolved against the post's file, as an
 *   editor's preview resolves it (`../2025-01-12-hello.md#intro` from `posts/a.md`);
 * - `/__quire__/r/<path>` for a root-relative link (`/images/x.png`), which gets the base path.
 * The query and fragment as written follow the path.
 */
import path from 'node:path';

export const LOCAL_LINK = '/__quire__/';

/** The placeholder for a URL written in the post at `relPath`, or null for a URL that needs none. */
export function localLinkPlaceholder(url: string, relPath: string): string | null {
  if (url === '' || url.startsWith('#') || url.startsWith('?') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
  const cut = url.search(/[?#]/);
  const pathPart = cut === -1 ? url : url.slice(0, cut);
  const suffix = cut === -1 ? '' : url.slice(cut);
  if (pathPart === '') return null;
  if (pathPart.startsWith('/')) return `${LOCAL_LINK}r${pathPart}${suffix}`;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    decoded = pathPart;
  }
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(relPath), decoded)).replace(/\/+$/, '');
  if (target === '..' || target.startsWith('../')) return null; // outside the content folder: left as written
  const folder = decoded.endsWith('/') || target === '.' ? '/' : '';
  return `${LOCAL_LINK}c/${encodeURI(target === '.' ? '' : target)}${folder}${suffix}`;
}

/** Splits a placeholder into its kind, its path (decoded) and the suffix (query and fragment). */
export function parsePlaceholder(placeholder: string): { kind: 'c' | 'r'; path: string; suffix: string } {
  const rest = placeholder.slice(LOCAL_LINK.length);
  const kind = rest[0] as 'c' | 'r';
  const body = rest.slice(kind === 'c' ? 2 : 1);
  const cut = body.search(/[?#]/);
  const p = cut === -1 ? body : body.slice(0, cut);
  return { kind, path: kind === 'c' ? decodeURI(p) : p, suffix: cut === -1 ? '' : body.slice(cut) };
}
