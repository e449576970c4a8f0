/** Checks of the site's posts against the theme. */
import { warning, type Diagnostic } from '../diagnostics.ts';
import type { SitePost } from '../model.ts';

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
