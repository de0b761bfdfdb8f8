import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AttendanceForm, type AttendanceResult } from "~/components/attendance-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AttendanceError, occurrenceRegister, recordAttendance } from "~/models/attendance.server";
import { attendanceSavedMessage, parseAttendanceForm } from "~/models/lesson-form";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Attendance — ${data.occurrence.lesson.title}` : "Attendance" }];

const OPENS_BEFORE_MS = 60 * 60_000;
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
    open,
    closedReason: cancelled ? "This lesson was cancelled; there is no attendance to take." : open ? null : "Attendance opens an hour before the lesson starts.",
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["TEACHER", "ADMIN"] });
  const { db, school } = requireSchool(context);
  const parsed = parseAttendanceForm(await request.formData());
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
  const { occurrence, students, timeZone, open, closedReason } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">
          <Link to="/teach/today">Today</Link> · Attendance
        </p>
        <h1>{formatDate(occurrence.startsAt, timeZone)}</h1>
      </div>
      <AttendanceForm occurrence={occurrence} students={students} timeZone={timeZone} open={open} closedReason={closedReason} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
