// Background jobs, durable in PostgreSQL through pg-boss. pg-boss runs on the OWNER
// connection and keeps its own `pgboss` schema (the app role never sees it). Its
// cron schedules are stored there too, and each fires once per tick however many
// servers run; the work itself is in tasks.server.ts.
//
//   deliver-emails    every minute (and on demand): QUEUED emails to the provider
//   extend-horizon    daily at 03:15 UTC, and once at start-up
//   lesson-reminders  hourly: lessons starting 24–25 hours after the tick
//   overdue-invoices  hourly: each school at 09:00 its own time: late fees and overdue reminders
//   held-sweeps       hourly: each school's automatic sweep of held money on its schedule (teacher pay)
//   resource-releases every minute: learning resources released since, announced once by email
//   autopay           hourly: invoices due today (school's time) charged to saved cards with autopay on
import PgBoss from "pg-boss";
import type { Services } from "../context";
import type { Logger } from "../log.server";
import { processStripeEvents } from "./stripe-events.server";
import { runAutopay } from "./autopay.server";
import { runHeldSweeps } from "./held-sweeps.server";
import { announceResourceReleases, deliverQueuedEmails, extendAllHorizons, floorToHour, runOverdueInvoices, sendFamilyReminders, sendLessonReminders, type TaskScope } from "./tasks.server";

export const JOB_NAMES = ["deliver-emails", "extend-horizon", "lesson-reminders", "family-reminders", "overdue-invoices", "stripe-events", "held-sweeps", "resource-releases", "autopay"] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface Jobs {
  /** Queues a run now (e.g. "deliver-emails" right after something was sent). */
  trigger(name: JobName, data?: object): Promise<string | null>;
  stop(): Promise<void>;
}

interface StartOptions {
  /** The owner connection string (DatabaseUrls.ownerUrl). */
  connectionString: string;
  /** JSON lines, one per run that did something and per failure; silent when unset. */
  log?: Logger;
  /** How often idle workers look for new jobs (seconds, default 2). */
  pollingIntervalSeconds?: number;
  /** Only these schools (tests); every active school when unset. */
  scope?: TaskScope;
}

const QUEUES: Record<JobName, { cron: string; queue: Omit<PgBoss.Queue, "name"> }> = {
  // "stately": at most one waiting and one running, so triggers and ticks coalesce.
  // No pg-boss retries: the next minute's run retries what failed.
  "deliver-emails": { cron: "* * * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 } },
  "extend-horizon": { cron: "15 3 * * *", queue: { policy: "stately", retryLimit: 3, retryDelay: 300, expireInSeconds: 60 * 60 } },
  // Each hour is its own run (its tick is the hour the job was made in, or `data.tick`),
  // retried if a school failed; a retry sends nothing twice.
  "lesson-reminders": { cron: "0 * * * *", queue: { policy: "standard", retryLimit: 3, retryDelay: 120, retryBackoff: true, expireInSeconds: 30 * 60 } },
  // Once a day; a credit is reminded once (remindedAt), an unbooked week on its reminder day.
  "family-reminders": { cron: "0 14 * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 60 * 60 } },
  // Hourly; a school's run happens in the tick at 09:00 its own time (its local day), and a
  // retry of that tick (or a second server) sends no reminder and adds no fee twice.
  "overdue-invoices": { cron: "0 * * * *", queue: { policy: "standard", retryLimit: 3, retryDelay: 120, retryBackoff: true, expireInSeconds: 30 * 60 } },
  // Stored Stripe webhook events: on each delivery (triggered) and every minute (what a crash left).
  "stripe-events": { cron: "* * * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 } },
  // Hourly; a school sweeps once on a sweep day of its schedule (its local date is recorded).
  "held-sweeps": { cron: "30 * * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 30 * 60 } },
  // Every minute; each resource is claimed and marked in its school's transaction, so it is announced once.
  "resource-releases": { cron: "* * * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 15 * 60 } },
  // Hourly; each attempt is keyed by invoice and local date, so a second tick or server charges nothing twice.
  autopay: { cron: "20 * * * *", queue: { policy: "stately", retryLimit: 0, expireInSeconds: 30 * 60 } },
};

export async function startJobs(services: Pick<Services, "platform" | "mailer" | "env" | "clock" | "payments">, opts: StartOptions): Promise<Jobs> {
  const root = opts.log;
  const log = (job: JobName | "pg-boss") => ({
    info: (fields: object, msg: string) => root?.info({ job, ...fields }, msg),
    error: (fields: object, msg: string) => root?.error({ job, ...fields }, msg),
  });
  const scope = opts.scope ?? {};
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    application_name: "encore-jobs",
    max: 4,
    schema: "pgboss",
  });
  boss.on("error", (error) => log("pg-boss").error({ err: error }, "job queue error"));
  await boss.start();

  for (const [name, { queue }] of Object.entries(QUEUES)) await boss.createQueue(name, { name, ...queue });

  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 };

  await boss.work("deliver-emails", polling, async () => {
    const r = await deliverQueuedEmails(services, 25, scope);
    if (r.claimed) log("deliver-emails").info({ sent: r.sent, retrying: r.retrying, failed: r.failed }, "emails delivered");
    return r;
  });

  await boss.work("extend-horizon", polling, async () => {
    const r = await extendAllHorizons(services, services.clock.now(), scope);
    if (r.created || r.skipped.length || r.errors.length) {
      log("extend-horizon").info({ created: r.created, schools: r.schools, skipped: r.skipped.length }, "occurrences added (skipped: clashes)");
    }
    for (const e of r.errors) log("extend-horizon").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    if (r.errors.length) throw new Error(`${r.errors.length} school(s) failed`);
    return { created: r.created, skipped: r.skipped.length };
  });

  await boss.work<{ tick?: string }>("lesson-reminders", { ...polling, includeMetadata: true }, async ([job]) => {
    if (!job) return;
    // The cron tick the job was made for (a late or retried run keeps its own hour),
    // read on the school's clock (pg-boss stamps jobs with the real one).
    const offset = services.clock.now().getTime() - Date.now();
    const tick = job.data?.tick ? new Date(job.data.tick) : floorToHour(new Date(job.createdOn.getTime() + offset));
    const r = await sendLessonReminders(services, tick, scope);
    if (r.emails) log("lesson-reminders").info({ emails: r.emails, occurrences: r.occurrences, tick: tick.toISOString() }, "reminders sent");
    for (const e of r.errors) log("lesson-reminders").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    // A retry re-runs every school; those already done send nothing twice.
    if (r.errors.length) throw new Error(`${r.errors.length} school(s) failed`);
    return { emails: r.emails };
  });

  await boss.work("family-reminders", polling, async () => {
    const r = await sendFamilyReminders(services, services.clock.now(), scope);
    if (r.unbookedWeeks || r.expiringCredits) log("family-reminders").info({ unbookedWeeks: r.unbookedWeeks, expiringCredits: r.expiringCredits }, "reminders sent");
    for (const e of r.errors) log("family-reminders").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    return r;
  });

  await boss.work<{ tick?: string }>("overdue-invoices", { ...polling, includeMetadata: true }, async ([job]) => {
    if (!job) return;
    // As lesson-reminders: the tick the job was made for, on the school's clock.
    const offset = services.clock.now().getTime() - Date.now();
    const tick = job.data?.tick ? new Date(job.data.tick) : floorToHour(new Date(job.createdOn.getTime() + offset));
    const r = await runOverdueInvoices(services, tick, scope);
    if (r.reminders || r.lateFees) log("overdue-invoices").info({ reminders: r.reminders, lateFees: r.lateFees, schools: r.schools, tick: tick.toISOString() }, "overdue reminders and late fees");
    for (const e of r.errors) log("overdue-invoices").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    if (r.errors.length) throw new Error(`${r.errors.length} school(s) failed`);
    return { reminders: r.reminders, lateFees: r.lateFees };
  });

  await boss.work("stripe-events", polling, async () => {
    const r = await processStripeEvents(services);
    if (r.processed) log("stripe-events").info({ processed: r.processed }, "stripe events processed");
    for (const f of r.failed) log("stripe-events").error({ eventId: f.id, error: f.error }, "stripe event failed");
    return { processed: r.processed, failed: r.failed.length };
  });

  await boss.work("held-sweeps", polling, async () => {
    const r = await runHeldSweeps(services, scope);
    if (r.swept) log("held-sweeps").info({ swept: r.swept }, "held money swept");
    for (const e of r.errors) log("held-sweeps").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    return { swept: r.swept, failed: r.errors.length };
  });
  await boss.work("resource-releases", polling, async () => {
    const r = await announceResourceReleases(services, services.clock.now(), scope);
    if (r.resources) log("resource-releases").info({ resources: r.resources, emails: r.emails }, "resource releases announced");
    for (const e of r.errors) log("resource-releases").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    return { resources: r.resources, emails: r.emails };
  });

  await boss.work("autopay", polling, async () => {
    const r = await runAutopay(services, scope);
    if (r.charged || r.failed || r.interrupted) log("autopay").info({ charged: r.charged, failed: r.failed, interrupted: r.interrupted }, "autopay charges");
    for (const e of r.errors) log("autopay").error({ schoolId: e.schoolId, error: e.error }, "school failed");
    return { charged: r.charged, failed: r.failed };
  });

  for (const [name, { cron }] of Object.entries(QUEUES)) await boss.schedule(name, cron, {}, { tz: "UTC" });
  // A server that was down at 03:15 catches up now.
  await boss.send("extend-horizon", {});

  let stopped = false;
  return {
    trigger: (name, data = {}) => boss.send(name, data),
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}
