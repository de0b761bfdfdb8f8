// Importing a roster: what the school has (for matching), and applying a plan.
// `importRoster` reads, plans and writes inside the ONE school-bound transaction it
// is given, under a per-school lock, so two imports of the same file at once cannot
// both create the same families, and a failure half-way leaves nothing behind.
import { randomBytes } from "node:crypto";
import type { Tx } from "../../server/db/school-db.server";
import { planRosterImport, type ExistingRoster, type ImportPlan, type ParseRosterOptions } from "../domain/roster-import";

export async function loadExistingRoster(tx: Tx): Promise<ExistingRoster> {
  const families = await tx.familyGroup.findMany({
    select: {
      id: true,
      name: true,
      admin: { select: { email: true } },
      members: {
        select: {
          email: true,
          role: true,
          firstName: true,
          lastName: true,
          studentProfile: { select: { id: true, dateOfBirth: true } },
        },
      },
    },
  });
  const accounts = await tx.user.findMany({ select: { id: true, email: true, role: true, familyGroupId: true } });
  const instruments = await tx.instrument.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return {
    families: families.map((f) => ({
      id: f.id,
      name: f.name,
      parentEmails: [...new Set([f.admin.email, ...f.members.filter((m) => m.role === "PARENT").map((m) => m.email)].map((e) => e.toLowerCase()))],
      students: f.members.flatMap((m) =>
        m.studentProfile
          ? [{ id: m.studentProfile.id, firstName: m.firstName, lastName: m.lastName, dateOfBirth: m.studentProfile.dateOfBirth?.toISOString().slice(0, 10) ?? null }]
          : [],
      ),
    })),
    accounts,
    instruments: instruments.map((i) => i.name),
  };
}

/** Reads the school's data and plans the import (the preview). */
export async function previewRosterImport(tx: Tx, text: string, options: ParseRosterOptions = {}): Promise<ImportPlan> {
  return planRosterImport(text, await loadExistingRoster(tx), options);
}

/** A cuid-like id (ids are given here so that rows can be written in batches). */
function newId(): string {
  return `c${Date.now().toString(36)}${randomBytes(10).toString("hex")}`.slice(0, 25);
}

function slugPart(s: string): string {
  return (
    s
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 30) || "student"
  );
}

export interface AppliedImport {
  families: number;
  students: number;
  unchanged: number;
  rejected: number;
}

/**
 * Writes a plan in the transaction `tx` (all or nothing: any failure throws and the
 * caller's transaction rolls back). Parents without an account get one with no
 * password (they appear as invited in People; an admin sends the invitation).
 */
export async function applyImportPlan(tx: Tx, plan: ImportPlan): Promise<AppliedImport> {
  const result = { families: plan.createFamilies.length, students: plan.createStudents.length, unchanged: plan.unchanged.length, rejected: plan.rejected.length };
  if (plan.fileError || (plan.createFamilies.length === 0 && plan.createStudents.length === 0)) return { ...result, families: 0, students: 0 };
  const school = await tx.school.findFirstOrThrow({ select: { slug: true } });

  // 1. Parents (accounts without a family yet), 2. their families, 3. link them.
  const familyIdByKey = new Map<string, string>();
  const parentUsers: { id: string; email: string; firstName: string; lastName: string; phone: string | null; role: "PARENT" }[] = [];
  const familyRows: { id: string; name: string; adminId: string; billingEmail: string; emergencyContactName: string | null; emergencyContactPhone: string | null }[] = [];
  for (const f of plan.createFamilies) {
    const familyId = newId();
    const parentId = f.existingParentUserId ?? newId();
    if (!f.existingParentUserId) {
      parentUsers.push({ id: parentId, email: f.parentEmail, firstName: f.parentFirstName, lastName: f.parentLastName, phone: f.parentPhone, role: "PARENT" });
    }
    familyRows.push({ id: familyId, name: f.name, adminId: parentId, billingEmail: f.parentEmail, emergencyContactName: f.emergencyContactName, emergencyContactPhone: f.emergencyContactPhone });
    familyIdByKey.set(f.key, familyId);
  }
  if (parentUsers.length) await tx.user.createMany({ data: parentUsers });
  if (familyRows.length) {
    await tx.familyGroup.createMany({ data: familyRows });
    const adminIds = familyRows.map((f) => f.adminId);
    const familyIds = familyRows.map((f) => f.id);
    await tx.$executeRaw`
      UPDATE "User" AS u SET "familyGroupId" = v.family_id, "updatedAt" = now()
      FROM unnest(${adminIds}::text[], ${familyIds}::text[]) AS v(user_id, family_id)
      WHERE u.id = v.user_id`;
  }

  // 4. Students: a user (no login: an address that can never receive mail) and a profile.
  const studentUsers: { id: string; email: string; firstName: string; lastName: string; role: "STUDENT"; familyGroupId: string }[] = [];
  const profiles: {
    userId: string;
    parentName: string;
    parentEmail: string;
    parentPhone: string | null;
    dateOfBirth: Date;
    instrument: string | null;
    skillLevel: ImportPlan["createStudents"][number]["skillLevel"];
    emergencyContactName: string | null;
    emergencyContactPhone: string | null;
  }[] = [];
  for (const s of plan.createStudents) {
    const familyGroupId = s.family.kind === "existing" ? s.family.id : familyIdByKey.get(s.family.key);
    if (!familyGroupId) throw new Error(`Row ${s.row}: its family is not in the plan.`);
    const userId = newId();
    studentUsers.push({
      id: userId,
      email: `${slugPart(s.firstName)}.${slugPart(s.lastName)}.${userId.slice(-8)}@students.${school.slug}.invalid`,
      firstName: s.firstName,
      lastName: s.lastName,
      role: "STUDENT",
      familyGroupId,
    });
    profiles.push({
      userId,
      parentName: s.parentName,
      parentEmail: s.parentEmail,
      parentPhone: s.parentPhone,
      dateOfBirth: new Date(`${s.dateOfBirth}T00:00:00Z`),
      instrument: s.instrument,
      skillLevel: s.skillLevel,
      emergencyContactName: s.emergencyContactName,
      emergencyContactPhone: s.emergencyContactPhone,
    });
  }
  if (studentUsers.length) {
    await tx.user.createMany({ data: studentUsers });
    await tx.student.createMany({ data: profiles });
  }
  return result;
}

/**
 * Plans the import again from the text (never from a preview the browser sent
 * back) and applies it, in the transaction `tx`.
 */
export async function importRoster(tx: Tx, text: string, options: ParseRosterOptions = {}): Promise<{ plan: ImportPlan; applied: AppliedImport }> {
  // One import per school at a time (released when the transaction ends).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('encore.roster-import'), hashtext(current_setting('app.school_id', true)))`;
  const plan = await previewRosterImport(tx, text, options);
  const applied = await applyImportPlan(tx, plan);
  return { plan, applied };
}
