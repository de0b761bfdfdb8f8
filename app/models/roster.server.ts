// The student roster: search and filters, one student's whole profile with their
// family and enrollments, editing the profile, and the rows of the CSV export.
import { z } from "zod";
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import { isIsoDate, ROSTER_COLUMNS, SKILL_LEVELS } from "../domain/roster-import";
import { pageOf } from "../domain/paging";
import { fields } from "../utils/forms";
import { choiceParam, idParam, pageParam, parseListQuery, searchParam } from "../utils/list-query";

export const PAGE_SIZE = 25;
export const ROSTER_STATUSES = ["active", "pending", "waitlisted", "none"] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];
export { SKILL_LEVELS };

/** Enrollments that hold (or wait for) a place. */
const CURRENT = ["ACTIVE", "PENDING", "WAITLISTED"] as const;

export interface RosterFilters {
  q: string;
  instrument: string;
  skillLevel: string;
  teacherId: string;
  status: RosterStatus | "";
  page: number;
}

/** Filters from the page's query string (q, instrument, skill, teacher, status, page); anything unknown is ignored, never an error. */
export function rosterFilters(params: URLSearchParams): RosterFilters {
  const f = parseListQuery(`http://x/?${params.toString()}`, rosterQuery);
  return { q: f.q, instrument: f.instrument, skillLevel: f.skill, teacherId: f.teacher, status: f.status, page: f.page };
}

const rosterQuery = {
  q: searchParam,
  instrument: searchParam,
  skill: choiceParam(SKILL_LEVELS),
  teacher: idParam,
  status: choiceParam(ROSTER_STATUSES),
  page: pageParam,
};

function rosterWhere(f: RosterFilters): Prisma.StudentWhereInput {
  const and: Prisma.StudentWhereInput[] = [];
  // Every word must match a name, the parent's name or email, or a guardian's email.
  for (const term of f.q.split(/\s+/).filter(Boolean).slice(0, 5)) {
    const contains = { contains: term, mode: "insensitive" as const };
    and.push({
      OR: [
        { user: { firstName: contains } },
        { user: { lastName: contains } },
        { parentName: contains },
        { parentEmail: contains },
        { user: { familyGroup: { members: { some: { role: "PARENT", email: contains } } } } },
        { user: { familyGroup: { admin: { email: contains } } } },
      ],
    });
  }
  if (f.instrument) {
    and.push({ OR: [{ instrument: { equals: f.instrument, mode: "insensitive" } }, { secondaryInstruments: { has: f.instrument } }] });
  }
  if (f.skillLevel) and.push({ skillLevel: f.skillLevel as (typeof SKILL_LEVELS)[number] });
  if (f.teacherId) and.push({ enrollments: { some: { status: { in: [...CURRENT] }, lesson: { instructorId: f.teacherId } } } });
  if (f.status === "active") and.push({ enrollments: { some: { status: "ACTIVE" } } });
  if (f.status === "pending") and.push({ enrollments: { some: { status: "PENDING" } } });
  if (f.status === "waitlisted") and.push({ enrollments: { some: { status: "WAITLISTED" } } });
  if (f.status === "none") and.push({ enrollments: { none: { status: { in: [...CURRENT] } } } });
  return and.length ? { AND: and } : {};
}

const ORDER: Prisma.StudentOrderByWithRelationInput[] = [{ user: { lastName: "asc" } }, { user: { firstName: "asc" } }, { id: "asc" }];

export async function listRoster(tx: Tx, f: RosterFilters) {
  const where = rosterWhere(f);
  const { page, pages, total, skip } = pageOf(await tx.student.count({ where }), f.page, PAGE_SIZE);
  const students = await tx.student.findMany({
    where,
    orderBy: ORDER,
    skip,
    take: PAGE_SIZE,
    select: {
      id: true,
      dateOfBirth: true,
      instrument: true,
      secondaryInstruments: true,
      skillLevel: true,
      parentName: true,
      parentEmail: true,
      user: { select: { firstName: true, lastName: true, familyGroup: { select: { name: true } } } },
      enrollments: {
        where: { status: { in: [...CURRENT] } },
        orderBy: { enrolledAt: "asc" },
        select: { id: true, status: true, lesson: { select: { id: true, title: true } } },
      },
    },
  });
  return { students, total, page, pages, pageSize: PAGE_SIZE };
}

/** Every student of the school, by last and first name, for a picker. */
export async function studentOptions(tx: Tx): Promise<{ id: string; name: string }[]> {
  const students = await tx.student.findMany({ orderBy: [{ user: { lastName: "asc" } }, { user: { firstName: "asc" } }], select: { id: true, user: { select: { firstName: true, lastName: true } } } });
  return students.map((s) => ({ id: s.id, name: `${s.user.firstName} ${s.user.lastName}` }));
}

/** Choices for the filters: instruments in use or on the school's list, and teachers. */
export async function rosterFacets(tx: Tx) {
  const listed = await tx.instrument.findMany({ select: { name: true } });
  const used = await tx.student.findMany({ where: { instrument: { not: null } }, distinct: ["instrument"], select: { instrument: true } });
  const teachers = await tx.user.findMany({ where: { role: "TEACHER" }, orderBy: [{ lastName: "asc" }, { firstName: "asc" }], select: { id: true, firstName: true, lastName: true } });
  const byKey = new Map<string, string>();
  for (const name of [...listed.map((i) => i.name), ...used.map((s) => s.instrument!)]) {
    const key = name.trim().toLowerCase();
    if (key && !byKey.has(key)) byKey.set(key, name.trim());
  }
  return { instruments: [...byKey.values()].sort((a, b) => a.localeCompare(b)), teachers };
}

// ---- one student --------------------------------------------------------------------

export async function getStudentProfile(tx: Tx, studentId: string) {
  const student = await tx.student.findUnique({
    where: { id: studentId },
    select: {
      id: true,
      parentName: true,
      parentPhone: true,
      parentEmail: true,
      dateOfBirth: true,
      instrument: true,
      secondaryInstruments: true,
      skillLevel: true,
      emergencyContactName: true,
      emergencyContactPhone: true,
      emergencyContactRelation: true,
      parentalConsent: true,
      socialMediaConsent: true,
      createdAt: true,
      updatedAt: true,
      user: {
        select: {
          id: true,
          firstName: true,
          lastName: true,
          email: true,
          phone: true,
          passwordHash: true,
          familyGroup: {
            select: {
              id: true,
              name: true,
              billingEmail: true,
              billingAddress: true,
              emergencyContactName: true,
              emergencyContactPhone: true,
              emergencyContactRelation: true,
              adminId: true,
              members: {
                orderBy: [{ role: "asc" }, { firstName: "asc" }],
                select: {
                  id: true,
                  firstName: true,
                  lastName: true,
                  email: true,
                  phone: true,
                  role: true,
                  passwordHash: true,
                  studentProfile: { select: { id: true, dateOfBirth: true, instrument: true } },
                },
              },
            },
          },
        },
      },
      enrollments: {
        orderBy: [{ enrolledAt: "desc" }],
        select: {
          id: true,
          status: true,
          enrolledAt: true,
          decidedAt: true,
          unenrolledAt: true,
          droppedAt: true,
          completedAt: true,
          notes: true,
          lesson: {
            select: { id: true, title: true, type: true, status: true, instructor: { select: { firstName: true, lastName: true } } },
          },
        },
      },
    },
  });
  if (!student) return null;
  const { passwordHash, familyGroup, ...user } = student.user;
  const family = familyGroup
    ? {
        id: familyGroup.id,
        name: familyGroup.name,
        billingEmail: familyGroup.billingEmail,
        billingAddress: familyGroup.billingAddress,
        emergencyContactName: familyGroup.emergencyContactName,
        emergencyContactPhone: familyGroup.emergencyContactPhone,
        emergencyContactRelation: familyGroup.emergencyContactRelation,
        guardians: familyGroup.members
          .filter((m) => m.role !== "STUDENT")
          .map(({ passwordHash: ph, studentProfile: _, ...m }) => ({ ...m, isAdmin: m.id === familyGroup.adminId, invited: !ph })),
        siblings: familyGroup.members
          .filter((m) => m.role === "STUDENT" && m.studentProfile && m.id !== student.user.id)
          .map((m) => ({ studentId: m.studentProfile!.id, firstName: m.firstName, lastName: m.lastName, dateOfBirth: m.studentProfile!.dateOfBirth, instrument: m.studentProfile!.instrument })),
      }
    : null;
  return { ...student, user: { ...user, hasLogin: Boolean(passwordHash) && !user.email.endsWith(".invalid") }, family };
}

export type StudentProfile = NonNullable<Awaited<ReturnType<typeof getStudentProfile>>>;

const optionalText = (label: string, max = 100) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= max, `Keep ${label} under ${max} characters.`)
    .transform((v) => v || null);

const optionalPhone = (label: string) =>
  optionalText(label, 40).refine((v) => v === null || (/^[0-9+()./\s-]*(?:(?:ext\.?|x)\s*\d+)?$/i.test(v) && /\d{3}/.test(v.replace(/\D/g, ""))), `Enter ${label} with digits, e.g. (212) 555-0101.`);

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true");

export const studentProfileSchema = z.object({
  firstName: fields.personName("a first name"),
  lastName: fields.personName("a last name"),
  dateOfBirth: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || isIsoDate(v), "Enter a date like 2014-03-21.")
    .refine((v) => v === "" || v <= new Date().toISOString().slice(0, 10), "The date of birth cannot be in the future.")
    .refine((v) => v === "" || v >= "1900-01-01", "Enter a date after 1900.")
    .transform((v) => (v ? new Date(`${v}T00:00:00Z`) : null)),
  instrument: optionalText("the instrument", 60),
  secondaryInstruments: z
    .string()
    .optional()
    .transform((v) => [...new Set((v ?? "").split(",").map((s) => s.trim()).filter(Boolean))])
    .refine((list) => list.length <= 10, "List at most 10 instruments.")
    .refine((list) => list.every((s) => s.length <= 60), "Keep each instrument under 60 characters."),
  skillLevel: z
    .string()
    .optional()
    .transform((v) => v ?? "")
    .refine((v) => v === "" || (SKILL_LEVELS as readonly string[]).includes(v), "Choose a level from the list.")
    .transform((v) => (v ? (v as (typeof SKILL_LEVELS)[number]) : null)),
  parentName: optionalText("the parent's name"),
  parentEmail: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim().toLowerCase())
    .refine((v) => v === "" || (v.length <= 254 && z.string().email().safeParse(v).success), "Enter an email address like name@example.com.")
    .transform((v) => v || null),
  parentPhone: optionalPhone("the parent's phone"),
  emergencyContactName: optionalText("the emergency contact's name"),
  emergencyContactPhone: optionalPhone("the emergency contact's phone"),
  emergencyContactRelation: optionalText("the relation", 60),
  parentalConsent: checkbox,
  socialMediaConsent: checkbox,
});

export type StudentProfileInput = z.infer<typeof studentProfileSchema>;

/** Saves the profile; false when the student is not (or no longer) at this school. */
export async function updateStudentProfile(tx: Tx, studentId: string, input: StudentProfileInput): Promise<boolean> {
  const student = await tx.student.findUnique({ where: { id: studentId }, select: { id: true, userId: true } });
  if (!student) return false;
  const { firstName, lastName, ...profile } = input;
  await tx.user.update({ where: { id: student.userId }, data: { firstName, lastName } });
  await tx.student.update({ where: { id: student.id }, data: profile });
  return true;
}

/** Whether this enrollment is this student's (the approve/reject buttons act per student). */
export async function studentEnrollment(tx: Tx, studentId: string, enrollmentId: string) {
  return tx.enrollment.findFirst({ where: { id: enrollmentId, studentId }, select: { id: true, status: true } });
}

// ---- export -------------------------------------------------------------------------

/** Import columns first (so an exported file imports back unchanged), then the rest. */
export const EXPORT_HEADER = [
  ...ROSTER_COLUMNS,
  "emergency_contact_relation",
  "secondary_instruments",
  "parental_consent",
  "social_media_consent",
  "family",
  "enrollments",
  "student_id",
] as const;

export async function exportRosterRows(tx: Tx, f: RosterFilters): Promise<(string | boolean | null)[][]> {
  const students = await tx.student.findMany({
    where: rosterWhere(f),
    orderBy: ORDER,
    select: {
      id: true,
      parentName: true,
      parentEmail: true,
      parentPhone: true,
      dateOfBirth: true,
      instrument: true,
      secondaryInstruments: true,
      skillLevel: true,
      emergencyContactName: true,
      emergencyContactPhone: true,
      emergencyContactRelation: true,
      parentalConsent: true,
      socialMediaConsent: true,
      user: {
        select: {
          firstName: true,
          lastName: true,
          familyGroup: { select: { name: true, admin: { select: { firstName: true, lastName: true, email: true, phone: true } } } },
        },
      },
      enrollments: {
        where: { status: { in: [...CURRENT] } },
        orderBy: { enrolledAt: "asc" },
        select: { status: true, lesson: { select: { title: true } } },
      },
    },
  });
  return students.map((s) => {
    const admin = s.user.familyGroup?.admin;
    const [first, ...rest] = (s.parentName ?? "").trim().split(/\s+/);
    return [
      admin?.firstName ?? first ?? "",
      admin?.lastName ?? rest.join(" "),
      admin?.email ?? s.parentEmail,
      admin?.phone ?? s.parentPhone,
      s.user.firstName,
      s.user.lastName,
      s.dateOfBirth ? s.dateOfBirth.toISOString().slice(0, 10) : null,
      s.instrument,
      s.skillLevel ? s.skillLevel.toLowerCase() : null,
      s.emergencyContactName,
      s.emergencyContactPhone,
      s.emergencyContactRelation,
      s.secondaryInstruments.join(", "),
      s.parentalConsent,
      s.socialMediaConsent,
      s.user.familyGroup?.name ?? null,
      s.enrollments.map((e) => `${e.lesson.title} (${e.status.toLowerCase()})`).join("; "),
      s.id,
    ];
  });
}
