// An admin adds students by hand (/admin/students/new): a new family with its contacts
// and children, or children of a family the school already has. Children are made as
// the public form makes them (createChild); a class chosen for a child is an enrollment
// the admin decides, so it is ACTIVE at once (or WAITLISTED when the class is full).
import type { Tx } from "../../server/db/school-db.server";
import { FormRefusal } from "../utils/forms";
import type { Mailer } from "../../server/services/email.server";
import { enrollStudent, EnrollmentError } from "./enrollment.server";
import { createChild, createFamily } from "./online-enrollment.server";
import { outcomeSentence, type AdminFamilyInput, type ChildInput, type ChildOutcome } from "./online-enrollment-form";
import { recordAuditEvent, sendInvitation } from "./people.server";

/** A refusal the form shows next to `field` (a form field name), if any. */
export class AdminFamilyError extends FormRefusal {}

export interface AdminFamilyDeps {
  mailer: Mailer;
  origin: string;
  schoolName: string;
  slug: string;
  /** The admin doing it (the audit log's actor and the invitations' sender). */
  actor: { id: string; name: string };
  /** The school's now: when the enrollments start. */
  now: Date;
}

export interface AddedChild {
  studentId: string;
  name: string;
  outcome: ChildOutcome;
  sentence: string;
}

export interface AddedFamily {
  familyId: string;
  familyName: string;
  children: AddedChild[];
  invited: string[];
}

/** Lessons an admin may put a new student in: scheduled series, with their seats. */
export async function enrollableLessons(tx: Tx) {
  const lessons = await tx.lesson.findMany({
    where: { status: "SCHEDULED" },
    select: { id: true, title: true, maxStudents: true, _count: { select: { enrollments: { where: { status: "ACTIVE" } } } } },
    orderBy: { title: "asc" },
  });
  return lessons.map((l) => ({
    id: l.id,
    title: l.title,
    seatsLeft: l.maxStudents === null ? null : Math.max(0, l.maxStudents - l._count.enrollments),
  }));
}

/** The families a child can be added to, by name, with their account holder. */
export async function familyChoices(tx: Tx) {
  const families = await tx.familyGroup.findMany({
    select: { id: true, name: true, admin: { select: { firstName: true, lastName: true, email: true } } },
    orderBy: { name: "asc" },
  });
  return families.map((f) => ({ id: f.id, label: `${f.name} (${f.admin.firstName} ${f.admin.lastName}, ${f.admin.email})` }));
}

async function addChildren(tx: Tx, deps: AdminFamilyDeps, family: { id: string; lastName: string; parent: { name: string; email: string; phone: string | null }; emergency: { name: string | null; phone: string | null; relation: string | null } }, children: ChildInput[]) {
  const out: AddedChild[] = [];
  for (const [index, child] of children.entries()) {
    const created = await createChild(tx, { familyGroupId: family.id, child, familyLastName: family.lastName, parent: family.parent, emergency: family.emergency, slug: deps.slug });
    let outcome: ChildOutcome = "NONE";
    let program = "the school";
    if (child.program?.kind === "lesson") {
      try {
        const r = await enrollStudent(tx, { lessonId: child.program.lessonId, studentId: created.studentId, requireApproval: false, waitlist: true, notes: `Added by ${deps.actor.name}`, now: deps.now });
        outcome = r.outcome === "FULL" ? "NONE" : r.outcome;
        program = r.lessonTitle;
      } catch (error) {
        if (error instanceof EnrollmentError) throw new AdminFamilyError(error.message, `children.${index}.program`);
        throw error;
      }
    }
    await recordAuditEvent(tx, { actedById: deps.actor.id, action: "student.added", subjectId: created.userId, details: { familyId: family.id, ...(outcome !== "NONE" ? { enrolled: program, outcome } : {}) } });
    out.push({ studentId: created.studentId, name: created.name, outcome, sentence: outcomeSentence(created.name, outcome, program) });
  }
  return out;
}

/**
 * Adds the family (or the children to an existing one) in the caller's transaction:
 * all of it, or nothing when an AdminFamilyError is thrown.
 */
export async function addFamilyByHand(tx: Tx, deps: AdminFamilyDeps, input: AdminFamilyInput): Promise<AddedFamily> {
  if (input.mode === "existing") {
    const family = await tx.familyGroup.findUnique({
      where: { id: input.familyId },
      select: { id: true, name: true, emergencyContactName: true, emergencyContactPhone: true, emergencyContactRelation: true, admin: { select: { firstName: true, lastName: true, email: true, phone: true } } },
    });
    if (!family) throw new AdminFamilyError("That family is not at this school.", "familyId", 404);
    const children = await addChildren(
      tx,
      deps,
      {
        id: family.id,
        lastName: family.admin.lastName,
        parent: { name: `${family.admin.firstName} ${family.admin.lastName}`, email: family.admin.email, phone: family.admin.phone },
        emergency: { name: family.emergencyContactName, phone: family.emergencyContactPhone, relation: family.emergencyContactRelation },
      },
      input.children,
    );
    return { familyId: family.id, familyName: family.name, children, invited: [] };
  }

  const { guardian, guardian2, emergency } = input;
  const contacts = [guardian, ...(guardian2 ? [guardian2] : [])];
  const taken = await tx.user.findMany({ where: { email: { in: contacts.map((c) => c.email) } }, select: { email: true, firstName: true, lastName: true } });
  for (const [i, c] of contacts.entries()) {
    const holder = taken.find((t) => t.email === c.email);
    if (holder) {
      throw new AdminFamilyError(
        `${c.email} already has an account (${holder.firstName} ${holder.lastName}). To add a child to their family, choose "An existing family".`,
        `${i === 0 ? "guardian" : "guardian2"}.email`,
      );
    }
  }

  const emergencyContact = { name: emergency?.name ?? null, phone: emergency?.phone ?? null, relation: emergency?.relation ?? null };
  const family = await createFamily(tx, { guardian, guardian2, emergency: emergencyContact });
  const familyName = family.name;
  // Contacts: invited now (an email with a set-password link), or accounts without a
  // password that an admin invites later from People.
  const invited: string[] = [];
  if (input.invite) {
    const invitation = { mailer: deps.mailer, origin: deps.origin, schoolName: deps.schoolName, invitedBy: deps.actor.name, actorId: deps.actor.id };
    for (const [user, contact] of [[family.parent, guardian], [family.second, guardian2]] as const) {
      if (!user || !contact) continue;
      await sendInvitation(tx, invitation, { id: user.id, email: user.email, firstName: contact.firstName, role: "PARENT" });
      invited.push(user.email);
    }
  }
  const children = await addChildren(
    tx,
    deps,
    {
      id: family.id,
      lastName: guardian.lastName,
      parent: { name: `${guardian.firstName} ${guardian.lastName}`, email: guardian.email, phone: guardian.phone },
      emergency: emergencyContact,
    },
    input.children,
  );
  return { familyId: family.id, familyName, children, invited };
}
