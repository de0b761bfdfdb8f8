// /family/hybrid/:configId — a family books its children's 1-on-1 sessions of a
// hybrid lesson for one term: every 1-on-1 week with the teacher's free times that
// week, all weeks at once or one at a time, and a booked session can be moved (if
// the school allows it, with notice). Group weeks are never offered here.
//
// Each week is booked in its own transaction, so one taken time does not undo the
// others; the result of every week is shown next to it.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { toLocalDate } from "~/domain/time";
import { assertMayActFor, forbiddenOr } from "~/models/family-access.server";
import { bookSession, HybridError } from "~/models/hybrid.server";
import { familyHybridPage, hybridSession, individualWeeksOf, moveFamilySession } from "~/models/hybrid-pages.server";
import familyHybridCss from "~/styles/family-hybrid.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";
import type { FormValues } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Book 1-on-1 sessions · ${data.lesson.title}` : "Book 1-on-1 sessions" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: familyHybridCss }];

// ---- server -------------------------------------------------------------------------

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const configId = params.configId ?? "";
  const now = context.clock.now();
  const page = await db
    .run((tx) => familyHybridPage(tx, { accountId: user.id, configId, timeZone, now }))
    .catch((error: unknown) => {
      if (error instanceof HybridError) throw new Response(error.message, { status: 404 });
      return forbiddenOr(error);
    });
  const { config, policy } = page;
  const slot = (s: { start: Date; end: Date }) => ({ start: s.start.toISOString(), end: s.end.toISOString(), day: toLocalDate(s.start, timeZone) });
  return {
    timeZone,
    label: page.label,
    policy: { allowMoves: policy.allowIndividualMoves, noticeHours: policy.moveNoticeHours },
    lesson: { title: config.lesson.title, teacher: `${config.lesson.instructor.firstName} ${config.lesson.instructor.lastName}` },
    term: config.term.name,
    durationMinutes: config.individualDurationMinutes,
    price: config.oneOnOnePricePerStudent?.toFixed(2) ?? null,
    open: page.open,
    weeks: page.weeks.map((w) => ({ weekNumber: w.weekNumber, weekStart: w.weekStart, weekEnd: w.weekEnd, past: w.past, slots: w.slots.map(slot) })),
    children: page.children.map((c) => ({
      id: c.id,
      name: c.name,
      sessions: c.sessions.map(({ session: x, decision, others }) => ({
        id: x.id,
        week: x.hybridWeek,
        startsAt: x.startsAt.toISOString(),
        endsAt: x.endsAt.toISOString(),
        past: x.startsAt <= now,
        move: decision.ok ? { ok: true as const, slots: others.map(slot) } : { ok: false as const, reason: decision.reason },
      })),
    })),
  };
}

type WeekResult = { ok: boolean; message: string };
type ActionResult = { studentId: string; results: Record<string, WeekResult>; formError: string | null; values: FormValues };

function parseStart(value: FormDataEntryValue | null): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const timeZone = school.timezone;
  const configId = params.configId ?? "";
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const studentId = String(formData.get("studentId") ?? "");
  const values: FormValues = {};
  for (const [k, v] of formData) if (typeof v === "string") values[k] = v;
  const reply = (results: Record<string, WeekResult>, formError: string | null, status = 200) =>
    data<ActionResult>({ studentId, results, formError, values }, { status });

  await db.run((tx) => assertMayActFor(tx, user.id, studentId)).catch(forbiddenOr);

  // Move a booked session to another free time of its week.
  if (intent.startsWith("move:")) {
    const sessionId = intent.slice("move:".length);
    const start = parseStart(formData.get(`move-${sessionId}`));
    const session = await db.run((tx) => hybridSession(tx, sessionId));
    if (!session || session.hybridConfigId !== configId || session.studentId !== studentId || session.hybridWeek === null) {
      return reply({}, "That session is not booked any more. Reload the page.", 404);
    }
    const key = String(session.hybridWeek);
    if (!start) return reply({ [key]: { ok: false, message: "Choose the new time first." } }, null, 400);
    try {
      const moved = await db.run((tx) => moveFamilySession(tx, timeZone, { sessionId, start, now: context.clock.now() }));
      return reply({ [key]: { ok: true, message: `Moved to ${fmt.dateTime(moved.startsAt)}–${fmt.time(moved.endsAt)}.` } }, null);
    } catch (error) {
      if (error instanceof HybridError) return reply({ [key]: { ok: false, message: error.message } }, null, 409);
      throw error;
    }
  }

  // Book one week ("book:15") or every week with a chosen time ("book-all").
  let weeks: number[];
  if (intent === "book-all") {
    weeks = [...formData.keys()]
      .map((k) => /^slot-(\d{1,3})$/.exec(k))
      .filter((m): m is RegExpExecArray => Boolean(m) && Boolean(formData.get(m![0])))
      .map((m) => Number(m[1]));
    if (weeks.length === 0) return reply({}, "Choose a time in at least one week first.", 400);
  } else if (/^book:\d{1,3}$/.test(intent)) {
    weeks = [Number(intent.slice("book:".length))];
  } else {
    return reply({}, "Unknown action. Reload the page and try again.", 400);
  }

  const individualWeeks = await db.run((tx) => individualWeeksOf(tx, configId));
  if (!individualWeeks) return reply({}, "This booking page does not exist any more.", 404);
  const results: Record<string, WeekResult> = {};
  for (const week of [...new Set(weeks)].sort((a, b) => a - b)) {
    if (!individualWeeks.includes(week)) {
      results[week] = { ok: false, message: `Week ${week} is a group week: the class meets as usual, there is nothing to book.` };
      continue;
    }
    const start = parseStart(formData.get(`slot-${week}`));
    if (!start) {
      results[week] = { ok: false, message: `Choose a time for week ${week} first.` };
      continue;
    }
    try {
      // Its own transaction: a taken time in one week leaves the others booked.
      const session = await db.run((tx) => bookSession(tx, timeZone, { configId, week, studentId, start, now: context.clock.now() }));
      results[week] = { ok: true, message: `Booked: ${fmt.dateTime(session.startsAt)}–${fmt.time(session.endsAt)}.` };
    } catch (error) {
      if (error instanceof HybridError) results[week] = { ok: false, message: error.message };
      else throw error;
    }
  }
  const anyBooked = Object.values(results).some((r) => r.ok);
  return reply(results, null, anyBooked ? 200 : 409);
}

// ---- page -----------------------------------------------------------------------------



function byDay<T extends { day: string }>(slots: T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const s of slots) map.set(s.day, [...(map.get(s.day) ?? []), s]);
  return [...map.entries()];
}

export default function FamilyHybridBooking() {
  const fmt = useFormat();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData : null;
  const upcoming = d.weeks.filter((w) => !w.past);

  return (
    <div className="stack">
      <div>
        <p className="eyebrow">1-on-1 sessions · {d.term}</p>
        <h1>{d.lesson.title}</h1>
        <ul className="hy-intro">
          <li>with {d.lesson.teacher}</li>
          <li>{d.durationMinutes}-minute sessions</li>
          {d.price ? <li>${d.price} per 1-on-1 week</li> : null}
        </ul>
      </div>
      <section className="card">
        <p style={{ margin: 0 }}>
          In a {d.label.toLowerCase()} the group class does not meet. Instead, each student has a {d.durationMinutes}-minute session with {d.lesson.teacher}.
          Choose a time for each week below — all at once, or one week at a time.{" "}
          {d.policy.allowMoves
            ? `You can move a booked session up to ${d.policy.noticeHours} ${d.policy.noticeHours === 1 ? "hour" : "hours"} before it starts.`
            : "Booked sessions can't be moved online; please contact the school."}
        </p>
        <p style={{ margin: "0.5rem 0 0" }}>
          Can&apos;t make a lesson? <Link to="/family/makeups">Cancel it and book a make-up</Link>.
        </p>
      </section>
      {!d.open ? (
        <p className="card" role="status">
          Bookings for these weeks are not open yet. The school will email you when you can choose your times.
        </p>
      ) : null}
      {d.children.map((child) => {
        const mine = actionData && actionData.studentId === child.id ? actionData : null;
        const chosen = (name: string) => mine?.values[name];
        const bookable = upcoming.filter((w) => !child.sessions.some((s) => s.week === w.weekNumber) && w.slots.length > 0);
        const booked = d.weeks.filter((w) => child.sessions.some((s) => s.week === w.weekNumber)).length;
        const busyHere = submitting?.get("studentId") === child.id ? String(submitting.get("intent") ?? "") : null;
        return (
          <section key={child.id} className="card hy-child" aria-labelledby={`child-${child.id}`}>
            <h2 id={`child-${child.id}`}>{child.name}</h2>
            <p className="muted" style={{ margin: 0 }}>
              {booked} of {d.weeks.length} {d.label.toLowerCase()}
              {d.weeks.length === 1 ? "" : "s"} booked
            </p>
            <FormError message={mine?.formError} />
            {mine
              ? Object.entries(mine.results)
                  .filter(([week]) => !d.weeks.some((w) => String(w.weekNumber) === week))
                  .map(([week, r]) => (
                    <p key={week} className={`hy-result ${r.ok ? "ok" : "bad"}`} role={r.ok ? "status" : "alert"}>
                      Week {week}: {r.message}
                    </p>
                  ))
              : null}
            <Form method="post" preventScrollReset>
              <input type="hidden" name="studentId" value={child.id} />
              {d.weeks.map((w) => {
                const session = child.sessions.find((s) => s.week === w.weekNumber);
                const result = mine?.results[String(w.weekNumber)];
                return (
                  <fieldset key={w.weekNumber} className={`hy-week${w.past ? " is-past" : ""}`} data-week={w.weekNumber}>
                    <legend>
                      Week {w.weekNumber} <span className="muted">· {fmt.dayRange(w.weekStart, w.weekEnd)}</span>
                    </legend>
                    {result ? (
                      <p className={`hy-result ${result.ok ? "ok" : "bad"}`} role={result.ok ? "status" : "alert"}>
                        {result.message}
                      </p>
                    ) : null}
                    {session ? (
                      <>
                        <p className="hy-booked">
                          <strong>Booked</strong>
                          <span>
                            {fmt.dateTime(session.startsAt)}–{fmt.time(session.endsAt)}
                          </span>
                        </p>
                        {session.past ? null : session.move.ok ? (
                          session.move.slots.length ? (
                            <details className="hy-move" key={session.startsAt} open={Boolean(result && !result.ok)}>
                              <summary className="button secondary small">Move this session</summary>
                              <fieldset>
                                <legend className="muted">Other free times in week {w.weekNumber}:</legend>
                                {byDay(session.move.slots).map(([day, slots]) => (
                                  <div className="hy-day" key={day}>
                                    <p className="hy-day-name">{fmt.day(day, { weekday: "long", month: "short", day: "numeric" })}</p>
                                    <div className="hy-slots">
                                      {slots.map((slot) => (
                                        <label className="hy-slot" key={slot.start}>
                                          <input type="radio" name={`move-${session.id}`} value={slot.start} defaultChecked={chosen(`move-${session.id}`) === slot.start} />
                                          {fmt.time(slot.start)}
                                        </label>
                                      ))}
                                    </div>
                                  </div>
                                ))}
                              </fieldset>
                              <div className="hy-week-actions">
                                <button className="button secondary small" name="intent" value={`move:${session.id}`} disabled={busyHere === `move:${session.id}`}>
                                  {busyHere === `move:${session.id}` ? "Moving…" : "Move to this time"}
                                </button>
                              </div>
                            </details>
                          ) : (
                            <p className="muted">No other free time this week to move to.</p>
                          )
                        ) : (
                          <p className="muted">{session.move.reason}</p>
                        )}
                      </>
                    ) : w.past ? (
                      <p className="muted">This week is over; no session was booked.</p>
                    ) : !d.open ? (
                      <p className="muted">Not open for booking yet.</p>
                    ) : w.slots.length === 0 ? (
                      <p className="muted">No free times are left this week. Please contact the school.</p>
                    ) : (
                      <>
                        {byDay(w.slots).map(([day, slots]) => (
                          <div className="hy-day" key={day}>
                            <p className="hy-day-name">{fmt.day(day, { weekday: "long", month: "short", day: "numeric" })}</p>
                            <div className="hy-slots">
                              {slots.map((slot) => (
                                <label className="hy-slot" key={slot.start}>
                                  <input type="radio" name={`slot-${w.weekNumber}`} value={slot.start} defaultChecked={chosen(`slot-${w.weekNumber}`) === slot.start} />
                                  {fmt.time(slot.start)}
                                </label>
                              ))}
                            </div>
                          </div>
                        ))}
                        <div className="hy-week-actions">
                          <button className="button secondary small" name="intent" value={`book:${w.weekNumber}`} disabled={busyHere === `book:${w.weekNumber}`}>
                            {busyHere === `book:${w.weekNumber}` ? "Booking…" : `Book week ${w.weekNumber} only`}
                          </button>
                        </div>
                      </>
                    )}
                  </fieldset>
                );
              })}
              {bookable.length > 1 ? (
                <div className="hy-submit">
                  <button className="button" name="intent" value="book-all" disabled={busyHere === "book-all"}>
                    {busyHere === "book-all" ? "Booking…" : `Book all chosen weeks for ${child.name.split(" ")[0]}`}
                  </button>
                  <span className="muted">Each week is booked on its own; if one time was just taken, the others still go through.</span>
                </div>
              ) : null}
            </Form>
          </section>
        );
      })}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
