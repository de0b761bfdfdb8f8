// Background jobs: the task functions called directly (no pg-boss timing), with a
// Mailer pointed at a local fake of Resend's API, plus one smoke run through pg-boss.
// Every test works in a school of its own, and the tasks are scoped to it, so other
// test files' emails and lessons are never touched.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLessonSeries } from "../../app/models/scheduling.server";
import { makeFormatter } from "../../app/domain/locale";
import type { Tx } from "../../server/db/school-db.server";
import { deliverQueuedEmails, extendAllHorizons, MAX_EMAIL_ATTEMPTS, sendLessonReminders } from "../../server/jobs/tasks.server";
import { startJobs } from "../../server/jobs/worker.server";
import { Mailer } from "../../server/services/email.server";
import { testServices } from "../support/services";

const HOUR = 3_600_000;
const ZONE = "America/New_York";

// ---- a fake Resend -----------------------------------------------------------------

interface FakeResend {
  url: string;
  requests: { path: string; auth: string | undefined; body: Record<string, unknown> }[];
  mode: "ok" | "fail";
  close(): Promise<void>;
}

async function fakeResend(): Promise<FakeResend> {
  const fake: FakeResend = { url: "", requests: [], mode: "ok", close: async () => {} };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      fake.requests.push({ path: req.url ?? "", auth: req.headers.authorization, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ name: "not_found", message: "Not found", statusCode: 404 }));
      } else if (fake.mode === "fail") {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ name: "internal_server_error", message: "Resend is having a bad day", statusCode: 500 }));
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `re_${fake.requests.length}_${randomUUID()}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

// ---- setup ----------------------------------------------------------------------------

const services = testServices();
let fake: FakeResend;
let resendMailer: Mailer;
let schoolId: string;
const outboxMailer = services.mailer;

beforeAll(async () => {
  fake = await fakeResend();
  resendMailer = new Mailer({ from: "Encore Tests <tests@encore.test>", resendApiKey: "re_test", resendBaseUrl: fake.url });
  const slug = `jobs-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Jobs Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
});

afterAll(async () => {
  await fake.close();
  await services.close();
});

const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(schoolId).run(work);
const unique = () => randomUUID().slice(0, 8);

async function queueEmail(subject: string) {
  return run((tx) => resendMailer.send(tx, { to: `someone-${unique()}@example.test`, subject, text: "Hello from the tests." }));
}

async function emailRow(id: string) {
  return run((tx) => tx.emailMessage.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, providerId: true, sentAt: true, error: true, transport: true } }));
}

async function teacher(tx: Tx) {
  return tx.user.create({ data: { email: `teacher-${unique()}@jobs.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
}

// ---- email delivery ---------------------------------------------------------------

describe("deliver-emails", () => {
  it("delivers a queued email once and marks it SENT with the provider's id", async () => {
    fake.mode = "ok";
    const { id } = await queueEmail("Delivered once");
    expect(await emailRow(id)).toMatchObject({ status: "QUEUED", transport: "RESEND", attempts: 0 });

    const before = fake.requests.length;
    const report = await deliverQueuedEmails({ platform: services.platform, mailer: resendMailer }, 10, { schoolIds: [schoolId] });
    expect(report).toMatchObject({ claimed: 1, sent: 1, failed: 0, retrying: 0 });
    const calls = fake.requests.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: "/emails", auth: "Bearer re_test", body: { from: "Encore Tests <tests@encore.test>", subject: "Delivered once", text: "Hello from the tests." } });

    const row = await emailRow(id);
    expect(row.status).toBe("SENT");
    expect(row.providerId).toMatch(/^re_/);
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);

    // Nothing is left to deliver: a second run sends nothing.
    const again = await deliverQueuedEmails({ platform: services.platform, mailer: resendMailer }, 10, { schoolIds: [schoolId] });
    expect(again.claimed).toBe(0);
    expect(fake.requests.length).toBe(before + 1);
  });

  it("retries a failing delivery on each run and gives up as FAILED after five attempts", async () => {
    fake.mode = "fail";
    const { id } = await queueEmail("Never gets through");
    const deliver = () => deliverQueuedEmails({ platform: services.platform, mailer: resendMailer }, 10, { schoolIds: [schoolId] });
    const before = fake.requests.length;
    for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt++) {
      const report = await deliver();
      expect(report).toMatchObject({ claimed: 1, retrying: 1, sent: 0, failed: 0 });
      expect(await emailRow(id)).toMatchObject({ status: "QUEUED", attempts: attempt });
    }
    expect(await deliver()).toMatchObject({ claimed: 1, failed: 1 });
    const row = await emailRow(id);
    expect(row).toMatchObject({ status: "FAILED", attempts: MAX_EMAIL_ATTEMPTS, sentAt: null, providerId: null });
    expect(row.error).toContain("Resend is having a bad day");
    expect(fake.requests.length - before).toBe(MAX_EMAIL_ATTEMPTS);

    // A FAILED email is not tried again.
    expect((await deliver()).claimed).toBe(0);
    expect(fake.requests.length - before).toBe(MAX_EMAIL_ATTEMPTS);
    fake.mode = "ok";
  });

  it("leaves queued emails alone when no provider is configured", async () => {
    const { id } = await queueEmail("Waits for a provider");
    const report = await deliverQueuedEmails({ platform: services.platform, mailer: outboxMailer }, 10, { schoolIds: [schoolId] });
    expect(report.claimed).toBe(0);
    expect(await emailRow(id)).toMatchObject({ status: "QUEUED", attempts: 0 });
    // Tidy up for the next tests.
    await deliverQueuedEmails({ platform: services.platform, mailer: resendMailer }, 10, { schoolIds: [schoolId] });
  });
});

// ---- lesson reminders -----------------------------------------------------------------

describe("lesson-reminders", () => {
  it("reminds each family address once for a lesson 24–25 hours after the tick, honouring the preference", async () => {
    // A far-future tick, on the hour.
    const tick = new Date(Date.UTC(2031, 2, 11, 14, 0, 0));
    const tag = unique();
    const data = await run(async (tx) => {
      const t = await teacher(tx);
      const mkParent = (name: string, lessonReminders: boolean) =>
        tx.user.create({ data: { email: `${name}-${tag}@families.test`, firstName: name, lastName: "Parent", role: "PARENT", passwordHash: "x", lessonReminders }, select: { id: true, email: true } });
      const mkFamily = async (parent: { id: string; email: string }, name: string) => {
        const fam = await tx.familyGroup.create({ data: { name, adminId: parent.id, billingEmail: parent.email }, select: { id: true } });
        await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: fam.id } });
        return fam.id;
      };
      const mkStudent = async (firstName: string, familyGroupId: string, parentEmail: string, ownLogin: boolean) => {
        const user = await tx.user.create({
          data: {
            email: ownLogin ? `${firstName}-${tag}@students.test` : `${firstName}-${tag}@students.invalid`,
            firstName,
            lastName: "Student",
            role: "STUDENT",
            passwordHash: ownLogin ? "x" : null,
            familyGroupId,
          },
          select: { id: true, email: true },
        });
        const student = await tx.student.create({ data: { userId: user.id, parentEmail }, select: { id: true } });
        return { ...student, email: user.email };
      };
      const keen = await mkParent("keen", true);
      const keenFamily = await mkFamily(keen, "Keen family");
      const ada = await mkStudent("Ada", keenFamily, keen.email, false);
      const bo = await mkStudent("Bo", keenFamily, keen.email, true);
      const quiet = await mkParent("quiet", false);
      const quietFamily = await mkFamily(quiet, "Quiet family");
      const cy = await mkStudent("Cy", quietFamily, quiet.email, false);

      const mkLesson = async (title: string, startsAt: Date, minutes: number) => {
        const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
        const lesson = await tx.lesson.create({
          data: { title, type: "GROUP", instructorId: t.id, startTime: startsAt, endTime: endsAt, duration: minutes, recurrence: "ONCE", maxStudents: 8 },
          select: { id: true },
        });
        const occurrence = await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt, endsAt, instructorId: t.id }, select: { id: true } });
        await tx.enrollment.createMany({ data: [ada, bo, cy].map((s) => ({ lessonId: lesson.id, studentId: s.id, status: "ACTIVE" as const })) });
        return { lessonId: lesson.id, occurrenceId: occurrence.id, startsAt };
      };
      const early = await mkLesson(`Early ${tag}`, new Date(tick.getTime() + 23.5 * HOUR), 30);
      const inWindow = await mkLesson(`Theory ${tag}`, new Date(tick.getTime() + 24.5 * HOUR), 30);
      const nextHour = await mkLesson(`Ensemble ${tag}`, new Date(tick.getTime() + 25 * HOUR), 30);
      return { keen, bo, quiet, early, inWindow, nextHour };
    });

    const reminders = () =>
      run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Reminder: " }, text: { contains: tag } }, orderBy: { createdAt: "asc" }, select: { to: true, subject: true, text: true } }));

    const first = await sendLessonReminders(services, tick, { schoolIds: [schoolId] });
    expect(first.errors).toEqual([]);
    let sent = await reminders();
    const subject = `Reminder: Theory ${tag} tomorrow at ${makeFormatter({ locale: "en-US", timeZone: ZONE, currency: "USD" }).time(data.inWindow.startsAt)}`;
    // The keen family: the parent (once, naming both children) and Bo's own login.
    expect(sent.map((e) => e.to).sort()).toEqual([data.bo.email, data.keen.email].sort());
    expect(sent.every((e) => e.subject === subject)).toBe(true);
    expect(sent.find((e) => e.to === data.keen.email)!.text).toContain("Ada and Bo");
    // The quiet family turned reminders off.
    expect(sent.some((e) => e.to === data.quiet.email)).toBe(false);

    // A retried run of the same tick (even a minute into the hour) sends nothing twice.
    const retried = await sendLessonReminders(services, new Date(tick.getTime() + 60_000), { schoolIds: [schoolId] });
    expect(retried.emails).toBe(0);
    expect(await reminders()).toHaveLength(2);

    // The next hour's run reminds the next lesson only.
    await sendLessonReminders(services, new Date(tick.getTime() + HOUR), { schoolIds: [schoolId] });
    sent = await reminders();
    expect(sent).toHaveLength(4);
    expect(sent.filter((e) => e.subject.startsWith(`Reminder: Ensemble ${tag}`)).map((e) => e.to).sort()).toEqual([data.bo.email, data.keen.email].sort());
    expect(sent.some((e) => e.subject.includes(`Early ${tag}`))).toBe(false);
  });

  it("does not remind of a cancelled date or a student who already sent apologies", async () => {
    const tick = new Date(Date.UTC(2031, 4, 20, 9, 0, 0));
    const tag = unique();
    const parentEmail = `p-${tag}@families.test`;
    await run(async (tx) => {
      const t = await teacher(tx);
      const parent = await tx.user.create({ data: { email: parentEmail, firstName: "P", lastName: "Parent", role: "PARENT", passwordHash: "x" }, select: { id: true } });
      const fam = await tx.familyGroup.create({ data: { name: "F", adminId: parent.id }, select: { id: true } });
      const u = await tx.user.create({ data: { email: `kid-${tag}@students.invalid`, firstName: "Kid", lastName: "K", role: "STUDENT", familyGroupId: fam.id }, select: { id: true } });
      const s = await tx.student.create({ data: { userId: u.id }, select: { id: true } });
      const startsAt = new Date(tick.getTime() + 24.25 * HOUR);
      for (const [i, how] of (["cancelled", "apologies"] as const).entries()) {
        const at = new Date(startsAt.getTime() + i * 30 * 60_000);
        const end = new Date(at.getTime() + 30 * 60_000);
        const lesson = await tx.lesson.create({
          data: { title: `Skip ${how} ${tag}`, type: "GROUP", instructorId: t.id, startTime: at, endTime: end, duration: 30, recurrence: "ONCE" },
          select: { id: true },
        });
        const o = await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt: at, endsAt: end, instructorId: t.id, status: how === "cancelled" ? "CANCELLED" : "SCHEDULED" }, select: { id: true } });
        await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: s.id } });
        if (how === "apologies") await tx.attendance.create({ data: { occurrenceId: o.id, studentId: s.id, present: false, absenceNotified: true } });
      }
    });
    const report = await sendLessonReminders(services, tick, { schoolIds: [schoolId] });
    expect(report.errors).toEqual([]);
    const sent = await run((tx) => tx.emailMessage.count({ where: { to: parentEmail } }));
    expect(sent).toBe(0);
  });
});

// ---- the horizon -------------------------------------------------------------------

describe("extend-horizon", () => {
  it("adds occurrences to an open-ended series whose horizon has passed", async () => {
    const created = await run(async (tx) => {
      const t = await teacher(tx);
      return createLessonSeries(
        tx,
        ZONE,
        {
          title: `Open-ended ${unique()}`,
          type: "GROUP",
          instructorId: t.id,
          locationId: null,
          roomId: null,
          firstDate: "2030-01-07",
          startTime: "10:00",
          durationMinutes: 60,
          recurrence: "WEEKLY",
          maxStudents: 6,
        },
        new Date("2030-01-01T12:00:00Z"),
      );
    });
    const lessonId = created.lesson.id;
    const state = () =>
      run(async (tx) => ({
        count: await tx.lessonOccurrence.count({ where: { lessonId } }),
        last: (await tx.lessonOccurrence.findFirst({ where: { lessonId }, orderBy: { startsAt: "desc" }, select: { startsAt: true } }))!.startsAt,
        expandedUntil: (await tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { expandedUntil: true } })).expandedUntil!,
      }));
    const before = await state();
    expect(before.count).toBe(created.occurrenceCount);
    expect(before.expandedUntil.getTime()).toBeLessThan(new Date("2031-06-01").getTime());

    const now = new Date("2031-06-01T12:00:00Z");
    const report = await extendAllHorizons(services, now, { schoolIds: [schoolId] });
    expect(report.errors).toEqual([]);
    const after = await state();
    expect(report.created).toBeGreaterThanOrEqual(after.count - before.count);
    expect(after.count - before.count).toBeGreaterThan(60); // ~16 months of weeks
    expect(after.last.getTime()).toBeGreaterThan(new Date("2032-06-01").getTime());
    expect(after.expandedUntil.getTime()).toBe(now.getTime() + 400 * 86_400_000);

    // Running it again for the same day adds nothing.
    const again = await extendAllHorizons(services, now, { schoolIds: [schoolId] });
    expect(again.created).toBe(0);
    expect((await state()).count).toBe(after.count);
  });
});

// ---- through pg-boss ------------------------------------------------------------------

describe("the worker", () => {
  it("starts pg-boss on the owner connection and runs triggered jobs", async () => {
    fake.mode = "ok";
    const jobs = await startJobs(
      { platform: services.platform, mailer: resendMailer, env: services.env, clock: services.clock, payments: services.payments },
      { connectionString: inject("ownerUrl"), pollingIntervalSeconds: 0.5, scope: { schoolIds: [schoolId] } },
    );
    const waitFor = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if (await check()) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    };
    try {
      const { id } = await queueEmail("Through pg-boss");
      await jobs.trigger("deliver-emails");
      expect(await waitFor(async () => (await emailRow(id)).status === "SENT")).toBe(true);

      // A reminder run for a given tick (as the hourly cron would make it).
      const tick = new Date(Date.UTC(2031, 7, 3, 16, 0, 0));
      const tag = unique();
      const parentEmail = `worker-${tag}@families.test`;
      await run(async (tx) => {
        const t = await teacher(tx);
        const parent = await tx.user.create({ data: { email: parentEmail, firstName: "W", lastName: "Parent", role: "PARENT", passwordHash: "x" }, select: { id: true } });
        const fam = await tx.familyGroup.create({ data: { name: "W", adminId: parent.id }, select: { id: true } });
        const u = await tx.user.create({ data: { email: `w-${tag}@students.invalid`, firstName: "Wren", lastName: "W", role: "STUDENT", familyGroupId: fam.id }, select: { id: true } });
        const s = await tx.student.create({ data: { userId: u.id }, select: { id: true } });
        const startsAt = new Date(tick.getTime() + 24.5 * HOUR);
        const endsAt = new Date(startsAt.getTime() + 45 * 60_000);
        const lesson = await tx.lesson.create({
          data: { title: `Worker ${tag}`, type: "INDIVIDUAL", instructorId: t.id, startTime: startsAt, endTime: endsAt, duration: 45, recurrence: "ONCE" },
          select: { id: true },
        });
        await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt, endsAt, instructorId: t.id } });
        await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: s.id } });
      });
      await jobs.trigger("lesson-reminders", { tick: tick.toISOString() });
      expect(await waitFor(async () => (await run((tx) => tx.emailMessage.count({ where: { to: parentEmail } }))) === 1)).toBe(true);
    } finally {
      await jobs.stop();
    }
  });
});
