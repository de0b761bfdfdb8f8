// Changes to one lesson date, and the families told about them, in the same
// transaction: an admin dragging it in the calendar or editing it (this date, this
// and following, the whole series), an admin or a teacher cancelling it. Every
// scheduling rule runs in editOccurrences / cancelOccurrence (scheduling.server.ts).
import { schoolFormatter } from "./school-settings.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { daysBetween, formatLocalTime, toLocalDate } from "../domain/time";
import { notifyEnrolledFamilies, notifyOccurrenceFamilies } from "./notify.server";
import { cancelOccurrence, editOccurrences, SchedulingInputError } from "./scheduling.server";

/** One lesson date with what its admin page shows. */
export function occurrenceDetails(tx: Tx, id: string) {
  return tx.lessonOccurrence.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      startsAt: true,
      endsAt: true,
      roomId: true,
      instructorId: true,
      studentId: true,
      cancelReason: true,
      lessonId: true,
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true } },
      student: { select: { user: { select: { firstName: true, lastName: true } } } },
      lesson: {
        select: {
          title: true,
          type: true,
          maxStudents: true,
          recurrence: true,
          _count: { select: { enrollments: { where: { status: "ACTIVE" } }, occurrences: { where: { kind: "LESSON" } } } },
        },
      },
      _count: { select: { guests: true } },
    },
  });
}

/** What the calendar's notice after a change names: the date's time, room and lesson. */
export function occurrenceSummary(tx: Tx, id: string) {
  return tx.lessonOccurrence.findUnique({
    where: { id },
    select: { startsAt: true, endsAt: true, room: { select: { name: true } }, lesson: { select: { title: true } } },
  });
}

/** The teacher's own occurrence, or null for anyone else's (it does not exist for them). */
export async function teacherOccurrence(tx: Tx, occurrenceId: string, teacherId: string) {
  const o = await tx.lessonOccurrence.findUnique({
    where: { id: occurrenceId },
    select: { id: true, startsAt: true, endsAt: true, status: true, instructorId: true, lesson: { select: { title: true } }, room: { select: { name: true } } },
  });
  return o && o.instructorId === teacherId ? o : null;
}

interface SchoolVoice {
  timeZone: string;
  /** Signs the emails. */
  schoolName: string;
  /** The school's "now" (which dates are past). */
  now: Date;
}

/** The school (or, on its behalf, the teacher) cancels one date; its families are emailed. */
export async function cancelOccurrenceForSchool(
  tx: Tx,
  mailer: Mailer,
  input: SchoolVoice & { occurrenceId: string; by: "SCHOOL" | "TEACHER"; reason: string | null },
) {
  const fmt = await schoolFormatter(tx);
  const { occurrenceId, timeZone, reason } = input;
  const cancelled = await cancelOccurrence(tx, occurrenceId, input.by, reason);
  const date = toLocalDate(cancelled.startsAt, timeZone);
  const when = `${fmt.day(date)} at ${fmt.time(cancelled.startsAt)}`;
  const who = input.by === "TEACHER" ? "The teacher has cancelled" : "We have cancelled";
  const emailed = await notifyOccurrenceFamilies(tx, mailer, occurrenceId, {
    subject: `${cancelled.lesson.title} on ${fmt.day(date)} is cancelled`,
    text: `Hello,\n\n${who} ${cancelled.lesson.title} on ${when}.${reason ? `\n\nReason: ${reason}` : ""}\n\nWe are sorry for the change. Other dates are not affected.\n\n${input.schoolName}`,
  });
  return { date, emailed };
}

/** A teacher cancels one of their own dates (not yet started); its families are emailed. */
export async function cancelOccurrenceAsTeacher(
  tx: Tx,
  mailer: Mailer,
  input: { occurrenceId: string; teacher: { id: string; firstName: string; lastName: string }; reason: string; timeZone: string; now: Date },
) {
  const own = await teacherOccurrence(tx, input.occurrenceId, input.teacher.id);
  if (!own) throw new SchedulingInputError("That lesson is not one of yours.");
  if (own.startsAt <= input.now) throw new SchedulingInputError("This lesson has already started; ask the school to record what happened.");
  const cancelled = await cancelOccurrence(tx, own.id, "TEACHER", input.reason);
  const fmt = await schoolFormatter(tx);
  const when = fmt.dateTime(cancelled.startsAt);
  await notifyOccurrenceFamilies(tx, mailer, own.id, {
    subject: `Cancelled: ${cancelled.lesson.title} on ${when}`,
    text: `${input.teacher.firstName} ${input.teacher.lastName} has had to cancel ${cancelled.lesson.title} on ${when}.\nReason: ${input.reason}\n\nThe school will be in touch about a replacement.`,
  });
}

/**
 * An admin drags a date to a new day, time and (maybe) room: scope THIS, every rule
 * applies. `roomId` "none" is online, undefined keeps the room. Its families are
 * emailed; `moved` is null when nothing changed.
 */
export async function moveOccurrence(
  tx: Tx,
  mailer: Mailer,
  input: SchoolVoice & { occurrenceId: string; date: string; time: string; roomId?: string },
) {
  const fmt = await schoolFormatter(tx);
  const { timeZone } = input;
  const occurrence = await tx.lessonOccurrence.findUnique({
    where: { id: input.occurrenceId },
    select: { id: true, kind: true, status: true, startsAt: true, endsAt: true, roomId: true, lessonId: true, lesson: { select: { title: true } } },
  });
  if (!occurrence) throw new SchedulingInputError("That lesson date no longer exists. Reload the calendar.");
  if (occurrence.kind !== "LESSON") throw new SchedulingInputError("A booked 1-on-1 session cannot be dragged; change it from its lesson's booking page.");
  if (occurrence.status !== "SCHEDULED") throw new SchedulingInputError("Only scheduled lesson dates can be moved; this one is cancelled or already held.");
  const fromDate = toLocalDate(occurrence.startsAt, timeZone);
  const roomId = input.roomId === "none" ? null : input.roomId ? input.roomId : undefined;
  const edit = await editOccurrences(
    tx,
    timeZone,
    {
      occurrenceId: occurrence.id,
      scope: "THIS",
      change: {
        shiftDays: daysBetween(fromDate, input.date),
        startTime: input.time,
        ...(roomId !== undefined && roomId !== occurrence.roomId ? { roomId } : {}),
      },
    },
    input.now,
  );
  const moved = edit.updated.find((u) => u.id === occurrence.id);
  if (!moved) return { title: occurrence.lesson.title, moved: null, emailed: 0 };
  const room = moved.roomId ? await tx.room.findUnique({ where: { id: moved.roomId }, select: { name: true } }) : null;
  const before = `${fmt.day(fromDate)} at ${fmt.time(occurrence.startsAt)}`;
  const after = `${fmt.day(moved.localDate)}, ${fmt.time(moved.start)}–${fmt.time(moved.end)}`;
  const where = room ? ` in ${room.name}` : " (online)";
  const emailed = await notifyOccurrenceFamilies(tx, mailer, occurrence.id, {
    subject: `${occurrence.lesson.title} has moved to ${fmt.day(moved.localDate)}`,
    text: `Hello,\n\n${occurrence.lesson.title} on ${before} has moved. It now takes place on ${after}${where}.\n\nIf this time does not work for you, please reply to let us know.\n\n${input.schoolName}`,
  });
  return { title: occurrence.lesson.title, moved: { after, where }, emailed };
}

export interface OccurrenceEditInput {
  date: string;
  startTime: string;
  durationMinutes: number;
  /** A room id, or "none" for online. */
  roomId: string;
  teacherId: string;
  scope: "THIS" | "FOLLOWING" | "ALL";
}

/**
 * An admin edits a date (this one, this and following, or the whole series): only
 * what differs from the date as it is now is applied, so other dates keep their own
 * values. The families are emailed the list of changed dates.
 */
export async function editOccurrence(tx: Tx, mailer: Mailer, occurrenceId: string, input: OccurrenceEditInput & SchoolVoice) {
  const fmt = await schoolFormatter(tx);
  const { timeZone } = input;
  const o = await occurrenceDetails(tx, occurrenceId);
  if (!o) throw new SchedulingInputError("This lesson date does not exist any more.");
  if (o.kind !== "LESSON") throw new SchedulingInputError("A booked 1-on-1 session cannot be moved here; change it from its lesson's booking page, or cancel it below.");
  const currentDate = toLocalDate(o.startsAt, timeZone);
  const currentTime = formatLocalTime(o.startsAt, timeZone);
  const currentDuration = Math.round((o.endsAt.getTime() - o.startsAt.getTime()) / 60_000);
  const roomId = input.roomId === "none" ? null : input.roomId;
  // Only what was changed is applied: other dates of the series keep their own values.
  const shiftDays = daysBetween(currentDate, input.date);
  const change = {
    ...(shiftDays !== 0 ? { shiftDays } : {}),
    ...(input.startTime !== currentTime ? { startTime: input.startTime } : {}),
    ...(input.durationMinutes !== currentDuration ? { durationMinutes: input.durationMinutes } : {}),
    ...(roomId !== o.roomId ? { roomId } : {}),
    ...(input.teacherId !== o.instructorId ? { teacherId: input.teacherId } : {}),
  };
  if (Object.keys(change).length === 0) throw new SchedulingInputError("Nothing was changed: edit the date, time, length, room or teacher first.");
  const edit = await editOccurrences(tx, timeZone, { occurrenceId, scope: input.scope, change }, input.now);
  if (edit.updated.length === 0) throw new SchedulingInputError("No date was changed: the dates in this choice are cancelled or already past.");

  const rooms = await tx.room.findMany({ where: { id: { in: edit.updated.map((u) => u.roomId).filter((r): r is string => Boolean(r)) } }, select: { id: true, name: true } });
  const teachers = await tx.user.findMany({ where: { id: { in: edit.updated.map((u) => u.teacherId) } }, select: { id: true, firstName: true, lastName: true } });
  const roomName = (id: string | null) => (id ? (rooms.find((r) => r.id === id)?.name ?? "a room") : "online");
  const teacherName = (id: string) => {
    const t = teachers.find((x) => x.id === id);
    return t ? `${t.firstName} ${t.lastName}` : "another teacher";
  };
  const line = (u: (typeof edit.updated)[number]) =>
    `- ${fmt.day(toLocalDate(u.previousStart, timeZone))} at ${fmt.time(u.previousStart)} → ${fmt.day(u.localDate)}, ${fmt.time(u.start)}–${fmt.time(u.end)}, ${roomName(u.roomId)}${change.teacherId ? `, with ${teacherName(u.teacherId)}` : ""}`;
  const shown = edit.updated.slice(0, 12).map(line);
  if (edit.updated.length > shown.length) shown.push(`…and ${edit.updated.length - shown.length} more dates.`);
  const single = edit.updated.length === 1 ? edit.updated[0]! : null;
  const message = {
    subject: single ? `${o.lesson.title} has moved to ${fmt.day(single.localDate)}` : `${o.lesson.title}: ${edit.updated.length} dates have changed`,
    text: `Hello,\n\n${single ? "This lesson date has changed" : "These lesson dates have changed"}:\n\n${shown.join("\n")}\n\nIf the new time does not work for you, please reply to let us know.\n\n${input.schoolName}`,
  };
  const emailed = single && single.id === occurrenceId ? await notifyOccurrenceFamilies(tx, mailer, occurrenceId, message) : await notifyEnrolledFamilies(tx, mailer, o.lessonId, message);
  const target = edit.updated.find((u) => u.id === occurrenceId);
  return { date: target?.localDate ?? input.date, changed: edit.updated.length, emailed };
}
