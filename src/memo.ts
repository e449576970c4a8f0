/**
 * Memo tables for one build state. The dev server passes the previous build's state into the next
 * build, so values derived from unchanged objects (a post's rendered content is a new object
 * whenever its file changes) are reused; a one-shot build starts with empty tables. Nothing here
 * is module-level: two builds in one process never see each other's memos.
 */
import { createHash } from 'node:crypto';

export class Memo {
  /**
   * `forNextBuild`: keep values that serve only a later build in this process (the dev server's
   * state). A one-shot build's memo does not: a page's view is made once per build, and kept
   * here it would be held until the build ends (every post page's view at once).
   */
  constructor(private readonly options: { forNextBuild?: boolean } = {}) {}

  private readonly perObject = new WeakMap<object, Map<string, { key: string; value: unknown }>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly tables = new Map<string, Map<string, { key: string; value: unknown }>>();
  private readonly digests = new Map<string, string>();
  private readonly views = new WeakMap<object, string>();

  /**
   * The value made for `owner` and `kind` last time if its `key` is the same, else a new one (kept
   * weakly). `nextBuildOnly`: a value a build makes once, which only a later build could reuse;
   * not kept by a one-shot build's memo.
   */
  reuse<T>(owner: object, kind: string, key: string, make: () => T, nextBuildOnly = false): T {
    if (nextBuildOnly && !this.options.forNextBuild) return make();
    let byKind = this.perObject.get(owner);
    if (!byKind) this.perObject.set(owner, (byKind = new Map()));
    const hit = byKind.get(kind);
    if (hit && hit.key === key) return hit.value as T;
    const value = make();
    byKind.set(kind, { key, value });
    return value;
  }

  /**
   * Like `reuse`, for values named by a string (a feed file by its path); bounded, a cache not state.
   * Each is made once a build: a one-shot build's memo keeps none (held to the end of the build, a
   * site's feeds were 12 MB of its peak at 10,000 posts).
   */
  keyed<T>(table: string, name: string, key: string, make: () => T): T {
    if (!this.options.forNextBuild) return make();
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = new Map()));
    const hit = t.get(name);
    if (hit && hit.key === key) return hit.value as T;
    if (t.size > 20_000) t.clear();
    const value = make();
    t.set(name, { key, value });
    return value;
  }

  /** A number naming this object (not its contents) for as long as it lives: for memo keys. */
  id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }

  /** A short digest of a long string, computed once per distinct string (page fingerprints). */
  digest(s: string): string {
    let d = this.digests.get(s);
    if (d === undefined) {
      if (this.digests.size > 50_000) this.digests.clear();
      d = '#' + createHash('sha1').update(s).digest('base64');
      this.digests.set(s, d);
    }
    return d;
  }

  /** Marks a reused view object: fingerprints name it by id instead of serialising it again. */
  markView<T extends object>(view: T): T {
    this.views.set(view, `@view${this.id(view)}`);
    return view;
  }

  /** The id of a marked view, or undefined. */
  viewId(o: object): string | undefined {
    return this.views.get(o);
  }
}
