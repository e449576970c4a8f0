/**
 * Related posts: for each post, the posts that share the most categories and tags with it, then
 * the most words. Scores: 3 per shared category, 2 per shared tag, plus the cosine similarity (0 to
 * 1) of the two posts' keyword vectors: a shared category or tag outweighs any text similarity
 * alone, and text orders the posts that share the same terms.
 *
 * Only posts that really relate are shown, and none is better than an unrelated one: a post is
 * related when it shares a category or tag, or when its text similarity alone is at least
 * {@link MIN_TEXT_SIMILARITY} with at least {@link MIN_SHARED_KEYWORDS} keywords in common. Calibrated on Jekyll's 102 release posts: of the 1,196 pairs that
 * share no term, none reaches 0.16, and the highest share at most three generic keywords ("Goodbye,
 * Dear Frank." and "Jekyll 4.2.2 Released": actions, house, platform; 0.154), while the sample posts'
 * pairs above 0.2 share a topic (0.455: GANs, latent, adversarial, discriminator...; 0.231: relu,
 * sigmoid, functions).
 *
 * Keywords: each post's top {@link KEYWORDS_PER_POST} words by TF-IDF over its title (counted
 * three times) and `content.text`, without stop words, words under three letters, numbers, and
 * words found in only one post (they relate nothing).
 *
 * Near-linear: candidates come only from posting lists (the posts of each category, tag and
 * keyword of the post), and from each list only the posts nearest the post in date order: at most
 * {@link CANDIDATE_WINDOW} from a category's or tag's list and {@link KEYWORD_WINDOW} from a
 * keyword's. So a post looks at no more than `200 × (categories + tags) + 50 × 20` others, however
 * many posts share its category (10,000 posts in 20 categories: ~1,500 each, not ~500 × all of
 * them). A post outside every window of another is not considered for it; posts sharing a rare
 * keyword still are, since that keyword's list is short.
 */
import { postsKey, sitePostKey, type Site, type SitePost, type Term } from '../model.ts';
import { compareText } from '../text/compare.ts';
import { computeTermCounts, searchWords, splitWords, STOP_WORDS } from '../text/words.ts';

/** Keywords kept per post for text similarity. */
export const KEYWORDS_PER_POST = 20;

/** Posts taken from a category's or tag's posting list: the ones nearest the post in date order. */
export const CANDIDATE_WINDOW = 200;

/** Posts taken from a keyword's posting list (a post has up to 20 keywords, but few terms). */
export const KEYWORD_WINDOW = 50;

/** Text similarity (cosine, 0 to 1) that relates two posts sharing no category or tag (see the module comment). */
export const MIN_TEXT_SIMILARITY = 0.2;

/** Keywords two posts sharing no term must have in common to be related: one shared word is a coincidence (short posts have few keywords, so one can give a high cosine). */
export const MIN_SHARED_KEYWORDS = 2;

const CATEGORY_POINTS = 3;
const TAG_POINTS = 2;

/** Work counters, for tests and benchmarks. */
export interface RelatedStats {
  /** Candidate scores added up: (post, other post, shared list) visits. */
  comparisons: number;
}

/** Up to `limit` related posts for every post: shared categories and tags first, then text similarity; deterministic; near-linear in the number of posts. Unrelated posts are left out, so a list may be shorter or empty. */
export function relatedPosts(site: Site, limit = 3, stats?: RelatedStats): Map<SitePost, SitePost[]> {
  const posts = site.posts;
  const n = posts.length;
  const result = new Map<SitePost, SitePost[]>();
  if (limit <= 0 || n === 0) {
    for (const p of posts) result.set(p, []);
    return result;
  }
  const number = new Map(posts.map((p, i) => [p, i]));
  const keywords = keywordVectors(posts);

  // Posting lists, ascending post number (= newest first): terms already have theirs.
  const termLists = new Map<Term, number[]>();
  for (const t of [...site.categories, ...site.tags]) termLists.set(t, t.posts.map((p) => number.get(p)!));
  const keywordLists: { posts: number[]; weights: number[] }[] = [];
  keywords.forEach((vector, i) => {
    vector.ids.forEach((id, k) => {
      const list = (keywordLists[id] ??= { posts: [], weights: [] });
      list.posts.push(i);
      list.weights.push(vector.weights[k]!);
    });
  });

  const termScore = new Float64Array(n);
  const textScore = new Float64Array(n);
  const sharedKeywords = new Int32Array(n);
  // The candidates of the post being scored, in the order first touched: a typed array reused for
  // every post (an array emptied with `length = 0` gives its storage back, and grew again 4,000 times).
  const touched = new Int32Array(n);
  let touchedCount = 0;
  const touchedBy = new Int32Array(n).fill(-1); // which post last touched each candidate
  let comparisons = 0;
  /** Adds `points` to the term score (a category or tag list), or the keyword's weights to the text score (`weights`). */
  const visit = (list: number[], self: number, size: number, points: number, weight = 0, weights?: number[]) => {
    const [from, to] = windowAround(list, self, size);
    for (let k = from; k < to; k++) {
      const j = list[k]!;
      if (j === self) continue;
      if (touchedBy[j] !== self) (touchedBy[j] = self), (touched[touchedCount++] = j);
      if (weights) {
        textScore[j]! += weight * weights[k]!;
        sharedKeywords[j]!++;
      } else termScore[j]! += points;
      comparisons++;
    }
  };

  posts.forEach((p, i) => {
    for (const t of p.categories) visit(termLists.get(t) ?? [], i, CANDIDATE_WINDOW, CATEGORY_POINTS);
    for (const t of p.tags) visit(termLists.get(t) ?? [], i, CANDIDATE_WINDOW, TAG_POINTS);
    const own = keywords[i]!;
    own.ids.forEach((id, m) => {
      const list = keywordLists[id]!;
      visit(list.posts, i, KEYWORD_WINDOW, 0, own.weights[m]!, list.weights);
    });
    // Keep the best `limit` with an insertion list: touched can be thousands, limit is small. The
    // list is two arrays (post numbers and scores), so a candidate allocates nothing: at 4,000
    // posts that was 4.8 million objects, a quarter of a one-post rebuild's garbage.
    const bestJ: number[] = [];
    const bestScore: number[] = [];
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      // Rounded so that float noise can never reorder equal scores between runs or machines.
      const text = Math.round(textScore[j]! * 1e9) / 1e9;
      const score = termScore[j]! + text;
      const related = termScore[j]! > 0 || (text >= MIN_TEXT_SIMILARITY && sharedKeywords[j]! >= MIN_SHARED_KEYWORDS);
      termScore[j] = 0;
      textScore[j] = 0;
      sharedKeywords[j] = 0;
      if (!related) continue; // no term in common, and too little text in common

      let at = bestJ.length;
      while (at > 0 && better(j, score, bestJ[at - 1]!, bestScore[at - 1]!, posts)) at--;
      if (at >= limit) continue;
      bestJ.splice(at, 0, j);
      bestScore.splice(at, 0, score);
      if (bestJ.length > limit) (bestJ.pop(), bestScore.pop());
    }
    touchedCount = 0;
    result.set(p, bestJ.map((j) => posts[j]!));
  });
  if (stats) stats.comparisons += comparisons;
  return result;
}

/**
 * What every post's related posts are made from, as a key: the limit and every post as placed, in
 * the site's order (see sitePostKey: its content's key fixes its title, date and words; its URL,
 * path and terms where the site put it). Undefined when a post has no key.
 */
export function relatedKey(site: Site, limit: number): string | undefined {
  return postsKey(['related', limit], site.posts.map(sitePostKey));
}

/**
 * relatedPosts, or lists kept from an earlier build (each post's by path; see relatedKey), when
 * `kept` gives them for this site's key: lists that do not name every post, or name one that is
 * gone, are made again.
 */
export function relatedOrKept(site: Site, limit: number, kept?: (key: string, make: () => Map<string, string[]>) => Map<string, string[]>): Map<SitePost, SitePost[]> {
  const key = kept && limit > 0 ? relatedKey(site, limit) : undefined;
  if (!kept || key === undefined) return relatedPosts(site, limit);
  let made: Map<SitePost, SitePost[]> | undefined;
  const lists = kept(key, () => relatedByPath((made = relatedPosts(site, limit))));
  if (made) return made;
  const byPath = new Map(site.posts.map((p) => [p.post.relPath, p]));
  const result = new Map<SitePost, SitePost[]>();
  for (const p of site.posts) {
    const rs = lists.get(p.post.relPath)?.map((r) => byPath.get(r));
    if (!rs || rs.includes(undefined)) return relatedPosts(site, limit); // not what this key stands for: made anew
    result.set(p, rs as SitePost[]);
  }
  return result;
}

/** Each post's related posts by path (for what outlives the build's objects: the dev server's state, the page cache). */
export function relatedByPath(related: Map<SitePost, SitePost[]>): Map<string, string[]> {
  return new Map([...related].map(([p, rs]) => [p.post.relPath, rs.map((r) => r.post.relPath)]));
}

/** Whether post `aj` with score `aScore` ranks above post `bj` with `bScore`: higher score, then newer date, then title, then URL. */
function better(aj: number, aScore: number, bj: number, bScore: number, posts: SitePost[]): boolean {
  if (aScore !== bScore) return aScore > bScore;
  const pa = posts[aj]!;
  const pb = posts[bj]!;
  const order = pb.post.date.epochMs - pa.post.date.epochMs || compareText(pa.post.title, pb.post.title) || compareText(pa.url, pb.url);
  return order < 0;
}

/**
 * The `[from, to)` range of at most `size` entries of an ascending list nearest to `self` (which the
 * list holds, or would hold at that place), shifted inwards at either end; plus one for `self`.
 */
function windowAround(list: number[], self: number, size: number): [number, number] {
  if (list.length <= size + 1) return [0, list.length];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < self) lo = mid + 1;
    else hi = mid;
  }
  const own = list[lo] === self ? 1 : 0; // the post itself is skipped, so take one more
  const from = Math.max(0, Math.min(lo - (size >> 1), list.length - size - own));
  return [from, from + size + own];
}

/** A post's distinct words with their counts: derived in the per-file stage, or now. */
function termCounts(p: SitePost): { words: string[]; counts: number[] } {
  const terms = p.content.words?.terms;
  return terms ? { words: splitWords(terms.words), counts: terms.counts } : computeTermCounts(p.post.title, searchWords(p.content.text));
}


/** A post's top keywords (as word numbers) with L2-normalised TF-IDF weights, strongest first. */
interface KeywordVector {
  ids: number[];
  weights: number[];
}

/**
 * Every post's keyword vector. Words are numbered once for the whole site so that counting works
 * on arrays, not strings; ties between equal weights go to the word that sorts first.
 */
function keywordVectors(posts: SitePost[]): KeywordVector[] {
  const ids = new Map<string, number>(); // word → number, or -1 for a word that is never a keyword
  const vocabulary: string[] = [];
  const df: number[] = [];
  const idOf = (w: string): number => {
    let id = ids.get(w);
    if (id === undefined) {
      id = w.length < 3 || STOP_WORDS.has(w) || /^\d+$/.test(w) ? -1 : vocabulary.push(w) - 1;
      ids.set(w, id);
      if (id >= 0) df[id] = 0;
    }
    return id;
  };
  const counted = posts.map((p) => {
    const own = termCounts(p);
    const seen: number[] = [];
    const counts: number[] = [];
    own.words.forEach((w, k) => {
      const id = idOf(w);
      if (id < 0) return;
      seen.push(id);
      counts.push(own.counts[k]!);
      df[id]!++;
    });
    return { seen, counts };
  });
  const n = posts.length;
  return counted.map(({ seen, counts }) => {
    // Top KEYWORDS_PER_POST by insertion into a short sorted list: posts have hundreds of words.
    const top: { id: number; weight: number }[] = [];
    seen.forEach((id, k) => {
      const d = df[id]!;
      if (d < 2 || d === n) return;
      const weight = (1 + Math.log(counts[k]!)) * Math.log(n / d);
      let at = top.length;
      while (at > 0 && (weight > top[at - 1]!.weight || (weight === top[at - 1]!.weight && compareText(vocabulary[id]!, vocabulary[top[at - 1]!.id]!) < 0))) at--;
      if (at >= KEYWORDS_PER_POST) return;
      top.splice(at, 0, { id, weight });
      if (top.length > KEYWORDS_PER_POST) top.pop();
    });
    const norm = Math.hypot(...top.map((t) => t.weight)) || 1;
    return { ids: top.map((t) => t.id), weights: top.map((t) => t.weight / norm) };
  });
}

/** The text similarity (0 to 1) of any two posts of the site, as related posts score it: for calibration and tests. */
export function textSimilarity(site: Site): (a: SitePost, b: SitePost) => number {
  const vectors = keywordVectors(site.posts);
  const number = new Map(site.posts.map((p, i) => [p, i]));
  return (a, b) => {
    const va = vectors[number.get(a)!]!;
    const vb = vectors[number.get(b)!]!;
    let sum = 0;
    va.ids.forEach((id, k) => {
      const at = vb.ids.indexOf(id);
      if (at !== -1) sum += va.weights[k]! * vb.weights[at]!;
    });
    return Math.round(sum * 1e9) / 1e9;
  };
}
