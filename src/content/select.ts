/**
 * Which posts are published: drafts only with `--drafts`, posts dated after "now" only with
 * `--future`. The one place this rule lives; the build, the cache and the dev server ask it.
 */
import type { Post } from '../model.ts';

export interface Selection {
  drafts: boolean;
  future: boolean;
  /** "Now", in epoch milliseconds: the build's clock. */
  now: number;
}

/** Why a post is left out, or null when it is published. */
export function leftOutAs(post: Post, sel: Selection): 'draft' | 'future' | null {
  if (post.draft && !sel.drafts) return 'draft';
  if (post.date.epochMs > sel.now && !sel.future) return 'future';
  return null;
}

export function isPublished(post: Post, sel: Selection): boolean {
  return leftOutAs(post, sel) === null;
}

export interface Selected<T> {
  published: T[];
  skipped: { drafts: number; future: number };
  /** The earliest date of a future post left out (non-draft): from then on the site changes; null if none. */
  nextChangeAt: number | null;
}

/** Splits posts into the published ones and counts of those left out. */
export function selectPosts<T extends { post: Post | null }>(items: T[], sel: Selection): Selected<T & { post: Post }> {
  const published: (T & { post: Post })[] = [];
  const skipped = { drafts: 0, future: 0 };
  let nextChangeAt: number | null = null;
  for (const item of items) {
    const post = item.post;
    if (!post) continue;
    const why = leftOutAs(post, sel);
    if (why === 'draft') skipped.drafts++;
    else if (why === 'future') {
      skipped.future++;
      if (nextChangeAt === null || post.date.epochMs < nextChangeAt) nextChangeAt = post.date.epochMs;
    } else published.push(item as T & { post: Post });
  }
  return { published, skipped, nextChangeAt };
}
