// A first trial lesson a new family books itself (when the school allows it): an
// instrument, one of its teachers' free times in the next two weeks, and the family's
// details. One transaction creates the family like online enrollment does (enrollOnline),
// a one-off INDIVIDUAL lesson (recurrence ONCE) through createLessonSeries, the child's
// enrollment and the emails to the family and the teacher. The free time is checked
// again in that transaction, and the occurrences' exclusion constraint refuses a second
// booking of the same teacher at the same time that slipped past the check: of two
// families booking one time at once, exactly one gets it.
import type { Tx } from "../../server/db/school-db.server";
import { DATE_WITH_YEAR } from "../domain/locale";
import { addDays, toLocalDate, formatLocalTime } from "../domain/time";
import { FormRefusal } from "../utils/forms";
import { schoolFormatter } from "./school-settings.server";
import { enrollStudent } from "./enrollment.server";
import { teacherFreeTimes } from "./lesson-requests.server";
import type { EnrollmentInput } from "./online-enrollment-form";
import { enrollOnline, type EnrollmentDeps, type SubmissionResult } from "./online-enrollment.server";
import { createLessonSeries, SchedulingConflictError } from "./scheduling.server";

export class TrialError extends FormRefusal {}

/** How far ahead families see free times. */
export const TRIAL_DAYS = 14;
/** A trial starts at least this long after it is booked. */
export const TRIAL_NOTICE_MINUTES = 12 * 60;

export const TAKEN_MESSAGE = "Someone has just booked that time. Please choose another one.";

const personName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;

/** Minutes of a trial lesson, or null when the school does not offer them. */
export async function trialMinutes(tx: Tx): Promise<number | null> {
  const s = await tx.school.findFirstOrThrow({ select: { trialLessonMinutes: true, status: true } });
  return s.status === "ACTIVE" ? s.trialLessonMinutes : null;
}

async function teachersOf(tx: Tx, instrument: string) {
  const teachers = await tx.user.findMany({
    where: { role: "TEACHER", deactivatedAt: null, teachingInstruments: { has: instrument } },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, firstName: true, lastName: true },
  });
  return teachers;
}

/** Instruments with at least one active teacher who teaches them. */
export async function trialInstruments(tx: Tx): Promise<string[]> {
  const instruments = (await tx.instrument.findMany({ orderBy: { name: "asc" }, select: { name: true } })).map((i) => i.name);
  const teachers = await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, select: { teachingInstruments: true } });
  const taught = new Set(teachers.flatMap((t) => t.teachingInstruments));
  return instruments.filter((i) => taught.has(i));
}

export interface TrialTime {
  /** "teacherId|ISO start": the form's value. */
  value: string;
  teacherId: string;
  teacherName: string;
  start: Date;
  end: Date;
  locationId: string | null;
  date: string;
}

export function trialSlotValue(teacherId: string, start: Date) {
  return `${teacherId}|${start.toISOString()}`;
}

/** The free times of the instrument's teachers in the next two weeks, earliest first. */
export async function trialTimes(tx: Tx, input: { instrument: string; timeZone: string; now: Date; minutes: number; teacherIds?: string[] }): Promise<TrialTime[]> {
  const teachers = (await teachersOf(tx, input.instrument)).filter((t) => !input.teacherIds || input.teacherIds.includes(t.id));
  const today = toLocalDate(input.now, input.timeZone);
  const slots = await teacherFreeTimes(tx, {
    teacherIds: teachers.map((t) => t.id),
    timeZone: input.timeZone,
    fromDate: addDays(today, 1),
    days: TRIAL_DAYS,
    durationMinutes: input.minutes,
    now: input.now,
    minNoticeMinutes: TRIAL_NOTICE_MINUTES,
  });
  return slots
    .map((s) => ({ ...s, value: trialSlotValue(s.teacherId, s.start), teacherName: personName(teachers.find((t) => t.id === s.teacherId)!), date: toLocalDate(s.start, input.timeZone) }))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.teacherName.localeCompare(b.teacherName));
}

export interface TrialInput {
  enrollment: EnrollmentInput;
  instrument: string;
  teacherId: string;
  start: Date;
}

export type TrialResult = SubmissionResult & { trial: { lessonId: string; start: Date; teacherName: string } | null };

/**
 * Books a trial lesson for a new family, in the caller's transaction. Throws TrialError
 * for what the family can fix (a time no longer free: 409), and rolls everything back then.
 */
export async function bookTrialLesson(tx: Tx, deps: EnrollmentDeps & { timeZone: string }, input: TrialInput): Promise<TrialResult> {
  const minutes = await trialMinutes(tx);
  if (!minutes) throw new TrialError("The school does not take trial lesson bookings online at the moment. Please contact the school.", null, 403);
  // The time must still be one of the teacher's free times (availability, lessons, time off, closures).
  const free = await trialTimes(tx, { instrument: input.instrument, timeZone: deps.timeZone, now: deps.now, minutes, teacherIds: [input.teacherId] });
  const slot = free.find((s) => s.start.getTime() === input.start.getTime());
  if (!slot) throw new TrialError(TAKEN_MESSAGE, "slot", 409);

  const family = await enrollOnline(tx, deps, input.enrollment);
  // An address with an account is answered as any such form is (its holder was emailed); a resubmission returns the first answer.
  if (family.existingAccount || family.replayed) return { ...family, trial: null };
  const child = family.children[0]!;

  const teacher = await tx.user.findUniqueOrThrow({ where: { id: input.teacherId }, select: { firstName: true, lastName: true, email: true } });
  let lessonId: string;
  try {
    const created = await createLessonSeries(
      tx,
      deps.timeZone,
      {
        title: `Trial lesson: ${input.instrument} — ${child.name}`,
        type: "INDIVIDUAL",
        instrument: input.instrument,
        instructorId: input.teacherId,
        locationId: slot.locationId,
        roomId: null,
        firstDate: slot.date,
        startTime: formatLocalTime(slot.start, deps.timeZone),
        durationMinutes: minutes,
        recurrence: "ONCE",
        maxStudents: 1,
      },
      deps.now,
    );
    lessonId = created.lesson.id;
  } catch (error) {
    if (error instanceof SchedulingConflictError) throw new TrialError(TAKEN_MESSAGE, "slot", 409);
    throw error;
  }
  await enrollStudent(tx, { lessonId, studentId: child.studentId, requireApproval: false, waitlist: false, notes: "Trial lesson booked online", now: deps.now });

  const place = slot.locationId ? (await tx.location.findUnique({ where: { id: slot.locationId }, select: { name: true, address: true, city: true } })) : null;
  const where = place ? `${place.name}${place.address ? `, ${place.address}` : ""}${place.city ? `, ${place.city}` : ""}` : "online (the school sends the link)";
  const fmt = await schoolFormatter(tx);
  const when = `${fmt.dateTime(slot.start, { weekday: "long", month: "long" })} (${minutes} minutes)`;
  const g = input.enrollment.guardian;
  await deps.mailer.send(tx, {
    to: g.email,
    subject: `Your trial ${input.instrument} lesson at ${deps.school.name}`,
    text: [
      `Hello ${g.firstName},`,
      "",
      `${child.name.split(" ")[0]}'s trial ${input.instrument} lesson with ${personName(teacher)} is booked: ${when}, ${where}.`,
      "",
      `Can't make it? Write to ${deps.school.email}. A separate email has the link to set your family account's password.`,
    ].join("\n"),
  });
  await deps.mailer.send(tx, {
    to: teacher.email,
    subject: `Trial lesson booked: ${child.name}, ${fmt.day(slot.date, DATE_WITH_YEAR)}`,
    text: [
      `Hello ${teacher.firstName},`,
      "",
      `A new family booked a trial ${input.instrument} lesson with you: ${child.name}, ${when}, ${where}.`,
      `Contact: ${g.firstName} ${g.lastName}, ${g.email}, ${g.phone}.`,
    ].join("\n"),
  });
  return { ...family, trial: { lessonId, start: slot.start, teacherName: personName(teacher) } };
}
