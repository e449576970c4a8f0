/**
 * URL slugs. Every path segment we write comes from here, so this is where "nothing is written
 * outside the output folder, whatever a slug says" is enforced: the result never contains `/`,
 * `\`, `.`, `%` or control characters, is never empty, never a Windows device name, and is short
 * enough for any file system.
 */
import { slug as githubSlug } from 'github-slugger';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;
const MAX_BYTES = 100;

/** Kebab-case slug of `text`, or `fallback` (itself slugified) when nothing usable is left. */
export function slugify(text: string, fallback = 'untitled'): string {
  let s = bareSlug(text);
  if (!s) return fallback === text ? 'untitled' : slugify(fallback, 'untitled');
  if (WINDOWS_RESERVED.test(s)) s += '-1';
  return s;
}

/** The slug of `text` alone, before fallbacks: '' when `text` has no letter or digit to make one from. */
export function bareSlug(text: string): string {
  // Already a slug (a file name such as `2014-12-17-welcome`): every step below leaves it as it is.
  if (text.length <= MAX_BYTES && PLAIN_SLUG.test(text)) return text;
  return slugOfText(text);
}

/** Lower-case ASCII letters and digits in hyphen-separated runs. */
const PLAIN_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** bareSlug, every step. */
export function slugOfText(text: string): string {
  // Dots, slashes and colons separate words (`Jekyll 1.0.0` → `jekyll-1-0-0`, not `jekyll-100`).
  // `C++` and `C#` are not `C`.
  const named = text.normalize('NFC').replace(/(\p{L})\+\+(?!\p{L})/gu, '$1 plus plus').replace(/(\p{L})#(?!\p{L})/gu, '$1 sharp');
  const s = githubSlug(named.replace(/[./\\:·–—]+/g, ' '))
    .replace(/[_\s]+/g, '-')
    .replace(/[^\p{L}\p{N}-]/gu, '') // github-slugger keeps a few symbols; we keep letters, digits, hyphens
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return truncateBytes(s, MAX_BYTES).replace(/-+$/, '');
}

/**
 * The name under which a file system that ignores case (macOS, Windows) sees a slug: slugs are
 * lower case already, but `σας` and `σασ` (final sigma), or `ı` and `i`, are one folder there.
 * Two slugs with the same key collide.
 */
export function slugKey(slug: string): string {
  return slug.toUpperCase();
}

/** Splits PascalCase words: `ArtificialIntelligence` → `Artificial Intelligence`. */
export function splitCamelCase(name: string): string {
  if (!/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$/.test(name) || CAMEL_BRANDS.has(name.toLowerCase())) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

/** Names that are written in CamelCase on purpose and must not be split. */
const CAMEL_BRANDS = new Set(
  [
    'JavaScript', 'TypeScript', 'CoffeeScript', 'ActionScript', 'PowerShell', 'GitHub', 'GitLab', 'BitBucket', 'YouTube',
    'LinkedIn', 'WordPress', 'PostgreSql', 'MySql', 'MongoDb', 'DevOps', 'OpenAi', 'OpenBsd', 'FreeBsd', 'NetBsd',
    'DeepMind', 'PlayStation', 'MacBook', 'RubyGems', 'WebAssembly', 'OpenStack', 'GraphQl', 'NodeJs', 'NextJs',
    'VueJs', 'SoundCloud', 'DuckDuckGo', 'PayPal', 'FaceBook', 'WhatsApp', 'TikTok', 'HackerNews', 'StackOverflow',
  ].map((n) => n.toLowerCase()),
);

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  const cut = out.lastIndexOf('-');
  return cut > max / 2 ? out.slice(0, cut) : out;
}
