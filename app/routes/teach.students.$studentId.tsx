// /teach/students/:studentId — one student's progress for their teacher (or an admin):
// the awards (and giving one), syllabus progress (completing a section gives its award, and
// the grade's when it was the last), the practice log, and exam entries (recommending one,
// withdrawing a recommendation the family has not decided on).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FieldFrame, SelectField } from "~/components/form";
import { AWARD_TYPE_OPTIONS, AwardTimeline, Badge, ExamEntry, PracticeCalendar, SyllabusBars } from "~/components/progress";
import { EXAM_BOARDS, type ExamBoard } from "~/domain/exams";
import { parseMoney } from "~/domain/money";
import { BADGE_COLORS, BADGE_ICONS } from "~/domain/progress";
import { isValidLocalDate, toLocalDate } from "~/domain/time";
import { recommendExam, withdrawExam } from "~/models/exams.server";
import { teacherStudentPage } from "~/models/progress-pages.server";
import { assertTeacherOf, completeSection, giveAward } from "~/models/progress.server";
import progressCss from "~/styles/progress.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { FormRefusal, parseForm, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const ICON_NAMES: Record<(typeof BADGE_ICONS)[number], string> = { star: "Star", trophy: "Trophy", medal: "Medal", music: "Music note", flame: "Flame", check: "Tick" };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Student progress");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

function refusalToResponse(error: unknown): never {
  if (error instanceof FormRefusal && (error.status === 403 || error.status === 404)) throw new Response(error.message, { status: error.status });
  throw error;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const studentId = params.studentId ?? "";
  await db.run((tx) => assertTeacherOf(tx, user, studentId)).catch(refusalToResponse);
  const today = toLocalDate(context.clock.now(), school.timezone);
  return { ...(await db.run((tx) => teacherStudentPage(tx, { studentId, today }))), currency: school.currency, role: user.role };
}

const text = (max: number, message: string) => z.string({ required_error: message }).trim().min(1, message).max(max, `Keep it under ${max} characters.`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max} characters.`)
    .optional()
    .transform((v) => v || null);

const awardSchema = z.object({
  title: text(80, "Give the award a title."),
  description: optionalText(300),
  awardType: z.enum(["SECTION_COMPLETE", "GRADE_MILESTONE", "PRACTICE_STREAK", "PERFORMANCE", "EXAMINATION_PASS", "CUSTOM"], { errorMap: () => ({ message: "Choose the kind of award." }) }),
  badgeIcon: z.string({ required_error: "Choose a badge icon." }).min(1, "Choose a badge icon."),
  badgeColor: z.string({ required_error: "Choose a badge colour." }).min(1, "Choose a badge colour."),
});
const sectionSchema = z.object({ sectionId: z.string().min(1, "Choose a section.") });
const recommendSchema = z.object({
  board: z.enum(EXAM_BOARDS, { errorMap: () => ({ message: "Choose the exam board." }) }),
  instrument: text(60, "Choose the instrument."),
  grade: text(40, "Choose the grade."),
  session: text(40, "Name the session, for example “Spring 2027”."),
  entryDeadline: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || isValidLocalDate(v), "Enter the entry deadline as a date."),
  fee: z.string().optional(),
  notes: optionalText(300),
});
const withdrawSchema = z.object({ examRequestId: z.string().min(1), note: optionalText(200) });

type Result = { ok: boolean; intent: string; message: string; errors: Record<string, string>; values: FormValues };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const studentId = params.studentId ?? "";
  await db.run((tx) => assertTeacherOf(tx, user, studentId)).catch(refusalToResponse);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = context.clock.now();
  const reply = (r: Omit<Result, "intent">, status = 200) => data<Result>({ ...r, intent }, { status });
  const invalid = (parsed: { errors: Record<string, string>; values: FormValues }) => reply({ ok: false, message: "Please check the form.", errors: parsed.errors, values: parsed.values }, 400);
  try {
    if (intent === "give-award") {
      const parsed = parseForm(form, awardSchema);
      if (!parsed.ok) return invalid(parsed);
      const award = await db.run((tx) => giveAward(tx, { ...parsed.data, studentId, actorId: user.id, now }));
      return reply({ ok: true, message: `Gave “${award.title}”.`, errors: {}, values: {} });
    }
    if (intent === "complete-section") {
      const parsed = parseForm(form, sectionSchema);
      if (!parsed.ok) return invalid(parsed);
      const r = await db.run((tx) => completeSection(tx, { studentId, sectionId: parsed.data.sectionId, actorId: user.id, now }));
      const message = r.recorded ? `Recorded.${r.awards.length ? ` Awards given: ${r.awards.join("; ")}.` : ""}` : "That section was already complete.";
      return reply({ ok: true, message, errors: {}, values: {} });
    }
    if (intent === "recommend") {
      const parsed = parseForm(form, recommendSchema);
      if (!parsed.ok) return invalid(parsed);
      let feeMinor: number | null = null;
      if (parsed.data.fee && parsed.data.fee.trim()) {
        const fee = parseMoney(parsed.data.fee, school.currency, { locale: school.locale, label: "The fee" });
        if (!fee.ok) return reply({ ok: false, message: "Please check the form.", errors: { fee: fee.error }, values: parsed.values }, 400);
        feeMinor = fee.money.amountMinor || null;
      }
      await db.run((tx) =>
        recommendExam(tx, context.mailer, { ...parsed.data, board: parsed.data.board as ExamBoard, studentId, feeMinor, actor: user, now, origin: context.links.origin }),
      );
      return reply({ ok: true, message: "Recommended. The family has been asked by email to accept or decline.", errors: {}, values: {} });
    }
    if (intent === "withdraw") {
      const parsed = parseForm(form, withdrawSchema);
      if (!parsed.ok) return invalid(parsed);
      await db.run(async (tx) => {
        const entry = await tx.examRequest.findFirst({ where: { id: parsed.data.examRequestId, studentId }, select: { id: true } });
        if (!entry) throw new FormRefusal("That exam entry does not exist any more. Reload the page.", null, 404);
        await withdrawExam(tx, { examRequestId: entry.id, actor: user, now, note: parsed.data.note });
      });
      return reply({ ok: true, message: "Withdrawn.", errors: {}, values: {} });
    }
  } catch (error) {
    if (error instanceof FormRefusal) {
      const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as FormValues;
      return reply({ ok: false, message: error.message, errors: error.field ? { [error.field]: error.message } : {}, values }, error.status);
    }
    throw error;
  }
  return reply({ ok: false, message: "Unknown action. Reload the page and try again.", errors: {}, values: {} }, 400);
}

function Notice({ result, intent }: { result: Result | null; intent: string }) {
  if (!result || result.intent !== intent) return null;
  return (
    <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
      {result.message}
    </p>
  );
}

export default function TeacherStudentProgress() {
  const { student, instruments, boards, streakDays, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const busy = useNavigation().state !== "idle";
  const failed = (intent: string) => (result && !result.ok && result.intent === intent ? result : null);
  const award = failed("give-award");
  const rec = failed("recommend");
  const [board, setBoard] = useState<string>(rec?.values.board ?? "ABRSM");
  const grades = boards.find((b) => b.value === board)?.grades ?? [];
  const [color, setColor] = useState<string>(award?.values.badgeColor ?? BADGE_COLORS[0]);
  const [icon, setIcon] = useState<string>(award?.values.badgeIcon ?? "star");
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to={role === "ADMIN" ? `/admin/students/${student.id}` : "/teach/students"}>{role === "ADMIN" ? "Student" : "My students"}</Link>
        </p>
        <h1>{student.name}</h1>
        <p className="muted">{student.instrument ?? ""}</p>
      </div>

      <div className="progress-columns">
        <section className="card" aria-labelledby="awards-heading">
          <h2 id="awards-heading">Awards</h2>
          <AwardTimeline awards={student.awards} empty="No awards yet." />
        </section>
        <section className="card" aria-labelledby="give-heading">
          <h2 id="give-heading">Give an award</h2>
          <Notice result={result} intent="give-award" />
          <Form method="post" key={result?.ok && result.intent === "give-award" ? `done-${student.awards.length}` : "award"}>
            <input type="hidden" name="intent" value="give-award" />
            <Field label="Title" name="title" required maxLength={80} defaultValue={award?.values.title} error={award?.errors.title} />
            <FieldFrame id="award-description" label="Description (optional)" error={award?.errors.description}>
              <textarea id="award-description" name="description" rows={2} maxLength={300} defaultValue={award?.values.description} />
            </FieldFrame>
            <SelectField label="Kind" name="awardType" defaultValue={award?.values.awardType ?? "CUSTOM"} options={AWARD_TYPE_OPTIONS} error={award?.errors.awardType} />
            <fieldset className="color-choices">
              <legend>Badge icon</legend>
              {BADGE_ICONS.map((i) => (
                <label key={i}>
                  <input type="radio" name="badgeIcon" value={i} checked={icon === i} onChange={() => setIcon(i)} />
                  <Badge icon={i} color={color} size={28} />
                  <span className="sr-only">{ICON_NAMES[i]}</span>
                </label>
              ))}
            </fieldset>
            <fieldset className="color-choices">
              <legend>Badge colour</legend>
              {BADGE_COLORS.map((c, n) => (
                <label key={c}>
                  <input type="radio" name="badgeColor" value={c} checked={color === c} onChange={() => setColor(c)} />
                  <span className="swatch" style={{ background: c }} aria-hidden="true" />
                  <span className="sr-only">Colour {n + 1}</span>
                </label>
              ))}
            </fieldset>
            <button className="button" disabled={busy}>
              Give the award
            </button>
          </Form>
        </section>
      </div>

      <section className="card" aria-labelledby="syllabus-heading">
        <h2 id="syllabus-heading">Syllabus progress</h2>
        <Notice result={result} intent="complete-section" />
        {student.syllabi.length === 0 ? <p className="muted">The school has no syllabus for this student's instrument yet (admins add them under Syllabi).</p> : null}
        {student.syllabi.map((s) => (
          <div key={s.id}>
            <h3>{s.name}</h3>
            <SyllabusBars syllabus={s} />
            {s.levels.map((l) => (
              <details key={l.id} open={!s.progress.find((p) => p.levelId === l.id)?.complete && s.progress.find((p) => p.levelId === l.id)!.done > 0}>
                <summary>{l.name}</summary>
                <ul className="section-list">
                  {l.sections.map((sec) => (
                    <li key={sec.id}>
                      <span>{sec.name}</span>
                      {s.completed.includes(sec.id) ? (
                        <span className="badge">Complete</span>
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="complete-section" />
                          <input type="hidden" name="sectionId" value={sec.id} />
                          <button className="button secondary" disabled={busy} aria-label={`Mark ${l.name}: ${sec.name} complete`}>
                            Mark complete
                          </button>
                        </Form>
                      )}
                    </li>
                  ))}
                </ul>
              </details>
            ))}
          </div>
        ))}
      </section>

      <section className="card" aria-labelledby="practice-heading">
        <h2 id="practice-heading">Practice</h2>
        <PracticeCalendar practice={student.practice} streakDays={streakDays} label="Practice, the last four weeks" />
      </section>

      <section className="card" aria-labelledby="exams-heading">
        <h2 id="exams-heading">Exams</h2>
        <Notice result={result} intent="withdraw" />
        {student.exams.length === 0 ? <p className="muted">No exam entries yet.</p> : null}
        {student.exams.map((e) => (
          <ExamEntry
            key={e.id}
            entry={e}
            actions={
              e.status === "PENDING" || (role === "ADMIN" && e.status === "APPROVED" && !e.feeInvoice) ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="examRequestId" value={e.id} />
                  <button className="button secondary" disabled={busy}>
                    Withdraw the recommendation
                  </button>
                </Form>
              ) : null
            }
          />
        ))}
        <h3 style={{ marginTop: "1.5rem" }}>Recommend an exam</h3>
        <Notice result={result} intent="recommend" />
        <Form method="post" key={result?.ok && result.intent === "recommend" ? `done-${student.exams.length}` : "recommend"} aria-label="Recommend an exam">
          <input type="hidden" name="intent" value="recommend" />
          <div className="list-filters">
            <FieldFrame id="rec-board" label="Board" error={rec?.errors.board}>
              <select id="rec-board" name="board" value={board} onChange={(ev) => setBoard(ev.target.value)}>
                {boards.map((b) => (
                  <option key={b.value} value={b.value}>
                    {b.label}
                  </option>
                ))}
              </select>
            </FieldFrame>
            <SelectField
              label="Instrument"
              name="instrument"
              defaultValue={rec?.values.instrument ?? student.instrument ?? instruments[0]}
              options={instruments.map((i) => ({ value: i, label: i }))}
              error={rec?.errors.instrument}
            />
            <SelectField key={board} label="Grade" name="grade" defaultValue={rec?.values.grade ?? grades[1]} options={grades.map((g) => ({ value: g, label: g }))} error={rec?.errors.grade} />
            <Field label="Session" name="session" required placeholder="Spring 2027" maxLength={40} defaultValue={rec?.values.session} error={rec?.errors.session} />
            <Field label="Entry deadline" name="entryDeadline" type="date" defaultValue={rec?.values.entryDeadline} error={rec?.errors.entryDeadline} />
            <Field label="Fee to the family (optional)" name="fee" inputMode="decimal" defaultValue={rec?.values.fee} error={rec?.errors.fee} hint="Invoiced when the family accepts." />
          </div>
          <FieldFrame id="rec-notes" label="Note to the family (optional)" error={rec?.errors.notes}>
            <textarea id="rec-notes" name="notes" rows={2} maxLength={300} defaultValue={rec?.values.notes} />
          </FieldFrame>
          <button className="button" disabled={busy}>
            Recommend
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
