/**
 * Paging of long lists (students, people, enrollment requests, attendance): which
 * page is shown, how many there are, and the page links a pager offers. Pure; the
 * models count and fetch, the Pager component (app/components/pager.tsx) renders.
 */

export interface PageInfo {
  /** The page shown (1-based; a page past the end shows the last). */
  page: number;
  pages: number;
  total: number;
  pageSize: number;
  /** Rows to skip before this page. */
  skip: number;
}

/** The page to show of `total` rows, `pageSize` a page, when `requested` was asked for. */
export function pageOf(total: number, requested: number, pageSize: number): PageInfo {
  const pages = Math.max(1, Math.ceil(Math.max(0, total) / pageSize));
  const page = Math.min(Math.max(1, Math.floor(requested) || 1), pages);
  return { page, pages, total: Math.max(0, total), pageSize, skip: (page - 1) * pageSize };
}

/** One page of a list held in memory. */
export function paginate<T>(items: readonly T[], requested: number, pageSize: number): PageInfo & { items: T[] } {
  const info = pageOf(items.length, requested, pageSize);
  return { ...info, items: items.slice(info.skip, info.skip + pageSize) };
}

/**
 * One page of grouped rows (e.g. missing registers per teacher): the rows are paged in
 * group order, and each group on the page keeps its own figures but only its rows of
 * this page. Groups with no row on the page are left out.
 */
export function paginateGroups<G extends { rows: R[] }, R>(groups: readonly G[], requested: number, pageSize: number): PageInfo & { groups: G[] } {
  const flat = groups.flatMap((g, gi) => g.rows.map((row) => ({ gi, row })));
  const { items, ...info } = paginate(flat, requested, pageSize);
  const byGroup = new Map<number, R[]>();
  for (const { gi, row } of items) byGroup.set(gi, [...(byGroup.get(gi) ?? []), row]);
  return { ...info, groups: [...byGroup.entries()].map(([gi, rows]) => ({ ...groups[gi]!, rows })) };
}

/** The page numbers a pager links to: the first, the last, and the neighbours of the current one, with gaps. */
export function pageList(page: number, pages: number): (number | "gap")[] {
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1]! > 1) out.push("gap");
    out.push(p);
  });
  return out;
}

/** `params` with `page` set (left out for the first page), as "?…" or "" when empty. */
export function queryWithPage(params: Record<string, string | undefined | null>, page: number, pageParam = "page"): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v && k !== pageParam) p.set(k, v);
  if (page > 1) p.set(pageParam, String(page));
  const s = p.toString();
  return s ? `?${s}` : "";
}
