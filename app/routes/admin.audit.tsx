// The school's audit log: who changed whose access, and when. For the school's admins.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { listSchoolAudit } from "~/models/people.server";
import peopleCss from "~/styles/people.css?url";
import rosterCss from "~/styles/roster.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseListQuery, pageParam } from "~/utils/list-query";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Audit log");
// roster.css: the crumb, shared with the student pages.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: rosterCss },
  { rel: "stylesheet", href: peopleCss },
];


export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  // Anything that is not a page number is the first page, never an error.
  const { page } = parseListQuery(request.url, { page: pageParam });
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
            <table className="stack-table audit-table">
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
        <Pager page={page} pages={pages} href={pageHref} previous="Newer" next="Older" />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
