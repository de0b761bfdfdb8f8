import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AttendanceForm, type AttendanceResult } from "~/components/attendance-form";
import { registerCrumb } from "~/domain/register";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AttendanceError, occurrenceRegister, recordAttendance } from "~/models/attendance.server";
import { attendanceSavedMessage, parseAttendanceForm } from "~/models/lesson-form";
import { familyNoteSchema } from "~/models/message-form";
import { MessageError, shareFamilyNote } from "~/models/messages.server";
import { parseForm } from "~/utils/forms";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Attendance — ${data.occurrence.lesson.title}` : "Attendance" }];

const OPENS_BEFORE_MS = 60 * 60_000;
type FamilyNoteResult = { ok: boolean; message: string; occurrenceId: string | null; familyNote: string | null };
const NOT_YOURS = "That lesson was not found among yours.";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  // Another teacher's lesson is answered exactly like a missing one.
  const register = await db.run((tx) => occurrenceRegister(tx, params.occurrenceId ?? "", user.id));
  if (!register) throw new Response(NOT_YOURS, { status: 404 });
  const { occurrence } = register;
  const cancelled = occurrence.status === "CANCELLED" || occurrence.status === "CANCELLED_BY_TEACHER";
  const opensAt = new Date(occurrence.startsAt.getTime() - OPENS_BEFORE_MS);
  const open = !cancelled && opensAt <= context.clock.now();
  return {
    ...register,
    timeZone: school.timezone,
    crumb: registerCrumb(occurrence.startsAt, context.clock.now(), school.timezone),
    open,
    closedReason: cancelled ? "This lesson was cancelled; there is no attendance to take." : open ? null : "Attendance opens an hour before the lesson starts.",
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const formData = await request.formData();
  if (formData.get("intent") === "family-note") {
    const note = parseForm(formData, familyNoteSchema);
    if (!note.ok) return data<FamilyNoteResult>({ ok: false, message: note.errors.familyNote ?? note.errors.occurrenceId ?? "Please check the note.", occurrenceId: null, familyNote: note.values.familyNote ?? "" }, { status: 400 });
    if (note.data.occurrenceId !== params.occurrenceId) return data<FamilyNoteResult>({ ok: false, message: "This form belongs to another lesson. Reload the page.", occurrenceId: null, familyNote: note.values.familyNote ?? "" }, { status: 400 });
    try {
      await db.run((tx) => shareFamilyNote(tx, { occurrenceId: note.data.occurrenceId, teacherId: user.id, note: note.data.familyNote, now: context.clock.now() }));
    } catch (error) {
      if (error instanceof MessageError) return data<FamilyNoteResult>({ ok: false, message: error.message, occurrenceId: null, familyNote: note.values.familyNote ?? "" }, { status: error.status });
      throw error;
    }
    return data<FamilyNoteResult>({ ok: true, message: note.data.familyNote ? "The note is on the families’ page." : "The note was taken off the families’ page.", occurrenceId: note.data.occurrenceId, familyNote: null });
  }
  const parsed = parseAttendanceForm(formData);
  if (!parsed.ok) return data<AttendanceResult>({ ok: false, message: parsed.message, occurrenceId: null }, { status: 400 });
  const { occurrenceId, entries, notes } = parsed.data;
  if (occurrenceId !== params.occurrenceId) return data<AttendanceResult>({ ok: false, message: "This form belongs to another lesson. Reload the page.", occurrenceId }, { status: 400 });
  try {
    const r = await db.run((tx) =>
      recordAttendance(tx, context.mailer, { occurrenceId, recordedById: user.id, teacherId: user.id, entries, notes, timeZone: school.timezone, now: context.clock.now() }),
    );
    return data<AttendanceResult>({ ok: true, message: attendanceSavedMessage(entries, r.absentNotified), occurrenceId });
  } catch (error) {
    if (error instanceof AttendanceError) {
      const notYours = /not one of yours/.test(error.message);
      return data<AttendanceResult>({ ok: false, message: notYours ? NOT_YOURS : error.message, occurrenceId }, { status: notYours ? 404 : 400 });
    }
    throw error;
  }
}

export default function TeachOccurrence() {
  const fmt = useFormat();
  const { occurrence, students, timeZone, open, closedReason, crumb } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to={crumb.href}>{crumb.label}</Link> · Attendance
        </p>
        <h1>{fmt.date(occurrence.startsAt)}</h1>
      </div>
      <AttendanceForm occurrence={occurrence} students={students} timeZone={timeZone} open={open} closedReason={closedReason} />
      <FamilyNoteForm occurrenceId={occurrence.id} familyNote={occurrence.familyNote} />
    </div>
  );
}

/** A note the families see on their page (the lesson notes above stay the school's). */
function FamilyNoteForm({ occurrenceId, familyNote }: { occurrenceId: string; familyNote: string | null }) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const mine = result && "familyNote" in result ? (result as FamilyNoteResult) : null;
  return (
    <section className="card" aria-labelledby="family-note-heading">
      <h2 id="family-note-heading">Note for the families</h2>
      <p className="muted">What was covered and what to practise. Families see it on their page; leave it empty to take it off.</p>
      {mine ? (
        <p className={mine.ok ? "notice" : "form-error"} role={mine.ok ? "status" : "alert"}>
          {mine.message}
        </p>
      ) : null}
      <Form method="post" key={familyNote ?? ""}>
        <input type="hidden" name="intent" value="family-note" />
        <input type="hidden" name="occurrenceId" value={occurrenceId} />
        <label htmlFor="familyNote" className="sr-only">
          Note for the families
        </label>
        <textarea id="familyNote" name="familyNote" rows={4} maxLength={2000} defaultValue={mine && !mine.ok ? (mine.familyNote ?? "") : (familyNote ?? "")} />
        <button className="button" disabled={busy}>
          Share with the families
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
