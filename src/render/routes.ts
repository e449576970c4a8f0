/**
 * Routing stage: the site model becomes the list of pages to render, each with its layout,
 * output path and view object (see views.ts and meta.ts for what the views hold).
 */
import { basePath } from '../config.ts';
import { createHash } from 'node:crypto';
import { htmlDigestOf, type RenderJob, type Site, type SitePost, type Term } from '../model.ts';
import { paginate } from '../site/paginate.ts';
import { outPathOf, sitePath, urlOf } from '../site/urls.ts';
import { blogPostingJsonLd, canonicalUrl, feedLinks, imageUrl, termFeedUrl } from './meta.ts';
import { paginationView, postSummaryView, postView, type PageMetaView, type ViewContext } from './views.ts';

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
  const summaries = new Map(site.posts.map((p) => [p, postSummaryView(p, ctx)]));
  const siteFeeds = feedLinks(config);
  const page = pageMeta(site, siteFeeds);
  const list = (posts: SitePost[]) => posts.map((p) => summaries.get(p)!);

  for (const pg of paginate(site.posts, config.postsPerPage, sitePath())) {
    const title = pg.number === 1 ? config.title : `${config.title}, page ${pg.number}`;
    jobs.push({ outPath: outPathOf(pg.path), layout: 'home', view: { site: ctx.site, page: page(title, config.description, pg.path, 'home'), posts: list(pg.items), pagination: paginationView(pg, base) } });
  }

  for (const p of site.posts) jobs.push(postJob(p, ctx, page));

  // Every post, newest first: `posts/` answers, as the folder every post lives in.
  for (const pg of paginate(site.posts, config.postsPerPage, sitePath('posts'))) {
    const title = pg.number === 1 ? 'All posts' : `All posts, page ${pg.number}`;
    jobs.push({ outPath: outPathOf(pg.path), layout: layouts.has('posts') ? 'posts' : 'home', view: { site: ctx.site, page: page(title, `Every post of ${config.title}`, pg.path, 'posts'), posts: list(pg.items), pagination: paginationView(pg, base), total: site.posts.length } });
  }

  // Standalone pages: `<slug>/`, not dated, not listed.
  for (const p of site.pages) jobs.push(pageJob(p, ctx, page));

  const termPages = (terms: Term[], folder: string, label: string, plural: string) => {
    for (const term of terms) {
      const feeds = term.kind === 'category' ? feedLinks(config, term) : siteFeeds;
      for (const pg of paginate(term.posts, config.postsPerPage, sitePath(folder, term.slug))) {
        const title = `${label}: ${term.name}${pg.number > 1 ? `, page ${pg.number}` : ''}`;
        const description = `Posts ${label === 'Tag' ? 'tagged' : 'in'} ${term.name}`;
        jobs.push({
          outPath: outPathOf(pg.path),
          layout: 'term',
          view: {
            site: ctx.site,
            page: page(title, description, pg.path, term.kind, { feeds }),
            term: { name: term.name, kind: term.kind, kindLabel: label, url: term.url, count: term.posts.length, feedUrl: termFeedUrl(config, term) },
            posts: list(pg.items),
            pagination: paginationView(pg, base),
          },
        });
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
  const years: { year: string; count: number; posts: ReturnType<typeof list> }[] = [];
  for (const p of site.posts) {
    const year = String(p.post.date.year).padStart(4, '0');
    if (years.at(-1)?.year !== year) years.push({ year, count: 0, posts: [] });
    const y = years.at(-1)!;
    y.posts.push(summaries.get(p)!);
    y.count++;
  }
  jobs.push({ outPath: outPathOf(sitePath('archive')), layout: 'archive', view: { site: ctx.site, page: page('Archive', `Every post of ${config.title}, by year`, sitePath('archive'), 'archive'), years, total: site.posts.length } });
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

function postJob(p: SitePost, ctx: ViewContext, page: PageMeta): RenderJob {
  const { config } = ctx;
  return lazyJob(outPathOf(p.path), p.post.layout, pageKey(p, ctx, 'post'), { file: p.post.file, links: p.content.links }, () => {
    const view = postView(p, ctx);
    const meta = page(p.post.title, view.description, p.path, 'post', {
      ogType: 'article',
      published: p.post.date.iso,
      modified: (p.post.updated ?? p.post.date).iso,
      image: p.cover ? imageUrl(config, p.cover.url) : null,
      // A reused post view (same post, config, terms, neighbours) has the same JSON-LD.
      jsonLd: ctx.memo.reuse(view, 'json-ld', '', () => blogPostingJsonLd(p, config, view.description)),
    });
    return { site: ctx.site, page: meta, post: view };
  });
}

function pageJob(p: SitePost, ctx: ViewContext, page: PageMeta): RenderJob {
  return lazyJob(outPathOf(p.path), p.post.layout, pageKey(p, ctx, 'page'), { file: p.post.file, links: p.content.links }, () => {
    const view = postView(p, ctx);
    return { site: ctx.site, page: page(p.post.title, view.description, p.path, 'page'), post: view };
  });
}

/** A page whose view is made when first asked for (an unchanged page's, never: see `RenderJob.key`). */
function lazyJob(outPath: string, layout: string, key: string | undefined, source: RenderJob['source'], make: () => Record<string, unknown>): RenderJob {
  let view: Record<string, unknown> | undefined;
  return {
    outPath,
    layout,
    ...(key === undefined ? {} : { key }),
    get view() {
      return (view ??= make());
    },
    source,
  };
}

/**
 * Everything a post's or standalone page's view is made from, without making it: the post's
 * content key (the cache key of its file: the settings, its path and its bytes, which fix its
 * front matter, HTML, contents and text), where the site placed it (path, URL, terms, cover), its
 * neighbours and related posts as shown (URL and title), its icon's markup and the site's view.
 * Undefined when the content has no key (a post not kept in the cache, or whose HTML was changed
 * since): that page is fingerprinted by its view.
 */
function pageKey(p: SitePost, ctx: ViewContext, kind: 'post' | 'page'): string | undefined {
  const content = htmlDigestOf(p.content);
  if (content === undefined) return undefined;
  const link = (n: SitePost | null) => (n ? [n.url, n.post.title] : null);
  const terms = (ts: Term[]) => ts.map((t) => [t.name, t.url]);
  const icon = p.post.icon === null ? null : (ctx.icons.get(p.post.icon) ?? null);
  const site = ctx.memo.reuse(ctx.site, 'page-key', '', () => sha1(JSON.stringify(ctx.site)));
  return sha1(JSON.stringify([kind, content, p.path, p.url, terms(p.categories), terms(p.tags), p.cover, link(p.newer), link(p.older), (ctx.related.get(p) ?? []).map(link), icon, site]));
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
  return [...site.posts.filter(which).map((p) => postJob(p, ctx, page)), ...site.pages.filter(which).map((p) => pageJob(p, ctx, page))];
}
