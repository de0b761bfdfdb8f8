// The pager of a long list (students, people, enrollment requests, attendance, the
// audit log): Previous, the page numbers with gaps, Next. Each link keeps the list's
// filters (`href` builds the address of a page). Styles: .pager in app/styles/app.css.
import { Link } from "@remix-run/react";
import { pageList } from "~/domain/paging";

export function Pager({
  page,
  pages,
  href,
  label = "Pages",
  previous = "Previous",
  next = "Next",
}: {
  page: number;
  pages: number;
  /** The address of page `p` (with the list's filters). */
  href: (p: number) => string;
  /** The navigation's accessible name (two pagers on one page need two names). */
  label?: string;
  previous?: string;
  next?: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={label}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev" preventScrollReset>
          ← {previous}
        </Link>
      ) : null}
      {pageList(page, pages).map((p, i) =>
        p === "gap" ? (
          <span key={`gap-${i}`} className="gap" aria-hidden="true">
            …
          </span>
        ) : p === page ? (
          <span key={p} aria-current="page">
            <span className="sr-only">Page </span>
            {p}
          </span>
        ) : (
          <Link key={p} to={href(p)} aria-label={`Page ${p}`} preventScrollReset>
            {p}
          </Link>
        ),
      )}
      {page < pages ? (
        <Link to={href(page + 1)} rel="next" preventScrollReset>
          {next} →
        </Link>
      ) : null}
    </nav>
  );
}
