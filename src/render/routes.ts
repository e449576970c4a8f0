/**
 * Routing stage: the site model becomes a list of pages to render, each with its layout, output
 * path and view object. Collections (terms) come before nothing else is needed: the model is complete.
 */
import { basePath } from '../config.ts';
import type { RenderJob, Site, Term } from '../model.ts';
import { paginate } from '../site/paginate.ts';
import { outPathOf, sitePath, urlOf } from '../site/urls.ts';
import { paginationView, postSummaryView, postView, type PageMetaView, type ViewContext } from './views.ts';

/** Layouts that render site pages; every other file in templates/layouts/ is a post layout. */
export const SITE_LAYOUTS = ['base', 'home', 'term', 'terms', '404'] as const;

export function routes(site: Site, ctx: ViewContext): RenderJob[] {
  const { config } = site;
  const base = basePath(config);
  const jobs: RenderJob[] = [];
  const summaries = new Map(site.posts.map((p) => [p, postSummaryView(p, ctx)]));
  const page = (title: string, description: string, path: string, kind: string): PageMetaView => ({ title, description, url: urlOf(base, path), kind });

  for (const pg of paginate(site.posts, config.postsPerPage, sitePath())) {
    const title = pg.number === 1 ? config.title : `${config.title}, page ${pg.number}`;
    jobs.push({
      outPath: outPathOf(pg.path),
      layout: 'home',
      view: { site: ctx.site, page: page(title, config.description, pg.path, 'home'), posts: pg.items.map((p) => summaries.get(p)!), pagination: paginationView(pg, base) },
    });
  }

  for (const p of site.posts) {
    const view = postView(p, ctx);
    const path = sitePath('posts', p.slug);
    jobs.push({ outPath: outPathOf(path), layout: p.post.layout, view: { site: ctx.site, page: page(p.post.title, view.description, path, 'post'), post: view } });
  }

  const termPages = (terms: Term[], folder: string, label: string, plural: string) => {
    for (const term of terms) {
      for (const pg of paginate(term.posts, config.postsPerPage, sitePath(folder, term.slug))) {
        const title = `${label}: ${term.name}${pg.number > 1 ? `, page ${pg.number}` : ''}`;
        const description = `Posts ${label === 'Tag' ? 'tagged' : 'in'} ${term.name}`;
        jobs.push({
          outPath: outPathOf(pg.path),
          layout: 'term',
          view: {
            site: ctx.site,
            page: page(title, description, pg.path, term.kind),
            term: { name: term.name, kind: term.kind, kindLabel: label, url: term.url, count: term.posts.length },
            posts: pg.items.map((p) => summaries.get(p)!),
            pagination: paginationView(pg, base),
          },
        });
      }
    }
    const path = sitePath(folder);
    jobs.push({
      outPath: outPathOf(path),
      layout: 'terms',
      view: {
        site: ctx.site,
        page: page(plural, `All ${plural.toLowerCase()} of ${config.title}`, path, folder),
        kindLabel: plural,
        terms: terms.map((t) => ({ name: t.name, url: t.url, count: t.posts.length })),
      },
    });
  };
  termPages(site.categories, 'categories', 'Category', 'Categories');
  termPages(site.tags, 'tags', 'Tag', 'Tags');

  jobs.push({ outPath: '404.html', layout: '404', view: { site: ctx.site, page: { title: 'Page not found', description: '', url: urlOf(base, '404.html'), kind: '404' } } });
  return jobs;
}
