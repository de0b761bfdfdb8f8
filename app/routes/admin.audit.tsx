// The school's audit log: who changed whose access, and when. For the school's admins.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { listSchoolAudit } from "~/models/people.server";
import peopleCss from "~/styles/people.css?url";
import rosterCss from "~/styles/roster.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Audit log");
// roster.css: the crumb and the pager, shared with the student pages.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: rosterCss },
  { rel: "stylesheet", href: peopleCss },
];

// Anything that is not a page number is the first page, never an error.
const query = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const { page } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const log = await db.run((tx) => listSchoolAudit(tx, { page }));
  return { ...log, timeZone: school.timezone };
}

function pageHref(page: number) {
  return page > 1 ? `/admin/audit?page=${page}` : "/admin/audit";
}

export default function AuditLog() {
  const fmt = useFormat();
  const { events, page, pages, total, pageSize, timeZone } = useLoaderData<typeof loader>();
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <div className="stack">
      <div>
        <p className="crumb">
          <Link to="/admin/people">← People</Link>
        </p>
        <h1>Audit log</h1>
        <p className="muted" style={{ margin: 0 }}>
          Every change of who may use the school’s Encore: invitations, role changes, deactivation and reactivation. Entries are never changed or removed.
        </p>
      </div>
      <section className="card">
        <p className="muted" role="status" style={{ marginTop: 0 }}>
          {total === 0 ? "Nothing recorded yet." : `Showing ${from}–${to} of ${total}, newest first`}
        </p>
        {events.length ? (
          <div className="table-wrap">
            <table className="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Person</th>
                  <th scope="col">What</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td data-label="When" className="nowrap">
                      <time dateTime={String(e.createdAt)}>{fmt.dateTime(e.createdAt, { year: "numeric" })}</time>
                    </td>
                    <td data-label="Person">{e.subject ? <Link to={`/admin/people/${e.subject.id}`}>{e.subject.name}</Link> : <span className="muted">—</span>}</td>
                    <td data-label="What">{e.text}</td>
                    <td data-label="By">{e.actor ? <Link to={`/admin/people/${e.actor.id}`}>{e.actor.name}</Link> : <span className="muted">The platform</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {pages > 1 ? (
          <nav className="pager" aria-label="Pages">
            {page > 1 ? (
              <Link to={pageHref(page - 1)} rel="prev">
                ← Newer
              </Link>
            ) : null}
            <span aria-current="page">
              Page {page} of {pages}
            </span>
            {page < pages ? (
              <Link to={pageHref(page + 1)} rel="next">
                Older →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
