/**
 * Routing stage: the site model becomes the list of pages to render, each with its layout,
 * output path and view object (see views.ts and meta.ts for what the views hold).
 */
import { basePath } from '../config.ts';
import { createHash } from 'node:crypto';
import { postsKey, sitePostKey, type RenderJob, type Site, type SitePost, type Term } from '../model.ts';
import { paginate } from '../site/paginate.ts';
import { outPathOf, sitePath, urlOf } from '../site/urls.ts';
import { blogPostingJsonLd, canonicalUrl, feedLinks, imageUrl, termFeedUrl } from './meta.ts';
import { paginationView, postSummaryView, postView, type PageMetaView, type PostSummaryView, type ViewContext } from './views.ts';

/** Layouts that render site pages; every other file in templates/layouts/ is a post layout. */
export const SITE_LAYOUTS = ['base', 'home', 'term', 'terms', 'archive', 'search', '404'] as const;

/** Categories or tags per page of their index (`categories/`, `categories/page/2/`, ...). */
export const TERMS_PER_PAGE = 200;

/** Site layouts a theme may leave out: `posts` (all posts) falls back to `home`. */
export const OPTIONAL_SITE_LAYOUTS = ['posts'] as const;

/** Every page of the site; `layouts` are the theme's (optional layouts fall back to others). */
export function routes(site: Site, ctx: ViewContext, layouts: ReadonlySet<string> = new Set()): RenderJob[] {
  const { config } = site;
  const base = basePath(config);
  const jobs: RenderJob[] = [];
  // Summaries are made when a listing renders (each once): an unchanged listing makes none.
  const summaries = new Map<SitePost, PostSummaryView>();
  const summary = (p: SitePost) => summaries.get(p) ?? summaries.set(p, postSummaryView(p, ctx)).get(p)!;
  const list = (posts: SitePost[]) => posts.map(summary);
  const keys = pageKeys(ctx);
  const siteFeeds = feedLinks(config);
  const page = pageMeta(site, siteFeeds);
  /** A page listing `posts`: `data` is the rest of its view. */
  const listing = (outPath: string, layout: string, data: Record<string, unknown>, posts: SitePost[], view: () => Record<string, unknown>) =>
    lazyJob(outPath, layout, keys.listing(data, posts), undefined, view);

  for (const pg of paginate(site.posts, config.postsPerPage, sitePath())) {
    const title = pg.number === 1 ? config.title : `${config.title}, page ${pg.number}`;
    const data = { page: page(title, config.description, pg.path, 'home'), pagination: paginationView(pg, base) };
    jobs.push(listing(outPathOf(pg.path), 'home', data, pg.items, () => ({ site: ctx.site, page: data.page, posts: list(pg.items), pagination: data.pagination })));
  }

  for (const p of site.posts) jobs.push(postJob(p, ctx, page, keys));

  // Every post, newest first: `posts/` answers, as the folder every post lives in.
  for (const pg of paginate(site.posts, config.postsPerPage, sitePath('posts'))) {
    const title = pg.number === 1 ? 'All posts' : `All posts, page ${pg.number}`;
    const data = { page: page(title, `Every post of ${config.title}`, pg.path, 'posts'), pagination: paginationView(pg, base), total: site.posts.length };
    jobs.push(listing(outPathOf(pg.path), layouts.has('posts') ? 'posts' : 'home', data, pg.items, () => ({ site: ctx.site, page: data.page, posts: list(pg.items), pagination: data.pagination, total: data.total })));
  }

  // Standalone pages: `<slug>/`, not dated, not listed.
  for (const p of site.pages) jobs.push(pageJob(p, ctx, page, keys));

  const termPages = (terms: Term[], folder: string, label: string, plural: string) => {
    for (const term of terms) {
      const feeds = term.kind === 'category' ? feedLinks(config, term) : siteFeeds;
      for (const pg of paginate(term.posts, config.postsPerPage, sitePath(folder, term.slug))) {
        const title = `${label}: ${term.name}${pg.number > 1 ? `, page ${pg.number}` : ''}`;
        const description = `Posts ${label === 'Tag' ? 'tagged' : 'in'} ${term.name}`;
        const data = {
          page: page(title, description, pg.path, term.kind, { feeds }),
          term: { name: term.name, kind: term.kind, kindLabel: label, url: term.url, count: term.posts.length, feedUrl: termFeedUrl(config, term) },
          pagination: paginationView(pg, base),
        };
        jobs.push(listing(outPathOf(pg.path), 'term', data, pg.items, () => ({ site: ctx.site, page: data.page, term: data.term, posts: list(pg.items), pagination: data.pagination })));
      }
    }
    // The index of every term, {@link TERMS_PER_PAGE} a page: no page grows with the number of terms.
    for (const pg of paginate(terms, TERMS_PER_PAGE, sitePath(folder))) {
      const title = pg.number === 1 ? plural : `${plural}, page ${pg.number}`;
      jobs.push({
        outPath: outPathOf(pg.path),
        layout: 'terms',
        view: {
          site: ctx.site,
          page: page(title, `All ${plural.toLowerCase()} of ${config.title}`, pg.path, folder),
          kindLabel: plural,
          terms: pg.items.map((t) => ({ name: t.name, url: t.url, count: t.posts.length })),
          total: terms.length,
          pagination: paginationView(pg, base),
        },
      });
    }
  };
  termPages(site.categories, 'categories', 'Category', 'Categories');
  termPages(site.tags, 'tags', 'Tag', 'Tags');

  // Archive: every post, grouped by the year of its date (newest first, as the posts are).
  const years: { year: string; posts: SitePost[] }[] = [];
  for (const p of site.posts) {
    const year = String(p.post.date.year).padStart(4, '0');
    if (years.at(-1)?.year !== year) years.push({ year, posts: [] });
    years.at(-1)!.posts.push(p);
  }
  const archive = { page: page('Archive', `Every post of ${config.title}, by year`, sitePath('archive'), 'archive'), years: years.map((y) => [y.year, y.posts.length]), total: site.posts.length };
  jobs.push(
    listing(outPathOf(sitePath('archive')), 'archive', archive, site.posts, () => ({
      site: ctx.site,
      page: archive.page,
      years: years.map((y) => ({ year: y.year, count: y.posts.length, posts: list(y.posts) })),
      total: archive.total,
    })),
  );
  jobs.push({ outPath: outPathOf(sitePath('search')), layout: 'search', view: { site: ctx.site, page: page('Search', `Search the posts of ${config.title}`, sitePath('search'), 'search') } });

  jobs.push({ outPath: '404.html', layout: '404', view: { site: ctx.site, page: page('Page not found', '', '404.html', '404', { canonical: null }) } });
  return jobs;
}

type PageMeta = (title: string, description: string, path: string, kind: string, extra?: Partial<PageMetaView>) => PageMetaView;

function pageMeta(site: Site, feeds: PageMetaView['feeds']): PageMeta {
  const { config } = site;
  const base = basePath(config);
  return (title, description, path, kind, extra = {}) => {
    const url = urlOf(base, path);
    return { title, description, url, kind, canonical: canonicalUrl(config, url), ogType: 'website', published: null, modified: null, jsonLd: null, feeds, image: null, ...extra };
  };
}

function postJob(p: SitePost, ctx: ViewContext, page: PageMeta, keys: PageKeys): RenderJob {
  const { config } = ctx;
  return lazyJob(outPathOf(p.path), p.post.layout, keys.own(p, 'post'), markdownOf(p), () => {
    const view = postView(p, ctx);
    const meta = page(p.post.title, view.description, p.path, 'post', {
      ogType: 'article',
      published: p.post.date.iso,
      modified: (p.post.updated ?? p.post.date).iso,
      image: p.cover ? imageUrl(config, p.cover.url) : null,
      // A reused post view (same post, config, terms, neighbours) has the same JSON-LD.
      jsonLd: ctx.memo.reuse(view, 'json-ld', '', () => blogPostingJsonLd(p, config, view.description), true),
    });
    return { site: ctx.site, page: meta, post: view };
  });
}

function pageJob(p: SitePost, ctx: ViewContext, page: PageMeta, keys: PageKeys): RenderJob {
  return lazyJob(outPathOf(p.path), p.post.layout, keys.own(p, 'page'), markdownOf(p), () => {
    const view = postView(p, ctx);
    return { site: ctx.site, page: page(p.post.title, view.description, p.path, 'page'), post: view };
  });
}

/** The post a page renders, for the link check: its file, and its links read only when one is reported (see linkSources). */
function markdownOf(p: SitePost): RenderJob['source'] {
  return {
    file: p.post.file,
    get links() {
      return p.content.links;
    },
  };
}

/** A page whose view is made when first asked for (an unchanged page's, never: see `RenderJob.key`), and dropped once it is rendered. */
function lazyJob(outPath: string, layout: string, key: string | undefined, source: RenderJob['source'], make: () => Record<string, unknown>): RenderJob {
  let view: Record<string, unknown> | undefined;
  return {
    outPath,
    layout,
    ...(key === undefined ? {} : { key }),
    get view() {
      return (view ??= make());
    },
    release() {
      view = undefined;
    },
    ...(source ? { source } : {}),
  };
}

interface PageKeys {
  /** A post's or standalone page's own page. */
  own(p: SitePost, kind: 'post' | 'page'): string | undefined;
  /** A page listing `posts` (their summaries), whose view is otherwise `data` (plain JSON) and the site's. */
  listing(data: unknown, posts: SitePost[]): string | undefined;
}

/**
 * Page keys (see RenderJob.key): everything a page's view is made from, told without making it.
 * A post's summary shows what it is as placed in the site (see sitePostKey) and its icon's markup.
 * A post's own page adds its neighbours and related posts as shown (URL and title); every page,
 * the site's view. A post without a key (its content has no digest) gives none to the pages that
 * show it: those are fingerprinted by their views.
 */
function pageKeys(ctx: ViewContext): PageKeys {
  const site = sha1(JSON.stringify(ctx.site));
  const placed = new Map<SitePost, string | undefined>();
  const placedKey = (p: SitePost): string | undefined => {
    if (placed.has(p)) return placed.get(p);
    const post = sitePostKey(p);
    const icon = p.post.icon === null ? undefined : ctx.icons.get(p.post.icon);
    const key = post === undefined ? undefined : `${post}${icon === undefined ? '' : ctx.memo.digest(icon)}`;
    placed.set(p, key);
    return key;
  };
  const link = (n: SitePost | null) => (n ? [n.url, n.post.title] : null);
  return {
    own(p, kind) {
      const own = placedKey(p);
      return own === undefined ? undefined : sha1(JSON.stringify([kind, own, link(p.newer), link(p.older), (ctx.related.get(p) ?? []).map(link), site]));
    },
    listing(data, posts) {
      return postsKey(['listing', site, data], posts.map(placedKey));
    },
  };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/**
 * The pages of some posts and standalone pages only, as `routes` makes them (dev: the edited
 * post's own page is shown before the listings and site-wide steps are redone).
 */
export function ownPages(site: Site, ctx: ViewContext, which: (p: SitePost) => boolean): RenderJob[] {
  const page = pageMeta(site, feedLinks(site.config));
  const keys = pageKeys(ctx);
  return [...site.posts.filter(which).map((p) => postJob(p, ctx, page, keys)), ...site.pages.filter(which).map((p) => pageJob(p, ctx, page, keys))];
}
