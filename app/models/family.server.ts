// The family pages: what a parent (or a student with their own login) sees first,
// adding a second guardian or another child, and the family's billing details,
// which only the family group's admin (the account holder) may change.
import { sqlTimestamp } from "./sql.server";
import type { Tx } from "../../server/db/school-db.server";
import { FormRefusal } from "../utils/forms";
import type { Mailer } from "../../server/services/email.server";
import { toLocalDate } from "../domain/time";
import { createChild, enrollChild, OnlineEnrollmentError } from "./online-enrollment.server";
import { enrollmentPolicy } from "./landing.server";
import type { ChildInput } from "./online-enrollment-form";
import { scheduleSummary } from "./lesson-form";
import type { Formatter } from "../utils/format";
import { inviteUser, PersonExistsError } from "./people.server";

export class FamilyError extends FormRefusal {
  constructor(message: string, field: string | null = null, status = 400) {
    super(message, field, status);
  }
}

const me = (tx: Tx, userId: string) =>
  tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, role: true, firstName: true, lastName: true, email: true, phone: true, familyGroupId: true } });

/**
 * The family page. Parents see every child of their family group and the family's
 * details; a student with their own login sees only themselves.
 */
export async function familyHome(tx: Tx, userId: string, fmt: Formatter, now: Date) {
  const { timeZone } = fmt;
  const user = await me(tx, userId);
  const isParent = user.role === "PARENT";
  const familyId = isParent ? user.familyGroupId : null;
  const today = toLocalDate(now, timeZone);

  const family = await (familyId
    ? tx.familyGroup.findUnique({
        where: { id: familyId },
        select: {
          id: true,
          name: true,
          adminId: true,
          billingEmail: true,
          billingAddress: true,
          emergencyContactName: true,
          emergencyContactPhone: true,
          emergencyContactRelation: true,
          members: {
            where: { role: "PARENT" },
            orderBy: { createdAt: "asc" },
            select: { id: true, firstName: true, lastName: true, email: true, phone: true, passwordHash: true },
          },
        },
      })
    : Promise.resolve(null));
  const students = await tx.student.findMany({
    where: familyId ? { user: { familyGroupId: familyId } } : { userId },
    orderBy: [{ user: { firstName: "asc" } }],
    select: {
      id: true,
      instrument: true,
      secondaryInstruments: true,
      skillLevel: true,
      user: { select: { firstName: true, lastName: true } },
      enrollments: {
        where: { status: { in: ["ACTIVE", "PENDING", "WAITLISTED"] } },
        orderBy: { enrolledAt: "asc" },
        select: {
          id: true,
          status: true,
          lesson: {
            select: {
              id: true,
              title: true,
              type: true,
              startTime: true,
              recurrence: true,
              customDates: true,
              instructor: { select: { firstName: true, lastName: true } },
              // Hybrid: the current term's pattern, once bookings are open.
              hybridConfigs: {
                where: { bookingsOpenedAt: { not: null }, term: { endDate: { gte: today } } },
                orderBy: { term: { startDate: "asc" } },
                take: 1,
                select: { id: true, term: { select: { name: true } } },
              },
            },
          },
        },
      },
    },
  });

  const ids = students.map((s) => s.id);
  const attendance = await (ids.length ? tx.attendance.groupBy({ by: ["studentId", "present"], where: { studentId: { in: ids } }, _count: { _all: true } }) : Promise.resolve([]));
  const credits = await (ids.length
    ? tx.makeUpCredit.groupBy({ by: ["studentId"], where: { studentId: { in: ids }, usedAt: null, voidedAt: null, expiresAt: { gt: now } }, _count: { _all: true } })
    : Promise.resolve([]));
  const upcoming = await nextMeetings(tx, ids, now, 3);

  const children = students.map((s) => {
    const present = attendance.find((a) => a.studentId === s.id && a.present)?._count._all ?? 0;
    const absent = attendance.find((a) => a.studentId === s.id && !a.present)?._count._all ?? 0;
    return {
      id: s.id,
      name: `${s.user.firstName} ${s.user.lastName}`,
      firstName: s.user.firstName,
      instrument: s.instrument,
      secondaryInstruments: s.secondaryInstruments,
      skillLevel: s.skillLevel,
      enrollments: s.enrollments.map((e) => ({
        id: e.id,
        status: e.status,
        lessonId: e.lesson.id,
        title: e.lesson.title,
        type: e.lesson.type,
        schedule: scheduleSummary(e.lesson, fmt, { length: false }),
        teacher: `${e.lesson.instructor.firstName} ${e.lesson.instructor.lastName}`,
        hybrid: e.status === "ACTIVE" && e.lesson.type === "HYBRID" && e.lesson.hybridConfigs[0] ? { configId: e.lesson.hybridConfigs[0].id, term: e.lesson.hybridConfigs[0].term.name } : null,
      })),
      upcoming: upcoming.get(s.id) ?? [],
      attendance: { present, absent },
      makeUpCredits: credits.find((c) => c.studentId === s.id)?._count._all ?? 0,
    };
  });

  return {
    me: { id: user.id, role: user.role, firstName: user.firstName },
    family: family
      ? {
          id: family.id,
          name: family.name,
          isAdmin: family.adminId === user.id,
          admin: family.members.find((m) => m.id === family.adminId) ?? null,
          billingEmail: family.billingEmail,
          billingAddress: family.billingAddress,
          emergency: { name: family.emergencyContactName, phone: family.emergencyContactPhone, relation: family.emergencyContactRelation },
          guardians: family.members.map(({ passwordHash, ...m }) => ({ ...m, isAdmin: m.id === family.adminId, invited: !passwordHash })),
        }
      : null,
    children,
  };
}

interface NextMeetingRow {
  studentId: string;
  id: string;
  startsAt: Date;
  kind: "LESSON" | "INDIVIDUAL_SESSION";
  title: string;
  room: string | null;
}

/**
 * The next `take` scheduled meetings of each student: the classes they are enrolled
 * in, their booked 1-on-1 sessions and their make-up visits. One query for all the
 * children, each branch read in time order from its own index (lessonId, studentId,
 * the guest's row), so its cost does not grow with the school's timetable: as one
 * filter over the school's occurrences it read ~2,000 of them per child to find three.
 */
export async function nextMeetings(tx: Tx, studentIds: string[], now: Date, take: number) {
  const byStudent = new Map<string, { id: string; startsAt: Date; title: string; kind: NextMeetingRow["kind"]; room: string | null }[]>();
  if (studentIds.length === 0) return byStudent;
  const from = sqlTimestamp(now);
  const rows = await tx.$queryRaw<NextMeetingRow[]>`
    SELECT m."studentId", o.id, o."startsAt", o.kind::text AS kind, l.title, r.name AS room
      FROM unnest(CAST(${studentIds} AS text[])) AS s("studentId")
      CROSS JOIN LATERAL (
        SELECT s."studentId", x.id FROM (
          (SELECT o.id, o."startsAt" FROM "LessonOccurrence" o
            WHERE o.kind = 'LESSON' AND o.status = 'SCHEDULED' AND o."startsAt" >= ${from}
              AND o."lessonId" IN (SELECT e."lessonId" FROM "Enrollment" e WHERE e."studentId" = s."studentId" AND e.status = 'ACTIVE')
            ORDER BY o."startsAt", o.id LIMIT ${take})
          UNION
          (SELECT o.id, o."startsAt" FROM "LessonOccurrence" o
            WHERE o.kind = 'INDIVIDUAL_SESSION' AND o."studentId" = s."studentId" AND o.status = 'SCHEDULED' AND o."startsAt" >= ${from}
            ORDER BY o."startsAt", o.id LIMIT ${take})
          UNION
          (SELECT o.id, o."startsAt" FROM "OccurrenceGuest" g JOIN "LessonOccurrence" o ON o.id = g."occurrenceId"
            WHERE g."studentId" = s."studentId" AND o.status = 'SCHEDULED' AND o."startsAt" >= ${from}
            ORDER BY o."startsAt", o.id LIMIT ${take})
          ORDER BY "startsAt", id LIMIT ${take}
        ) x
      ) m
      JOIN "LessonOccurrence" o ON o.id = m.id
      JOIN "Lesson" l ON l.id = o."lessonId"
      LEFT JOIN "Room" r ON r.id = o."roomId"
     ORDER BY m."studentId", o."startsAt", o.id`;
  for (const r of rows) {
    const list = byStudent.get(r.studentId) ?? [];
    list.push({ id: r.id, startsAt: r.startsAt, title: r.title, kind: r.kind, room: r.room });
    byStudent.set(r.studentId, list);
  }
  return byStudent;
}

/** The parent's family group, created (with them as its admin) if they have none yet. */
export async function ensureFamily(tx: Tx, userId: string) {
  const user = await me(tx, userId);
  if (user.role !== "PARENT") throw new FamilyError("Only a parent can manage a family.", null, 403);
  if (user.familyGroupId) {
    const family = await tx.familyGroup.findUniqueOrThrow({
      where: { id: user.familyGroupId },
      select: { id: true, name: true, adminId: true, emergencyContactName: true, emergencyContactPhone: true, emergencyContactRelation: true },
    });
    return { user, family };
  }
  const family = await tx.familyGroup.create({
    data: { name: `${user.lastName} family`, adminId: user.id, billingEmail: user.email },
    select: { id: true, name: true, adminId: true, emergencyContactName: true, emergencyContactPhone: true, emergencyContactRelation: true },
  });
  await tx.user.update({ where: { id: user.id }, data: { familyGroupId: family.id } });
  return { user, family };
}

export interface GuardianInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

/**
 * Adds another parent to the family (a PARENT user in the family group) and emails
 * them an invitation to set a password. Only the family's admin may.
 */
export async function addGuardian(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string }, userId: string, input: GuardianInput) {
  const { user, family } = await ensureFamily(tx, userId);
  if (family.adminId !== user.id) throw new FamilyError("Only the family's account holder can add a guardian.", null, 403);
  try {
    const created = await inviteUser(tx, { ...deps, invitedBy: `${user.firstName} ${user.lastName}`, actorId: user.id }, { ...input, role: "PARENT" });
    await tx.user.update({ where: { id: created.id }, data: { familyGroupId: family.id, phone: input.phone } });
    return created;
  } catch (error) {
    if (error instanceof PersonExistsError) throw new FamilyError(`${input.email} already has an account at this school.`, "email", 409);
    throw error;
  }
}

/** Adds a child to the parent's family, and optionally enrolls them in a class (as the public form does). */
export async function addChildToFamily(tx: Tx, deps: { slug: string; now: Date }, userId: string, child: ChildInput) {
  const { user, family } = await ensureFamily(tx, userId);
  const admin = family.adminId === user.id ? user : await me(tx, family.adminId);
  const created = await createChild(tx, {
    familyGroupId: family.id,
    child,
    familyLastName: user.lastName,
    parent: { name: `${admin.firstName} ${admin.lastName}`, email: admin.email, phone: admin.phone },
    emergency: { name: family.emergencyContactName, phone: family.emergencyContactPhone, relation: family.emergencyContactRelation },
    slug: deps.slug,
  });
  const policy = await enrollmentPolicy(tx);
  try {
    const enrolled = await enrollChild(tx, { studentId: created.studentId, program: child.program, requireApproval: policy.requireApproval, notes: "Added from the family page", now: deps.now });
    return { ...created, ...enrolled };
  } catch (error) {
    if (error instanceof OnlineEnrollmentError) throw new FamilyError(error.message, "children.0.program", error.status);
    throw error;
  }
}

/** The family's billing details; only the family group's admin may change them. */
export async function updateBilling(tx: Tx, userId: string, input: { billingEmail: string | null; billingAddress: string | null }) {
  const user = await me(tx, userId);
  if (!user.familyGroupId) throw new FamilyError("Your account is not part of a family yet.", null, 403);
  const updated = await tx.familyGroup.updateMany({ where: { id: user.familyGroupId, adminId: user.id }, data: input });
  if (updated.count !== 1) throw new FamilyError("Only the family's account holder can change the billing details.", null, 403);
}

/** The family's guardians, for the guardians page. */
export async function familyGuardians(tx: Tx, userId: string) {
  const user = await me(tx, userId);
  if (!user.familyGroupId) return { familyName: null, isAdmin: true, guardians: [] as { id: string; firstName: string; lastName: string; email: string; phone: string | null; isAdmin: boolean; invited: boolean }[] };
  const family = await tx.familyGroup.findUniqueOrThrow({
    where: { id: user.familyGroupId },
    select: { name: true, adminId: true, members: { where: { role: "PARENT" }, orderBy: { createdAt: "asc" }, select: { id: true, firstName: true, lastName: true, email: true, phone: true, passwordHash: true } } },
  });
  return {
    familyName: family.name,
    isAdmin: family.adminId === user.id,
    guardians: family.members.map(({ passwordHash, ...m }) => ({ ...m, isAdmin: m.id === family.adminId, invited: !passwordHash })),
  };
}
