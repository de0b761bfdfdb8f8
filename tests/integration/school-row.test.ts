import { afterAll, describe, expect, it } from "vitest";
import { schoolId, testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

describe("a school's own row", () => {
  it("can be edited by the school (branding, contact)", async () => {
    const id = await schoolId(services, "riverside");
    const phone = await services.platform.schoolDb(id).run(async (tx) => {
      const before = await tx.school.findFirstOrThrow({ select: { phone: true } });
      await tx.school.updateMany({ data: { phone: before.phone } });
      return before.phone;
    });
    expect(phone).toBeTruthy();
  });

  it.each([
    ["status", `"status" = 'ACTIVE'`],
    ["slug", `"slug" = 'taken-over'`],
    ["customDomainVerifiedAt", `"customDomainVerifiedAt" = now()`],
  ])("cannot change %s, which only the platform decides", async (_column, assignment) => {
    const id = await schoolId(services, "riverside");
    await expect(
      services.platform.schoolDb(id).run((tx) => tx.$executeRawUnsafe(`UPDATE "School" SET ${assignment}`)),
    ).rejects.toThrow(/permission denied|42501/i);
  });
});
