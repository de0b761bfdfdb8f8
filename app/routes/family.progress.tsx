// /family/progress — for each child: the awards as a timeline, the practice log with the
// streak (log today's minutes, or a day of the last two weeks), syllabus progress, and the
// exam entries, where a guardian accepts or declines a teacher's recommendation.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/form";
import { AwardTimeline, ExamEntry, examTitle, PracticeCalendar, SyllabusBars } from "~/components/progress";
import { toLocalDate } from "~/domain/time";
import { decideExam, examEntryStudent } from "~/models/exams.server";
import { assertMayActFor, forbiddenOr } from "~/models/family-access.server";
import { familyProgressPage } from "~/models/progress-pages.server";
import { logPractice } from "~/models/progress.server";
import progressCss from "~/styles/progress.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { FormRefusal, parseForm, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Progress");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const today = toLocalDate(context.clock.now(), school.timezone);
  const page = await db.run((tx) => familyProgressPage(tx, { accountId: user.id, today }));
  return { ...page, today, role: user.role };
}

const practiceSchema = z.object({
  studentId: z.string().min(1),
  date: z.string({ required_error: "Choose the day you practised." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose the day you practised."),
  minutes: z.coerce
    .number({ invalid_type_error: "Enter the minutes practised, a whole number from 1." })
    .int("Enter the minutes practised, a whole number from 1.")
    .min(1, "Enter the minutes practised, a whole number from 1.")
    .max(600, "A day holds at most 600 minutes."),
});
const decideSchema = z.object({ examRequestId: z.string().min(1) });

type ActionResult = { ok: boolean; target: string; message: string; field: string | null; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const form = await request.formData();
  const intent = form.get("intent");
  const reply = (r: ActionResult, status = 200) => data<ActionResult>(r, { status });
  const now = context.clock.now();
  try {
    if (intent === "log-practice") {
      const target = String(form.get("studentId") ?? "");
      const parsed = parseForm(form, practiceSchema);
      if (!parsed.ok) {
        const [field, message] = Object.entries(parsed.errors)[0] ?? ["form", "Please check the form."];
        return reply({ ok: false, target, message, field, values: parsed.values }, 400);
      }
      await db.run((tx) => assertMayActFor(tx, user.id, parsed.data.studentId)).catch(forbiddenOr);
      const today = toLocalDate(now, school.timezone);
      const r = await db.run((tx) => logPractice(tx, { ...parsed.data, actorId: user.id, today, now }));
      const award = r.awards.length ? ` New award: ${r.awards.map((n) => `${n}-day practice streak`).join(", ")}!` : "";
      return reply({ ok: true, target, message: `Logged ${parsed.data.minutes} minutes (${r.dayMinutes} that day).${award}`, field: null, values: {} });
    }
    if (intent === "accept" || intent === "decline") {
      const parsed = parseForm(form, decideSchema);
      if (!parsed.ok) return reply({ ok: false, target: "", message: "Reload the page and try again.", field: null, values: {} }, 400);
      const studentId = await db.run((tx) => examEntryStudent(tx, parsed.data.examRequestId));
      if (!studentId) return reply({ ok: false, target: parsed.data.examRequestId, message: "That exam entry does not exist any more. Reload the page.", field: null, values: {} }, 404);
      await db.run((tx) => assertMayActFor(tx, user.id, studentId)).catch(forbiddenOr);
      const r = await db.run((tx) => decideExam(tx, { examRequestId: parsed.data.examRequestId, accept: intent === "accept", actor: user, now }));
      const message = intent === "accept" ? `Accepted.${r.feeInvoiceId ? " The exam fee is on your billing page." : ""} The school will book the exam and tell you the date.` : "Declined. The teacher can see your answer.";
      return reply({ ok: true, target: parsed.data.examRequestId, message, field: null, values: {} });
    }
  } catch (error) {
    if (error instanceof FormRefusal) {
      return reply({ ok: false, target: String(form.get("studentId") ?? form.get("examRequestId") ?? ""), message: error.message, field: error.field, values: Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as FormValues }, error.status);
    }
    throw error;
  }
  return reply({ ok: false, target: "", message: "Unknown action. Reload the page and try again.", field: null, values: {} }, 400);
}

export default function FamilyProgress() {
  const { children, streakDays, today, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">{role === "STUDENT" ? "My progress" : "Our family"}</p>
        <h1>Progress</h1>
        <p className="muted">Awards, practice and exams{streakDays.length ? `. Practise ${streakDays.join(" or ")} days in a row for a streak award.` : "."}</p>
      </div>
      {children.length === 0 ? <p className="card muted">No students are linked to this account yet.</p> : null}
      {children.map((child) => {
        const mine = result && result.target === child.id ? result : null;
        return (
          <section key={child.id} className="card child-progress" aria-labelledby={`child-${child.id}`}>
            <h2 id={`child-${child.id}`}>{child.name}</h2>
            <div className="progress-columns">
              <section aria-labelledby={`awards-${child.id}`}>
                <h3 id={`awards-${child.id}`}>Awards</h3>
                <AwardTimeline awards={child.awards} empty="No awards yet. They appear here as they are earned." />
              </section>
              <section aria-labelledby={`practice-${child.id}`}>
                <h3 id={`practice-${child.id}`}>Practice</h3>
                <PracticeCalendar practice={child.practice} streakDays={streakDays} label={`${child.firstName}'s practice, the last four weeks`} />
                <Form method="post" className="inline-form" aria-label={`Log practice for ${child.firstName}`} style={{ marginTop: "1rem" }}>
                  <input type="hidden" name="intent" value="log-practice" />
                  <input type="hidden" name="studentId" value={child.id} />
                  <Field label="Day" name="date" type="date" required max={today} defaultValue={mine && !mine.ok ? mine.values.date : today} error={mine && !mine.ok && mine.field === "date" ? mine.message : undefined} />
                  <Field
                    label="Minutes"
                    name="minutes"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={600}
                    required
                    defaultValue={mine && !mine.ok ? mine.values.minutes : ""}
                    error={mine && !mine.ok && mine.field === "minutes" ? mine.message : undefined}
                    style={{ maxWidth: "7rem" }}
                  />
                  <button className="button" disabled={busy}>
                    Log practice
                  </button>
                </Form>
                {mine ? (
                  <p className={mine.ok ? "notice" : "form-error"} role={mine.ok ? "status" : "alert"}>
                    {mine.message}
                  </p>
                ) : null}
              </section>
            </div>
            {child.syllabi.length ? (
              <section aria-labelledby={`syllabi-${child.id}`}>
                <h3 id={`syllabi-${child.id}`}>Syllabus</h3>
                {child.syllabi.map((s) => (
                  <div key={s.id}>
                    <p className="muted" style={{ margin: 0 }}>
                      {s.name}
                    </p>
                    <SyllabusBars syllabus={s} />
                  </div>
                ))}
              </section>
            ) : null}
            <section aria-labelledby={`exams-${child.id}`}>
              <h3 id={`exams-${child.id}`}>Exams</h3>
              {child.exams.length === 0 ? <p className="muted">No exam entries.</p> : null}
              {child.exams.map((e) => {
                const said = result && result.target === e.id ? result : null;
                return (
                  <div key={e.id}>
                    <ExamEntry
                      entry={e}
                      actions={
                        e.status === "PENDING" && role === "PARENT" ? (
                          <Form method="post" aria-label={`Decide on ${examTitle(e)}`}>
                            <input type="hidden" name="examRequestId" value={e.id} />
                            <button className="button" name="intent" value="accept" disabled={busy}>
                              Accept the entry
                            </button>
                            <button className="button secondary" name="intent" value="decline" disabled={busy}>
                              Decline
                            </button>
                          </Form>
                        ) : e.status === "PENDING" ? (
                          <p className="muted">A guardian accepts or declines this entry.</p>
                        ) : null
                      }
                    />
                    {said ? (
                      <p className={said.ok ? "notice" : "form-error"} role={said.ok ? "status" : "alert"}>
                        {said.message}
                      </p>
                    ) : null}
                  </div>
                );
              })}
            </section>
          </section>
        );
      })}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
