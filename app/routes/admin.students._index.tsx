import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pager } from "~/components/pager";
import { SKILL_LEVELS } from "~/domain/roster-import";
import { listRoster, rosterFacets, rosterFilters } from "~/models/roster.server";
import rosterCss from "~/styles/roster.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Students" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const filters = rosterFilters(new URL(request.url).searchParams);
  const { roster, facets } = await db.run(async (tx) => {
    const roster = await listRoster(tx, filters);
    const facets = await rosterFacets(tx);
    return { roster, facets };
  });
  const today = context.clock.now().toISOString().slice(0, 10);
  return {
    filters,
    facets,
    total: roster.total,
    page: roster.page,
    pages: roster.pages,
    pageSize: roster.pageSize,
    students: roster.students.map((s) => ({
      id: s.id,
      name: `${s.user.firstName} ${s.user.lastName}`,
      age: s.dateOfBirth ? ageOn(s.dateOfBirth.toISOString().slice(0, 10), today) : null,
      instruments: [s.instrument, ...s.secondaryInstruments].filter(Boolean) as string[],
      skillLevel: s.skillLevel,
      family: s.user.familyGroup?.name ?? null,
      parentName: s.parentName,
      parentEmail: s.parentEmail,
      enrollments: s.enrollments.map((e) => ({ id: e.id, status: e.status, lessonId: e.lesson.id, title: e.lesson.title })),
    })),
  };
}

type Filters = { q: string; instrument: string; skillLevel: string; teacherId: string; status: string };

const ROSTER_STATUSES = ["active", "pending", "waitlisted", "none"] as const;

/** The filters as a query string (the page left out unless past the first). */
function filtersQuery(f: Filters, page?: number): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.instrument) p.set("instrument", f.instrument);
  if (f.skillLevel) p.set("skill", f.skillLevel);
  if (f.teacherId) p.set("teacher", f.teacherId);
  if (f.status) p.set("status", f.status);
  if (page && page > 1) p.set("page", String(page));
  const s = p.toString();
  return s ? `?${s}` : "";
}

function ageOn(dob: string, today: string): number {
  const [y, m, d] = dob.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

const LEVEL_LABEL: Record<string, string> = {
  BEGINNER: "Beginner",
  ELEMENTARY: "Elementary",
  INTERMEDIATE: "Intermediate",
  ADVANCED: "Advanced",
  PROFESSIONAL: "Professional",
};

const STATUS_LABEL: Record<string, string> = { active: "Enrolled (active)", pending: "Waiting for approval", waitlisted: "On a waitlist", none: "Not enrolled" };
const BADGE: Record<string, string> = { ACTIVE: "badge ok", PENDING: "badge warn", WAITLISTED: "badge muted" };
const ENROLLMENT_LABEL: Record<string, string> = { ACTIVE: "Active", PENDING: "Pending", WAITLISTED: "Waitlisted" };

export default function Students() {
  const { filters, facets, students, total, page, pages, pageSize } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/admin/students";
  const filtered = Boolean(filters.q || filters.instrument || filters.skillLevel || filters.teacherId || filters.status);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Students</h1>
        <div className="row">
          <Link className="button" to="/admin/students/new">
            Add students
          </Link>
          <Link className="button secondary" to="/admin/import">
            Import from CSV
          </Link>
          <a className="button secondary" href={`/admin/students.csv${filtersQuery(filters)}`} download>
            Export CSV{filtered ? " (filtered)" : ""}
          </a>
        </div>
      </div>

      <section className="card" aria-label="Search and filters">
        <Form method="get" className="roster-filters" role="search">
          <div className="field search">
            <label htmlFor="roster-q">Search</label>
            <input id="roster-q" type="search" name="q" defaultValue={filters.q} placeholder="Name or parent email" />
          </div>
          <div className="field">
            <label htmlFor="roster-instrument">Instrument</label>
            <select id="roster-instrument" name="instrument" defaultValue={filters.instrument}>
              <option value="">Any</option>
              {facets.instruments.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="roster-skill">Skill level</label>
            <select id="roster-skill" name="skill" defaultValue={filters.skillLevel}>
              <option value="">Any</option>
              {SKILL_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {LEVEL_LABEL[l]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="roster-teacher">Teacher</label>
            <select id="roster-teacher" name="teacher" defaultValue={filters.teacherId}>
              <option value="">Any</option>
              {facets.teachers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.firstName} {t.lastName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="roster-status">Enrollment</label>
            <select id="roster-status" name="status" defaultValue={filters.status}>
              <option value="">Any</option>
              {ROSTER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button className="button" disabled={searching}>
              {searching ? "Searching…" : "Search"}
            </button>
            {filtered ? <Link to="/admin/students">Clear filters</Link> : null}
          </div>
        </Form>
      </section>

      <section className="card">
        <p className="muted" role="status" aria-live="polite" style={{ marginTop: 0 }}>
          {total === 0
            ? filtered
              ? "No student matches these filters."
              : "No students yet. Import a roster from a spreadsheet to get started."
            : `Showing ${from}–${to} of ${total} student${total === 1 ? "" : "s"}`}
        </p>
        {students.length > 0 ? (
          <div className="table-wrap">
            <table className="stack-table roster-table">
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Instruments</th>
                  <th scope="col">Level</th>
                  <th scope="col">Family</th>
                  <th scope="col">Enrollments</th>
                </tr>
              </thead>
              <tbody>
                {students.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link className="student-name" to={`/admin/students/${s.id}`}>
                        {s.name}
                      </Link>
                      {s.age !== null ? <div className="muted">{s.age} years old</div> : null}
                    </td>
                    <td data-label="Instruments">{s.instruments.length ? s.instruments.join(", ") : <span className="muted">—</span>}</td>
                    <td data-label="Level" className="nowrap">{s.skillLevel ? LEVEL_LABEL[s.skillLevel] : <span className="muted">—</span>}</td>
                    <td data-label="Family">
                      <div>
                        {s.family ?? s.parentName ?? <span className="muted">—</span>}
                        {s.parentEmail ? <div className="muted email">{s.parentEmail}</div> : null}
                      </div>
                    </td>
                    <td data-label="Enrollments">
                      {s.enrollments.length ? (
                        <div className="enrollment-badges">
                          {s.enrollments.map((e) => (
                            <Link key={e.id} to={`/admin/lessons/${e.lessonId}`} className={BADGE[e.status]} title={`${e.title}: ${ENROLLMENT_LABEL[e.status]}`}>
                              {e.title}
                              {e.status !== "ACTIVE" ? ` · ${ENROLLMENT_LABEL[e.status]}` : ""}
                            </Link>
                          ))}
                        </div>
                      ) : (
                        <span className="muted">Not enrolled</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager page={page} pages={pages} href={(p) => `/admin/students${filtersQuery(filters, p)}`} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
