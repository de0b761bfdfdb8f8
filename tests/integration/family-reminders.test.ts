import { afterAll, describe, expect, it } from "vitest";
import { sendFamilyReminders } from "../../server/jobs/tasks.server";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("the daily family reminders", () => {
  it("reminds a make-up credit a week before it expires, once", async () => {
    const id = await schoolId(services, "harmony");
    const db = services.platform.schoolDb(id);
    const now = new Date();
    const credit = await db.run(async (tx) => {
      const student = await tx.student.findFirstOrThrow({ where: { parentEmail: "parent@harmony.test" }, select: { id: true } });
      return tx.makeUpCredit.create({ data: { studentId: student.id, expiresAt: new Date(now.getTime() + 3 * 86_400_000), reason: "reminder test" }, select: { id: true } });
    });
    const first = await sendFamilyReminders(services, now, { schoolIds: [id] });
    expect(first.errors).toEqual([]);
    expect(first.expiringCredits).toBeGreaterThanOrEqual(1);
    const reminded = await db.run((tx) => tx.makeUpCredit.findUniqueOrThrow({ where: { id: credit.id }, select: { remindedAt: true } }));
    expect(reminded.remindedAt).not.toBeNull();
    const emails = await db.run((tx) => tx.emailMessage.count({ where: { to: "parent@harmony.test", subject: { contains: "make-up credit expires soon" }, createdAt: { gte: now } } }));
    expect(emails).toBeGreaterThanOrEqual(1);

    await sendFamilyReminders(services, now, { schoolIds: [id] });
    const again = await db.run((tx) => tx.emailMessage.count({ where: { to: "parent@harmony.test", subject: { contains: "make-up credit expires soon" }, createdAt: { gte: now } } }));
    expect(again).toBe(emails);
    await db.run((tx) => tx.makeUpCredit.update({ where: { id: credit.id }, data: { voidedAt: new Date(), reason: "test done" } }));
  });
});
