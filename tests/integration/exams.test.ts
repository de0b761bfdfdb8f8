// Exam entries against the real database (RLS on), in a school of the test's own: the family
// decides, the fee becomes an issued invoice line once (also when the guardians click at the
// same moment), the admin books (the family is emailed) and records the result by the
// board's rules, a pass gives one award, every move is kept with who and when, the history
// cannot be rewritten by the app, and another school sees none of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { familyBalance, reconcileSchool } from "../../app/models/billing.server";
import { bookExam, decideExam, examEntriesBySession, recommendExam, recordExamResult, withdrawExam } from "../../app/models/exams.server";
import { localDateTimeToUtc } from "../../app/domain/time";
import { Mailer } from "../../server/services/email.server";
import { type BillingSchool, makeBillingSchool } from "../support/billing";
import { pgErrorOf } from "../support/db";
import { testServices } from "../support/services";

const services = testServices();
const ZONE = "Europe/London";
const at = (day: string, time = "10:00") => localDateTimeToUtc(day, time, ZONE);
const mailer = new Mailer({ from: "Encore <no-reply@encore.localhost>" });
const ORIGIN = "http://exams.localhost";

let s: BillingSchool;
let other: BillingSchool;
let studentId: string;
let teacher: { id: string; role: string };
let admin: { id: string; role: string };
let alice: { id: string; role: string };
let aaron: { id: string; role: string };

beforeAll(async () => {
  [s, other] = await Promise.all([makeBillingSchool(services, "exams", { timezone: ZONE, currency: "GBP" }), makeBillingSchool(services, "exams-other", { timezone: ZONE })]);
  await s.run(async (tx) => {
    const t = await tx.user.create({ data: { email: `t@${s.slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER" }, select: { id: true } });
    const a = await tx.user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
    studentId = (await tx.student.findFirstOrThrow({ select: { id: true } })).id;
    teacher = { id: t.id, role: "TEACHER" };
    admin = { id: a.id, role: "ADMIN" };
  });
  alice = { id: s.a.guardians[0]!, role: "PARENT" };
  aaron = { id: s.a.guardians[1]!, role: "PARENT" };
});
afterAll(async () => {
  await services.close();
});

const recommend = (grade: string, feeMinor: number | null, board: "ABRSM" | "TRINITY" | "AMEB" = "ABRSM") =>
  s.run((tx) => recommendExam(tx, mailer, { studentId, board, instrument: "Piano", grade, session: "Spring 2031", entryDeadline: "2031-02-01", feeMinor, notes: null, actor: teacher, now: at("2031-01-05"), origin: ORIGIN }));

describe("an exam entry from recommendation to result", () => {
  let entryId: string;

  it("asks the family by email, and refuses the same entry twice", async () => {
    entryId = (await recommend("Grade 5", 8_950)).id;
    const emails = await s.run((tx) => tx.emailMessage.findMany({ where: { subject: { contains: "recommended for ABRSM Grade 5 Piano" } }, select: { to: true, text: true } }));
    expect(emails.map((e) => e.to).sort()).toEqual([...s.a.guardianEmails, s.a.studentEmail].sort());
    expect(emails[0]!.text).toContain("The exam fee is £89.50; it is invoiced when you accept.");
    expect(emails[0]!.text).toContain(`${ORIGIN}/family/progress`);
    await expect(recommend("Grade 5", 8_950)).rejects.toThrow("This student already has this entry for that session.");
  });

  it("makes one entry when the same recommendation is sent twice at once", async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => recommend("Grade 4", null)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) expect(String(r.reason.message)).toBe("This student already has this entry for that session.");
    expect(await s.run((tx) => tx.examRequest.count({ where: { grade: "Grade 4" } }))).toBe(1);
  });

  it("lets only a guardian accept; two guardians accepting at once make one fee invoice", async () => {
    await expect(s.run((tx) => decideExam(tx, { examRequestId: entryId, accept: true, actor: teacher, now: at("2031-01-06") }))).rejects.toThrow("Only a guardian of the student can accept an exam entry.");
    const results = await Promise.allSettled([alice, aaron].map((actor) => s.run((tx) => decideExam(tx, { examRequestId: entryId, accept: true, actor, now: at("2031-01-06") }))));
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason.message)).toBe("This entry is “Accepted, to book”: you cannot accept it now.");
    const invoices = await s.run((tx) =>
      tx.invoice.findMany({ where: { invoiceKey: `exam:${entryId}` }, select: { status: true, totalMinor: true, familyGroupId: true, lines: { select: { description: true, amountMinor: true } } } }),
    );
    expect(invoices).toEqual([{ status: "ISSUED", totalMinor: 8_950, familyGroupId: s.a.familyId, lines: [{ description: "Exam fee: ABRSM Grade 5 Piano, Spring 2031 (Sam Abbott)", amountMinor: 8_950 }] }]);
    expect((await s.run((tx) => familyBalance(tx, s.a.familyId))).amountMinor).toBe(8_950);
    expect(await s.run((tx) => reconcileSchool(tx))).toEqual([]);
  });

  it("lets only an admin book it, and tells the family when and where", async () => {
    await expect(s.run((tx) => bookExam(tx, mailer, { examRequestId: entryId, date: "2031-03-10", time: "14:30", place: "Hall", actor: teacher, now: at("2031-02-10") }))).rejects.toThrow("Only an admin can do this.");
    const booked = await s.run((tx) => bookExam(tx, mailer, { examRequestId: entryId, date: "2031-03-10", time: "14:30", place: "St John's Hall", actor: admin, now: at("2031-02-10") }));
    expect(booked.examDate.toISOString()).toBe("2031-03-10T14:30:00.000Z");
    expect(booked.told).toBe(3);
    const email = await s.run((tx) => tx.emailMessage.findFirstOrThrow({ where: { subject: { contains: "ABRSM Grade 5 Piano exam" } }, select: { text: true } }));
    expect(email.text).toContain("Where: St John's Hall");
    // A changed booking keeps the status and tells the family again.
    const moved = await s.run((tx) => bookExam(tx, mailer, { examRequestId: entryId, date: "2031-03-11", time: "09:00", place: "St John's Hall", actor: admin, now: at("2031-02-11") }));
    expect(moved.rebooked).toBe(true);
  });

  it("records a result by the board's rules and gives one award for a pass", async () => {
    await expect(s.run((tx) => recordExamResult(tx, mailer, { examRequestId: entryId, result: "151", actor: admin, now: at("2031-04-01") }))).rejects.toThrow("ABRSM marks are out of 150: 151 is too high.");
    const r = await s.run((tx) => recordExamResult(tx, mailer, { examRequestId: entryId, result: "125", actor: admin, now: at("2031-04-01") }));
    expect(r).toMatchObject({ awarded: true, result: { band: "MERIT", label: "Merit (125/150)" } });
    await expect(s.run((tx) => recordExamResult(tx, mailer, { examRequestId: entryId, result: "140", actor: admin, now: at("2031-04-02") }))).rejects.toThrow("you cannot record the result of it now");
    const awards = await s.run((tx) => tx.progressionAward.findMany({ where: { examRequestId: entryId }, select: { title: true, awardType: true, awardKey: true } }));
    expect(awards).toEqual([{ title: "ABRSM Grade 5 Piano: Merit", awardType: "EXAMINATION_PASS", awardKey: `exam:${entryId}` }]);
    // A booking changed after the result (a stale form) is refused and leaves the result alone.
    await expect(s.run((tx) => bookExam(tx, mailer, { examRequestId: entryId, date: "2031-03-12", time: "09:00", place: "Hall", actor: admin, now: at("2031-04-03") }))).rejects.toThrow();
    expect((await s.run((tx) => tx.examRequest.findUniqueOrThrow({ where: { id: entryId }, select: { status: true } }))).status).toBe("RESULTS_RECEIVED");
  });

  it("keeps every move with who and when, and the app cannot rewrite it", async () => {
    const history = await s.run((tx) => tx.examStatusChange.findMany({ where: { examRequestId: entryId }, orderBy: { changedAt: "asc" }, select: { fromStatus: true, toStatus: true, changedById: true, changedAt: true, note: true } }));
    expect(history).toEqual([
      { fromStatus: null, toStatus: "PENDING", changedById: teacher.id, changedAt: at("2031-01-05"), note: null },
      { fromStatus: "PENDING", toStatus: "APPROVED", changedById: expect.stringMatching(new RegExp(`^(${alice.id}|${aaron.id})$`)), changedAt: at("2031-01-06"), note: null },
      { fromStatus: "APPROVED", toStatus: "SCHEDULED", changedById: admin.id, changedAt: at("2031-02-10"), note: null },
      { fromStatus: "SCHEDULED", toStatus: "RESULTS_RECEIVED", changedById: admin.id, changedAt: at("2031-04-01"), note: "Merit (125/150)" },
    ]);
    for (const attempt of [
      () => s.run((tx) => tx.examStatusChange.updateMany({ where: { examRequestId: entryId }, data: { note: "changed" } })),
      () => s.run((tx) => tx.examStatusChange.deleteMany({ where: { examRequestId: entryId } })),
    ]) {
      const error = await attempt().then(() => null, (e: unknown) => e);
      expect(pgErrorOf(error)?.code).toBe("42501");
    }
  });
});

describe("declines, withdrawals and other boards", () => {
  it("a decline invoices nothing; a declined entry can be recommended again", async () => {
    const entry = await recommend("Grade 6", 9_900);
    await s.run((tx) => decideExam(tx, { examRequestId: entry.id, accept: false, actor: alice, now: at("2031-01-07") }));
    expect(await s.run((tx) => tx.invoice.count({ where: { invoiceKey: `exam:${entry.id}` } }))).toBe(0);
    await expect(s.run((tx) => decideExam(tx, { examRequestId: entry.id, accept: true, actor: alice, now: at("2031-01-08") }))).rejects.toThrow("you cannot accept it now");
    expect((await recommend("Grade 6", 9_900)).id).not.toBe(entry.id);
  });

  it("the teacher withdraws a recommendation the family has not decided on", async () => {
    const entry = await recommend("Grade 7", null, "TRINITY");
    await s.run((tx) => withdrawExam(tx, { examRequestId: entry.id, actor: teacher, now: at("2031-01-09"), note: "Not ready yet" }));
    expect(await s.run((tx) => tx.examRequest.findUniqueOrThrow({ where: { id: entry.id }, select: { status: true } }))).toEqual({ status: "REJECTED" });
  });

  it("an AMEB 'not shown' records no pass and gives no award; entries are grouped by board and session", async () => {
    const entry = await recommend("Grade 2", null, "AMEB");
    await s.run((tx) => decideExam(tx, { examRequestId: entry.id, accept: true, actor: alice, now: at("2031-01-10") }));
    await s.run((tx) => bookExam(tx, mailer, { examRequestId: entry.id, date: "2031-03-12", time: "11:00", place: "Hall", actor: admin, now: at("2031-02-12") }));
    const r = await s.run((tx) => recordExamResult(tx, mailer, { examRequestId: entry.id, result: "not shown", actor: admin, now: at("2031-04-03") }));
    expect(r).toMatchObject({ awarded: false, result: { passed: false, label: "Not shown" } });
    expect(await s.run((tx) => tx.progressionAward.count({ where: { examRequestId: entry.id } }))).toBe(0);
    const groups = await s.run((tx) => examEntriesBySession(tx));
    expect(groups.map((g) => [g.board, g.session, g.deadline, g.entries.length])).toEqual([
      ["ABRSM", "Spring 2031", "2031-02-01", 4],
      ["AMEB", "Spring 2031", "2031-02-01", 1],
      ["TRINITY", "Spring 2031", "2031-02-01", 1],
    ]);
  });
});

describe("isolation", () => {
  it("another school sees no entry, no history and no award, and cannot move this school's entries", async () => {
    expect(await other.run((tx) => tx.examRequest.count())).toBe(0);
    expect(await other.run((tx) => tx.examStatusChange.count())).toBe(0);
    expect(await other.run((tx) => examEntriesBySession(tx))).toEqual([]);
    const entry = await recommend("Grade 8", null);
    const otherParent = { id: (await other.run((tx) => tx.user.findFirstOrThrow({ where: { role: "PARENT" }, select: { id: true } }))).id, role: "PARENT" };
    await expect(other.run((tx) => decideExam(tx, { examRequestId: entry.id, accept: true, actor: otherParent, now: at("2031-01-11") }))).rejects.toThrow("That exam entry does not exist any more.");
  });
});
