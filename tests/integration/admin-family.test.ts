// An admin adds students by hand (/admin/students/new) against the real database
// (RLS on), in a school of its own: a new family with two children and one enrollment,
// a child added to an existing family, a taken address refused with nothing written,
// a full class waitlisting, and the invitations (or none) that go out.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminFamilyError, addFamilyByHand, enrollableLessons, familyChoices, type AdminFamilyDeps } from "../../app/models/admin-family.server";
import { parseAdminFamilyForm, programValue, type ChildInput } from "../../app/models/online-enrollment-form";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { renderEmail } from "../../server/services/email.server";
import { testServices } from "../support/services";

const services = testServices();
let db: SchoolDb;
let deps: AdminFamilyDeps;
let classId: string;
let fullClassId: string;
const unique = () => randomUUID().slice(0, 8);
const run = <T>(work: (tx: Tx) => Promise<T>) => db.run(work);

function child(firstName: string, lessonId: string | null): ChildInput {
  return {
    firstName,
    lastName: null,
    dateOfBirth: "2016-09-02",
    program: lessonId ? { kind: "lesson", lessonId } : null,
    instruments: ["Piano"],
    skillLevel: "BEGINNER",
    parentalConsent: true,
    socialMediaConsent: false,
  };
}

beforeAll(async () => {
  const slug = `addfam-${unique()}`;
  const school = await services.platform.createSchool(null, { name: "Add Family Test School", slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
  db = services.platform.schoolDb(school.id);
  await run(async (tx) => {
    await tx.instrument.create({ data: { name: "Piano" } });
    const admin = await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN", passwordHash: "x" }, select: { id: true } });
    const teacher = await tx.user.create({ data: { email: `t@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash: "x" }, select: { id: true } });
    const start = new Date("2027-01-11T16:00:00Z");
    const lesson = (title: string, maxStudents: number, hour: number) =>
      tx.lesson.create({
        data: { title, type: "GROUP", instrument: "Piano", instructorId: teacher.id, startTime: new Date(start.getTime() + hour * 3_600_000), endTime: new Date(start.getTime() + hour * 3_600_000 + 45 * 60_000), duration: 45, recurrence: "WEEKLY", maxStudents },
        select: { id: true },
      });
    classId = (await lesson("Piano Group", 6, 0)).id;
    fullClassId = (await lesson("Tiny Solo", 1, 2)).id;
    // The one seat of "Tiny Solo" is taken.
    const seated = await tx.user.create({ data: { email: `s@${slug}.test`, firstName: "Sam", lastName: "Seated", role: "STUDENT" }, select: { id: true } });
    const student = await tx.student.create({ data: { userId: seated.id, parentName: "P", parentEmail: `p@${slug}.test` }, select: { id: true } });
    await tx.enrollment.create({ data: { lessonId: fullClassId, studentId: student.id, status: "ACTIVE" } });
    deps = { mailer: services.mailer, origin: `http://${slug}.localhost:3000`, schoolName: school.name, slug, actor: { id: admin.id, name: "Ada Admin" }, now: new Date("2026-12-01T12:00:00Z") };
  });
});

afterAll(() => services.close());

describe("adding students by hand", () => {
  it("adds a new family with two children, enrolls one at once, and invites the contact", async () => {
    const email = `robin.${unique()}@example.test`;
    const added = await run((tx) =>
      addFamilyByHand(tx, deps, {
        mode: "new",
        guardian: { firstName: "Robin", lastName: "Okafor", email, phone: "020 7946 0000" },
        guardian2: null,
        emergency: null,
        invite: true,
        children: [child("Ife", classId), child("Tunde", null)],
      }),
    );
    expect(added.familyName).toBe("Okafor family");
    expect(added.children.map((c) => [c.name, c.outcome])).toEqual([
      ["Ife Okafor", "ACTIVE"],
      ["Tunde Okafor", "NONE"],
    ]);
    expect(added.invited).toEqual([email]);
    const family = await run((tx) =>
      tx.familyGroup.findUniqueOrThrow({
        where: { id: added.familyId },
        select: { admin: { select: { email: true, phone: true, role: true } }, members: { select: { role: true, studentProfile: { select: { enrollments: { select: { lessonId: true, status: true } } } } } } },
      }),
    );
    expect(family.admin).toEqual({ email, phone: "020 7946 0000", role: "PARENT" });
    const students = family.members.filter((m) => m.role === "STUDENT");
    expect(students).toHaveLength(2);
    expect(students.flatMap((s) => s.studentProfile?.enrollments ?? [])).toEqual([{ lessonId: classId, status: "ACTIVE" }]);
    const invitation = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: email }, select: { subject: true, text: true, html: true, secrets: true } }));
    expect(invitation.subject).toBe("Your invitation to Add Family Test School");
    expect(renderEmail(invitation, { reveal: true }).text).toMatch(/\/set-password\?token=/);
    const audit = await run((tx) => tx.schoolAuditEvent.count({ where: { action: "student.added", details: { path: ["familyId"], equals: added.familyId } } }));
    expect(audit).toBe(2);
  });

  it("adds a second contact to the new family with their phone, and invites both in the admin's name", async () => {
    const [first, second] = [`noor.${unique()}@example.test`, `sami.${unique()}@example.test`];
    const added = await run((tx) =>
      addFamilyByHand(tx, deps, {
        mode: "new",
        guardian: { firstName: "Noor", lastName: "Haddad", email: first, phone: null },
        guardian2: { firstName: "Sami", lastName: "Haddad", email: second, phone: "020 7946 0002" },
        emergency: null,
        invite: true,
        children: [child("Lina", null)],
      }),
    );
    expect(added.invited).toEqual([first, second]);
    const got = await run(async (tx) => ({
      family: await tx.familyGroup.findUniqueOrThrow({
        where: { id: added.familyId },
        select: { admin: { select: { email: true } }, members: { where: { role: "PARENT" }, orderBy: { email: "asc" }, select: { email: true, phone: true, firstName: true, passwordHash: true } } },
      }),
      emails: await tx.emailMessage.findMany({ where: { to: { in: [first, second] } }, orderBy: { to: "asc" }, select: { to: true, text: true } }),
      invitedBy: await tx.schoolAuditEvent.findMany({ where: { action: "person.invited", subject: { email: { in: [first, second] } } }, orderBy: { subject: { email: "asc" } }, select: { actedById: true, details: true } }),
    }));
    expect(got.family.admin.email).toBe(first);
    expect(got.family.members).toEqual([
      { email: first, phone: null, firstName: "Noor", passwordHash: null },
      { email: second, phone: "020 7946 0002", firstName: "Sami", passwordHash: null },
    ]);
    expect(got.emails.map((e) => e.to)).toEqual([first, second]);
    expect(got.emails[1]!.text).toMatch(/^Hello Sami,\n\nAda Admin has invited you to Add Family Test School/);
    expect(got.invitedBy).toEqual([
      { actedById: deps.actor.id, details: { role: "PARENT", email: first } },
      { actedById: deps.actor.id, details: { role: "PARENT", email: second } },
    ]);
  });

  it("adds a child to an existing family, waitlisted when the class is full, without emailing anyone", async () => {
    const email = `kim.${unique()}@example.test`;
    const first = await run((tx) => addFamilyByHand(tx, deps, { mode: "new", guardian: { firstName: "Kim", lastName: "Lee", email, phone: null }, guardian2: null, emergency: { name: "Jo Lee", phone: "020 7946 0001", relation: "Aunt" }, invite: false, children: [child("Min", null)] }));
    expect(first.invited).toEqual([]);
    expect(await run((tx) => tx.emailMessage.count({ where: { to: email } }))).toBe(0);
    const second = await run((tx) => addFamilyByHand(tx, deps, { mode: "existing", familyId: first.familyId, children: [child("Jae", fullClassId)] }));
    expect(second.familyId).toBe(first.familyId);
    expect(second.children[0]).toMatchObject({ name: "Jae Lee", outcome: "WAITLISTED" });
    const jae = await run((tx) => tx.student.findUniqueOrThrow({ where: { id: second.children[0]!.studentId }, select: { parentEmail: true, emergencyContactName: true, user: { select: { familyGroupId: true } } } }));
    expect(jae).toEqual({ parentEmail: email, emergencyContactName: "Jo Lee", user: { familyGroupId: first.familyId } });
  });

  it("refuses an address that already has an account, naming the field, and writes nothing", async () => {
    const email = `dup.${unique()}@example.test`;
    await run((tx) => addFamilyByHand(tx, deps, { mode: "new", guardian: { firstName: "Dana", lastName: "Dup", email, phone: null }, guardian2: null, emergency: null, invite: false, children: [child("Ari", null)] }));
    const before = await run((tx) => tx.user.count());
    const error = await run((tx) =>
      addFamilyByHand(tx, deps, { mode: "new", guardian: { firstName: "Dee", lastName: "Other", email: `new.${unique()}@example.test`, phone: null }, guardian2: { firstName: "Dana", lastName: "Dup", email, phone: null }, emergency: null, invite: true, children: [child("Bo", classId)] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminFamilyError);
    expect((error as AdminFamilyError).field).toBe("guardian2.email");
    expect((error as AdminFamilyError).message).toMatch(/already has an account \(Dana Dup\)/);
    expect(await run((tx) => tx.user.count())).toBe(before);
  });

  it("parses the form: an existing family must be one of the school's, and a new one needs a contact", async () => {
    const [lessons, families] = await run(async (tx) => [await enrollableLessons(tx), await familyChoices(tx)] as const);
    const opts = { instruments: ["Piano"], programs: lessons.map((l) => programValue({ kind: "lesson", lessonId: l.id })), today: "2026-11-29", familyIds: families.map((f) => f.id) };
    const childFields = { "children.0.firstName": "Mia", "children.0.dateOfBirth": "2017-03-04", "children.0.parentalConsent": "on" };
    const foreign = parseAdminFamilyForm({ mode: "existing", familyId: "someone-elses", ...childFields }, opts);
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.errors.familyId).toBe("Choose a family from the list.");
    const noContact = parseAdminFamilyForm({ mode: "new", ...childFields }, opts);
    expect(noContact.ok).toBe(false);
    if (!noContact.ok) expect(noContact.errors).toMatchObject({ "guardian.firstName": "Enter the contact's first name.", "guardian.email": "Enter the contact's email: it is how they sign in." });
    // A child with mistakes does not hide the contact's (each part is checked on its own).
    const both = parseAdminFamilyForm({ mode: "new", "children.0.firstName": "" }, opts);
    expect(both.ok ? {} : both.errors).toMatchObject({ "guardian.firstName": "Enter the contact's first name.", "children.0.dateOfBirth": "Enter the date of birth." });
    const ok = parseAdminFamilyForm({ mode: "existing", familyId: families[0]!.id, ...childFields, "children.0.program": opts.programs[0]! }, opts);
    expect(ok.ok && ok.data).toMatchObject({ mode: "existing", familyId: families[0]!.id, children: [{ firstName: "Mia", program: { kind: "lesson" } }] });
  });
});
