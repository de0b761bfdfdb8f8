// Online enrollment against the real database (RLS on), in a school of its own so
// the school-wide switches (approval, registration fee) never touch other tests:
// one transaction creates the family, its accounts, children and enrollments; the
// form's one-time key makes resubmissions (also concurrent ones) return the first
// result; the fee is recorded as owed; the emails carry a working set-password
// link; and a refused submission writes nothing at all. Also the family pages'
// domain functions (guardians, another child, billing).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addChildToFamily, addGuardian, FamilyError, familyHome, updateBilling } from "../../app/models/family.server";
import { landingPage } from "../../app/models/landing.server";
import type { ChildInput, EnrollmentInput } from "../../app/models/online-enrollment-form";
import { parseEnrollmentForm } from "../../app/models/online-enrollment-form";
import {
  enrollOnline,
  OnlineEnrollmentError,
  submitOnlineEnrollment,
  type EnrollmentDeps,
  type EnrollmentResult,
  type SubmissionResult,
} from "../../app/models/online-enrollment.server";
import { familyBalance } from "../../app/models/billing.server";
import { findUsableToken } from "../../app/utils/auth.server";
import { formatterFor } from "../../app/utils/format";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { renderEmail } from "../../server/services/email.server";
import { testServices } from "../support/services";

// "Now" for the models that depend on the day, passed explicitly (the seed was made relative to the real clock).
const NOW = new Date();

const ZONE = "America/New_York";
const FMT = formatterFor({ locale: "en-US", timezone: ZONE, currency: "USD" });
const DAY = 86_400_000;
const services = testServices();
let db: SchoolDb;
let schoolId: string;
let slug: string;
let deps: EnrollmentDeps;
let teacherId: string;
let roomId: string;

const unique = () => randomUUID().slice(0, 8);
const run = <T>(work: (tx: Tx) => Promise<T>) => db.run(work);

/** A submission that made a new family (not one answered for an existing account). */
function enrolled(result: SubmissionResult): EnrollmentResult {
  if (result.existingAccount) throw new Error(`expected a new family, but ${result.accountEmail} already had an account`);
  return result;
}

beforeAll(async () => {
  slug = `enroll-${unique()}`;
  const school = await services.platform.createSchool(null, { name: "Online Enrollment Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
  db = services.platform.schoolDb(schoolId);
  deps = { mailer: services.mailer, origin: `http://${slug}.localhost:3000`, school: { name: school.name, slug, email: school.email, locale: school.locale, timezone: school.timezone, currency: school.currency }, now: NOW };
  await run(async (tx) => {
    await tx.instrument.createMany({ data: ["Piano", "Guitar", "Violin"].map((name) => ({ name })) });
    const teacher = await tx.user.create({ data: { email: `teacher@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash: "x", bio: "Plays everything.", specialties: "Piano", showOnLanding: true }, select: { id: true } });
    teacherId = teacher.id;
    const location = await tx.location.create({ data: { name: "Main Hall", address: "1 Music Street", city: "New York", state: "NY" }, select: { id: true } });
    roomId = (await tx.room.create({ data: { name: "Studio A", locationId: location.id, capacity: 10 }, select: { id: true } })).id;
  });
});

afterAll(() => services.close());

beforeEach(async () => {
  await run((tx) => tx.school.update({ where: { id: schoolId }, data: { requireEnrollmentApproval: false, registrationFee: null } }));
});

let slot = 0;
/** A small weekly group class with its next meeting a few days ahead. */
async function makeClass(maxStudents: number | null, type: "GROUP" | "INDIVIDUAL" | "ENSEMBLE" = "GROUP") {
  slot += 1;
  // Each class in its own hour, so the teacher and room are never double-booked.
  const start = new Date(Date.now() + 3 * DAY + slot * 3_600_000);
  start.setUTCMinutes(0, 0, 0);
  return run(async (tx) => {
    const lesson = await tx.lesson.create({
      data: {
        title: `Class ${unique()}`,
        type,
        instrument: "Guitar",
        instructorId: teacherId,
        roomId,
        startTime: start,
        endTime: new Date(start.getTime() + 45 * 60_000),
        duration: 45,
        recurrence: "WEEKLY",
        maxStudents,
        isIndividual: type === "INDIVIDUAL",
      },
      select: { id: true, title: true },
    });
    await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt: start, endsAt: new Date(start.getTime() + 45 * 60_000), instructorId: teacherId, roomId } });
    return lesson;
  });
}

function child(firstName: string, program: ChildInput["program"], extra: Partial<ChildInput> = {}): ChildInput {
  return {
    firstName,
    lastName: null,
    dateOfBirth: "2016-09-02",
    program,
    instruments: ["Guitar", "Piano"],
    skillLevel: "BEGINNER",
    parentalConsent: true,
    socialMediaConsent: false,
    ...extra,
  };
}

function input(children: ChildInput[], extra: Partial<EnrollmentInput> = {}): EnrollmentInput {
  const tag = unique();
  return {
    key: `key-${randomUUID()}`,
    guardian: { firstName: "Robin", lastName: `Okafor${tag}`, email: `robin.${tag}@example.test`, phone: "(212) 555-0101" },
    guardian2: null,
    emergency: { name: "Pat Okafor", phone: "(212) 555-0199", relation: "Grandparent" },
    children,
    ...extra,
  };
}

const counts = (email: string, key: string) =>
  run(async (tx) => ({
    users: await tx.user.count({ where: { OR: [{ email }, { email: { endsWith: `@students.${slug}.invalid` } }] } }),
    families: await tx.familyGroup.count(),
    students: await tx.student.count(),
    enrollments: await tx.enrollment.count(),
    payments: await tx.payment.count(),
    emails: await tx.emailMessage.count(),
    keys: await tx.formSubmission.count({ where: { key } }),
  }));

describe("online enrollment", () => {
  it("creates the family, its accounts, the children and their enrollments in one transaction", async () => {
    const lesson = await makeClass(4);
    const data = input([child("Ada", { kind: "lesson", lessonId: lesson.id }, { socialMediaConsent: true }), child("Ben", { kind: "lesson", lessonId: lesson.id }, { lastName: "Other", instruments: ["Violin"], skillLevel: "INTERMEDIATE" })], {
      guardian2: { firstName: "Sam", lastName: "Okafor", email: `sam.${unique()}@example.test`, phone: null },
    });
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));

    expect(result.replayed).toBeUndefined();
    expect(result.children.map((c) => [c.name, c.outcome, c.program])).toEqual([
      [`Ada ${data.guardian.lastName}`, "ACTIVE", lesson.title],
      ["Ben Other", "ACTIVE", lesson.title],
    ]);
    expect(result.registrationFee).toBeNull();

    const family = await run((tx) =>
      tx.familyGroup.findUniqueOrThrow({
        where: { id: result.familyGroupId },
        select: {
          name: true,
          billingEmail: true,
          emergencyContactName: true,
          emergencyContactPhone: true,
          emergencyContactRelation: true,
          admin: { select: { email: true, role: true, passwordHash: true, phone: true, familyGroupId: true } },
          members: { orderBy: { createdAt: "asc" }, select: { email: true, role: true, firstName: true, passwordHash: true, studentProfile: { select: { id: true } } } },
        },
      }),
    );
    expect(family).toMatchObject({
      name: `${data.guardian.lastName} family`,
      billingEmail: data.guardian.email,
      emergencyContactName: "Pat Okafor",
      emergencyContactPhone: "(212) 555-0199",
      emergencyContactRelation: "Grandparent",
      admin: { email: data.guardian.email, role: "PARENT", passwordHash: null, phone: "(212) 555-0101", familyGroupId: result.familyGroupId },
    });
    expect(family.members.map((m) => m.role).sort()).toEqual(["PARENT", "PARENT", "STUDENT", "STUDENT"]);
    expect(family.members.find((m) => m.firstName === "Sam")).toMatchObject({ email: data.guardian2!.email, passwordHash: null });
    const studentUsers = family.members.filter((m) => m.role === "STUDENT");
    for (const s of studentUsers) {
      expect(s.email).toMatch(new RegExp(`^[a-z]+\\.[a-z0-9]+\\.[a-z0-9]{8}@students\\.${slug}\\.invalid$`));
      expect(s.studentProfile).not.toBeNull();
    }

    const students = await run((tx) =>
      tx.student.findMany({
        where: { id: { in: result.children.map((c) => c.studentId) } },
        orderBy: { user: { firstName: "asc" } },
        select: {
          parentName: true,
          parentEmail: true,
          parentPhone: true,
          dateOfBirth: true,
          instrument: true,
          secondaryInstruments: true,
          skillLevel: true,
          emergencyContactName: true,
          emergencyContactRelation: true,
          parentalConsent: true,
          socialMediaConsent: true,
          enrollments: { select: { lessonId: true, status: true, notes: true } },
        },
      }),
    );
    expect(students[0]).toMatchObject({
      parentName: `Robin ${data.guardian.lastName}`,
      parentEmail: data.guardian.email,
      parentPhone: "(212) 555-0101",
      dateOfBirth: new Date("2016-09-02T00:00:00Z"),
      instrument: "Guitar",
      secondaryInstruments: ["Piano"],
      skillLevel: "BEGINNER",
      emergencyContactName: "Pat Okafor",
      emergencyContactRelation: "Grandparent",
      parentalConsent: true,
      socialMediaConsent: true,
      enrollments: [{ lessonId: lesson.id, status: "ACTIVE", notes: "Online enrollment" }],
    });
    expect(students[1]).toMatchObject({ instrument: "Violin", secondaryInstruments: [], skillLevel: "INTERMEDIATE", socialMediaConsent: false });

    // The form's key holds the result.
    const stored = await run((tx) => tx.formSubmission.findFirstOrThrow({ where: { key: data.key }, select: { kind: true, result: true } }));
    expect(stored.kind).toBe("online-enrollment");
    expect(stored.result).toMatchObject({ familyGroupId: result.familyGroupId });
  });

  it("emails the account holder a working set-password link, invites the second guardian, and tells the school", async () => {
    const lesson = await makeClass(5);
    const data = input([child("Cleo", { kind: "lesson", lessonId: lesson.id })], { guardian2: { firstName: "Sam", lastName: "Lee", email: `sam.${unique()}@example.test`, phone: "(212) 555-0102" } });
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));
    const stored = await run((tx) => tx.emailMessage.findMany({ where: { to: { in: [data.guardian.email, data.guardian2!.email] } }, select: { to: true, subject: true, text: true, html: true, secrets: true } }));
    // As the recipients get them (the stored text holds no link: see the outbox tests).
    const emails = stored.map((e) => ({ ...e, ...renderEmail(e, { reveal: true }) }));

    const confirmation = emails.find((e) => e.to === data.guardian.email);
    expect(confirmation?.subject).toBe("Welcome to Online Enrollment Test School: your enrollment");
    expect(confirmation?.text).toContain(`Cleo is enrolled in ${lesson.title}.`);
    const link = /(http:\/\/\S+\/set-password\?token=([\w-]+))/.exec(confirmation?.text ?? "");
    expect(link?.[1]).toMatch(new RegExp(`^${deps.origin.replace(/[.]/g, "\\.")}/set-password\\?token=`));
    expect(confirmation?.html).toContain(link![1]);
    const token = await run((tx) => findUsableToken(tx, link![2]!));
    expect(token).toMatchObject({ kind: "INVITATION", user: { email: data.guardian.email, firstName: "Robin" } });

    const invitation = emails.find((e) => e.to === data.guardian2!.email);
    expect(invitation?.subject).toBe("Your invitation to Online Enrollment Test School");
    const link2 = /set-password\?token=([\w-]+)/.exec(invitation?.text ?? "");
    expect(await run((tx) => findUsableToken(tx, link2![1]!))).toMatchObject({ kind: "INVITATION", user: { email: data.guardian2!.email } });

    const school = await run((tx) => tx.emailMessage.findFirst({ where: { to: deps.school.email, subject: `New online enrollment: ${result.familyName}` }, select: { text: true } }));
    expect(school?.text).toContain(`Cleo ${data.guardian.lastName}: ${lesson.title} — enrolled`);
  });

  it("leaves enrollments PENDING when the school approves each place", async () => {
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { requireEnrollmentApproval: true } }));
    const lesson = await makeClass(3);
    const result = enrolled(await submitOnlineEnrollment(db, deps, input([child("Dev", { kind: "lesson", lessonId: lesson.id })])));
    expect(result.children[0]!.outcome).toBe("PENDING");
    const e = await run((tx) => tx.enrollment.findFirstOrThrow({ where: { studentId: result.children[0]!.studentId }, select: { status: true } }));
    expect(e.status).toBe("PENDING");
  });

  it("puts a child on the waitlist when the class is full", async () => {
    const lesson = await makeClass(1);
    const result = enrolled(await submitOnlineEnrollment(db, deps, input([child("Eve", { kind: "lesson", lessonId: lesson.id }), child("Finn", { kind: "lesson", lessonId: lesson.id })])));
    expect(result.children.map((c) => c.outcome)).toEqual(["ACTIVE", "WAITLISTED"]);
    const roster = await run((tx) => tx.enrollment.findMany({ where: { lessonId: lesson.id }, orderBy: { enrolledAt: "asc" }, select: { status: true } }));
    expect(roster.map((r) => r.status).sort()).toEqual(["ACTIVE", "WAITLISTED"]);
  });

  it("records individual lessons as a request: the child's instrument and an email to the school, no enrollment", async () => {
    const data = input([child("Gus", { kind: "individual", instrument: "Violin" }, { instruments: ["Violin", "Piano"] })]);
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));
    expect(result.children[0]).toMatchObject({ outcome: "REQUESTED", program: "Individual lessons in Violin", lessonId: null, enrollmentId: null });
    const student = await run((tx) => tx.student.findUniqueOrThrow({ where: { id: result.children[0]!.studentId }, select: { instrument: true, secondaryInstruments: true, _count: { select: { enrollments: true } } } }));
    expect(student).toEqual({ instrument: "Violin", secondaryInstruments: ["Piano"], _count: { enrollments: 0 } });
    const school = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: deps.school.email, subject: { contains: result.familyName } }, select: { subject: true, text: true } }));
    expect(school.subject).toContain("individual lessons to arrange");
    expect(school.text).toContain(`Please contact the family to arrange individual lessons in Violin for Gus ${data.guardian.lastName}.`);
  });

  it("issues the registration fee as an invoice of the family, in the ledger and payable from its billing page", async () => {
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { registrationFee: "35.50" } }));
    const lesson = await makeClass(6);
    const data = input([child("Hana", { kind: "lesson", lessonId: lesson.id })]);
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));
    expect(result.registrationFee).toMatchObject({ amount: "35.50", currency: "USD" });
    const invoice = await run((tx) =>
      tx.invoice.findUniqueOrThrow({ where: { id: result.registrationFee!.invoiceId }, select: { familyGroupId: true, status: true, number: true, totalMinor: true, currency: true, lines: { select: { description: true } } } }),
    );
    expect(invoice).toMatchObject({ familyGroupId: result.familyGroupId, status: "ISSUED", totalMinor: 3550, currency: "USD", lines: [{ description: "Registration fee" }] });
    expect(invoice.number).toMatch(/\d+$/);
    expect((await run((tx) => familyBalance(tx, result.familyGroupId))).amountMinor).toBe(3550);
    const email = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: data.guardian.email }, select: { text: true } }));
    expect(email.text).toContain("A registration fee of $35.50 is due; once you have set your password, you can pay it by card on your family's billing page.");
  });

  it("returns the first result when the same form is submitted again", async () => {
    const lesson = await makeClass(4);
    const data = input([child("Ivy", { kind: "lesson", lessonId: lesson.id })]);
    const first = enrolled(await submitOnlineEnrollment(db, deps, data));
    const again = enrolled(await submitOnlineEnrollment(db, deps, data));
    expect(again).toEqual({ ...first, replayed: true });
    const c = await counts(data.guardian.email, data.key);
    expect(c.keys).toBe(1);
    expect(await run((tx) => tx.user.count({ where: { email: data.guardian.email } }))).toBe(1);
    expect(await run((tx) => tx.enrollment.count({ where: { lessonId: lesson.id } }))).toBe(1);
    expect(await run((tx) => tx.emailMessage.count({ where: { to: data.guardian.email } }))).toBe(1);
  });

  it("creates one family when the same form arrives several times at once", async () => {
    const lesson = await makeClass(4);
    const data = input([child("Jo", { kind: "lesson", lessonId: lesson.id }), child("Kai", { kind: "lesson", lessonId: lesson.id })]);
    const results = (await Promise.all([1, 2, 3, 4].map(() => submitOnlineEnrollment(db, deps, data)))).map(enrolled);
    const families = new Set(results.map((r) => r.familyGroupId));
    expect(families.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await run((tx) => tx.familyGroup.count({ where: { admin: { email: data.guardian.email } } }))).toBe(1);
    expect(await run((tx) => tx.enrollment.count({ where: { lessonId: lesson.id } }))).toBe(2);
    expect(await run((tx) => tx.formSubmission.count({ where: { key: data.key } }))).toBe(1);
    expect(await run((tx) => tx.emailMessage.count({ where: { to: data.guardian.email } }))).toBe(1);
  });

  it("refuses a key already spent by another form", async () => {
    const key = `spent-${randomUUID()}`;
    await run((tx) => tx.formSubmission.create({ data: { key, kind: "something-else", result: { ok: true } } }));
    const data = { ...input([child("Pip", { kind: "individual", instrument: "Piano" })]), key };
    const error = await submitOnlineEnrollment(db, deps, data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnlineEnrollmentError);
    expect((error as OnlineEnrollmentError).field).toBe("key");
    expect(await run((tx) => tx.user.count({ where: { email: data.guardian.email } }))).toBe(0);
  });

  it("creates nothing for an address that already has an account, emails its holder, and answers the same again", async () => {
    const lesson = await makeClass(4);
    const first = input([child("Lee", { kind: "lesson", lessonId: lesson.id })]);
    enrolled(await submitOnlineEnrollment(db, deps, first));
    const second = input([child("Mo", { kind: "lesson", lessonId: lesson.id })], { guardian: { ...first.guardian, firstName: "Someone" } });
    const before = await counts(first.guardian.email, second.key);
    const result = await submitOnlineEnrollment(db, deps, second);
    expect(result).toEqual({ existingAccount: true, accountEmail: first.guardian.email });
    const after = await counts(first.guardian.email, second.key);
    // Only the form's key and two emails: to the holder, and to the school.
    expect(after).toEqual({ ...before, keys: before.keys + 1, emails: before.emails + 2 });
    const told = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: first.guardian.email }, orderBy: { createdAt: "desc" }, select: { subject: true, text: true, secrets: true } }));
    expect(told.subject).toBe("About the enrollment form sent with your email at Online Enrollment Test School");
    expect(told.text).toContain("Hello Robin,");
    expect(told.text).toContain(`${deps.origin}/family/children`);
    expect(told.secrets).toEqual([]);
    // The same form again is answered the same, and sends nothing more.
    expect(await submitOnlineEnrollment(db, deps, second)).toEqual({ existingAccount: true, accountEmail: first.guardian.email, replayed: true });
    expect(await counts(first.guardian.email, second.key)).toEqual(after);
  });

  it("does not add a second contact who has an account, and emails them instead", async () => {
    const lesson = await makeClass(4);
    const holder = input([child("Nia", { kind: "lesson", lessonId: lesson.id })]);
    enrolled(await submitOnlineEnrollment(db, deps, holder));
    const data = input([child("Oz", { kind: "lesson", lessonId: lesson.id })], { guardian2: { firstName: "Robin", lastName: "Okafor", email: holder.guardian.email, phone: null } });
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));
    const account = await run((tx) => tx.user.findFirstOrThrow({ where: { email: holder.guardian.email }, select: { familyGroup: { select: { id: true } } } }));
    expect(account.familyGroup?.id).not.toBe(result.familyGroupId);
    const told = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: holder.guardian.email }, orderBy: { createdAt: "desc" }, select: { subject: true } }));
    expect(told.subject).toBe("You were named as a family contact at Online Enrollment Test School");
  });

  it("writes nothing at all when any part is refused (a class not offered online)", async () => {
    const open = await makeClass(4);
    const individual = await makeClass(1, "INDIVIDUAL");
    const data = input([child("Nia", { kind: "lesson", lessonId: open.id }), child("Oli", { kind: "lesson", lessonId: individual.id })], {
      guardian2: { firstName: "Sam", lastName: "Lee", email: `sam.${unique()}@example.test`, phone: null },
    });
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { registrationFee: "10.00" } }));
    const before = await counts(data.guardian.email, data.key);
    const error = await submitOnlineEnrollment(db, deps, data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnlineEnrollmentError);
    expect((error as Error).message).toMatch(/no longer taking enrollments/);
    expect(await counts(data.guardian.email, data.key)).toEqual(before);
    expect(await run((tx) => tx.enrollment.count({ where: { lessonId: open.id } }))).toBe(0);
    // The same key still works once the form is fixed.
    const fixed = enrolled(await submitOnlineEnrollment(db, deps, { ...data, children: [data.children[0]!] }));
    expect(fixed.children).toHaveLength(1);
  });

  it("never gets bad form input as far as the database", async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ key: "k".repeat(20), "guardian.email": "not-an-email", "children.0.firstName": "Pia" })) fd.append(k, v);
    const { formEntries } = await import("../../app/models/online-enrollment-form");
    const parsed = parseEnrollmentForm(formEntries(fd), { instruments: ["Piano"], programs: [], today: "2026-11-25" });
    expect(parsed.ok).toBe(false);
    // And the domain function itself refuses an impossible class inside its transaction.
    const data = input([child("Quin", { kind: "lesson", lessonId: "no-such-lesson" })]);
    const before = await counts(data.guardian.email, data.key);
    await expect(run((tx) => enrollOnline(tx, deps, data))).rejects.toBeInstanceOf(OnlineEnrollmentError);
    expect(await counts(data.guardian.email, data.key)).toEqual(before);
  });
});

describe("the landing page's data", () => {
  it("lists group classes with seats left, individual lessons, teachers and locations, in one read", async () => {
    const full = await makeClass(1);
    enrolled(await submitOnlineEnrollment(db, deps, input([child("Rae", { kind: "lesson", lessonId: full.id })])));
    const open = await makeClass(3);
    const page = await run((tx) => landingPage(tx, { schoolId, fmt: FMT, now: NOW  }));
    const shown = page.classes.find((c) => c.id === open.id);
    expect(shown?.summary).toMatch(/^[A-Z][a-z]+days \d{1,2}:00 [AP]M · Studio A · 3 seats left$/);
    expect(page.classes.find((c) => c.id === full.id)).toBeUndefined();
    expect(page.instruments).toEqual(["Guitar", "Piano", "Violin"]);
    expect(page.teachers.map((t) => t.firstName)).toContain("Tess");
    expect(page.locations).toEqual([expect.objectContaining({ name: "Main Hall", address: "1 Music Street" })]);

    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { landingShowTeachers: false, landingShowLocations: false } }));
    const trimmed = await run((tx) => landingPage(tx, { schoolId, fmt: FMT, now: NOW  }));
    expect(trimmed.teachers).toEqual([]);
    expect(trimmed.locations).toEqual([]);
    await run((tx) => tx.school.update({ where: { id: schoolId }, data: { landingShowTeachers: true, landingShowLocations: true } }));
  });
});

describe("the family pages", () => {
  async function newFamily() {
    const lesson = await makeClass(4);
    const data = input([child("Sol", { kind: "lesson", lessonId: lesson.id })]);
    const result = enrolled(await submitOnlineEnrollment(db, deps, data));
    const parent = await run((tx) => tx.user.findFirstOrThrow({ where: { email: data.guardian.email }, select: { id: true } }));
    return { data, result, parentId: parent.id, lesson };
  }

  it("shows each child's enrollments and next lessons to the parent", async () => {
    const { parentId, lesson, result } = await newFamily();
    const home = await run((tx) => familyHome(tx, parentId, FMT, NOW));
    expect(home.family?.isAdmin).toBe(true);
    expect(home.children).toHaveLength(1);
    expect(home.children[0]).toMatchObject({ id: result.children[0]!.studentId, enrollments: [expect.objectContaining({ lessonId: lesson.id, status: "ACTIVE" })], attendance: { present: 0, absent: 0 } });
    expect(home.children[0]!.upcoming).toHaveLength(1);
  });

  it("adds a second guardian with an invitation, and only the account holder may", async () => {
    const { parentId, result } = await newFamily();
    const email = `tam.${unique()}@example.test`;
    await run((tx) => addGuardian(tx, { mailer: services.mailer, origin: deps.origin, schoolName: deps.school.name }, parentId, { firstName: "Tam", lastName: "Lee", email, phone: null }));
    const tam = await run((tx) => tx.user.findFirstOrThrow({ where: { email }, select: { id: true, role: true, familyGroupId: true } }));
    expect(tam).toMatchObject({ role: "PARENT", familyGroupId: result.familyGroupId });
    const invite = await run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: email }, select: { text: true, html: true, secrets: true } }));
    expect(renderEmail(invite, { reveal: true }).text).toMatch(/set-password\?token=/);

    // Tam is not the account holder: no guardians, no billing changes.
    await expect(run((tx) => addGuardian(tx, { mailer: services.mailer, origin: deps.origin, schoolName: deps.school.name }, tam.id, { firstName: "X", lastName: "Y", email: `x.${unique()}@example.test`, phone: null }))).rejects.toBeInstanceOf(FamilyError);
    await expect(run((tx) => updateBilling(tx, tam.id, { billingEmail: "tam@example.test", billingAddress: null }))).rejects.toThrow(/account holder/);
    await run((tx) => updateBilling(tx, parentId, { billingEmail: "bills@example.test", billingAddress: "1 Main St" }));
    const home = await run((tx) => familyHome(tx, tam.id, FMT, NOW));
    expect(home.family).toMatchObject({ isAdmin: false, billingEmail: "bills@example.test", billingAddress: "1 Main St" });
    expect(home.children).toHaveLength(1);
  });

  it("adds another child, enrolled in a class or not", async () => {
    const { parentId, result } = await newFamily();
    const lesson = await makeClass(1);
    const added = await run((tx) => addChildToFamily(tx, { slug, now: NOW  }, parentId, child("Uma", { kind: "lesson", lessonId: lesson.id })));
    expect(added.outcome).toBe("ACTIVE");
    const again = await run((tx) => addChildToFamily(tx, { slug, now: NOW  }, parentId, child("Vik", { kind: "lesson", lessonId: lesson.id })));
    expect(again.outcome).toBe("WAITLISTED");
    const none = await run((tx) => addChildToFamily(tx, { slug, now: NOW  }, parentId, child("Wes", null)));
    expect(none.outcome).toBe("NONE");
    const home = await run((tx) => familyHome(tx, parentId, FMT, NOW));
    expect(home.children.map((c) => c.firstName)).toEqual(["Sol", "Uma", "Vik", "Wes"]);
    const uma = await run((tx) => tx.student.findUniqueOrThrow({ where: { id: added.studentId }, select: { emergencyContactName: true, parentEmail: true, user: { select: { familyGroupId: true } } } }));
    expect(uma).toMatchObject({ emergencyContactName: "Pat Okafor", user: { familyGroupId: result.familyGroupId } });
  });

  it("shows a student with their own login only their own lessons", async () => {
    const { result, parentId } = await newFamily();
    const sol = await run((tx) => tx.student.findUniqueOrThrow({ where: { id: result.children[0]!.studentId }, select: { userId: true } }));
    await run((tx) => addChildToFamily(tx, { slug, now: NOW  }, parentId, child("Xan", null)));
    const home = await run((tx) => familyHome(tx, sol.userId, FMT, NOW));
    expect(home.family).toBeNull();
    expect(home.children.map((c) => c.firstName)).toEqual(["Sol"]);
  });
});
