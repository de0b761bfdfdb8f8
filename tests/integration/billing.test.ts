// Billing's database layer against the real database (RLS on), in schools of its own:
// term generation run twice adds no line twice; 20 concurrent issues leave gapless
// numbers; manual partial payments and overpayments land in the ledger and the balance is
// the sum of the entries; reconciliation holds; the ledger is append-only for the app
// role; one school cannot see or reference another's invoices.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGapless } from "../../app/domain/invoice-numbers";
import { localDateTimeToUtc, toLocalDate } from "../../app/domain/time";
import {
  familyBalance,
  familyStatement,
  generateTermInvoices,
  issueInvoice,
  reconcileSchool,
  recordManualPayment,
} from "../../app/models/billing.server";
import type { Tx } from "../../server/db/school-db.server";
import { connectOwner, refusal } from "../support/db";
import { schoolId, testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const NOW = new Date("2031-08-20T15:00:00Z");
const TERM = { name: "Autumn 2031", startDate: "2031-09-01", endDate: "2031-12-19" };

interface Fixture {
  schoolId: string;
  termId: string;
  familyId: string;
  children: string[];
}

async function makeSchool(label: string): Promise<Fixture> {
  const slug = `billing-${label}-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: `Billing ${label}`, slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  const fixture = await services.platform.schoolDb(school.id).run(async (tx) => {
    await tx.billingSettings.create({
      data: { taxRateBasisPoints: 1000, taxLabel: "GST", invoicePrefix: "BT", paymentTermsDays: 14, siblingDiscounts: [{ fromPosition: 2, kind: "PERCENT", basisPoints: 1000 }] },
    });
    const teacher = await tx.user.create({ data: { email: `teacher@${slug}.test`, firstName: "Tom", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    const term = await tx.term.create({ data: TERM, select: { id: true } });
    const first = localDateTimeToUtc("2031-09-02", "16:00", ZONE);
    const lesson = await tx.lesson.create({
      data: {
        title: "Piano",
        type: "INDIVIDUAL",
        instrument: "Piano",
        instructorId: teacher.id,
        startTime: first,
        endTime: new Date(first.getTime() + 30 * 60_000),
        duration: 30,
        recurrence: "WEEKLY",
        recurrenceEndDate: localDateTimeToUtc("2031-12-16", "16:30", ZONE),
        termId: term.id,
      },
      select: { id: true },
    });
    // No lesson price: the term's price list (30-minute individual, 300.00 a term).
    await tx.priceListLine.create({ data: { termId: term.id, lessonType: "INDIVIDUAL", durationMinutes: 30, amountMinor: 30000, currency: "USD", basis: "PER_TERM" } });
    const parent = await tx.user.create({ data: { email: `parent@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT" }, select: { id: true } });
    const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const children: string[] = [];
    for (const [name, born] of [["Ann", "2018-03-01"], ["Ben", "2020-05-01"]] as const) {
      const user = await tx.user.create({ data: { email: `${name.toLowerCase()}@${slug}.test`, firstName: name, lastName: "Parent", role: "STUDENT", familyGroupId: family.id }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: user.id, dateOfBirth: new Date(`${born}T00:00:00Z`) }, select: { id: true } });
      await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: student.id, status: "ACTIVE", enrolledAt: new Date("2031-08-01T12:00:00Z") } });
      children.push(student.id);
    }
    return { termId: term.id, familyId: family.id, children };
  });
  return { schoolId: school.id, ...fixture };
}

let a: Fixture;
let b: Fixture;
const runIn = <T>(f: Fixture, work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(f.schoolId).run(work);

beforeAll(async () => {
  [a, b] = await Promise.all([makeSchool("a"), makeSchool("b")]);
});
afterAll(async () => {
  await services.close();
});

describe("term invoice generation", () => {
  it("makes one draft per family with a line per child, the sibling discount and tax; a second run adds nothing", async () => {
    const first = await runIn(a, (tx) => generateTermInvoices(tx, { termId: a.termId, now: NOW }));
    expect(first.invoiceIds).toHaveLength(1);
    const second = await runIn(a, (tx) => generateTermInvoices(tx, { termId: a.termId, now: NOW }));
    expect(second.invoiceIds).toEqual([]);
    const invoice = await runIn(a, (tx) => tx.invoice.findUniqueOrThrow({ where: { id: first.invoiceIds[0]! }, include: { lines: { orderBy: { position: "asc" } } } }));
    expect(invoice.status).toBe("DRAFT");
    expect(invoice.number).toBeNull();
    const keys = invoice.lines.map((l) => l.lineKey);
    expect(new Set(keys).size).toBe(keys.length);
    // Ann 300.00, Ben 300.00 less 10 % (30.00), GST 10 % on each line.
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor, l.taxMinor])).toEqual([
      ["LESSON", 30000, 3000],
      ["LESSON", 30000, 3000],
      ["SIBLING_DISCOUNT", -3000, -300],
    ]);
    expect(invoice.totalMinor).toBe(57000 + 5700);
  });

  it("the database refuses a second live line with the same key (partial unique index)", async () => {
    const error = await refusal(() =>
      runIn(a, async (tx) => {
        const line = await tx.invoiceLine.findFirstOrThrow({ where: { lineKey: { not: null } } });
        const other = await tx.invoice.create({ data: { familyGroupId: a.familyId, currency: "USD" } });
        await tx.invoiceLine.create({
          data: { invoiceId: other.id, lineKey: line.lineKey, kind: "LESSON", description: "again", quantity: 1, amountMinor: 1, netMinor: 1, taxMinor: 0, grossMinor: 1 },
        });
      }),
    );
    expect(error.code).toBe("23505");
  });
});

describe("issuing", () => {
  it("20 concurrent issues of 20 drafts leave numbers 1..20, no gap, no duplicate", async () => {
    const drafts = await runIn(b, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const inv = await tx.invoice.create({ data: { familyGroupId: b.familyId, currency: "USD", totalMinor: 1000 + i, netMinor: 1000 + i }, select: { id: true } });
        ids.push(inv.id);
      }
      return ids;
    });
    const issued = await Promise.all(drafts.map((invoiceId) => runIn(b, (tx) => issueInvoice(tx, { invoiceId, now: NOW }))));
    const sequences = issued.map((i) => i.sequence).sort((x, y) => x - y);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(checkGapless(sequences)).toEqual({ missing: [], duplicates: [] });
    const rows = await runIn(b, (tx) => tx.invoice.findMany({ where: { id: { in: drafts } }, select: { number: true, status: true, dueDate: true } }));
    expect(new Set(rows.map((r) => r.number)).size).toBe(20);
    expect(rows.every((r) => r.status === "ISSUED" && r.dueDate === "2031-09-03")).toBe(true);
    const entries = await runIn(b, (tx) => tx.ledgerEntry.count({ where: { kind: "INVOICE", invoiceId: { in: drafts } } }));
    expect(entries).toBe(20);
    expect(await runIn(b, (tx) => reconcileSchool(tx))).toEqual([]);
  });

  it("an invoice is issued once: a second issue is refused and takes no number", async () => {
    const id = await runIn(a, async (tx) => (await tx.invoice.findFirstOrThrow({ where: { status: "DRAFT", totalMinor: { gt: 0 } } })).id);
    const first = await runIn(a, (tx) => issueInvoice(tx, { invoiceId: id, now: NOW }));
    expect(first.number).toBe("BT-000001");
    await expect(runIn(a, (tx) => issueInvoice(tx, { invoiceId: id, now: NOW }))).rejects.toThrow(/Only a draft/);
    const counter = await runIn(a, (tx) => tx.invoiceCounter.findFirstOrThrow());
    expect(counter.lastNumber).toBe(1);
  });
});

describe("manual payments", () => {
  it("a partial payment and an overpayment land in the ledger; the balance is the sum of the entries; credit goes to the next invoice", async () => {
    const invoice = await runIn(a, (tx) => tx.invoice.findFirstOrThrow({ where: { status: "ISSUED" } }));
    expect(await runIn(a, (tx) => familyBalance(tx, a.familyId))).toEqual({ amountMinor: invoice.totalMinor, currency: "USD" });

    await runIn(a, (tx) => recordManualPayment(tx, { familyGroupId: a.familyId, amountMinor: 20000, method: "CASH", reference: null, now: new Date(NOW.getTime() + 1000) }));
    expect((await runIn(a, (tx) => familyBalance(tx, a.familyId))).amountMinor).toBe(invoice.totalMinor - 20000);

    const over = invoice.totalMinor - 20000 + 5000;
    const payment = await runIn(a, (tx) => recordManualPayment(tx, { familyGroupId: a.familyId, amountMinor: over, method: "CHECK", reference: "CHK 1042", now: new Date(NOW.getTime() + 2000) }));
    expect(payment).toMatchObject({ amountMinor: over, method: "CHECK", reference: "CHK 1042", status: "COMPLETED" });
    // 50.00 in credit: a negative balance.
    expect(await runIn(a, (tx) => familyBalance(tx, a.familyId))).toEqual({ amountMinor: -5000, currency: "USD" });

    const owner = await connectOwner();
    try {
      const { rows } = await owner.query<{ n: number }>(
        `SELECT COALESCE(sum(CASE WHEN kind IN ('INVOICE','LATE_FEE','REFUND','DISPUTE') THEN "amountMinor" WHEN kind IN ('PAYMENT','CREDIT_NOTE','DISPUTE_WON') THEN -"amountMinor" ELSE 0 END), 0)::int AS n
           FROM "LedgerEntry" WHERE "familyGroupId" = $1`,
        [a.familyId],
      );
      expect(rows[0]!.n).toBe(-5000);
    } finally {
      await owner.end();
    }
    const statement = await runIn(a, (tx) => familyStatement(tx, a.familyId));
    expect(statement.closing.amountMinor).toBe(-5000);

    // The next invoice takes the credit at issue.
    const next = await runIn(a, (tx) => tx.invoice.create({ data: { familyGroupId: a.familyId, currency: "USD", totalMinor: 8000, netMinor: 8000 }, select: { id: true } }));
    await runIn(a, (tx) => issueInvoice(tx, { invoiceId: next.id, now: new Date(NOW.getTime() + 3000) }));
    expect((await runIn(a, (tx) => familyBalance(tx, a.familyId))).amountMinor).toBe(3000);
    const allocated = await runIn(a, (tx) => tx.ledgerEntry.aggregate({ where: { kind: "ALLOCATION", invoiceId: next.id }, _sum: { amountMinor: true } }));
    expect(allocated._sum.amountMinor).toBe(5000);
    expect(await runIn(a, (tx) => reconcileSchool(tx))).toEqual([]);
  });

  it("a zero payment is refused", async () => {
    await expect(runIn(a, (tx) => recordManualPayment(tx, { familyGroupId: a.familyId, amountMinor: 0, method: "CASH", reference: null, now: NOW }))).rejects.toThrow(/more than zero/);
  });
});

describe("the ledger is append-only for the app role", () => {
  it("UPDATE and DELETE of a LedgerEntry are refused (42501), raw or through Prisma", async () => {
    const attempts: ((tx: Tx) => Promise<unknown>)[] = [
      (tx: Tx) => tx.$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 1`,
      (tx: Tx) => tx.$executeRaw`DELETE FROM "LedgerEntry"`,
      (tx: Tx) => tx.ledgerEntry.updateMany({ data: { memo: "changed" } }),
      (tx: Tx) => tx.ledgerEntry.deleteMany({}),
    ];
    for (const attempt of attempts) {
      const error = await refusal(() => runIn(a, attempt));
      expect(error.code).toBe("42501");
    }
  });

  it("the same event never lands twice (idempotency key unique per school)", async () => {
    const error = await refusal(() =>
      runIn(a, async (tx) => {
        const entry = await tx.ledgerEntry.findFirstOrThrow({ where: { kind: "INVOICE" } });
        await tx.ledgerEntry.create({ data: { familyGroupId: a.familyId, kind: "INVOICE", amountMinor: 1, currency: "USD", idempotencyKey: entry.idempotencyKey } });
      }),
    );
    expect(error.code).toBe("23505");
  });
});

describe("between schools", () => {
  it("a school sees none of another's invoices, lines or entries, and cannot reference them", async () => {
    const seen = await runIn(b, async (tx) => ({
      invoices: await tx.invoice.count({ where: { familyGroupId: a.familyId } }),
      lines: await tx.invoiceLine.count({ where: { invoice: { familyGroupId: a.familyId } } }),
      entries: await tx.ledgerEntry.count({ where: { familyGroupId: a.familyId } }),
    }));
    expect(seen).toEqual({ invoices: 0, lines: 0, entries: 0 });
    const invoiceOfA = await runIn(a, (tx) => tx.invoice.findFirstOrThrow({ select: { id: true } }));
    const lineError = await refusal(() =>
      runIn(b, (tx) => tx.invoiceLine.create({ data: { invoiceId: invoiceOfA.id, kind: "CUSTOM", description: "x", quantity: 1, amountMinor: 1, netMinor: 1, taxMinor: 0, grossMinor: 1 } })),
    );
    expect(lineError.code).toBe("23503");
    const entryError = await refusal(() =>
      runIn(b, (tx) => tx.ledgerEntry.create({ data: { familyGroupId: b.familyId, kind: "INVOICE", amountMinor: 1, currency: "USD", invoiceId: invoiceOfA.id, idempotencyKey: "x" } })),
    );
    expect(entryError.code).toBe("23503");
    await expect(runIn(b, (tx) => issueInvoice(tx, { invoiceId: invoiceOfA.id, now: NOW }))).rejects.toThrow(/No such invoice/);
  });
});

describe("the demo seed", () => {
  it.each(["harmony", "riverside"])("%s has issued invoices that are paid, partly paid and overdue, and its ledger reconciles", async (slug) => {
    const id = await schoolId(services, slug);
    const result = await services.platform.schoolDb(id).run(async (tx) => {
      const school = await tx.school.findFirstOrThrow({ select: { timezone: true } });
      const today = toLocalDate(services.clock.now(), school.timezone);
      const invoices = await tx.invoice.findMany({ where: { status: "ISSUED" }, select: { id: true, totalMinor: true, dueDate: true, number: true } });
      const allocations = await tx.ledgerEntry.groupBy({ by: ["invoiceId"], where: { kind: "ALLOCATION" }, _sum: { amountMinor: true } });
      const paid = new Map(allocations.map((a) => [a.invoiceId, a._sum.amountMinor ?? 0]));
      const states = invoices.map((i) => {
        const p = paid.get(i.id) ?? 0;
        return p >= i.totalMinor ? "paid" : p > 0 ? "partly paid" : i.dueDate! < today ? "overdue" : "open";
      });
      const partlyOverdue = invoices.some((i) => (paid.get(i.id) ?? 0) < i.totalMinor && i.dueDate! < today);
      return { states: new Set(states), partlyOverdue, numbers: invoices.map((i) => i.number), problems: await reconcileSchool(tx) };
    });
    expect(result.states.has("paid")).toBe(true);
    expect(result.states.has("partly paid")).toBe(true);
    expect(result.partlyOverdue).toBe(true);
    if (slug === "harmony") expect(result.states.has("overdue")).toBe(true);
    expect(result.numbers.every((n) => n !== null)).toBe(true);
    expect(result.problems).toEqual([]);
  });
});
