/**
 * Per-object memos for the dev server's incremental rebuilds. Every post's rendered-content
 * object is new whenever its file changes, so values derived from it can be kept on it (weakly:
 * they go when the post does) and checked against a key of everything else they depend on.
 */
const memos = new WeakMap<object, Map<string, { key: string; value: unknown }>>();

/** The value made for `owner` and `kind` last time if its `key` is the same, else a new one. */
export function reuse<T>(owner: object, kind: string, key: string, make: () => T): T {
  let byKind = memos.get(owner);
  if (!byKind) memos.set(owner, (byKind = new Map()));
  const hit = byKind.get(kind);
  if (hit && hit.key === key) return hit.value as T;
  const value = make();
  byKind.set(kind, { key, value });
  return value;
}

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number naming this object (not its contents) for as long as it lives: for memo keys. */
export function identityId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}
