// The calendar's data: occurrences in a window, filtered. The query is bounded by
// the window and served by the (schoolId, startsAt) / (instructorId, startsAt)
// indexes, so its cost grows with what is shown, not with the school's history.
import type { Tx } from "../../server/db/school-db.server";

export interface CalendarFilters {
  teacherId?: string | null;
  roomId?: string | null;
  locationId?: string | null;
  type?: "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE" | null;
  /** Only lessons a student is enrolled in (the student's schedule). */
  studentIds?: string[] | null;
  includeCancelled?: boolean;
}

export async function calendarOccurrences(tx: Tx, from: Date, to: Date, f: CalendarFilters = {}) {
  return tx.lessonOccurrence.findMany({
    where: {
      startsAt: { gte: from, lt: to },
      ...(f.includeCancelled ? {} : { status: { in: ["SCHEDULED", "COMPLETED"] } }),
      ...(f.teacherId ? { instructorId: f.teacherId } : {}),
      ...(f.roomId ? { roomId: f.roomId } : {}),
      ...(f.locationId ? { room: { locationId: f.locationId } } : {}),
      ...(f.type ? { lesson: { type: f.type } } : {}),
      ...(f.studentIds
        ? {
            OR: [
              { studentId: { in: f.studentIds } },
              { kind: "LESSON", lesson: { enrollments: { some: { studentId: { in: f.studentIds }, status: "ACTIVE" } } } },
              { kind: "LESSON", guests: { some: { studentId: { in: f.studentIds } } } },
            ],
          }
        : {}),
    },
    orderBy: { startsAt: "asc" },
    select: {
      id: true,
      kind: true,
      startsAt: true,
      endsAt: true,
      status: true,
      lessonId: true,
      instructorId: true,
      roomId: true,
      lesson: { select: { title: true, type: true, maxStudents: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } } },
      instructor: { select: { firstName: true, lastName: true } },
      room: { select: { name: true, location: { select: { name: true } } } },
      student: { select: { user: { select: { firstName: true, lastName: true } } } },
    },
  });
}

export type CalendarOccurrence = Awaited<ReturnType<typeof calendarOccurrences>>[number];

/** Teachers, rooms and locations for the filter menus. */
export async function calendarFilterOptions(tx: Tx) {
  const [teachers, locations] = await Promise.all([
    tx.user.findMany({ where: { role: "TEACHER" }, orderBy: [{ lastName: "asc" }], select: { id: true, firstName: true, lastName: true } }),
    tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, rooms: { orderBy: { name: "asc" }, select: { id: true, name: true, capacity: true } } } }),
  ]);
  return { teachers, locations };
}
