/**
 * The search index (`search-index.json`) that `templates/assets/search.js` loads on the search
 * page. Built for size: a body word is stored once for the whole site, and each word lists the
 * posts it occurs in as a compact code. Measured: 1,000 generated posts of 800 words (a Zipf-like
 * 30,000-word vocabulary) give ~690 KB (~360 KB gzipped); Jekyll's 102 real release posts ~46 KB.
 *
 * Format (version 1), one JSON object:
 * - `v`: 1.
 * - `stop`: the stop words left out of `words`, space-separated. The client ignores them in a
 *   query that has other words (and matches them against titles and terms when it has not).
 * - `categories`, `tags`: display names of every term, in the site's order.
 * - `posts`: `[title, url, day, categoryNumbers, tagNumbers]` per post, newest first (the site's
 *   order). `url` is the post's URL as the site links it (base path included), `day` is
 *   `YYYY-MM-DD`, and the numbers index `categories` / `tags`. A post's number is its position here.
 * - `words`: every indexed body word, sorted by code unit and front-coded, separated by spaces:
 *   each entry is one base-36 digit saying how many leading characters it shares with the previous
 *   word (at most 35), then the rest of the word.
 * - `postings`: one entry per word of `words` (same order), separated by spaces: the posts the word
 *   occurs in, as the shorter of two codes over {@link POSTING_ALPHABET} (`A`):
 *   - deltas: for each post, `number - previous - 1` (previous starts at -1) in base 32, most
 *     significant digit first, digit d written `A[32 + d]` except a number's last digit, `A[d]`;
 *   - `~` then a bitmap: character i is `A[bits]` for posts 6i to 6i+5 (lowest bit first), up to
 *     the cell of the last post (words found in about one post in six or more).
 *
 * Indexed body words: each post's `content.text`, normalised (see `normaliseText`), split into
 * words (see `searchWords`), without stop words, single letters or digits, and words longer than
 * 32 characters; the first {@link MAX_WORDS_PER_POST} distinct ones of each post. Titles, categories
 * and tags are matched by the client from `posts`, so they are searchable whatever the cap.
 */
import type { OutputFile, RenderedContent, Site } from '../model.ts';
import { compareText } from '../site/build-site.ts';

/** Digits of the posting codes: none needs escaping in JSON, none is a space or `~`. */
export const POSTING_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';

/** Distinct body words indexed per post, in order of first appearance (keeps the index small). */
export const MAX_WORDS_PER_POST = 400;

/** Longer "words" are hashes, base64 and the like: nobody searches for them. */
const MAX_WORD_LENGTH = 32;

/**
 * English function words: they occur in nearly every post, so indexing them would cost a lot and
 * find nothing. Shared with the client (the index carries the list) and with related posts.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself ' +
    'his how if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves dont doesnt didnt isnt arent wasnt werent cant wont im ive youre thats theres lets'
  ).split(' '),
);

/**
 * Lower case, compatibility-decomposed (NFKD) with combining marks removed, apostrophes dropped:
 * "Café" and "cafe" are one word, "don’t" is "dont", "ﬁle" is "file". search.js does the same.
 */
export function normaliseText(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').replace(/['’]/g, '');
}

/**
 * The words of a text after `normaliseText`: runs of letters and digits. Han, Hiragana and
 * Katakana characters are words on their own, since those scripts do not put spaces between words.
 */
export function searchWords(text: string): string[] {
  // Plain ASCII (most posts) gives the same words by a path several times faster.
  if (/^[\0-\x7f]*$/.test(text)) return text.toLowerCase().replace(/'/g, '').match(/[a-z0-9]+/g) ?? [];
  return normaliseText(text).replace(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu, ' $& ').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * `searchWords` of a post's body text, remembered per content object: the search index and related
 * posts both need them, and the dev server rebuilds with the same objects for unchanged posts.
 */
export function contentWords(content: RenderedContent): readonly string[] {
  let words = wordsOf.get(content);
  if (!words || words.text !== content.text) wordsOf.set(content, (words = { text: content.text, words: searchWords(content.text) }));
  return words.words;
}
const wordsOf = new WeakMap<RenderedContent, { text: string; words: string[] }>();

/** Whether a word goes into the body index. */
function indexable(word: string): boolean {
  return word.length <= MAX_WORD_LENGTH && !/^[a-z0-9]$/.test(word) && !STOP_WORDS.has(word);
}

/** Per content object (new whenever the post's file changes): the dev server's rebuilds reuse them. */
const bodyWordsMemo = new WeakMap<RenderedContent, string[]>();

/** The distinct indexed words of a post's body, capped at {@link MAX_WORDS_PER_POST}. */
export function bodyWords(content: RenderedContent): string[] {
  if (content.words) return content.words.body;
  let words = bodyWordsMemo.get(content);
  if (!words) bodyWordsMemo.set(content, (words = computeBodyWords(content)));
  return words;
}

export function computeBodyWords(content: RenderedContent): string[] {
  const seen = new Set<string>();
  for (const word of contentWords(content)) {
    if (seen.size >= MAX_WORDS_PER_POST) break;
    if (indexable(word)) seen.add(word);
  }
  return [...seen];
}

/** The JSON shape of `search-index.json` (see the module comment). */
export interface SearchIndex {
  v: 1;
  stop: string;
  categories: string[];
  tags: string[];
  posts: [title: string, url: string, day: string, categories: number[], tags: number[]][];
  words: string;
  postings: string;
}

/** The search index written to `search-index.json`: compact, deterministic, everything escaped by JSON.stringify. */
export function buildSearchIndex(site: Site): OutputFile {
  return { outPath: 'search-index.json', contents: serialiseIndex(searchIndex(site)) };
}

/** The index as an object (what `buildSearchIndex` serialises). */
export function searchIndex(site: Site): SearchIndex {
  const categoryNumber = new Map(site.categories.map((t, i) => [t, i]));
  const tagNumber = new Map(site.tags.map((t, i) => [t, i]));
  const postsOf = new Map<string, number[]>(); // word → post numbers, ascending
  const posts: SearchIndex['posts'] = site.posts.map((p, i) => {
    for (const word of bodyWords(p.content)) {
      const list = postsOf.get(word);
      if (list) list.push(i);
      else postsOf.set(word, [i]);
    }
    return [
      p.post.title,
      p.url,
      p.post.date.iso.slice(0, 10),
      p.categories.map((t) => categoryNumber.get(t)!),
      p.tags.map((t) => tagNumber.get(t)!),
    ];
  });
  const words = [...postsOf.keys()].sort(compareText);
  return {
    v: 1,
    stop: [...STOP_WORDS].join(' '),
    categories: site.categories.map((t) => t.name),
    tags: site.tags.map((t) => t.name),
    posts,
    words: frontCode(words).join(' '),
    postings: words.map((w) => encodePostings(postsOf.get(w)!)).join(' '),
  };
}

/**
 * JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped as well, so the same text is also safe inside
 * an HTML `<script>` element should a theme ever inline it.
 */
export function serialiseIndex(index: SearchIndex): string {
  return JSON.stringify(index).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Sorted words → entries of one base-36 shared-prefix length and the rest of the word. */
function frontCode(sorted: string[]): string[] {
  let prev = '';
  return sorted.map((word) => {
    let shared = 0;
    const max = Math.min(35, prev.length, word.length);
    while (shared < max && prev.charCodeAt(shared) === word.charCodeAt(shared)) shared++;
    prev = word;
    return shared.toString(36) + word.slice(shared);
  });
}

/** Ascending post numbers → the shorter of a delta list and a `~` bitmap (see the module comment). */
export function encodePostings(numbers: number[]): string {
  let deltas = '';
  let prev = -1;
  for (const n of numbers) {
    let gap = n - prev - 1;
    prev = n;
    let digits = POSTING_ALPHABET[gap & 31]!;
    while ((gap >>>= 5) > 0) digits = POSTING_ALPHABET[32 + (gap & 31)]! + digits;
    deltas += digits;
  }
  // A bitmap is 1 + ceil((last + 1) / 6) characters long (`~`, then one per six posts).
  const last = numbers[numbers.length - 1] ?? 0;
  if (deltas.length <= 2 + Math.floor(last / 6)) return deltas;
  const cells = new Array<number>(1 + Math.floor(last / 6)).fill(0);
  for (const n of numbers) cells[Math.floor(n / 6)]! |= 1 << n % 6;
  return '~' + cells.map((c) => POSTING_ALPHABET[c]!).join('');
}
