// What the background jobs do, as plain functions of the services and a time, so
// tests call them directly (no pg-boss, no waiting). The worker (worker.server.ts)
// only decides when they run. Cross-school reads go through the privileged module;
// each school's own work runs in that school's RLS-bound transaction.
import { formatterFor } from "../../app/utils/format";
import { remindUnbooked } from "../../app/models/hybrid.server";
import { familyAddresses } from "../../app/models/notify.server";
import { remindExpiringCredits } from "../../app/models/makeups.server";
import { extendHorizon } from "../../app/models/scheduling.server";
import { runOverdue } from "../../app/models/overdue.server";
import { announceReleases } from "../../app/models/resources.server";
import { isOverdueHour } from "../../app/domain/overdue";
import { toLocalDate } from "../../app/domain/time";
import { publicAddressOf, publicLinks } from "../../tenants/links";
import type { Services } from "../context";
import type { EmailOutcome, QueuedEmail } from "../db/privileged.server";
import type { Tx } from "../db/school-db.server";
import { renderEmail, type Mailer } from "../services/email.server";

type JobServices = Pick<Services, "platform" | "mailer">;

/** Scoping for tests and manual re-runs; the jobs themselves cover every active school. */
export interface TaskScope {
  schoolIds?: string[];
}

const MS_PER_HOUR = 3_600_000;

// ---- email delivery ------------------------------------------------------------------

/** After this many failed attempts an email is FAILED and no longer retried. */
export const MAX_EMAIL_ATTEMPTS = 5;

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Hands QUEUED emails to the provider, `batch` at a time, until none is left (or
 * `maxBatches` ran). Each email is tried at most once per run: a failure goes back
 * to QUEUED with attempts + 1 for the next run, and to FAILED at MAX_EMAIL_ATTEMPTS.
 * In outbox mode (no provider) nothing is queued and this does nothing.
 */
export async function deliverQueuedEmails(
  services: JobServices,
  batch = 25,
  opts: TaskScope & { maxBatches?: number; concurrency?: number; timeoutMs?: number } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  // Without a provider a QUEUED row (left from when one was configured) must stay
  // queued: marking it SENT would claim a delivery that never happened.
  if (services.mailer.transport !== "RESEND") return report;
  const seen: string[] = [];
  const maxBatches = opts.maxBatches ?? 20;
  for (let i = 0; i < maxBatches; i++) {
    const { claimed } = await services.platform.processQueuedEmails(
      { batch, excludeIds: seen, schoolIds: opts.schoolIds },
      async (emails) => {
        const outcomes = await mapLimit(emails, opts.concurrency ?? 5, (email) => deliverOne(services.mailer, email, opts.timeoutMs ?? 15_000));
        for (const o of outcomes) {
          if (o.status === "SENT") report.sent++;
          else if (o.status === "FAILED") report.failed++;
          else report.retrying++;
        }
        return outcomes;
      },
    );
    report.claimed += claimed;
    if (claimed < batch) break;
  }
  return report;

  async function deliverOne(mailer: Mailer, email: QueuedEmail, timeoutMs: number): Promise<EmailOutcome> {
    seen.push(email.id);
    const attempts = email.attempts + 1;
    let result: Awaited<ReturnType<Mailer["deliver"]>>;
    try {
      result = await withTimeout(
        mailer.deliver({ to: email.to, subject: email.subject, ...renderEmail(email, { reveal: true }) }),
        timeoutMs,
      );
    } catch (error) {
      result = { ok: false, error: (error as Error).message || String(error) };
    }
    if (result.ok) return { id: email.id, status: "SENT", attempts, providerId: result.providerId, sentAt: new Date() };
    return { id: email.id, status: attempts >= MAX_EMAIL_ATTEMPTS ? "FAILED" : "QUEUED", attempts, error: result.error };
  }
}

// ---- the horizon ----------------------------------------------------------------------

export interface HorizonReport {
  schools: number;
  lessons: number;
  created: number;
  skipped: string[];
  errors: { schoolId: string; error: string }[];
}

/** Keeps every active school's open-ended series HORIZON_DAYS ahead of `now`. */
export async function extendAllHorizons(services: JobServices, now: Date, opts: TaskScope = {}): Promise<HorizonReport> {
  const schools = await services.platform.listActiveSchools(opts);
  const report: HorizonReport = { schools: schools.length, lessons: 0, created: 0, skipped: [], errors: [] };
  for (const school of schools) {
    try {
      const r = await services.platform.schoolDb(school.id).run((tx) => extendHorizon(tx, school.timezone, now), { timeout: 300_000 });
      report.lessons += r.lessons;
      report.created += r.created;
      report.skipped.push(...r.skipped.map((s) => `${school.slug}: ${s}`));
    } catch (error) {
      // One school's failure must not hold the others back; the job reports it.
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}

// ---- families' booking and credit reminders ---------------------------------------------

export interface FamilyReminderReport {
  schools: number;
  unbookedWeeks: number;
  expiringCredits: number;
  errors: { schoolId: string; error: string }[];
}

/**
 * The daily run: families who have not booked an individual week that starts in the
 * hybrid lesson's reminder days, and make-up credits a week before they expire
 * (each credit reminded once).
 */
export async function sendFamilyReminders(
  services: JobServices & Pick<Services, "env">,
  now: Date,
  opts: TaskScope = {},
): Promise<FamilyReminderReport> {
  const links = publicLinks(publicAddressOf(services.env));
  const schools = await services.platform.listActiveSchools(opts);
  const report: FamilyReminderReport = { schools: schools.length, unbookedWeeks: 0, expiringCredits: 0, errors: [] };
  for (const school of schools) {
    const origin = links.school(school);
    try {
      const r = await services.platform.schoolDb(school.id).run(
        async (tx) => ({
          hybrid: await remindUnbooked(tx, services.mailer, { timeZone: school.timezone, origin, now }),
          credits: await remindExpiringCredits(tx, services.mailer, { timeZone: school.timezone, origin, now }),
        }),
        { timeout: 120_000 },
      );
      report.unbookedWeeks += r.hybrid.sent;
      report.expiringCredits += r.credits.reminded;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}

// ---- overdue invoices --------------------------------------------------------------------

export interface OverdueReport {
  schools: number;
  overdueInvoices: number;
  reminders: number;
  lateFees: number;
  errors: { schoolId: string; error: string }[];
}

/**
 * The hourly tick of the overdue job: each school whose local time is its overdue hour
 * (09:00, app/domain/overdue.ts) gets its daily run on its local date: late fees (once per
 * invoice) and the reminders of the day (once per invoice and reminder day). `allSchools`
 * runs every school regardless of the hour (tests, a manual re-run). Re-running a tick
 * changes nothing.
 */
export async function runOverdueInvoices(
  services: JobServices & Pick<Services, "env">,
  tickHour: Date,
  opts: TaskScope & { allSchools?: boolean } = {},
): Promise<OverdueReport> {
  const tick = floorToHour(tickHour);
  const links = publicLinks(publicAddressOf(services.env));
  const schools = (await services.platform.listActiveSchools(opts)).filter((s) => opts.allSchools || isOverdueHour(tick, s.timezone));
  const report: OverdueReport = { schools: schools.length, overdueInvoices: 0, reminders: 0, lateFees: 0, errors: [] };
  for (const school of schools) {
    try {
      const r = await services.platform
        .schoolDb(school.id)
        .run((tx) => runOverdue(tx, services.mailer, { now: tickHour, today: toLocalDate(tickHour, school.timezone), origin: links.school(school) }), { timeout: 120_000 });
      report.overdueInvoices += r.overdueInvoices;
      report.reminders += r.reminders;
      report.lateFees += r.lateFees;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}

// ---- resource releases -------------------------------------------------------------------

export interface ReleaseReport {
  schools: number;
  resources: number;
  emails: number;
  errors: { schoolId: string; error: string }[];
}

/**
 * Announces every learning resource released by `now` and not yet announced, once per
 * resource (app/models/resources.server.ts, announceReleases): runs every minute, so a
 * release is emailed within a minute of its time; a retry or a second server sends
 * nothing twice.
 */
export async function announceResourceReleases(services: JobServices & Pick<Services, "env">, now: Date, opts: TaskScope = {}): Promise<ReleaseReport> {
  const links = publicLinks(publicAddressOf(services.env));
  const schools = await services.platform.listActiveSchools(opts);
  const report: ReleaseReport = { schools: schools.length, resources: 0, emails: 0, errors: [] };
  for (const school of schools) {
    try {
      const r = await services.platform.schoolDb(school.id).run((tx) => announceReleases(tx, services.mailer, { now, origin: links.school(school), school }), { timeout: 120_000 });
      report.resources += r.resources;
      report.emails += r.emails;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}

// ---- lesson reminders -----------------------------------------------------------------

export interface ReminderReport {
  schools: number;
  occurrences: number;
  emails: number;
  errors: { schoolId: string; error: string }[];
}

/** The hour a job run belongs to: the instant rounded down to the whole (UTC) hour. */
export function floorToHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MS_PER_HOUR) * MS_PER_HOUR);
}

/**
 * The hourly reminder run of `tickHour` (rounded down to the hour): every scheduled
 * occurrence starting in [tick + 24h, tick + 25h) — each occurrence lies in exactly
 * one such window — is announced once to each family address that keeps lesson
 * reminders on. Re-running the same tick (a retried job) sends nothing twice.
 */
export async function sendLessonReminders(services: JobServices, tickHour: Date, opts: TaskScope = {}): Promise<ReminderReport> {
  const tick = floorToHour(tickHour);
  const from = new Date(tick.getTime() + 24 * MS_PER_HOUR);
  const to = new Date(from.getTime() + MS_PER_HOUR);
  const schools = await services.platform.listActiveSchools(opts);
  const report: ReminderReport = { schools: schools.length, occurrences: 0, emails: 0, errors: [] };
  for (const school of schools) {
    try {
      const r = await services.platform.schoolDb(school.id).run((tx) => remindSchool(tx, services.mailer, school, from, to), { timeout: 120_000 });
      report.occurrences += r.occurrences;
      report.emails += r.emails;
    } catch (error) {
      report.errors.push({ schoolId: school.id, error: (error as Error).message });
    }
  }
  return report;
}

async function remindSchool(tx: Tx, mailer: Mailer, school: { name: string; timezone: string; locale: string; currency: string }, from: Date, to: Date) {
  const occurrences = await tx.lessonOccurrence.findMany({
    where: { status: "SCHEDULED", startsAt: { gte: from, lt: to } },
    orderBy: { startsAt: "asc" },
    select: {
      id: true,
      kind: true,
      startsAt: true,
      endsAt: true,
      lessonId: true,
      studentId: true,
      lesson: { select: { title: true, onlineUrl: true, location: { select: { name: true, address: true } } } },
      room: { select: { name: true, location: { select: { name: true, address: true } } } },
      instructor: { select: { firstName: true, lastName: true } },
      guests: { select: { studentId: true } },
      // Students who already told the school they will miss this date.
      attendance: { where: { present: false, absenceNotified: true }, select: { studentId: true } },
    },
  });
  if (occurrences.length === 0) return { occurrences: 0, emails: 0 };

  const groupLessonIds = [...new Set(occurrences.filter((o) => o.kind === "LESSON").map((o) => o.lessonId))];
  const enrollments = groupLessonIds.length
    ? await tx.enrollment.findMany({ where: { lessonId: { in: groupLessonIds }, status: "ACTIVE" }, select: { lessonId: true, studentId: true } })
    : [];
  const studentsOf = (o: (typeof occurrences)[number]) => {
    const ids = new Set<string>();
    if (o.kind === "INDIVIDUAL_SESSION") {
      if (o.studentId) ids.add(o.studentId);
    } else {
      for (const e of enrollments) if (e.lessonId === o.lessonId) ids.add(e.studentId);
      for (const g of o.guests) ids.add(g.studentId);
    }
    for (const a of o.attendance) ids.delete(a.studentId);
    return [...ids];
  };
  const allStudentIds = [...new Set(occurrences.flatMap(studentsOf))];
  if (allStudentIds.length === 0) return { occurrences: occurrences.length, emails: 0 };
  const addresses = await familyAddresses(tx, allStudentIds, { reminders: true });
  const names = await tx.student.findMany({ where: { id: { in: allStudentIds } }, select: { id: true, user: { select: { firstName: true } } } });
  const firstName = new Map(names.map((s) => [s.id, s.user.firstName]));

  // What was already sent (a retried run): same address, subject and text.
  const recent = await tx.emailMessage.findMany({
    // (createdAt is the database's real time, so the real clock here)
    where: { createdAt: { gte: new Date(Date.now() - 26 * MS_PER_HOUR) }, subject: { startsWith: "Reminder: " } },
    select: { to: true, subject: true, text: true },
  });
  const sent = new Set(recent.map((e) => `${e.to}\n${e.subject}\n${e.text}`));

  let emails = 0;
  for (const o of occurrences) {
    // One email per address, naming every child of that family in this lesson.
    const byAddress = new Map<string, string[]>();
    for (const studentId of studentsOf(o)) {
      for (const address of addresses.get(studentId) ?? []) {
        const list = byAddress.get(address) ?? [];
        list.push(firstName.get(studentId) ?? "your child");
        byAddress.set(address, list);
      }
    }
    for (const [address, children] of byAddress) {
      const message = reminderMessage(school, o, children);
      const key = `${address}\n${message.subject}\n${message.text}`;
      if (sent.has(key)) continue;
      sent.add(key);
      await mailer.send(tx, { to: address, ...message });
      emails++;
    }
  }
  return { occurrences: occurrences.length, emails };
}

function reminderMessage(
  school: { name: string; timezone: string; locale: string; currency: string },
  o: {
    startsAt: Date;
    endsAt: Date;
    lesson: { title: string; onlineUrl: string | null; location: { name: string; address: string | null } | null };
    room: { name: string; location: { name: string; address: string | null } } | null;
    instructor: { firstName: string; lastName: string };
  },
  children: string[],
) {
  const fmt = formatterFor(school);
  const time = fmt.time(o.startsAt);
  const place = o.room
    ? [o.room.name, o.room.location.name, o.room.location.address].filter(Boolean).join(", ")
    : o.lesson.location
      ? [o.lesson.location.name, o.lesson.location.address].filter(Boolean).join(", ")
      : `Online${o.lesson.onlineUrl ? `: ${o.lesson.onlineUrl}` : ""}`;
  const who = joinNames([...new Set(children)].sort());
  const text = [
    "Hello,",
    "",
    `A reminder of ${who}'s lesson tomorrow:`,
    "",
    `${o.lesson.title}`,
    `${fmt.date(o.startsAt)}, ${time} – ${fmt.time(o.endsAt)}`,
    `Teacher: ${o.instructor.firstName} ${o.instructor.lastName}`,
    `Where: ${place}`,
    "",
    "If you cannot come, please let the school know as early as you can.",
    "",
    school.name,
  ].join("\n");
  return { subject: `Reminder: ${o.lesson.title} tomorrow at ${time}`, text };
}

function joinNames(names: string[]) {
  if (names.length <= 1) return names[0] ?? "your child";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

// ---- helpers ---------------------------------------------------------------------------

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the email provider within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
