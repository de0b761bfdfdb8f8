// What each kind of person sees first.
import type { Tx } from "../../server/db/school-db.server";
import { firstSteps, type SetupFacts } from "../domain/first-steps";

const occurrenceSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  lesson: { select: { id: true, title: true, type: true, room: { select: { name: true } }, instructor: { select: { firstName: true, lastName: true } } } },
  room: { select: { name: true } },
} as const;

export async function adminOverview(tx: Tx, now: Date) {
  const weekAhead = new Date(now.getTime() + 7 * 24 * 3600_000);
  const students = await tx.student.count();
  const teachers = await tx.user.count({ where: { role: "TEACHER", deactivatedAt: null } });
  const lessons = await tx.lesson.count({ where: { status: { in: ["SCHEDULED", "IN_PROGRESS"] } } });
  const activeEnrollments = await tx.enrollment.count({ where: { status: "ACTIVE" } });
  const pendingEnrollments = await tx.enrollment.count({ where: { status: "PENDING" } });
  const upcoming = await tx.lessonOccurrence.findMany({
    where: { startsAt: { gte: now, lt: weekAhead }, status: "SCHEDULED" },
    orderBy: { startsAt: "asc" },
    take: 12,
    select: occurrenceSelect,
  });
  const invited = await tx.user.count({ where: { passwordHash: null, deactivatedAt: null, role: { in: ["ADMIN", "TEACHER", "PARENT"] } } });
  return { students, teachers, lessons, activeEnrollments, pendingEnrollments, upcoming, invited };
}

/** What the school has set up so far, for its first-steps checklist. */
export async function setupFacts(tx: Tx): Promise<SetupFacts> {
  const [terms, locations, rooms, instruments, lessonLengths, teachers, lessons, school] = await Promise.all([
    tx.term.count({ where: { archivedAt: null } }),
    tx.location.count(),
    tx.room.count(),
    tx.instrument.count(),
    tx.lessonDuration.count(),
    tx.user.count({ where: { role: "TEACHER", deactivatedAt: null, passwordHash: { not: null } } }),
    tx.lesson.count(),
    tx.school.findFirstOrThrow({ select: { logoUrl: true, brandColor: true, tagline: true, about: true, registrationFee: true } }),
  ]);
  return {
    terms,
    locations,
    rooms,
    instruments,
    lessonLengths,
    teachers,
    lessons,
    branded: Boolean(school.logoUrl || school.brandColor),
    landingWritten: Boolean(school.tagline?.trim() || school.about?.trim()),
    paymentsSet: school.registrationFee !== null,
  };
}

export async function schoolFirstSteps(tx: Tx) {
  return firstSteps(await setupFacts(tx));
}

export function teacherUpcoming(tx: Tx, teacherId: string, now: Date, days = 7) {
  return tx.lessonOccurrence.findMany({
    where: {
      startsAt: { gte: now, lt: new Date(now.getTime() + days * 24 * 3600_000) },
      instructorId: teacherId,
    },
    orderBy: { startsAt: "asc" },
    select: { ...occurrenceSelect, lesson: { select: { ...occurrenceSelect.lesson.select, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } } } },
  });
}
