import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { TimeOff, WeeklyHours } from "~/components/availability-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/form";
import { availabilityAction, availabilityPage, findTeacher, listTeachers } from "~/models/setup.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, data?.teacher ? `Availability — ${data.teacher.firstName} ${data.teacher.lastName}` : "Teacher availability");

/** The teacher of `?teacher=` for the action; a 404 when it is not a teacher of this school. */
async function selectedTeacher(request: Request, db: ReturnType<typeof requireSchool>["db"]) {
  const teacherId = new URL(request.url).searchParams.get("teacher");
  if (!teacherId) return null;
  const teacher = await db.run((tx) => findTeacher(tx, teacherId));
  if (!teacher) throw new Response("That teacher was not found. Choose one from the list.", { status: 404 });
  return teacher;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const teacherId = new URL(request.url).searchParams.get("teacher");
  const now = context.clock.now();
  const { teachers, teacher, page } = await db.run(async (tx) => {
    const teacher = teacherId ? await findTeacher(tx, teacherId) : null;
    return { teachers: await listTeachers(tx, now), teacher, page: teacher ? await availabilityPage(tx, teacher.id, school.timezone, now) : null };
  });
  if (teacherId && !teacher) throw new Response("That teacher was not found. Choose one from the list.", { status: 404 });
  return { teachers, teacher, page, timeZone: school.timezone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const teacher = await selectedTeacher(request, db);
  if (!teacher) throw new Response("Choose a teacher first.", { status: 400 });
  return availabilityAction(db, await request.formData(), teacher.id, formatterFor(school));
}

export default function TeacherAvailability() {
  const { teachers, teacher, page, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const [params] = useSearchParams();
  const baseUrl = teacher ? `/admin/availability?teacher=${encodeURIComponent(teacher.id)}` : "/admin/availability";
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">{teacher ? "Teacher availability" : "School setup"}</p>
        <h1>{teacher ? `${teacher.firstName} ${teacher.lastName}` : "Teacher availability"}</h1>
        <p className="muted">Weekly teaching hours and time off. Times are in the school’s time zone ({timeZone}).</p>
      </div>
      <section className="card" aria-labelledby="pick-heading">
        <h2 id="pick-heading">{teacher ? "Another teacher" : "Choose a teacher"}</h2>
        {teachers.length === 0 ? (
          <p className="muted">
            There are no teachers yet. <Link to="/admin/people">Invite one</Link>.
          </p>
        ) : (
          <Form method="get" className="row" style={{ alignItems: "flex-end" }}>
            <div style={{ flex: "1 1 16rem" }}>
              <SelectField
                label="Teacher"
                name="teacher"
                defaultValue={teacher?.id ?? teachers[0]?.id}
                options={teachers.map((t) => ({
                  value: t.id,
                  label: `${t.firstName} ${t.lastName} — ${t._count.teacherAvailability} weekly ${t._count.teacherAvailability === 1 ? "slot" : "slots"}`,
                }))}
              />
            </div>
            <button className="button" style={{ marginBottom: "1rem" }}>
              Show availability
            </button>
          </Form>
        )}
      </section>
      {!teacher && teachers.length ? (
        <section className="card" aria-labelledby="overview-heading">
          <h2 id="overview-heading">All teachers</h2>
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Teacher</th>
                  <th scope="col">Weekly slots</th>
                  <th scope="col">Time off coming up</th>
                </tr>
              </thead>
              <tbody>
                {teachers.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`?teacher=${encodeURIComponent(t.id)}`}>
                        {t.firstName} {t.lastName}
                      </Link>
                    </td>
                    <td data-label="Weekly slots">{t._count.teacherAvailability || <span className="badge warn">None yet</span>}</td>
                    <td data-label="Time off">{t._count.timeOff || <span className="muted">None</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {teacher && page ? (
        <>
          <WeeklyHours
            key={`hours-${teacher.id}`}
            windows={page.windows}
            locations={page.locations}
            result={result}
            baseUrl={baseUrl}
            editParam={params.get("edit")}
            who={teacher.firstName}
          />
          <TimeOff
            key={`off-${teacher.id}`}
            upcoming={page.timeOff}
            past={page.pastTimeOff}
            result={result}
            baseUrl={baseUrl}
            editParam={params.get("edit")}
            timeZone={timeZone}
            who={teacher.firstName}
          />
        </>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
