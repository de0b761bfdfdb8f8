// /admin/exams — exam entries by board and session, the nearest entry deadline first: book an
// accepted entry (date, time, place; the family is emailed), mark it sat, record the result
// by the board's rules (a pass gives the student an award), or withdraw an entry.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/form";
import { ExamEntry } from "~/components/progress";
import { BOARD_NAMES, EXAM_BOARDS, EXAM_STATUSES, isExamBoard, STATUS_LABELS } from "~/domain/exams";
import { formatLocalTime, isValidLocalDate, isValidTime, toLocalDate } from "~/domain/time";
import { bookExam, examEntriesBySession, markExamSat, recordExamResult, withdrawExam } from "~/models/exams.server";
import progressCss from "~/styles/progress.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { FormRefusal, parseForm, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Exam entries");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const url = new URL(request.url);
  const board = url.searchParams.get("board");
  const status = url.searchParams.get("status");
  const filter = {
    board: board && isExamBoard(board) ? board : null,
    status: status && (EXAM_STATUSES as readonly string[]).includes(status) ? (status as (typeof EXAM_STATUSES)[number]) : null,
  };
  const groups = await db.run((tx) => examEntriesBySession(tx, filter));
  // A booking's local date and time, to start a change of booking from.
  const booked = Object.fromEntries(
    groups.flatMap((g) => g.entries.filter((e) => e.examDate).map((e) => [e.id, { date: toLocalDate(e.examDate!, school.timezone), time: formatLocalTime(e.examDate!, school.timezone) }])),
  );
  return { groups, booked, filter, today: toLocalDate(context.clock.now(), school.timezone) };
}

const idSchema = z.object({ examRequestId: z.string().min(1) });
const bookSchema = idSchema.extend({
  date: z.string({ required_error: "Choose the exam's date." }).refine((v) => isValidLocalDate(v), "Choose the exam's date."),
  time: z.string({ required_error: "Enter the exam's time." }).refine((v) => isValidTime(v), "Enter the time as HH:MM, for example 14:30."),
  place: z.string({ required_error: "Enter where the exam is." }).trim().min(1, "Enter where the exam is.").max(120, "Keep the place under 120 characters."),
});
const resultSchema = idSchema.extend({ result: z.string({ required_error: "Enter the result." }).trim().min(1, "Enter the result.").max(20, "Enter just the mark or grade.") });

type Result = { ok: boolean; target: string; intent: string; message: string; errors: Record<string, string>; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const target = String(form.get("examRequestId") ?? "");
  const now = context.clock.now();
  const reply = (r: Omit<Result, "intent" | "target">, status = 200) => data<Result>({ ...r, intent, target }, { status });
  const invalid = (p: { errors: Record<string, string>; values: FormValues }) => reply({ ok: false, message: Object.values(p.errors)[0] ?? "Please check the form.", errors: p.errors, values: p.values }, 400);
  try {
    if (intent === "book") {
      const p = parseForm(form, bookSchema);
      if (!p.ok) return invalid(p);
      const r = await db.run((tx) => bookExam(tx, context.mailer, { ...p.data, actor: user, now }));
      return reply({ ok: true, message: `${r.rebooked ? "Booking changed" : "Booked"}; ${r.told} ${r.told === 1 ? "address was" : "addresses were"} emailed.`, errors: {}, values: {} });
    }
    if (intent === "sat") {
      const p = parseForm(form, idSchema);
      if (!p.ok) return invalid(p);
      await db.run((tx) => markExamSat(tx, { examRequestId: p.data.examRequestId, actor: user, now }));
      return reply({ ok: true, message: "Marked as sat; record the result when it arrives.", errors: {}, values: {} });
    }
    if (intent === "result") {
      const p = parseForm(form, resultSchema);
      if (!p.ok) return invalid(p);
      const r = await db.run((tx) => recordExamResult(tx, context.mailer, { examRequestId: p.data.examRequestId, result: p.data.result, actor: user, now }));
      return reply({ ok: true, message: `Recorded: ${r.result.label}.${r.awarded ? " The student has a new award." : ""} The family has been told.`, errors: {}, values: {} });
    }
    if (intent === "withdraw") {
      const p = parseForm(form, idSchema);
      if (!p.ok) return invalid(p);
      await db.run((tx) => withdrawExam(tx, { examRequestId: p.data.examRequestId, actor: user, now, note: "Withdrawn by the school" }));
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

export default function AdminExams() {
  const { groups, booked, filter, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const busy = useNavigation().state !== "idle";
  const fmt = useFormat();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Progress</p>
        <h1>Exam entries</h1>
        <p className="muted">
          Teachers recommend, families accept, and you book the exams and record the results here. Syllabi and practice awards are set under{" "}
          <Link to="/admin/syllabi">Syllabi</Link>.
        </p>
      </div>
      <Form method="get" className="card list-filters" aria-label="Filter entries">
        <div className="field">
          <label htmlFor="f-board">Board</label>
          <select id="f-board" name="board" defaultValue={filter.board ?? ""}>
            <option value="">All boards</option>
            {EXAM_BOARDS.map((b) => (
              <option key={b} value={b}>
                {BOARD_NAMES[b]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any status</option>
            {EXAM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button className="button secondary">Show</button>
        </div>
      </Form>
      {groups.length === 0 ? <p className="card muted">No exam entries{filter.board || filter.status ? " match these filters" : " yet: teachers recommend students from their students' pages"}.</p> : null}
      {groups.map((g) => (
        <section key={`${g.board}-${g.session}`} className="card exam-group" aria-label={`${isExamBoard(g.board) ? BOARD_NAMES[g.board] : g.board}, ${g.session}`}>
          <div className="spread">
            <h2 style={{ margin: 0 }}>
              {isExamBoard(g.board) ? BOARD_NAMES[g.board] : g.board} · {g.session}
            </h2>
            {g.deadline ? (
              <span className={g.deadline < today ? "badge status-rejected" : "badge status-pending"}>
                Entry deadline {fmt.day(g.deadline, { year: "numeric" })}
                {g.deadline < today ? " (passed)" : ""}
              </span>
            ) : null}
          </div>
          <p className="muted">
            {g.entries.length} {g.entries.length === 1 ? "entry" : "entries"}
          </p>
          {g.entries.map((e) => {
            const mine = result && result.target === e.id ? result : null;
            const failed = mine && !mine.ok ? mine : null;
            return (
              <div key={e.id}>
                <ExamEntry
                  entry={e}
                  showStudent
                  actions={
                    <>
                      {e.status === "APPROVED" || e.status === "SCHEDULED" ? (
                        <Form method="post" aria-label={`${e.status === "SCHEDULED" ? "Change the booking" : "Book"} for ${e.student.user.firstName} ${e.student.user.lastName}`}>
                          <input type="hidden" name="intent" value="book" />
                          <input type="hidden" name="examRequestId" value={e.id} />
                          <Field label="Date" name="date" type="date" required defaultValue={failed?.intent === "book" ? failed.values.date : (booked[e.id]?.date ?? "")} error={failed?.intent === "book" ? failed.errors.date : undefined} />
                          <Field label="Time" name="time" type="time" required defaultValue={failed?.intent === "book" ? failed.values.time : (booked[e.id]?.time ?? "")} error={failed?.intent === "book" ? failed.errors.time : undefined} />
                          <Field label="Place" name="place" required maxLength={120} defaultValue={failed?.intent === "book" ? failed.values.place : (e.examPlace ?? "")} error={failed?.intent === "book" ? failed.errors.place : undefined} />
                          <button className="button" disabled={busy}>
                            {e.status === "SCHEDULED" ? "Change the booking" : "Book"}
                          </button>
                        </Form>
                      ) : null}
                      {e.status === "SCHEDULED" || e.status === "COMPLETED" ? (
                        <Form method="post" aria-label={`Result for ${e.student.user.firstName} ${e.student.user.lastName}`}>
                          <input type="hidden" name="intent" value="result" />
                          <input type="hidden" name="examRequestId" value={e.id} />
                          <Field
                            label={e.board === "AMEB" ? "Grade (A+ to C, or not shown)" : `Mark out of ${e.board === "TRINITY" ? 100 : 150}`}
                            name="result"
                            required
                            maxLength={20}
                            inputMode={e.board === "AMEB" ? "text" : "numeric"}
                            defaultValue={failed?.intent === "result" ? failed.values.result : ""}
                            error={failed?.intent === "result" ? failed.errors.result : undefined}
                            style={{ maxWidth: "9rem" }}
                          />
                          <button className="button" disabled={busy}>
                            Record the result
                          </button>
                        </Form>
                      ) : null}
                      {e.status === "SCHEDULED" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="sat" />
                          <input type="hidden" name="examRequestId" value={e.id} />
                          <button className="button secondary" disabled={busy}>
                            Mark as sat
                          </button>
                        </Form>
                      ) : null}
                      {e.status === "PENDING" || (e.status === "APPROVED" && !e.feeInvoice) ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="withdraw" />
                          <input type="hidden" name="examRequestId" value={e.id} />
                          <button className="button secondary" disabled={busy}>
                            Withdraw
                          </button>
                        </Form>
                      ) : null}
                      {e.feeInvoice ? <Link to={`/admin/billing/invoices/${e.feeInvoice.id}`}>Fee invoice {e.feeInvoice.number}</Link> : null}
                    </>
                  }
                />
                {mine ? (
                  <p className={mine.ok ? "notice" : "form-error"} role={mine.ok ? "status" : "alert"}>
                    {mine.message}
                  </p>
                ) : null}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
