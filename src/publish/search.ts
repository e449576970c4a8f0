/**
 * The search index (`search-index.json`) that `templates/assets/search.js` loads on the search
 * page. Built for size: a body word is stored once for the whole site, and each word lists the
 * posts it occurs in as a compact code; of each post's text only its opening is kept (at most
 * {@link SEARCH_TEXT_CHARS} characters, for the excerpt under a result), so the index grows
 * linearly with the number of posts, whatever their length. Measured (before the excerpts in
 * brackets): Jekyll's 102 real release posts 77 KB, 34 KB gzipped (46 KB, 22 KB); 1,000 posts of
 * `bench/corpus.ts` 402 KB, 65 KB gzipped (99 KB, 14 KB).
 *
 * Format (version 2), one JSON object:
 * - `v`: 2.
 * - `stop`: the stop words left out of `words`, space-separated. The client ignores them in a
 *   query that has other words (and matches them against titles and terms when it has not).
 * - `categories`, `tags`: display names of every term, in the site's order.
 * - `posts`: `[title, url, day, categoryNumbers, tagNumbers, text]` per post, newest first (the
 *   site's order). `url` is the post's URL as the site links it (base path included), `day` is
 *   `YYYY-MM-DD`, the numbers index `categories` / `tags`, and `text` is the opening of the post's
 *   plain text (see `searchText`), ending in `…` when cut. A post's number is its position here.
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
import { postsKey, sitePostKey, type OutputFile, type PublishJob, type RenderedContent, type Site } from '../model.ts';
import { compareText } from '../text/compare.ts';
import { computeBodyWords, searchText, searchWords, splitWords, STOP_WORDS } from '../text/words.ts';

export { MAX_WORDS_PER_POST, normaliseText, SEARCH_TEXT_CHARS, searchText, searchWords, STOP_WORDS } from '../text/words.ts';


/** Digits of the posting codes: none needs escaping in JSON, none is a space or `~`. */
export const POSTING_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';

/** The distinct indexed words of a post's body: derived in the per-file stage, or now. */
export function bodyWords(content: RenderedContent): string[] {
  return content.words ? splitWords(content.words.body) : computeBodyWords(searchWords(content.text));
}

/** The JSON shape of `search-index.json` (see the module comment). */
export interface SearchIndex {
  v: 2;
  stop: string;
  categories: string[];
  tags: string[];
  posts: [title: string, url: string, day: string, categories: number[], tags: number[], text: string][];
  words: string;
  postings: string;
}

/** The search index written to `search-index.json`: compact, deterministic, everything escaped by JSON.stringify. */
export function buildSearchIndex(site: Site): OutputFile {
  const job = searchIndexJob(site);
  return { outPath: job.outPath, contents: job.make() };
}

/** The search index as a job: made from the site's terms and its posts as placed (see sitePostKey), which its key says. */
export function searchIndexJob(site: Site): PublishJob {
  const key = postsKey(['search', site.categories.map((t) => t.name), site.tags.map((t) => t.name)], site.posts.map(sitePostKey));
  return { outPath: 'search-index.json', ...(key === undefined ? {} : { key }), make: () => serialiseIndex(searchIndex(site)) };
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
      p.content.words?.lead ?? searchText(p.content.text),
    ];
  });
  const words = [...postsOf.keys()].sort(compareText);
  return {
    v: 2,
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
  // The delta list's length is counted before it is made: for a common word the bitmap is shorter,
  // and its deltas (thousands of pieces joined) were made for nothing.
  let length = 0;
  let prev = -1;
  for (let i = 0; i < numbers.length; i++) {
    let gap = numbers[i]! - prev - 1;
    prev = numbers[i]!;
    length++;
    while ((gap >>>= 5) > 0) length++;
  }
  // A bitmap is 1 + ceil((last + 1) / 6) characters long (`~`, then one per six posts).
  const last = numbers[numbers.length - 1] ?? 0;
  if (length <= 2 + Math.floor(last / 6)) {
    let deltas = '';
    prev = -1;
    for (let i = 0; i < numbers.length; i++) {
      let gap = numbers[i]! - prev - 1;
      prev = numbers[i]!;
      let digits = POSTING_ALPHABET[gap & 31]!;
      while ((gap >>>= 5) > 0) digits = POSTING_ALPHABET[32 + (gap & 31)]! + digits;
      deltas += digits;
    }
    return deltas;
  }
  const cells = new Array<number>(1 + Math.floor(last / 6)).fill(0);
  for (let i = 0; i < numbers.length; i++) cells[Math.floor(numbers[i]! / 6)]! |= 1 << numbers[i]! % 6;
  return '~' + cells.map((c) => POSTING_ALPHABET[c]!).join('');
}
