/** Page numbers from a query string, clamped; and the GOV.UK pagination component's items. */
export const PAGE_SIZE = 25;

export function pageFrom(query: unknown, size = PAGE_SIZE): { page: number; limit: number; offset: number } {
  const raw = Number((query as { page?: unknown } | undefined)?.page);
  const page = Number.isInteger(raw) && raw >= 1 && raw <= 100_000 ? raw : 1;
  return { page, limit: size, offset: (page - 1) * size };
}

/** Items for govukPagination, keeping the other query parameters. */
export function paginationFor(path: string, query: Record<string, unknown>, page: number, total: number, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'page' && typeof v === 'string' && v) params.set(k, v);
    params.set('page', String(n));
    return `${path}?${params.toString()}`;
  };
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (items.length > 0 && !('ellipsis' in items[items.length - 1]!)) items.push({ ellipsis: true });
  }
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items,
  };
}
