// People's access over time: deactivating and reactivating a person, changing a
// role, the rule that a school always keeps an active admin (also when two admins
// race), and the school's audit log. Through the real functions and routes, on a
// school of its own per test (the demo schools are left as they are), with
// far-future dates.
import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, describe, expect, it } from "vitest";
import { calendarFilterOptions } from "../../app/models/calendar.server";
import { createCalendarFeed } from "../../app/models/calendar-feeds.server";
import { landingPage } from "../../app/models/landing.server";
import {
  changeRole,
  deactivatePerson,
  inviteUser,
  listPeople,
  listSchoolAudit,
  PeopleAccessError,
  reactivatePerson,
  resendInvitation,
  sendPasswordReset,
  updateContact,
} from "../../app/models/people.server";
import { formatterFor } from "../../app/utils/format";
import { createLessonSeries, handOverLessons, SchedulingInputError } from "../../app/models/scheduling.server";
import { listTeachers } from "../../app/models/setup.server";
import { loader as auditLoader } from "../../app/routes/admin.audit";
import { loader as newLessonLoader } from "../../app/routes/admin.lessons.new";
import { loader as feedLoader } from "../../app/routes/calendar.$token[.]ics";
import { AccountDeactivatedError, getUser, setPasswordWithToken, signIn } from "../../app/utils/auth.server";
import { hashPassword } from "../../app/utils/password.server";
import { schoolLucia } from "../../app/utils/sessions.server";
import type { SchoolSummary } from "../../server/db/privileged.server";
import type { Tx } from "../../server/db/school-db.server";
import { renderEmail } from "../../server/services/email.server";
import { brandFor } from "../../tenants/branding";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

const PASSWORD = "a-long-test-password";
const NOW = new Date("2033-05-02T12:00:00Z");
const DAY = 86_400_000;
let passwordHash: Promise<string> | null = null;

interface World {
  school: SchoolSummary;
  tag: string;
  admin: string;
  admin2: string;
  teacher: string;
  teacher2: string;
  parent: string;
  child: string;
  pastLessonId: string;
  emails: Record<"admin" | "admin2" | "teacher" | "teacher2" | "parent", string>;
}

/** A school with two admins, two teachers (one with a past and a future lesson), and a family. */
async function makeWorld(): Promise<World> {
  const tag = randomUUID().slice(0, 8);
  const slug = `access-${tag}`;
  const school = await services.platform.createSchool(null, { name: `Access School ${tag}`, slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  return services.platform.schoolDb(school.id).run(async (tx) => {
    const user = (first: string, role: "ADMIN" | "TEACHER" | "PARENT" | "STUDENT", extra: { familyGroupId?: string; email?: string } = {}) =>
      tx.user.create({
        // Teachers have agreed to be shown on the public page.
        data: { email: extra.email ?? `${first.toLowerCase()}@${slug}.test`, firstName: first, lastName: "Test", role, passwordHash: hash, familyGroupId: extra.familyGroupId, showOnLanding: role === "TEACHER" },
        select: { id: true, email: true },
      });
    const admin = await user("Ada", "ADMIN");
    const admin2 = await user("Abe", "ADMIN");
    const teacher = await user("Tess", "TEACHER");
    const teacher2 = await user("Theo", "TEACHER");
    const parent = await user("Pat", "PARENT");
    const family = await tx.familyGroup.create({ data: { name: "Test", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const childUser = await user("Kit", "STUDENT", { familyGroupId: family.id, email: `kit@${slug}.invalid` });
    const child = await tx.student.create({ data: { userId: childUser.id }, select: { id: true } });
    // Tess taught a lesson last week (attended) and teaches one next week.
    const lesson = async (title: string, offsetDays: number) => {
      const startsAt = new Date(NOW.getTime() + offsetDays * DAY);
      const l = await tx.lesson.create({
        data: { title, type: "INDIVIDUAL", instructorId: teacher.id, startTime: startsAt, endTime: new Date(startsAt.getTime() + 1_800_000), duration: 30, maxStudents: 1 },
        select: { id: true },
      });
      const o = await tx.lessonOccurrence.create({
        data: { lessonId: l.id, startsAt, endsAt: new Date(startsAt.getTime() + 1_800_000), instructorId: teacher.id },
        select: { id: true },
      });
      await tx.enrollment.create({ data: { lessonId: l.id, studentId: child.id } });
      return { lessonId: l.id, occurrenceId: o.id };
    };
    const past = await lesson("Cello with Tess", -7);
    await tx.attendance.create({ data: { occurrenceId: past.occurrenceId, studentId: child.id, present: true, recordedById: teacher.id } });
    await lesson("Cello with Tess, again", 7);
    return {
      school,
      tag,
      admin: admin.id,
      admin2: admin2.id,
      teacher: teacher.id,
      teacher2: teacher2.id,
      parent: parent.id,
      child: childUser.id,
      pastLessonId: past.lessonId,
      emails: { admin: admin.email, admin2: admin2.email, teacher: teacher.email, teacher2: teacher2.email, parent: parent.email },
    };
  });
}

function contextFor(school: SchoolSummary): AppLoadContext {
  return loadContextFor(services, { kind: "school", school, brand: brandFor(school.brandColor) });
}

const run = <T>(w: World, work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(w.school.id).run(work);
const deps = (w: World) => ({ mailer: services.mailer, origin: `http://${w.school.slug}.localhost:3000`, schoolName: w.school.name });

function requestAs(w: World, path: string, setCookie?: string): Request {
  return new Request(`http://${w.school.slug}.localhost:3000${path}`, setCookie ? { headers: { cookie: setCookie.split(";")[0]! } } : {});
}

async function signedIn(w: World, email: string): Promise<string> {
  const result = await signIn(contextFor(w.school), email, PASSWORD);
  if (!result) throw new Error(`${email} could not sign in`);
  return result.cookie;
}

async function fetchFeed(w: World, token: string) {
  const request = requestAs(w, `/calendar/${token}.ics`);
  return (await feedLoader({ request, params: { token }, context: contextFor(w.school) })) as Response;
}

/** The Response a loader threw or returned (guards throw redirects and 403s). */
async function outcome(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (thrown) {
    return thrown;
  }
}

/** The token of the newest /set-password link mailed to `email`. */
async function linkFromOutbox(w: World, email: string, subject: RegExp): Promise<string> {
  const message = await run(w, (tx) => tx.emailMessage.findFirst({ where: { to: email }, orderBy: { createdAt: "desc" }, select: { subject: true, text: true, html: true, secrets: true } }));
  expect(message?.subject).toMatch(subject);
  expect(message?.text, "the stored email holds no usable link (outboxes never show one)").not.toMatch(/set-password\?token=/);
  // As its recipient gets it: the stored email holds a marker in place of the link.
  const token = message && renderEmail(message, { reveal: true }).text.match(/\/set-password\?token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no set-password link to ${email}`);
  return token;
}

async function accessError(work: () => Promise<unknown>): Promise<PeopleAccessError> {
  const error = await outcome(work);
  if (!(error instanceof PeopleAccessError)) throw new Error(`expected a PeopleAccessError, got ${String(error)}`);
  return error;
}

describe("deactivating a person", () => {
  it("ends their sessions, calendar feeds and email links at once, refuses sign-in, and keeps their history", async () => {
    const w = await makeWorld();
    const cookie = await signedIn(w, w.emails.teacher);
    const context = contextFor(w.school);
    expect(await getUser(requestAs(w, "/teach", cookie), context)).toMatchObject({ id: w.teacher });
    const feed = await run(w, (tx) => createCalendarFeed(tx, w.teacher));
    expect((await fetchFeed(w, feed.token)).status).toBe(200);
    await run(w, (tx) => sendPasswordReset(tx, deps(w), w.emails.teacher));
    const resetToken = await linkFromOutbox(w, w.emails.teacher, /Reset your/);

    const done = await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW }));
    expect(done).toMatchObject({ name: "Tess Test", sessionsEnded: 1, feedsRevoked: 1, linksVoided: 1, upcomingDates: 1 });

    // Signed out everywhere, the feed gone, the link dead.
    expect(await getUser(requestAs(w, "/teach", cookie), context)).toBeNull();
    expect(await run(w, (tx) => tx.session.count({ where: { userId: w.teacher } }))).toBe(0);
    expect((await fetchFeed(w, feed.token)).status).toBe(404);
    expect(await setPasswordWithToken(context, resetToken, "another-long-password")).toBeNull();

    // Sign-in: a wrong password reads as ever; the right one says the account is deactivated.
    expect(await signIn(context, w.emails.teacher, `${PASSWORD}x`)).toBeNull();
    expect(await outcome(() => signIn(context, w.emails.teacher, PASSWORD))).toBeInstanceOf(AccountDeactivatedError);

    // History stays: the person, their lessons, the attendance they recorded.
    const kept = await run(w, async (tx) => ({
      user: await tx.user.findUnique({ where: { id: w.teacher }, select: { firstName: true, deactivatedAt: true, deactivatedById: true } }),
      lessons: await tx.lesson.count({ where: { instructorId: w.teacher } }),
      occurrences: await tx.lessonOccurrence.count({ where: { instructorId: w.teacher } }),
      recorded: await tx.attendance.count({ where: { recordedById: w.teacher } }),
      feeds: await tx.calendarFeed.count({ where: { userId: w.teacher } }),
    }));
    expect(kept).toMatchObject({ user: { firstName: "Tess", deactivatedById: w.admin }, lessons: 2, occurrences: 2, recorded: 1, feeds: 1 });
    expect(kept.user?.deactivatedAt).toBeInstanceOf(Date);

    // Written to the audit log.
    const audit = await run(w, (tx) => listSchoolAudit(tx, { page: 1 }));
    expect(audit.events[0]).toMatchObject({ action: "person.deactivated", actor: { id: w.admin }, subject: { id: w.teacher }, details: { sessionsEnded: 1, feedsRevoked: 1, linksVoided: 1 } });

    // Deactivating twice is refused (nothing is written twice).
    expect((await accessError(() => run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  })))).message).toBe("Tess Test is already deactivated.");
  });

  it("refuses a session of a deactivated person even if one survived", async () => {
    const w = await makeWorld();
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));
    // A session row written after the fact (as a sign-in racing the deactivation would).
    const sessionId = await run(w, async (tx) => (await schoolLucia(tx, false).createSession(w.teacher, {})).id);
    const cookie = `encore_session=${sessionId}`;
    expect(await getUser(requestAs(w, "/teach", cookie), contextFor(w.school))).toBeNull();
  });

  it("sends a deactivated person no password-reset link", async () => {
    const w = await makeWorld();
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));
    expect(await run(w, (tx) => sendPasswordReset(tx, deps(w), w.emails.teacher))).toBe(false);
    expect(await run(w, (tx) => tx.emailMessage.count({ where: { to: w.emails.teacher } }))).toBe(0);
  });

  it("no longer offers a deactivated teacher for new lessons, but their past lessons keep their name", async () => {
    const w = await makeWorld();
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));
    const adminCookie = await signedIn(w, w.emails.admin);
    const form = (await newLessonLoader({ request: requestAs(w, "/admin/lessons/new", adminCookie), params: {}, context: contextFor(w.school) })) as {
      teachers: { id: string }[];
    };
    expect(form.teachers.map((t) => t.id)).toEqual([w.teacher2]);
    const seen = await run(w, async (tx) => ({
      calendar: (await calendarFilterOptions(tx)).teachers.map((t) => t.id),
      availability: (await listTeachers(tx, NOW)).map((t) => t.id),
      landing: (await landingPage(tx, { schoolId: w.school.id, fmt: formatterFor({ locale: "en-GB", timezone: "Europe/London", currency: "GBP" }), now: NOW })).teachers.map((t) => t.id),
      pastLesson: await tx.lesson.findUnique({ where: { id: w.pastLessonId }, select: { instructor: { select: { firstName: true, lastName: true } } } }),
    }));
    expect(seen).toEqual({ calendar: [w.teacher2], availability: [w.teacher2], landing: [w.teacher2], pastLesson: { instructor: { firstName: "Tess", lastName: "Test" } } });

    // Nor can a new lesson or a handover be given to them.
    const newLesson = {
      title: "Viola",
      type: "INDIVIDUAL" as const,
      instructorId: w.teacher,
      locationId: null,
      roomId: null,
      onlineUrl: "https://meet.example/x",
      firstDate: "2033-06-01",
      startTime: "10:00",
      durationMinutes: 30,
      recurrence: "ONCE" as const,
      maxStudents: 1,
    };
    const refused = await outcome(() => run(w, (tx) => createLessonSeries(tx, "Europe/London", newLesson, NOW)));
    expect(refused).toBeInstanceOf(SchedulingInputError);
    expect((refused as Error).message).toBe("Tess Test is deactivated. Choose an active teacher.");
    const theirs = await run(w, (tx) => createLessonSeries(tx, "Europe/London", { ...newLesson, instructorId: w.teacher2 }, NOW));
    const handover = await outcome(() =>
      run(w, (tx) => handOverLessons(tx, "Europe/London", { fromTeacherId: w.teacher2, toTeacherId: w.teacher, fromDate: "2033-05-01", lessonIds: [theirs.lesson.id] })),
    );
    expect((handover as Error).message).toBe("Tess Test is deactivated. Choose an active teacher.");
  });
});

describe("reactivating a person", () => {
  it("restores sign-in through a fresh link; the old password, links and calendar addresses stay dead", async () => {
    const w = await makeWorld();
    const context = contextFor(w.school);
    const oldFeed = await run(w, (tx) => createCalendarFeed(tx, w.teacher));
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));

    const done = await run(w, (tx) => reactivatePerson(tx, deps(w), { actorId: w.admin, userId: w.teacher }));
    expect(done).toMatchObject({ name: "Tess Test", email: w.emails.teacher });
    expect(await run(w, (tx) => tx.user.findUnique({ where: { id: w.teacher }, select: { deactivatedAt: true, deactivatedById: true } }))).toEqual({
      deactivatedAt: null,
      deactivatedById: null,
    });
    // The old password does not come back; the emailed link sets a new one.
    expect(await signIn(context, w.emails.teacher, PASSWORD)).toBeNull();
    const token = await linkFromOutbox(w, w.emails.teacher, /Welcome back to Access School/);
    const set = await setPasswordWithToken(context, token, "a-brand-new-password");
    expect(await getUser(requestAs(w, "/teach", set!.cookie), context)).toMatchObject({ id: w.teacher, role: "TEACHER" });
    expect(await signIn(context, w.emails.teacher, "a-brand-new-password")).not.toBeNull();

    // Calendar feeds: the old address stays revoked; a new one works.
    expect((await fetchFeed(w, oldFeed.token)).status).toBe(404);
    const fresh = await run(w, (tx) => createCalendarFeed(tx, w.teacher));
    expect((await fetchFeed(w, fresh.token)).status).toBe(200);

    const audit = await run(w, (tx) => listSchoolAudit(tx, { page: 1 }));
    expect(audit.events.map((e) => e.action).slice(0, 2)).toEqual(["person.reactivated", "person.deactivated"]);
    expect((await accessError(() => run(w, (tx) => reactivatePerson(tx, deps(w), { actorId: w.admin, userId: w.teacher })))).message).toBe("Tess Test is active already.");
  });
});

describe("a person's profile", () => {
  it("changes name, email and phone; a new email voids the links sent to the old one and re-invites an invited person", async () => {
    const w = await makeWorld();
    const email = `invitee-${w.tag}@example.test`;
    const invitee = await run(w, (tx) => inviteUser(tx, { ...deps(w), invitedBy: "Ada Test", actorId: w.admin }, { email, firstName: "Ina", lastName: "Vite", role: "TEACHER" }));
    const firstLink = await linkFromOutbox(w, email, /Your invitation to Access School/);
    const newEmail = `ina-${w.tag}@example.test`;
    const done = await run(w, (tx) =>
      updateContact(tx, { ...deps(w), invitedBy: "Ada Test" }, { actorId: w.admin, userId: invitee.id, contact: { firstName: "Ina", lastName: "Vitale", email: newEmail.toUpperCase(), phone: "020 7946 0000" } }),
    );
    expect(done).toEqual({ name: "Ina Vitale", changed: ["name", "email", "phone"], invitationResent: true });
    expect(await run(w, (tx) => tx.user.findUniqueOrThrow({ where: { id: invitee.id }, select: { email: true, lastName: true, phone: true } }))).toEqual({ email: newEmail, lastName: "Vitale", phone: "020 7946 0000" });
    // The link that went to the old address is dead; the new address got a working one.
    expect(await setPasswordWithToken(contextFor(w.school), firstLink, "a-long-new-password")).toBeNull();
    const secondLink = await linkFromOutbox(w, newEmail, /Your invitation to Access School/);
    expect(await setPasswordWithToken(contextFor(w.school), secondLink, "a-long-new-password")).not.toBeNull();
    const audit = await run(w, (tx) => listSchoolAudit(tx, { page: 1 }));
    expect(audit.events[0]).toMatchObject({ action: "person.contact_changed", text: `Changed name, email and phone (email ${email} → ${newEmail}).` });
  });

  it("refuses an email that belongs to someone else, and changes nothing", async () => {
    const w = await makeWorld();
    const error = await accessError(() => run(w, (tx) => updateContact(tx, { ...deps(w), invitedBy: "Ada Test" }, { actorId: w.admin, userId: w.teacher, contact: { firstName: "Tess", lastName: "Test", email: w.emails.teacher2, phone: null } })));
    expect(error.message).toBe(`${w.emails.teacher2} already belongs to someone else at this school.`);
    expect(await run(w, (tx) => tx.user.findUniqueOrThrow({ where: { id: w.teacher }, select: { email: true } }))).toEqual({ email: w.emails.teacher });
  });

  it("sends an invitation again only to someone without a password, voiding the earlier link", async () => {
    const w = await makeWorld();
    const email = `again-${w.tag}@example.test`;
    const invitee = await run(w, (tx) => inviteUser(tx, { ...deps(w), invitedBy: "Ada Test", actorId: w.admin }, { email, firstName: "Al", lastName: "Again", role: "PARENT" }));
    const firstLink = await linkFromOutbox(w, email, /Your invitation/);
    expect(await run(w, (tx) => resendInvitation(tx, { ...deps(w), invitedBy: "Ada Test" }, { actorId: w.admin, userId: invitee.id }))).toEqual({ name: "Al Again", email });
    expect(await setPasswordWithToken(contextFor(w.school), firstLink, "a-long-new-password")).toBeNull();
    expect((await accessError(() => run(w, (tx) => resendInvitation(tx, { ...deps(w), invitedBy: "Ada Test" }, { actorId: w.admin, userId: w.teacher })))).message).toMatch(/has set a password already/);
    expect((await accessError(() => run(w, (tx) => resendInvitation(tx, { ...deps(w), invitedBy: "Ada Test" }, { actorId: w.admin, userId: w.child })))).message).toBe("Kit Test has no login of their own to be invited to.");
  });
});

describe("changing a role", () => {
  it("ends the person's sessions and is written to the audit log", async () => {
    const w = await makeWorld();
    const context = contextFor(w.school);
    const cookie = await signedIn(w, w.emails.teacher);
    const done = await run(w, (tx) => changeRole(tx, { actorId: w.admin, userId: w.teacher, role: "ADMIN" }));
    expect(done).toMatchObject({ name: "Tess Test", from: "TEACHER", to: "ADMIN", sessionsEnded: 1 });
    expect(await getUser(requestAs(w, "/teach", cookie), context)).toBeNull();
    const again = await signedIn(w, w.emails.teacher);
    expect(await getUser(requestAs(w, "/admin", again), context)).toMatchObject({ role: "ADMIN" });
    const audit = await run(w, (tx) => listSchoolAudit(tx, { page: 1 }));
    expect(audit.events[0]).toMatchObject({ action: "person.role_changed", actor: { id: w.admin }, subject: { id: w.teacher }, details: { from: "TEACHER", to: "ADMIN" } });
    // Their lessons are still theirs.
    expect(await run(w, (tx) => tx.lesson.count({ where: { instructorId: w.teacher } }))).toBe(2);
  });

  it("refuses changes that make no sense, with the reason", async () => {
    const w = await makeWorld();
    const attempt = (userId: string, role: "ADMIN" | "TEACHER" | "PARENT" | "STUDENT") =>
      accessError(() => run(w, (tx) => changeRole(tx, { actorId: w.admin, userId, role })));
    expect((await attempt(w.child, "ADMIN")).message).toMatch(/^Kit Test is a student of the school/);
    expect((await attempt(w.parent, "TEACHER")).message).toMatch(/^Pat Test is a parent in the Test family/);
    expect((await attempt(w.teacher, "STUDENT")).message).toMatch(/come with a family/);
    expect((await attempt(w.teacher, "TEACHER")).message).toBe("Tess Test is already a teacher.");
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));
    expect((await attempt(w.teacher, "ADMIN")).message).toMatch(/is deactivated\. Reactivate them first/);
    expect(await run(w, (tx) => tx.schoolAuditEvent.count({ where: { action: "person.role_changed" } }))).toBe(0);
  });

  it("only an active admin may change access", async () => {
    const w = await makeWorld();
    const error = await accessError(() => run(w, (tx) => deactivatePerson(tx, { actorId: w.teacher2, userId: w.teacher, now: NOW  })));
    expect(error.status).toBe(403);
  });
});

describe("the school always keeps an active admin", () => {
  it("the last active admin can neither deactivate themself nor drop their admin role", async () => {
    const w = await makeWorld();
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.admin2, now: NOW  }));
    const self = await accessError(() => run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.admin, now: NOW  })));
    expect(self.message).toMatch(/^You are the school's only active admin, so you cannot be deactivated/);
    const demote = await accessError(() => run(w, (tx) => changeRole(tx, { actorId: w.admin, userId: w.admin, role: "TEACHER" })));
    expect(demote.message).toMatch(/^You are the school's only active admin, so you cannot be given another role/);
    // With a second admin again, stepping down is fine.
    await run(w, (tx) => changeRole(tx, { actorId: w.admin, userId: w.teacher2, role: "ADMIN" }));
    await run(w, (tx) => changeRole(tx, { actorId: w.admin, userId: w.admin, role: "TEACHER" }));
    expect(await run(w, (tx) => tx.user.count({ where: { role: "ADMIN", deactivatedAt: null } }))).toBe(1);
  });

  it("two admins demoting (or deactivating) each other at the same moment: exactly one admin remains", async () => {
    for (const kind of ["role", "deactivate"] as const) {
      const w = await makeWorld();
      // Each change waits, before it commits, until the other has done its work too
      // (or a moment has passed, when the other is waiting for a lock): without a lock,
      // both would see two admins and both would commit.
      let arrived = 0;
      const bothDone = () =>
        new Promise<void>((resolve) => {
          arrived += 1;
          const started = Date.now();
          const poll = () => (arrived >= 2 || Date.now() - started > 750 ? resolve() : setTimeout(poll, 10));
          poll();
        });
      const change = (actorId: string, userId: string) =>
        run(w, async (tx) => {
          const result = kind === "role" ? await changeRole(tx, { actorId, userId, role: "TEACHER" }) : await deactivatePerson(tx, { actorId, userId, now: NOW  });
          await bothDone();
          return result;
        });
      const results = await Promise.allSettled([change(w.admin, w.admin2), change(w.admin2, w.admin)]);
      expect(results.map((r) => r.status).sort(), kind).toEqual(["fulfilled", "rejected"]);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(PeopleAccessError);
      expect(await run(w, (tx) => tx.user.count({ where: { role: "ADMIN", deactivatedAt: null } })), kind).toBe(1);
    }
  });
});

describe("the audit log", () => {
  it("records invitations from the People page with who sent them", async () => {
    const w = await makeWorld();
    const email = `new-${w.tag}@example.test`;
    await run(w, (tx) => inviteUser(tx, { ...deps(w), invitedBy: "Ada Test", actorId: w.admin }, { email, firstName: "Nia", lastName: "New", role: "TEACHER" }));
    const audit = await run(w, (tx) => listSchoolAudit(tx, { page: 1 }));
    expect(audit.events[0]).toMatchObject({ action: "person.invited", actor: { id: w.admin, name: "Ada Test" }, subject: { name: "Nia New" }, details: { role: "TEACHER", email } });
  });

  it("is read by the school's admins, newest first and a page at a time; a teacher gets 403", async () => {
    const w = await makeWorld();
    await run(w, async (tx) => {
      await tx.schoolAuditEvent.createMany({
        data: Array.from({ length: 55 }, (_, i) => ({
          actedById: w.admin,
          subjectId: w.teacher2,
          action: "person.role_changed",
          details: { from: "TEACHER", to: "ADMIN", n: i },
          createdAt: new Date(NOW.getTime() + i * 60_000),
        })),
      });
    });
    const adminCookie = await signedIn(w, w.emails.admin);
    const page = async (n: number) =>
      (await auditLoader({ request: requestAs(w, `/admin/audit?page=${n}`, adminCookie), params: {}, context: contextFor(w.school) })) as {
        events: { details: { n: number } | null; text: string }[];
        page: number;
        pages: number;
        total: number;
      };
    const first = await page(1);
    expect(first).toMatchObject({ page: 1, pages: 2, total: 55 });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.details?.n).toBe(54);
    expect(first.events[0]!.text).toBe("Role changed from teacher to admin; signed out everywhere.");
    const second = await page(2);
    expect(second.events.map((e) => e.details?.n)).toEqual([4, 3, 2, 1, 0]);
    expect((await page(99)).page).toBe(2);

    const teacherCookie = await signedIn(w, w.emails.teacher);
    const refused = await outcome(() => auditLoader({ request: requestAs(w, "/admin/audit", teacherCookie), params: {}, context: contextFor(w.school) }));
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
  });

  it("lists deactivated people as such on the People page", async () => {
    const w = await makeWorld();
    await run(w, (tx) => deactivatePerson(tx, { actorId: w.admin, userId: w.teacher, now: NOW  }));
    const people = await run(w, (tx) => listPeople(tx));
    expect(people.find((p) => p.id === w.teacher)).toMatchObject({ status: "DEACTIVATED" });
    expect(people.find((p) => p.id === w.teacher2)).toMatchObject({ status: "ACTIVE" });
    expect(people.find((p) => p.id === w.child)).toMatchObject({ status: "NO_LOGIN" });
  });
});
