// The calendar's data: occurrences in a window, filtered. One SQL query with joins
// (RLS applies to every joined table), bounded by the window and served by the
// (schoolId, startsAt) / (instructorId, startsAt) / (roomId, startsAt) indexes, so
// its cost grows with what is shown, not with the school's history. (Prisma's
// relation loading sent one query per relation with thousand-id IN lists; the
// benchmark in bench/ measures both against a bare floor.)
import { Prisma } from "../../prisma/generated/client";
import type { Tx } from "../../server/db/school-db.server";
import { studentsOfAccount } from "./family-access.server";
import { hybridWeekMarkers } from "./hybrid.server";
import { oneOnOneWeekLabel } from "./school-settings.server";
import { sqlTimestamp } from "./sql.server";

type LessonType = "INDIVIDUAL" | "GROUP" | "HYBRID" | "BAND_REHEARSAL" | "ENSEMBLE";

export interface CalendarFilters {
  teacherId?: string | null;
  roomId?: string | null;
  locationId?: string | null;
  type?: LessonType | null;
  /** Only what these students attend: enrolled lessons, their 1-on-1 sessions, make-up seats. */
  studentIds?: string[] | null;
  includeCancelled?: boolean;
  /**
   * The school's id, when the caller has it. Row-level security already keeps the
   * rows to this school; said again as a value, it lets the planner see the school's
   * real share of each table (the policy's `current_setting` is opaque to it, so it
   * guessed a large school's week at 43 rows instead of 1,150 and chose nested loops).
   */
  schoolId?: string | null;
}

export interface CalendarOccurrence {
  id: string;
  kind: "LESSON" | "INDIVIDUAL_SESSION";
  startsAt: Date;
  endsAt: Date;
  status: "SCHEDULED" | "COMPLETED" | "CANCELLED" | "CANCELLED_BY_TEACHER";
  lessonId: string;
  instructorId: string;
  roomId: string | null;
  lesson: { title: string; type: LessonType; maxStudents: number | null; _count: { enrollments: number } };
  instructor: { firstName: string; lastName: string };
  room: { name: string; location: { name: string } } | null;
  student: { user: { firstName: string; lastName: string } } | null;
}

interface Row {
  id: string;
  kind: CalendarOccurrence["kind"];
  startsAt: Date;
  endsAt: Date;
  status: CalendarOccurrence["status"];
  lessonId: string;
  instructorId: string;
  roomId: string | null;
  title: string;
  type: LessonType;
  maxStudents: number | null;
  enrolled: number;
  teacherFirst: string;
  teacherLast: string;
  roomName: string | null;
  locationName: string | null;
  studentFirst: string | null;
  studentLast: string | null;
}

export async function calendarOccurrences(tx: Tx, from: Date, to: Date, f: CalendarFilters = {}): Promise<CalendarOccurrence[]> {
  const where: Prisma.Sql[] = [Prisma.sql`o."startsAt" >= ${sqlTimestamp(from)}`, Prisma.sql`o."startsAt" < ${sqlTimestamp(to)}`];
  if (f.schoolId) where.push(Prisma.sql`o."schoolId" = ${f.schoolId}`);
  if (!f.includeCancelled) where.push(Prisma.sql`o.status IN ('SCHEDULED', 'COMPLETED')`);
  if (f.teacherId) where.push(Prisma.sql`o."instructorId" = ${f.teacherId}`);
  if (f.roomId) where.push(Prisma.sql`o."roomId" = ${f.roomId}`);
  if (f.locationId) where.push(Prisma.sql`r."locationId" = ${f.locationId}`);
  if (f.type) where.push(Prisma.sql`l.type = CAST(${f.type} AS "LessonType")`);
  if (f.studentIds) {
    const ids = f.studentIds.length ? Prisma.join(f.studentIds) : Prisma.sql`NULL`;
    where.push(Prisma.sql`(
      o."studentId" IN (${ids})
      OR (o.kind = 'LESSON' AND EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."lessonId" = o."lessonId" AND e.status = 'ACTIVE' AND e."studentId" IN (${ids})
                                        -- a meeting over before the student joined is not theirs
                                        AND o."endsAt" > e."enrolledAt"))
      OR (o.kind = 'LESSON' AND EXISTS (SELECT 1 FROM "OccurrenceGuest" g WHERE g."occurrenceId" = o.id AND g."studentId" IN (${ids}))))`);
  }
  const rows = await tx.$queryRaw<Row[]>`
    SELECT o.id, o.kind::text AS kind, o."startsAt", o."endsAt", o.status::text AS status, o."lessonId", o."instructorId", o."roomId",
           l.title, l.type::text AS type, l."maxStudents",
           (SELECT count(*)::int FROM "Enrollment" e WHERE e."schoolId" = l."schoolId" AND e."lessonId" = l.id AND e.status = 'ACTIVE') AS enrolled,
           u."firstName" AS "teacherFirst", u."lastName" AS "teacherLast",
           r.name AS "roomName", loc.name AS "locationName",
           su."firstName" AS "studentFirst", su."lastName" AS "studentLast"
      FROM "LessonOccurrence" o
      -- Joined on (schoolId, id), the composite keys: with o."schoolId" given, the planner knows every table's share.
      JOIN "Lesson" l ON l."schoolId" = o."schoolId" AND l.id = o."lessonId"
      JOIN "User" u ON u."schoolId" = o."schoolId" AND u.id = o."instructorId"
      LEFT JOIN "Room" r ON r."schoolId" = o."schoolId" AND r.id = o."roomId"
      LEFT JOIN "Location" loc ON loc."schoolId" = r."schoolId" AND loc.id = r."locationId"
      LEFT JOIN "Student" s ON s."schoolId" = o."schoolId" AND s.id = o."studentId"
      LEFT JOIN "User" su ON su."schoolId" = s."schoolId" AND su.id = s."userId"
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY o."startsAt", o.id`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: r.status,
    lessonId: r.lessonId,
    instructorId: r.instructorId,
    roomId: r.roomId,
    lesson: { title: r.title, type: r.type, maxStudents: r.maxStudents, _count: { enrollments: r.enrolled } },
    instructor: { firstName: r.teacherFirst, lastName: r.teacherLast },
    room: r.roomName !== null ? { name: r.roomName, location: { name: r.locationName ?? "" } } : null,
    student: r.studentFirst !== null ? { user: { firstName: r.studentFirst, lastName: r.studentLast ?? "" } } : null,
  }));
}

/** Teachers, rooms and locations for the filter menus. */
export async function calendarFilterOptions(tx: Tx) {
  const teachers = await tx.user.findMany({ where: { role: "TEACHER", deactivatedAt: null }, orderBy: [{ lastName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  const locations = await tx.location.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, rooms: { orderBy: { name: "asc" }, select: { id: true, name: true, capacity: true } } } });
  return { teachers, locations };
}

/**
 * A family's week: the students this account may act for, their occurrences in
 * [from, to) (group lessons, make-up guest seats, 1-on-1 sessions), which enrolled
 * student each class meeting is for or who is a guest of which, and the hybrid
 * lessons' 1-on-1 week markers.
 */
export async function familyWeek(tx: Tx, input: { accountId: string; timeZone: string; from: Date; to: Date }) {
  // A student sees only themself; a parent every student of their family group.
  const students = await tx.student.findMany({
    where: { id: { in: await studentsOfAccount(tx, input.accountId) } },
    orderBy: { user: { firstName: "asc" } },
    select: { id: true, user: { select: { firstName: true } } },
  });
  if (students.length === 0) return { students, occurrences: [], enrollments: [], guests: [], markers: [], label: "" };
  const studentIds = students.map((s) => s.id);
  const occurrences = await calendarOccurrences(tx, input.from, input.to, { studentIds, includeCancelled: true });
  const asGuest = await tx.occurrenceGuest.findMany({
    where: { studentId: { in: studentIds }, occurrenceId: { in: occurrences.map((o) => o.id) } },
    select: { occurrenceId: true, studentId: true },
  });
  const active = await tx.enrollment.findMany({
    where: { studentId: { in: studentIds }, status: "ACTIVE", lessonId: { in: [...new Set(occurrences.map((o) => o.lessonId))] } },
    select: { lessonId: true, studentId: true, enrolledAt: true },
  });
  // As in calendarOccurrences: a meeting over before the student joined is not theirs.
  const enrollments = occurrences.flatMap((o) =>
    o.kind === "LESSON" ? active.filter((e) => e.lessonId === o.lessonId && o.endsAt > e.enrolledAt).map((e) => ({ occurrenceId: o.id, studentId: e.studentId })) : [],
  );
  const markers = await hybridWeekMarkers(tx, input.timeZone, input.from, input.to, { studentIds });
  const label = await oneOnOneWeekLabel(tx);
  return { students, occurrences, enrollments, guests: asGuest, markers, label };
}
