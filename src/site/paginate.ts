/** Splits a list into numbered pages: page 1 at `first`, page N at `first` + `page/N/`. */
export interface PageOf<T> {
  items: T[];
  number: number;
  total: number;
  /** Site path of this page, e.g. `categories/go/page/2/`. */
  path: string;
  prevPath: string | null;
  nextPath: string | null;
}

export function paginate<T>(items: T[], perPage: number, first: string): PageOf<T>[] {
  const total = Math.max(1, Math.ceil(items.length / perPage));
  const pathOf = (n: number) => (n === 1 ? first : `${first}page/${n}/`);
  return Array.from({ length: total }, (_, i) => ({
    items: items.slice(i * perPage, (i + 1) * perPage),
    number: i + 1,
    total,
    path: pathOf(i + 1),
    prevPath: i > 0 ? pathOf(i) : null,
    nextPath: i + 1 < total ? pathOf(i + 2) : null,
  }));
}
