// The admin's billing work against the real database (RLS on), each test in a school of its
// own: editing a draft (a line's price, a custom line with tax, a removed line) keeps the
// totals the sums of the live lines, and re-running generation never brings a line back
// twice; voiding and credit notes land in the ledger and the ledger check holds; a
// recorded payment sends a receipt; an enrollment approved after the term's invoices were
// generated gets its own prorated draft, which a later run does not repeat.
// (20 concurrent issues and gapless numbers: billing.test.ts.)
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { localDateTimeToUtc } from "../../app/domain/time";
import {
  addCustomLine,
  familyAccount,
  invoiceApprovedEnrollment,
  issueCreditNote,
  issueTermDrafts,
  recordPaymentWithReceipt,
  removeDraftLine,
  restoreDraftLine,
  updateDraftLine,
  voidInvoice,
} from "../../app/models/billing-admin.server";
import { familyBalance, generateTermInvoices, issueInvoice, reconcileSchool, recordManualPayment } from "../../app/models/billing.server";
import { decideEnrollment, enrollStudent } from "../../app/models/enrollment.server";
import type { Tx } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

const services = testServices();
const ZONE = "America/New_York";
const NOW = new Date("2031-08-20T15:00:00Z");
const TERM = { name: "Autumn 2031", startDate: "2031-09-01", endDate: "2031-12-19" };
const ORIGIN = "http://billing.test";

interface Fixture {
  schoolId: string;
  termId: string;
  familyId: string;
  adminId: string;
  lessonId: string;
  children: string[];
  run: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
}

/** A school (GST 10 % exclusive, 10 % off the 2nd child), a weekly 30-minute piano lesson priced 300.00 a term, one family with two children enrolled. */
async function makeSchool(label: string): Promise<Fixture> {
  const slug = `bill-admin-${label}-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: `Billing ${label}`, slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  const run = <T,>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(school.id).run(work);
  const fixture = await run(async (tx) => {
    await tx.billingSettings.create({ data: { taxRateBasisPoints: 1000, taxLabel: "GST", invoicePrefix: "BA", paymentTermsDays: 14, siblingDiscounts: [{ fromPosition: 2, kind: "PERCENT", basisPoints: 1000 }] } });
    const admin = await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN" }, select: { id: true } });
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
    await tx.priceListLine.create({ data: { termId: term.id, lessonType: "INDIVIDUAL", durationMinutes: 30, amountMinor: 30000, currency: "USD", basis: "PER_TERM" } });
    const parent = await tx.user.create({ data: { email: `parent@${slug}.test`, firstName: "Pat", lastName: "Parent", role: "PARENT" }, select: { id: true } });
    const family = await tx.familyGroup.create({ data: { name: "Parent family", adminId: parent.id }, select: { id: true } });
    await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: family.id } });
    const children: string[] = [];
    for (const [name, born] of [["Ann", "2018-03-01"], ["Ben", "2020-05-01"], ["Cal", "2022-01-01"]] as const) {
      const user = await tx.user.create({ data: { email: `${name.toLowerCase()}@${slug}.test`, firstName: name, lastName: "Parent", role: "STUDENT", familyGroupId: family.id }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: user.id, dateOfBirth: new Date(`${born}T00:00:00Z`) }, select: { id: true } });
      // Ann and Ben from the start; Cal is not enrolled yet.
      if (name !== "Cal") await tx.enrollment.create({ data: { lessonId: lesson.id, studentId: student.id, status: "ACTIVE", enrolledAt: new Date("2031-08-01T12:00:00Z") } });
      children.push(student.id);
    }
    return { termId: term.id, familyId: family.id, adminId: admin.id, lessonId: lesson.id, children };
  });
  return { schoolId: school.id, run, ...fixture };
}

async function draftOf(f: Fixture) {
  return f.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroupId: f.familyId, status: "DRAFT" }, include: { lines: { orderBy: { position: "asc" } } } }));
}

const liveSums = (lines: { voided: boolean; netMinor: number; taxMinor: number; grossMinor: number }[]) => {
  const live = lines.filter((l) => !l.voided);
  return { net: live.reduce((n, l) => n + l.netMinor, 0), tax: live.reduce((n, l) => n + l.taxMinor, 0), total: live.reduce((n, l) => n + l.grossMinor, 0) };
};

afterAll(async () => {
  await services.close();
});

describe("editing a draft", () => {
  it("a changed price, a custom line with tax and a removed line: totals are the live lines' sums, and re-generation never duplicates a line", async () => {
    const f = await makeSchool("edit");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    let draft = await draftOf(f);
    const [ann, ben, discount] = draft.lines;
    expect([ann!.kind, ben!.kind, discount!.kind]).toEqual(["LESSON", "LESSON", "SIBLING_DISCOUNT"]);

    // Ann's line: 280.00 instead of 300.00 (a term price, no unit price); GST follows.
    await f.run((tx) => updateDraftLine(tx, { invoiceId: draft.id, lineId: ann!.id, change: { description: "Piano (Ann), agreed price", quantity: ann!.quantity, unitAmountMinor: null, amountMinor: 28000 } }));
    // A book: 2 × 12.50, taxed 10 %: the invoice's rate, though the school's rate changed since it was made.
    expect(draft.taxRateBasisPoints).toBe(1000);
    await f.run((tx) => tx.billingSettings.updateMany({ data: { taxRateBasisPoints: 1500 } }));
    await f.run((tx) => addCustomLine(tx, { invoiceId: draft.id, description: "Piano Adventures book", quantity: 2, unitAmountMinor: 1250, studentId: f.children[0]! }));
    // Ben's sibling discount removed.
    await f.run((tx) => removeDraftLine(tx, { invoiceId: draft.id, lineId: discount!.id }));

    draft = await draftOf(f);
    const edited = draft.lines.find((l) => l.id === ann!.id)!;
    expect([edited.description, edited.amountMinor, edited.taxMinor, edited.grossMinor]).toEqual(["Piano (Ann), agreed price", 28000, 2800, 30800]);
    const book = draft.lines.find((l) => l.kind === "CUSTOM")!;
    expect([book.lineKey, book.amountMinor, book.taxMinor, book.grossMinor, book.studentId]).toEqual([null, 2500, 250, 2750, f.children[0]]);
    // The removed generated line is kept, voided, so generation knows it was decided.
    expect(draft.lines.find((l) => l.id === discount!.id)!.voided).toBe(true);
    expect({ net: draft.netMinor, tax: draft.taxMinor, total: draft.totalMinor }).toEqual(liveSums(draft.lines));
    expect(draft.totalMinor).toBe(30800 + 33000 + 2750);

    // Generation again: nothing added; not the edited line, not the removed discount.
    const again = await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    expect(again.invoiceIds).toEqual([]);
    const after = await draftOf(f);
    expect(after.lines).toHaveLength(draft.lines.length);
    expect(after.totalMinor).toBe(draft.totalMinor);

    // A new enrollment: the next run adds just its line (and its 3rd-child discount) to the same draft.
    await f.run((tx) => tx.enrollment.create({ data: { lessonId: f.lessonId, studentId: f.children[2]!, status: "ACTIVE", enrolledAt: new Date("2031-08-02T12:00:00Z") } }));
    const third = await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    expect(third.invoiceIds).toEqual([draft.id]);
    const grown = await draftOf(f);
    const keys = grown.lines.filter((l) => l.lineKey).map((l) => l.lineKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(grown.lines.filter((l) => l.studentId === f.children[2]).map((l) => l.kind)).toEqual(["LESSON", "SIBLING_DISCOUNT"]);
    expect({ net: grown.netMinor, tax: grown.taxMinor, total: grown.totalMinor }).toEqual(liveSums(grown.lines));
    const fourth = await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    expect(fourth.invoiceIds).toEqual([]);

    // The removed discount can be put back; it is then live again (once).
    await f.run((tx) => restoreDraftLine(tx, { invoiceId: draft.id, lineId: discount!.id }));
    expect((await draftOf(f)).lines.find((l) => l.id === discount!.id)!.voided).toBe(false);
  });

  it("five generations at once after a line was removed add nothing: the removed line stays removed, none is doubled", async () => {
    const f = await makeSchool("concurrent");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => removeDraftLine(tx, { invoiceId: draft.id, lineId: draft.lines[2]!.id }));
    // Cal's new enrollment: exactly one run may bill it.
    await f.run((tx) => tx.enrollment.create({ data: { lessonId: f.lessonId, studentId: f.children[2]!, status: "ACTIVE", enrolledAt: new Date("2031-08-02T12:00:00Z") } }));
    await Promise.all(Array.from({ length: 5 }, () => f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }))));
    const lines = await f.run((tx) => tx.invoiceLine.findMany({ where: { lineKey: { not: null } }, select: { lineKey: true, voided: true } }));
    expect(lines).toHaveLength(5); // Ann, Ben, Ben's removed discount, Cal, Cal's discount
    expect(new Set(lines.map((l) => l.lineKey)).size).toBe(5);
    expect(lines.filter((l) => l.voided)).toHaveLength(1);
  });

  it("an issued invoice cannot be edited", async () => {
    const f = await makeSchool("locked");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    await expect(f.run((tx) => removeDraftLine(tx, { invoiceId: draft.id, lineId: draft.lines[0]!.id }))).rejects.toThrow(/cannot be changed/);
    await expect(f.run((tx) => addCustomLine(tx, { invoiceId: draft.id, description: "Exam fee", quantity: 1, unitAmountMinor: 4000, studentId: null }))).rejects.toThrow(/cannot be changed/);
  });
});

describe("issuing the term's drafts", () => {
  it("issues every draft with gapless numbers and emails the paying guardian", async () => {
    const f = await makeSchool("issue");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const r = await f.run((tx) => issueTermDrafts(tx, services.mailer, { termId: f.termId, now: NOW, origin: ORIGIN }));
    expect(r).toEqual({ issued: 1, skipped: 0 });
    const invoice = await f.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroupId: f.familyId } }));
    expect([invoice.status, invoice.number, invoice.dueDate]).toEqual(["ISSUED", "BA-000001", "2031-09-03"]);
    const emails = await f.run((tx) => tx.emailMessage.findMany({ where: { subject: { contains: "BA-000001" } }, select: { to: true, text: true } }));
    expect(emails.map((e) => e.to)).toEqual([expect.stringMatching(/^parent@/)]);
    expect(emails[0]!.text).toContain(`${ORIGIN}/family/billing`);
  });
});

describe("void and credit notes", () => {
  it("voiding an unpaid invoice drops the balance to zero, frees its lessons for a new draft, and happens once", async () => {
    const f = await makeSchool("void");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    expect((await f.run((tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(draft.totalMinor);

    const r = await f.run((tx) => voidInvoice(tx, { invoiceId: draft.id, reason: "Wrong family", actorId: f.adminId, now: NOW }));
    expect(r.amountMinor).toBe(draft.totalMinor);
    expect((await f.run((tx) => familyBalance(tx, f.familyId))).amountMinor).toBe(0);
    const voided = await f.run((tx) => tx.invoice.findUniqueOrThrow({ where: { id: draft.id }, include: { lines: true, ledgerEntries: true } }));
    expect(voided.status).toBe("VOID");
    expect(voided.lines.every((l) => l.voided)).toBe(true);
    const credit = await f.run((tx) => tx.ledgerEntry.findFirstOrThrow({ where: { idempotencyKey: `void:${draft.id}` } }));
    expect([credit.kind, credit.amountMinor]).toEqual(["CREDIT_NOTE", draft.totalMinor]);
    await expect(f.run((tx) => voidInvoice(tx, { invoiceId: draft.id, reason: "again", actorId: f.adminId, now: NOW }))).rejects.toThrow(/already void/);
    expect(await f.run((tx) => reconcileSchool(tx))).toEqual([]);

    // The void invoice's lessons are billable again, on a fresh draft.
    const again = await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    expect(again.invoiceIds).toHaveLength(1);
    expect(again.invoiceIds[0]).not.toBe(draft.id);
  });

  it("an invoice with a payment on it cannot be voided", async () => {
    const f = await makeSchool("paid");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    await f.run((tx) => recordManualPayment(tx, { familyGroupId: f.familyId, amountMinor: 1000, method: "CASH", reference: null, now: NOW }));
    await expect(f.run((tx) => voidInvoice(tx, { invoiceId: draft.id, reason: "x", actorId: f.adminId, now: NOW }))).rejects.toThrow(/cannot be voided/);
    expect(await f.run((tx) => tx.invoice.findUniqueOrThrow({ where: { id: draft.id }, select: { status: true } }))).toEqual({ status: "ISSUED" });
  });

  it("a partial credit note lowers what the invoice owes; a second send of the same form lands once; more than the invoice is refused", async () => {
    const f = await makeSchool("credit");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    const credit = { invoiceId: draft.id, amountMinor: 5000, reason: "Two lessons missed (teacher ill)", requestKey: "k1", actorId: f.adminId, now: NOW };
    await f.run((tx) => issueCreditNote(tx, credit));
    expect((await f.run((tx) => issueCreditNote(tx, credit))).repeated).toBe(true);
    const account = await f.run((tx) => familyAccount(tx, f.familyId));
    expect(account!.balanceMinor).toBe(draft.totalMinor - 5000);
    expect(account!.invoices[0]!.outstandingMinor).toBe(draft.totalMinor - 5000);
    expect(account!.creditNotes.map((c) => [c.amountMinor, c.memo, c.unallocatedMinor])).toEqual([[5000, "Two lessons missed (teacher ill)", 0]]);
    await expect(f.run((tx) => issueCreditNote(tx, { ...credit, requestKey: "k2", amountMinor: draft.totalMinor }))).rejects.toThrow(/cannot be more/);
    expect(await f.run((tx) => reconcileSchool(tx))).toEqual([]);
  });
});

describe("recording a payment", () => {
  it("the same form submitted twice at once records one payment and sends one receipt", async () => {
    const f = await makeSchool("twice");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    const submit = () =>
      f.run((tx) => recordPaymentWithReceipt(tx, services.mailer, { familyGroupId: f.familyId, amountMinor: 5000, method: "CASH", reference: null, requestKey: "one-form", actorId: f.adminId, now: NOW }));
    const results = await Promise.all([submit(), submit(), submit()]);
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(results.filter((r) => !r.repeated)).toHaveLength(1);
    expect(await f.run((tx) => tx.payment.count({ where: { familyGroupId: f.familyId } }))).toBe(1);
    expect((await f.run((tx) => familyAccount(tx, f.familyId)))!.balanceMinor).toBe(draft.totalMinor - 5000);
    expect(await f.run((tx) => tx.emailMessage.count({ where: { subject: { startsWith: "Receipt" } } }))).toBe(1);
    // A new form (a new key) is a new payment.
    await f.run((tx) => recordPaymentWithReceipt(tx, services.mailer, { familyGroupId: f.familyId, amountMinor: 5000, method: "CASH", reference: null, requestKey: "next-form", actorId: f.adminId, now: NOW }));
    expect(await f.run((tx) => tx.payment.count({ where: { familyGroupId: f.familyId } }))).toBe(2);
  });

  it("a partial payment, then an overpayment: the balance drops, the rest is credit, each payment gets a receipt", async () => {
    const f = await makeSchool("pay");
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    const draft = await draftOf(f);
    await f.run((tx) => issueInvoice(tx, { invoiceId: draft.id, now: NOW }));
    const pay = (amountMinor: number, reference: string | null) =>
      f.run((tx) => recordPaymentWithReceipt(tx, services.mailer, { familyGroupId: f.familyId, amountMinor, method: "BANK_TRANSFER", reference, requestKey: `key-${reference}`, actorId: f.adminId, now: NOW }));
    await pay(20000, "TR-1");
    expect((await f.run((tx) => familyAccount(tx, f.familyId)))!.balanceMinor).toBe(draft.totalMinor - 20000);
    await pay(draft.totalMinor, "TR-2");
    const account = (await f.run((tx) => familyAccount(tx, f.familyId)))!;
    expect(account.balanceMinor).toBe(-20000);
    expect(account.freeCreditMinor).toBe(20000);
    expect(account.invoices[0]!.outstandingMinor).toBe(0);
    expect(account.statement.map((l) => l.balance.amountMinor)).toEqual([draft.totalMinor, draft.totalMinor - 20000, -20000]);
    const receipts = await f.run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "Receipt" } }, orderBy: { createdAt: "asc" }, select: { text: true } }));
    expect(receipts).toHaveLength(2);
    expect(receipts[0]!.text).toMatch(/reference TR-1/);
    expect(receipts[1]!.text).toMatch(/credit, applied to your next invoice/);
    expect(await f.run((tx) => reconcileSchool(tx))).toEqual([]);
  });
});

describe("an enrollment approved mid-term", () => {
  it("after the term's invoices were generated, gets its own prorated draft; the term run does not bill it again", async () => {
    const f = await makeSchool("mid");
    // Before any term run, an approval makes no invoice (the run will bill it).
    expect(await f.run((tx) => invoiceApprovedEnrollment(tx, "nothing"))).toEqual([]);
    await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    // Cal asks to join on 1 Nov (mid-term); the admin approves.
    const pending = await f.run((tx) => enrollStudent(tx, { lessonId: f.lessonId, studentId: f.children[2]!, requireApproval: true, waitlist: false, now: new Date("2031-11-01T12:00:00Z") }));
    await f.run((tx) => decideEnrollment(tx, services.mailer, pending.enrollmentId!, "APPROVE"));
    const mid = await f.run((tx) => tx.invoice.findFirstOrThrow({ where: { invoiceKey: { startsWith: "enrollment:" } }, include: { lines: true } }));
    expect(mid.status).toBe("DRAFT");
    expect(mid.invoiceKey).toBe(`enrollment:${pending.enrollmentId}:term:${f.termId}`);
    const lesson = mid.lines.find((l) => l.kind === "LESSON")!;
    // Weekly Tuesdays 2 Sep – 16 Dec is 16 lessons; from 1 Nov, 7 (4 Nov … 16 Dec): 300.00 × 7 / 16 = 131.25.
    expect([lesson.quantity, lesson.amountMinor]).toEqual([7, 13125]);
    expect(mid.lines.map((l) => l.kind).sort()).toEqual(["LESSON", "SIBLING_DISCOUNT"]);

    const rerun = await f.run((tx) => generateTermInvoices(tx, { termId: f.termId, now: NOW }));
    expect(rerun.invoiceIds).toEqual([]);
    expect(await f.run((tx) => tx.invoiceLine.count({ where: { enrollmentId: pending.enrollmentId } }))).toBe(2);
  });
});
