// Teacher pay (issue 12) against the local Stripe stand-in (the real SDK over HTTP) and the real
// database (RLS on), in schools of their own. Each school is funded the way the product funds it:
// a family pays an invoice by card, and the school's share is held by Encore. Teachers connect on
// the stand-in's onboarding page (account.updated). Then: approving from two sessions at once makes
// one approval and one transfer per teacher; a Stripe outage after the 2nd of 5 transfers, then a
// retry, makes exactly 5; a run larger than the held balance is refused and changes nothing;
// transfer events delivered twice change nothing; refused and reversed transfers are marked and
// retried; a late register becomes a correction in the next run; a sweep; the ledger reconciles.
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueInvoice } from "../../app/models/billing.server";
import { refundPayment, startCheckout } from "../../app/models/payments.server";
import {
  addAdjustment,
  addPayRule,
  approvePayRun,
  computePayRun,
  heldFunding,
  heldReconciliation,
  markPaidOutside,
  payPayRun,
  payRunCsv,
  payRunDetail,
  retryTeacherPayment,
  startTeacherOnboarding,
  sweepHeld,
  teacherStatements,
} from "../../app/models/teacher-pay.server";
import type { Tx } from "../../server/db/school-db.server";
import { runHeldSweeps } from "../../server/jobs/held-sweeps.server";
import { createLogger } from "../../server/log.server";
import { startConnectOnboarding } from "../../server/payments/connect.server";
import { stripeWebhook } from "../../server/payments/webhook.server";
import type { StripeStandin } from "../../server/stripe-standin/standin.server";
import { testServices } from "../support/services";

const services = testServices();
const NOW = new Date("2031-11-05T15:00:00Z");
const ZONE = "America/New_York";
const OCTOBER = { periodStart: "2031-10-01", periodEnd: "2031-10-31", label: "October 2031" };
const webhookApp = new Hono();
webhookApp.post("/webhooks/stripe", stripeWebhook(services, createLogger({ level: "silent" })));
const post = (body: string, signature: string) =>
  webhookApp.request("/webhooks/stripe", { method: "POST", body, headers: { "content-type": "application/json", "stripe-signature": signature } });

let standin: StripeStandin;
let stripe: Stripe;

interface Fixture {
  schoolId: string;
  adminId: string;
  teachers: { id: string; accountId: string | null }[];
  studentId: string;
}
const runIn = <T>(f: Fixture, work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(f.schoolId).run(work, { timeout: 30_000 });
const db = (f: Fixture) => services.platform.schoolDb(f.schoolId);

async function ownerSql(sql: string) {
  const { connectOwner } = await import("../support/db");
  const client = await connectOwner();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A school in New York with `teachers` teachers (the first `connected` of them onboarded on the
 * stand-in), each teaching one 45-minute lesson on Tuesday 7 October 2031 with its register taken;
 * Encore holds `fund` for it from a family's card payment (no platform fee); the school's default
 * rate is 30.00 per lesson.
 */
async function makeSchool(label: string, opts: { teachers: number; connected?: number; fund: number }): Promise<Fixture> {
  const slug = `tp-${label}-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: `Pay ${label}`, slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  const base = await services.platform.schoolDb(school.id).run(async (tx) => {
    const admin = await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN" }, select: { id: true } });
    const teachers = [];
    for (let i = 0; i < opts.teachers; i++) {
      teachers.push(await tx.user.create({ data: { email: `t${i}@${slug}.test`, firstName: `Teacher${i}`, lastName: `T${i}`, role: "TEACHER" }, select: { id: true } }));
    }
    const studentUser = await tx.user.create({ data: { email: `s@${slug}.test`, firstName: "Sam", lastName: "Student", role: "STUDENT" }, select: { id: true } });
    const student = await tx.student.create({ data: { userId: studentUser.id }, select: { id: true } });
    const parent = await tx.user.create({ data: { email: `parent@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT" }, select: { id: true } });
    const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const inv = await tx.invoice.create({ data: { familyGroupId: family.id, currency: "USD", totalMinor: opts.fund, netMinor: opts.fund }, select: { id: true } });
    await issueInvoice(tx, { invoiceId: inv.id, now: NOW });
    await addPayRule(tx, { teacherId: null, lessonType: null, durationMinutes: null, basis: "PER_LESSON", amountMinor: 3000, effectiveFrom: "2031-01-01" });
    for (const [i, t] of teachers.entries()) await lessonOn(tx, { teacherId: t.id, studentId: student.id, date: "2031-10-07", hour: 10 + i, present: true });
    return { adminId: admin.id, teacherIds: teachers.map((t) => t.id), studentId: student.id, familyId: family.id, parentId: parent.id, invoiceId: inv.id };
  });
  await ownerSql(`UPDATE "School" SET "platformFeeBasisPoints" = 0 WHERE id = '${school.id}'`);
  const schoolDb = services.platform.schoolDb(school.id);
  // The school connects, and a family pays: Encore now holds `fund` for the school.
  const { url } = await startConnectOnboarding(services.platform, stripe, { schoolId: school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
  await fetch(url, { method: "POST", redirect: "manual" });
  await standin.idle();
  const started = await schoolDb.run((tx) => startCheckout(tx, stripe, { invoiceId: base.invoiceId, familyGroupId: base.familyId, payerId: base.parentId, payerEmail: "p@x.test", successUrl: "http://x.test/paid", cancelUrl: "http://x.test/c", now: NOW }));
  const sessionId = (await schoolDb.run((tx) => tx.payment.findUniqueOrThrow({ where: { id: started.paymentId } }))).stripeCheckoutSessionId!;
  await standin.payCheckout(sessionId);
  await standin.idle();
  // Teachers connect on the stand-in's onboarding page.
  const teachers: Fixture["teachers"] = [];
  for (const [i, id] of base.teacherIds.entries()) {
    if (i >= (opts.connected ?? opts.teachers)) {
      teachers.push({ id, accountId: null });
      continue;
    }
    const link = await startTeacherOnboarding(schoolDb, stripe, { userId: id, returnUrl: "http://x.test/teach/pay", refreshUrl: "http://x.test/teach/pay?refresh=1" });
    const done = await fetch(link.url, { method: "POST", redirect: "manual" });
    expect(done.headers.get("location")).toBe("http://x.test/teach/pay");
    teachers.push({ id, accountId: link.accountId });
  }
  await standin.idle();
  return { schoolId: school.id, adminId: base.adminId, teachers, studentId: base.studentId };
}

async function lessonOn(tx: Tx, input: { teacherId: string; studentId: string; date: string; hour: number; present: boolean | null }) {
  const { localDateTimeToUtc } = await import("../../app/domain/time");
  const startsAt = localDateTimeToUtc(input.date, `${String(input.hour).padStart(2, "0")}:00`, ZONE);
  const endsAt = new Date(startsAt.getTime() + 45 * 60_000);
  const lesson = await tx.lesson.create({ data: { title: `Piano ${input.hour}`, type: "INDIVIDUAL", instructorId: input.teacherId, startTime: startsAt, endTime: endsAt, duration: 45 }, select: { id: true } });
  const occ = await tx.lessonOccurrence.create({ data: { lessonId: lesson.id, startsAt, endsAt, instructorId: input.teacherId, status: "SCHEDULED" }, select: { id: true } });
  if (input.present !== null) await tx.attendance.create({ data: { occurrenceId: occ.id, studentId: input.studentId, present: input.present } });
  return occ.id;
}

const transfersOfRun = (runId: string) => standin.transfers().filter((t) => (t.metadata as Record<string, string>).runId === runId);
const heldEntries = (f: Fixture) => runIn(f, (tx) => tx.schoolLedgerEntry.findMany({ orderBy: { id: "asc" }, select: { kind: true, amountMinor: true, idempotencyKey: true } }));

beforeAll(async () => {
  standin = await services.payments.standin();
  stripe = await services.payments.stripe();
  standin.setWebhook(async (payload, signature) => (await post(payload, signature)).status);
});
afterAll(async () => {
  await standin.idle();
  await services.close();
});

describe("a month's pay run", () => {
  it("computes lines and things to resolve; two sessions approving at once make one approval; paying twice at once makes one transfer per teacher", async () => {
    const f = await makeSchool("approve", { teachers: 3, fund: 50_000 });
    // Teacher 0 also has a lesson whose register is still missing.
    await runIn(f, (tx) => lessonOn(tx, { teacherId: f.teachers[0]!.id, studentId: f.studentId, date: "2031-10-14", hour: 9, present: null }));
    expect((await runIn(f, heldFunding)).held.amountMinor).toBe(50_000);
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => addAdjustment(tx, { runId, teacherId: f.teachers[0]!.id, kind: "REIMBURSEMENT", amountMinor: 1_250, reason: "Sheet music", createdById: f.adminId, now: NOW }));
    const detail = (await runIn(f, (tx) => payRunDetail(tx, runId)))!;
    expect(detail.toResolve).toEqual([expect.objectContaining({ teacherId: f.teachers[0]!.id, lesson: "Piano 9", date: "2031-10-14", reason: "MISSING_REGISTER" })]);
    expect(detail.run.totalMinor).toBe(3 * 3_000 + 1_250);

    const results = await Promise.all([
      runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW })),
      runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW })),
    ]);
    expect(results.sort()).toEqual(["already", "approved"]);
    const run = await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }));
    expect(run).toMatchObject({ status: "APPROVED", approvedById: f.adminId, approvedAt: NOW });
    expect((await runIn(f, heldFunding)).reserved.amountMinor).toBe(10_250);

    const reports = await Promise.all([payPayRun(db(f), stripe, { runId, now: NOW }), payPayRun(db(f), stripe, { runId, now: NOW })]);
    await standin.idle();
    // (a call's report counts what it recorded; the transfer's own event may record one first)
    expect(reports.every((r) => r.failed.length === 0 && r.interrupted === null)).toBe(true);
    expect(await runIn(f, (tx) => tx.teacherPayment.findMany({ where: { runId }, select: { status: true } }))).toEqual([{ status: "SENT" }, { status: "SENT" }, { status: "SENT" }]);
    const transfers = transfersOfRun(runId);
    expect(transfers.map((t) => t.amount).sort()).toEqual([3_000, 3_000, 4_250]);
    expect(new Set(transfers.map((t) => t.destination))).toEqual(new Set(f.teachers.map((t) => t.accountId)));
    const paid = await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }));
    expect(paid.status).toBe("PAID");
    const funding = await runIn(f, heldFunding);
    expect(funding.held.amountMinor).toBe(50_000 - 10_250);
    expect(funding.reserved.amountMinor).toBe(0);

    // Every transfer event delivered again changes nothing.
    const before = await heldEntries(f);
    for (const e of standin.events().filter((e) => e.type === "transfer.created" && transfers.some((t) => t.id === (e.data as { object: { id: string } }).object.id))) await standin.redeliver(e.id as string);
    await standin.idle();
    expect(await heldEntries(f)).toEqual(before);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);

    // The teacher's statement: each lesson, the rate, the adjustment, the total, paid when.
    const mine = await runIn(f, (tx) => teacherStatements(tx, f.teachers[0]!.id));
    expect(mine.statements).toHaveLength(1);
    expect(mine.statements[0]).toMatchObject({ totalMinor: 4_250, payment: { status: "SENT", paidAt: NOW } });
    expect(mine.statements[0]!.lines.map((l) => [l.localDate, l.amountMinor, l.unresolved])).toEqual([
      ["2031-10-07", 3_000, null],
      ["2031-10-14", 0, "MISSING_REGISTER"],
    ]);
    expect(mine.account).toMatchObject({ transfersActive: true, currentlyDue: [] });
  });

  it("Stripe unreachable after the 2nd of 5 transfers, then a retry: exactly 5 transfers", async () => {
    const f = await makeSchool("crash", { teachers: 5, fund: 50_000 });
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    standin.interruptTransfers(2);
    let first;
    try {
      first = await payPayRun(db(f), stripe, { runId, now: NOW });
    } finally {
      standin.interruptTransfers(null);
    }
    expect(first.interrupted).toMatch(/did not answer/);
    expect(transfersOfRun(runId)).toHaveLength(2);
    expect((await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }))).status).toBe("APPROVED");
    const second = await payPayRun(db(f), stripe, { runId, now: NOW });
    await standin.idle();
    expect(second.interrupted).toBeNull();
    expect(transfersOfRun(runId)).toHaveLength(5);
    expect(new Set(transfersOfRun(runId).map((t) => t.destination)).size).toBe(5);
    // A third run of "pay" finds nothing left to send.
    expect(await payPayRun(db(f), stripe, { runId, now: NOW })).toEqual({ sent: 0, failed: [], interrupted: null });
    expect(transfersOfRun(runId)).toHaveLength(5);
    expect((await heldEntries(f)).filter((e) => e.kind === "TEACHER_TRANSFER")).toHaveLength(5);
    expect((await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }))).status).toBe("PAID");
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
  });

  it("a run larger than what Encore holds is refused, saying how much is missing, and changes nothing", async () => {
    const f = await makeSchool("short", { teachers: 2, fund: 5_000 });
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    const before = await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }));
    await expect(runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }))).rejects.toThrow(/this run transfers \$60\.00, so \$10\.00 is missing/);
    const after = await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }));
    expect(after).toEqual(before);
    expect(await runIn(f, (tx) => tx.teacherPayment.count())).toBe(0);
    expect(transfersOfRun(runId)).toEqual([]);
    expect((await runIn(f, heldFunding)).held.amountMinor).toBe(5_000);
  });

  it("a teacher without a connected account is paid outside Encore with a reference, in the bank's CSV, and needs no held money", async () => {
    const f = await makeSchool("outside", { teachers: 2, connected: 1, fund: 3_000 });
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    await payPayRun(db(f), stripe, { runId, now: NOW });
    const csv = await runIn(f, (tx) => payRunCsv(tx, runId));
    expect(csv).toContain("Teacher1 T1");
    expect(csv).toContain("30.00,USD");
    expect(csv).not.toContain("Teacher0 T0");
    await runIn(f, (tx) => markPaidOutside(tx, { runId, teacherId: f.teachers[1]!.id, reference: "BACS 1234", markedById: f.adminId, now: NOW }));
    expect((await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }))).status).toBe("PAID");
    expect(await runIn(f, (tx) => payRunCsv(tx, runId))).toContain("BACS 1234");
  });
});

describe("refused and reversed transfers", () => {
  it("a refused transfer marks the teacher's payment failed and is retried; a reversal marks it reversed; events twice change nothing", async () => {
    const f = await makeSchool("fail", { teachers: 1, fund: 10_000 });
    const [t] = f.teachers;
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    standin.failTransfersTo(t!.accountId!, "The destination account's bank details are invalid.");
    const report = await payPayRun(db(f), stripe, { runId, now: NOW });
    standin.failTransfersTo(t!.accountId!, null);
    expect(report.failed).toEqual([{ teacherId: t!.id, message: expect.stringContaining("bank details are invalid") }]);
    const failed = await runIn(f, (tx) => tx.teacherPayment.findFirstOrThrow({ where: { runId } }));
    expect(failed).toMatchObject({ status: "FAILED", failureMessage: expect.stringContaining("refused") });
    // Still reserved: a failed payment is owed.
    expect((await runIn(f, heldFunding)).reserved.amountMinor).toBe(3_000);

    await runIn(f, (tx) => retryTeacherPayment(tx, { runId, teacherId: t!.id, now: NOW }));
    expect((await payPayRun(db(f), stripe, { runId, now: NOW })).failed).toEqual([]);
    await standin.idle();
    const sent = await runIn(f, (tx) => tx.teacherPayment.findFirstOrThrow({ where: { runId } }));
    expect(sent.status).toBe("SENT");

    // The teacher's bank sends it back: transfer.reversed marks the payment, the money is held again.
    await standin.reverseTransfer(sent.stripeTransferId!);
    await standin.idle();
    const reversedEvents = standin.events().filter((e) => e.type === "transfer.reversed" && (e.data as { object: { id: string } }).object.id === sent.stripeTransferId);
    await standin.redeliver(reversedEvents[0]!.id as string);
    await standin.idle();
    const reversed = await runIn(f, (tx) => tx.teacherPayment.findFirstOrThrow({ where: { runId } }));
    expect(reversed).toMatchObject({ status: "REVERSED", failureMessage: expect.stringContaining("reversed") });
    const entries = await heldEntries(f);
    expect(entries.filter((e) => e.kind === "TRANSFER_REVERSAL")).toHaveLength(1);
    expect((await runIn(f, heldFunding)).held.amountMinor).toBe(10_000);
    expect((await runIn(f, (tx) => tx.payRun.findUniqueOrThrow({ where: { id: runId } }))).status).toBe("PAID");

    // Retried: a new transfer with a fresh key.
    await runIn(f, (tx) => retryTeacherPayment(tx, { runId, teacherId: t!.id, now: NOW }));
    expect((await payPayRun(db(f), stripe, { runId, now: NOW })).failed).toEqual([]);
    await standin.idle();
    expect(transfersOfRun(runId)).toHaveLength(2);
    expect((await runIn(f, heldFunding)).held.amountMinor).toBe(7_000);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
  });
});

describe("across runs", () => {
  it("never pays an occurrence twice; a register recorded after its run was approved is a correction in the next run", async () => {
    const f = await makeSchool("late", { teachers: 1, fund: 20_000 });
    const teacherId = f.teachers[0]!.id;
    const late = await runIn(f, (tx) => lessonOn(tx, { teacherId, studentId: f.studentId, date: "2031-10-21", hour: 9, present: null }));
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    await payPayRun(db(f), stripe, { runId, now: NOW });
    // The register is taken late; November has one lesson of its own.
    await runIn(f, (tx) => tx.attendance.create({ data: { occurrenceId: late, studentId: f.studentId, present: true } }));
    await runIn(f, (tx) => lessonOn(tx, { teacherId, studentId: f.studentId, date: "2031-11-04", hour: 9, present: true }));
    const later = new Date("2031-12-02T15:00:00Z");
    const nov = await runIn(f, (tx) => computePayRun(tx, { periodStart: "2031-11-01", periodEnd: "2031-11-30", label: "November 2031", now: later }));
    const lines = await runIn(f, (tx) => tx.payRunLine.findMany({ where: { runId: nov.runId }, orderBy: { localDate: "asc" }, select: { kind: true, localDate: true, amountMinor: true, occurrenceId: true } }));
    expect(lines).toEqual([
      { kind: "CORRECTION", localDate: "2031-10-21", amountMinor: 3_000, occurrenceId: late },
      expect.objectContaining({ kind: "OCCURRENCE", localDate: "2031-11-04", amountMinor: 3_000 }),
    ]);
    // The approved October run is not recomputed.
    await expect(runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: later }))).rejects.toThrow(/already approved/);
    await runIn(f, (tx) => approvePayRun(tx, { runId: nov.runId, approvedById: f.adminId, now: later }));
    await payPayRun(db(f), stripe, { runId: nov.runId, now: later });
    // A December run finds nothing of October or November left to pay.
    const dec = await runIn(f, (tx) => computePayRun(tx, { periodStart: "2031-12-01", periodEnd: "2031-12-31", label: "December 2031", now: later }));
    expect(await runIn(f, (tx) => tx.payRunLine.count({ where: { runId: dec.runId } }))).toBe(0);
  });
});

describe("sweeps", () => {
  it("sends what is held beyond what approved runs reserve to the school's account, once", async () => {
    const f = await makeSchool("sweep", { teachers: 1, fund: 10_000 });
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    await expect(sweepHeld(db(f), stripe, { amountMinor: 8_000, requestedById: f.adminId, automatic: false, now: NOW })).rejects.toThrow(/At most \$70\.00/);
    const swept = await sweepHeld(db(f), stripe, { requestedById: f.adminId, automatic: false, now: NOW });
    await standin.idle();
    expect(swept.status).toBe("SENT");
    const funding = await runIn(f, heldFunding);
    expect(funding).toMatchObject({ held: { amountMinor: 3_000 }, reserved: { amountMinor: 3_000 }, available: { amountMinor: 0 }, swept: { amountMinor: 7_000 } });
    const school = await services.platform.schoolStripeState(f.schoolId);
    expect(standin.transfers().filter((t) => (t.metadata as Record<string, string>).sweepId === swept.sweepId)).toEqual([expect.objectContaining({ amount: 7_000, destination: school!.stripeAccountId })]);
    // The run is still covered.
    await payPayRun(db(f), stripe, { runId, now: NOW });
    await standin.idle();
    expect((await runIn(f, heldFunding)).held.amountMinor).toBe(0);
    const report = await runIn(f, heldReconciliation);
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ CHARGE: 10_000, TEACHER_TRANSFER: 3_000, SWEEP: 7_000 });
  });

  it("sweeps automatically on the school's schedule, once per sweep day", async () => {
    const f = await makeSchool("auto", { teachers: 1, fund: 4_000 });
    const scope = { schoolIds: [f.schoolId] };
    expect((await runHeldSweeps(services, scope)).swept).toBe(0); // by hand until the school picks a schedule
    await runIn(f, (tx) => tx.paySettings.updateMany({ data: { sweepSchedule: "DAILY" } }));
    expect(await runHeldSweeps(services, scope)).toEqual({ swept: 1, errors: [] });
    expect(await runHeldSweeps(services, scope)).toEqual({ swept: 0, errors: [] });
    await standin.idle();
    expect((await runIn(f, heldFunding)).swept.amountMinor).toBe(4_000);
    expect(await runIn(f, (tx) => tx.sweep.findMany({ select: { automatic: true, status: true } }))).toEqual([{ automatic: true, status: "SENT" }]);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
  });
});

describe("what the held money is promised to", () => {
  it("a sweep Stripe has not confirmed keeps its money from a run approved meanwhile", async () => {
    const f = await makeSchool("sweeping", { teachers: 1, fund: 10_000 });
    standin.interruptTransfers(0);
    await expect(sweepHeld(db(f), stripe, { requestedById: f.adminId, automatic: false, now: NOW })).rejects.toThrow();
    standin.interruptTransfers(null);
    expect(await runIn(f, (tx) => tx.sweep.findFirstOrThrow({ select: { status: true, amountMinor: true } }))).toEqual({ status: "PENDING", amountMinor: 10_000 });
    expect((await runIn(f, heldFunding)).available.amountMinor).toBe(0);
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await expect(runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }))).rejects.toThrow(/\$30\.00 is missing/);
  });

  it("a card refund cannot take money promised to an approved run; within what is free it lands and reconciles", async () => {
    const f = await makeSchool("refund", { teachers: 1, fund: 4_000 });
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    const payment = await runIn(f, (tx) => tx.payment.findFirstOrThrow({ where: { method: "STRIPE", status: "COMPLETED" }, select: { id: true } }));
    const refund = (amountMinor: number) => runIn(f, (tx) => refundPayment(tx, stripe, { paymentId: payment.id, amountMinor, reason: "Lesson not given", createdById: f.adminId, now: NOW }));
    await expect(refund(2_000)).rejects.toThrow(/only \$10\.00 is not already promised/);
    expect(await runIn(f, (tx) => tx.refund.count())).toBe(0);
    await refund(1_000);
    await standin.idle();
    const held = await runIn(f, heldFunding);
    expect([held.held.amountMinor, held.reserved.amountMinor]).toEqual([3_000, 3_000]);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([]);
  });

  it("a lesson booked into a period after its run was approved is paid in the next run", async () => {
    const f = await makeSchool("makeup", { teachers: 1, fund: 20_000 });
    const teacherId = f.teachers[0]!.id;
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    // A make-up on 30 October, booked after October was approved.
    const makeUp = await runIn(f, (tx) => lessonOn(tx, { teacherId, studentId: f.studentId, date: "2031-10-30", hour: 15, present: true }));
    const later = new Date("2031-12-02T15:00:00Z");
    const nov = await runIn(f, (tx) => computePayRun(tx, { periodStart: "2031-11-01", periodEnd: "2031-11-30", label: "November 2031", now: later }));
    expect(await runIn(f, (tx) => tx.payRunLine.findMany({ where: { runId: nov.runId }, select: { kind: true, occurrenceId: true, amountMinor: true } }))).toEqual([{ kind: "OCCURRENCE", occurrenceId: makeUp, amountMinor: 3_000 }]);
  });

  it("a transfer reversed in part stays paid with a note, cannot be retried in full, and the reconciliation shows the difference", async () => {
    const f = await makeSchool("partial", { teachers: 1, fund: 10_000 });
    const [t] = f.teachers;
    const { runId } = await runIn(f, (tx) => computePayRun(tx, { ...OCTOBER, now: NOW }));
    await runIn(f, (tx) => approvePayRun(tx, { runId, approvedById: f.adminId, now: NOW }));
    await payPayRun(db(f), stripe, { runId, now: NOW });
    await standin.idle();
    const sent = await runIn(f, (tx) => tx.teacherPayment.findFirstOrThrow({ where: { runId } }));
    await standin.reverseTransfer(sent.stripeTransferId!, 1_000);
    await standin.idle();
    const after = await runIn(f, (tx) => tx.teacherPayment.findFirstOrThrow({ where: { runId } }));
    expect(after).toMatchObject({ status: "SENT", failureMessage: expect.stringContaining("Part of this transfer ($10.00) was reversed") });
    await expect(runIn(f, (tx) => retryTeacherPayment(tx, { runId, teacherId: t!.id, now: NOW }))).rejects.toThrow(/Only a failed or reversed transfer/);
    expect((await runIn(f, heldReconciliation)).problems).toEqual([expect.stringContaining("Teacher transfers sent total $30.00 but the ledger's transfers less reversals are $20.00")]);
  });
});
