// A school of a billing test's own: billing settings, two families (the first with two
// guardians and a child with a login of their own), and custom invoices issued at chosen
// times through the real model (issueInvoice).
import { randomUUID } from "node:crypto";
import { issueInvoice } from "../../app/models/billing.server";
import { hashPassword } from "../../app/utils/password.server";
import type { SchoolSummary } from "../../server/db/privileged.server";
import type { Tx } from "../../server/db/school-db.server";
import type { RunningServices } from "../../server/services.server";

export const PASSWORD = "billing-test-pass";

export interface BillingSchool {
  school: SchoolSummary;
  slug: string;
  a: { familyId: string; guardians: string[]; guardianEmails: string[]; studentEmail: string };
  b: { familyId: string; parentEmail: string };
  run: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
  /** A draft with one custom line, issued at `issuedAt` (its due date: issue date + the payment terms). */
  issue: (familyId: string, amountMinor: number, issuedAt: Date) => Promise<{ id: string; number: string; dueDate: string }>;
}

export async function makeBillingSchool(
  services: RunningServices,
  label: string,
  settings: { timezone?: string; currency?: string; paymentTermsDays?: number; reminderDays?: number[]; lateFeeMinor?: number | null; lateFeeBasisPoints?: number | null; lateFeeAfterDays?: number | null } = {},
): Promise<BillingSchool> {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, {
    name: `School ${label}`,
    slug,
    email: `office@${slug}.test`,
    timezone: settings.timezone ?? "America/New_York",
    currency: settings.currency ?? "USD",
  });
  const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(school.id).run(work);
  const hash = await hashPassword(PASSWORD);
  const people = await run(async (tx) => {
    await tx.billingSettings.create({
      data: {
        invoicePrefix: "T",
        paymentTermsDays: settings.paymentTermsDays ?? 14,
        reminderDays: settings.reminderDays ?? [7, 21],
        lateFeeMinor: settings.lateFeeMinor ?? null,
        lateFeeBasisPoints: settings.lateFeeBasisPoints ?? null,
        lateFeeAfterDays: settings.lateFeeAfterDays ?? null,
      },
    });
    await tx.user.create({ data: { email: `admin@${slug}.test`, firstName: "Ada", lastName: "Admin", role: "ADMIN", passwordHash: hash } });
    const family = async (last: string, guardians: string[]) => {
      const users = [];
      for (const first of guardians) {
        users.push(
          await tx.user.create({ data: { email: `${first}.${last}@${slug}.test`.toLowerCase(), firstName: first, lastName: last, role: "PARENT", passwordHash: hash }, select: { id: true, email: true } }),
        );
      }
      const f = await tx.familyGroup.create({ data: { name: `${last} family`, adminId: users[0]!.id }, select: { id: true } });
      await tx.user.updateMany({ where: { id: { in: users.map((u) => u.id) } }, data: { familyGroupId: f.id } });
      return { familyId: f.id, users };
    };
    const a = await family("Abbott", ["Alice", "Aaron"]);
    const b = await family("Baker", ["Bea"]);
    const student = await tx.user.create({ data: { email: `sam.abbott@${slug}.test`, firstName: "Sam", lastName: "Abbott", role: "STUDENT", passwordHash: hash, familyGroupId: a.familyId }, select: { id: true, email: true } });
    await tx.student.create({ data: { userId: student.id } });
    return {
      a: { familyId: a.familyId, guardians: a.users.map((u) => u.id), guardianEmails: a.users.map((u) => u.email), studentEmail: student.email },
      b: { familyId: b.familyId, parentEmail: b.users[0]!.email },
    };
  });
  const issue = (familyId: string, amountMinor: number, issuedAt: Date) =>
    run(async (tx) => {
      const draft = await tx.invoice.create({
        data: {
          familyGroupId: familyId,
          currency: school.currency,
          netMinor: amountMinor,
          totalMinor: amountMinor,
          lines: { create: [{ kind: "CUSTOM", description: "Tuition", quantity: 1, amountMinor, netMinor: amountMinor, taxMinor: 0, grossMinor: amountMinor }] },
        },
        select: { id: true },
      });
      const issued = await issueInvoice(tx, { invoiceId: draft.id, now: issuedAt });
      return { id: issued.id, number: issued.number, dueDate: issued.dueDate };
    });
  return { school, slug, ...people, run, issue };
}
