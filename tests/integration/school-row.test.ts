import { afterAll, describe, expect, it } from "vitest";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("a school's own row", () => {
  it("can be edited by the school (branding, contact), and only its own row changes", async () => {
    const id = await schoolId(services, "riverside");
    const other = await schoolId(services, "harmony");
    const db = services.platform.schoolDb(id);
    const before = await db.run((tx) => tx.school.findFirstOrThrow({ select: { phone: true, tagline: true } }));
    const tagline = `Strings for everyone ${Date.now()}`;
    const updated = await db.run((tx) => tx.school.updateMany({ data: { tagline } }));
    expect(updated.count).toBe(1);
    try {
      expect(await db.run((tx) => tx.school.findFirstOrThrow({ select: { tagline: true } }))).toEqual({ tagline });
      const harmony = await services.platform.schoolDb(other).run((tx) => tx.school.findFirstOrThrow({ select: { tagline: true } }));
      expect(harmony.tagline).not.toBe(tagline);
    } finally {
      await db.run((tx) => tx.school.updateMany({ data: { tagline: before.tagline } }));
    }
  });

  it.each([
    ["status", `"status" = 'ACTIVE'`],
    ["slug", `"slug" = 'taken-over'`],
    ["customDomainVerifiedAt", `"customDomainVerifiedAt" = now()`],
    ["customDomain", `"customDomain" = 'taken-over.example.com'`],
    ["customDomainClaimedAt", `"customDomainClaimedAt" = '2999-01-01'`],
  ])("cannot change %s, which only the platform decides", async (_column, assignment) => {
    const id = await schoolId(services, "riverside");
    await expect(
      services.platform.schoolDb(id).run((tx) => tx.$executeRawUnsafe(`UPDATE "School" SET ${assignment}`)),
    ).rejects.toThrow(/permission denied|42501/i);
  });
});
