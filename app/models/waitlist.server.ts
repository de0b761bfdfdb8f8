// The waitlist of a class: positions, telling the first family in line when a
// seat frees up, and giving them the seat. Seat changes lock the lesson row first
// (as enrollment.server.ts does), so a seat is never given twice.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { EnrollmentError, seatsTaken } from "./enrollment.server";
import { familyAddresses } from "./notify.server";

/** 1-based position of a waitlisted enrollment (arrival order), or null. */
export async function waitlistPosition(tx: Tx, enrollmentId: string): Promise<number | null> {
  const e = await tx.enrollment.findUnique({ where: { id: enrollmentId }, select: { lessonId: true, status: true, enrolledAt: true } });
  if (!e || e.status !== "WAITLISTED") return null;
  const ahead = await tx.enrollment.count({ where: { lessonId: e.lessonId, status: "WAITLISTED", enrolledAt: { lt: e.enrolledAt } } });
  return ahead + 1;
}

/** The first family on the waitlist (arrival order), or null when nobody waits. */
export function firstWaitlisted(tx: Tx, lessonId: string) {
  return tx.enrollment.findFirst({
    where: { lessonId, status: "WAITLISTED" },
    orderBy: [{ enrolledAt: "asc" }, { id: "asc" }],
    select: { id: true, studentId: true, student: { select: { user: { select: { firstName: true, lastName: true } } } } },
  });
}

/**
 * A seat has freed up in a lesson: emails the family first on the waitlist (if a
 * seat is really free now). Returns who was told, or null.
 */
export async function notifyFirstWaitlisted(tx: Tx, mailer: Mailer, lessonId: string, schoolName?: string) {
  const lesson = await tx.lesson.findUnique({ where: { id: lessonId }, select: { title: true, maxStudents: true } });
  if (!lesson) return null;
  if (lesson.maxStudents !== null && (await seatsTaken(tx, lessonId)) >= lesson.maxStudents) return null;
  const first = await firstWaitlisted(tx, lessonId);
  if (!first) return null;
  const name = first.student.user.firstName;
  const addresses = (await familyAddresses(tx, [first.studentId])).get(first.studentId) ?? [];
  const from = schoolName ? `\n\n${schoolName}` : "";
  for (const to of addresses) {
    await mailer.send(tx, {
      to,
      subject: `A place has opened in ${lesson.title}`,
      text:
        `Good news: a place has opened in ${lesson.title}, and ${name} is first on the waitlist.\n\n` +
        `Reply to this email or contact the school to confirm that ${name} would like the place; ` +
        `we keep it for ${name} for a few days.${from}`,
    });
  }
  return { enrollmentId: first.id, studentName: `${first.student.user.firstName} ${first.student.user.lastName}`, emailed: addresses.length };
}

/** Gives a waitlisted student a free seat (ACTIVE); refused when the class is still full. */
export async function promoteFromWaitlist(tx: Tx, mailer: Mailer, enrollmentId: string) {
  const e = await tx.enrollment.findUnique({ where: { id: enrollmentId }, select: { id: true, status: true, lessonId: true, studentId: true } });
  if (!e || e.status !== "WAITLISTED") throw new EnrollmentError("This student is no longer on the waitlist.");
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Lesson" WHERE id = ${e.lessonId} FOR UPDATE`;
  if (locked.length === 0) throw new EnrollmentError("That lesson does not exist.");
  const lesson = await tx.lesson.findUniqueOrThrow({ where: { id: e.lessonId }, select: { title: true, maxStudents: true } });
  if (lesson.maxStudents !== null && (await seatsTaken(tx, e.lessonId)) >= lesson.maxStudents) {
    throw new EnrollmentError(`${lesson.title} is still full. Free a seat first.`);
  }
  await tx.enrollment.update({ where: { id: e.id }, data: { status: "ACTIVE", decidedAt: new Date() } });
  const student = await tx.student.findUniqueOrThrow({ where: { id: e.studentId }, select: { user: { select: { firstName: true, lastName: true } } } });
  const addresses = (await familyAddresses(tx, [e.studentId])).get(e.studentId) ?? [];
  for (const to of addresses) {
    await mailer.send(tx, {
      to,
      subject: `Enrollment in ${lesson.title}: confirmed`,
      text: `Good news: a place opened up and ${student.user.firstName} is now enrolled in ${lesson.title}.`,
    });
  }
  return { studentName: `${student.user.firstName} ${student.user.lastName}`, lessonTitle: lesson.title };
}
