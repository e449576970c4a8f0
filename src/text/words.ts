/**
 * Words of a post, for the search index and related posts: normalised, split, without stop words.
 * Derived once per post in the per-file stage (so in the worker threads, and kept in the cache).
 */

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

/** Whether a word goes into the body index. */
function indexable(word: string): boolean {
  return word.length <= MAX_WORD_LENGTH && !/^[a-z0-9]$/.test(word) && !STOP_WORDS.has(word);
}

export function computeBodyWords(textWords: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const word of textWords) {
    if (seen.size >= MAX_WORDS_PER_POST) break;
    if (indexable(word)) seen.add(word);
  }
  return [...seen];
}

/** Title words count this many times in a post's term counts (related posts). */
const TITLE_WEIGHT = 3;

/** How often each word occurs in a post (its title's words count TITLE_WEIGHT times). */
export function computeTermCounts(title: string, textWords: readonly string[]): { words: string[]; counts: number[] } {
  const tf = new Map<string, number>();
  for (const w of searchWords(title)) tf.set(w, (tf.get(w) ?? 0) + TITLE_WEIGHT);
  for (const w of textWords) tf.set(w, (tf.get(w) ?? 0) + 1);
  return { words: [...tf.keys()], counts: [...tf.values()] };
}

/** Characters of a post's opening text that the search index keeps, for the excerpt under a result. */
export const SEARCH_TEXT_CHARS = 300;

/**
 * The opening of a post's plain text, whitespace collapsed, cut at a space before
 * {@link SEARCH_TEXT_CHARS} characters (then ending in `…`): what search results quote from.
 */
export function searchText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SEARCH_TEXT_CHARS) return flat;
  const space = flat.lastIndexOf(' ', SEARCH_TEXT_CHARS);
  let end = space > SEARCH_TEXT_CHARS / 2 ? space : SEARCH_TEXT_CHARS;
  if (/[\ud800-\udbff]/.test(flat[end - 1]!)) end--; // never half of a surrogate pair
  return flat.slice(0, end) + '…';
}

/** Both word lists of a post and its search text, from one pass over its text. */
export function postWords(title: string, text: string): { body: string; terms: { words: string; counts: number[] }; lead: string } {
  const words = searchWords(text);
  const terms = computeTermCounts(title, words);
  return { body: joinWords(computeBodyWords(words)), terms: { words: joinWords(terms.words), counts: terms.counts }, lead: searchText(text) };
}

/** A word list as one string (words are runs of letters and digits: none holds a space). */
export function joinWords(words: readonly string[]): string {
  return words.join(' ');
}

/** The words of a `joinWords` string. */
export function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}
