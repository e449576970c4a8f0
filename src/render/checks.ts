/** Checks of the rendered site's inputs against the theme, and what the link checker needs to know of each page. */
import { warning, type Diagnostic } from '../diagnostics.ts';
import type { RenderJob, SitePost } from '../model.ts';
import type { LinkSource } from '../publish/linkcheck.ts';
import type { Theme } from './templates.ts';

/** `icon:` names that the theme has no SVG for (no icon is shown). */
export function iconWarnings(posts: SitePost[], icons: Map<string, string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of posts) {
    if (p.post.icon && !icons.has(p.post.icon)) {
      out.push(
        warning('frontmatter/unknown-icon', `icon "${p.post.icon}" is not in templates/icons/; no icon is shown`, {
          file: p.post.file,
          hint: `icons that exist: ${[...icons.keys()].sort().join(', ')}`,
        }),
      );
    }
  }
  return out;
}

/** For each page: the file shown in link diagnostics (the post, else its layout) and its markdown link lines. */
export function linkSources(jobs: RenderJob[], theme: Theme): Map<string, LinkSource> {
  const sources = new Map<string, LinkSource>();
  for (const job of jobs) {
    sources.set(job.outPath, {
      outPath: job.outPath,
      file: job.source?.file ?? theme.layoutFiles.get(job.layout) ?? job.layout,
      ...(job.source ? { markdownLines: new Map(job.source.links) } : {}),
    });
  }
  return sources;
}
