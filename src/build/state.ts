/**
 * What one build hands to the next in the same process (the dev server): the loaded config and
 * theme, every content file's entry, and the memo tables and caches that make a rebuild cheap.
 * A one-shot build starts from an empty state and keeps no page caches.
 */
import type { Config } from '../config.ts';
import type { Diagnostic, Result } from '../diagnostics.ts';
import { Memo } from '../memo.ts';
import type { LinkScanCache } from '../publish/linkcheck.ts';
import type { RenderCache, Theme } from '../render/templates.ts';
import type { KnownFile } from './posts.ts';
import type { LastSite } from './edited.ts';

/** What changed since the previous build; an empty object: nothing known, reload nothing that was loaded. */
export interface Changes {
  /** The config file changed: everything is reloaded. */
  config?: boolean;
  /** Templates, icons or assets changed: the theme is reloaded. */
  theme?: boolean;
  /** Content files that changed (added, edited, removed); absent: any may have, read them all. */
  content?: string[];
  /** Dev: the `content` files all existed before and still do (none added, removed or renamed): the last listing stands. */
  sameFiles?: boolean;
}

export interface BuildState {
  config: Config | null;
  theme: Theme | null;
  /** The settings every file's entry depends on (digest), the content folder and the display base: entries made under others are not reused. */
  context: string;
  files: Map<string, KnownFile>;
  /** Files of the site that are not posts, with their bytes (absolute path → bytes). */
  assets: Map<string, Uint8Array>;
  /** The content and static folders as listed by this build (dev: reused while no file is added or removed). */
  listing?: Result<{ posts: string[]; files: string[] }>;
  /** Each published post's URL by its path in the content folder. */
  postUrls: Map<string, string>;
  caches: {
    memo: Memo;
    /** Rendered pages by fingerprint (incremental builds only). */
    render?: RenderCache;
    /** Link-check scans of pages (incremental builds only). */
    linkScans?: LinkScanCache;
    /** Related posts of the last build, by content path (for early pages). */
    related?: Map<string, string[]>;
    /** The last build's site (incremental builds only): edited posts' pages are shown from it before the site is made again. */
    site?: LastSite;
  };
  /** Whether the build that made this state succeeded. */
  ok: boolean;
  /** What the last build that wrote its output reported (dev: repeated saves report it again). */
  last?: { posts: number; pages: number; skipped: { drafts: number; future: number }; nextChangeAt: number | null; diagnostics: Diagnostic[]; drafts: boolean; future: boolean };
}

/** The state a build starts from: the previous one's caches (when incremental), else empty ones. */
export function newState(previous: BuildState | undefined, incremental = false): BuildState {
  const memo = previous?.caches.memo ?? new Memo({ forNextBuild: incremental });
  const caches: BuildState['caches'] = incremental
    ? {
        memo,
        render: previous?.caches.render ?? { pages: new Map(), memo },
        linkScans: previous?.caches.linkScans ?? new Map(),
        ...(previous?.caches.related ? { related: previous.caches.related } : {}),
        // Kept through a build that stops early (a repeated save): the next edit is shown from it.
        ...(previous?.caches.site ? { site: previous.caches.site } : {}),
      }
    : { memo };
  return { config: null, theme: null, context: '', files: new Map(), assets: new Map(), postUrls: previous?.postUrls ?? new Map(), caches, ok: false, ...(previous?.last ? { last: previous.last } : {}) };
}
