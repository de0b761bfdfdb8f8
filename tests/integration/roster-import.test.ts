// Importing a roster from CSV, against the real database with row-level security:
// the import is one transaction (a failure half-way leaves nothing), importing the
// same file again changes nothing, bad rows are refused with their reasons, and an
// exported roster imports back unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCsv } from "../../app/domain/csv";
import { applyImportPlan, importRoster, previewRosterImport } from "../../app/models/roster-import.server";
import { EXPORT_HEADER, exportRosterRows, rosterFilters } from "../../app/models/roster.server";
import type { SchoolDb } from "../../server/db/school-db.server";
import { testServices } from "../support/services";

const services = testServices();
let db: SchoolDb;

const HEADER = "Parent First Name,Parent Last Name,Parent Email,Parent Phone,Student First Name,Student Last Name,Date of Birth,Instrument,Skill Level,Emergency Contact Name,Emergency Contact Phone";
const GOOD_ROWS = [
  "Ann,Stone,Ann.Stone@Example.test,(212) 555-0101,Mia,Stone,2014-03-02,Piano,beginner,Pat Stone,555-0199",
  "Ann,Stone,ann.stone@example.test,(212) 555-0101,Leo,Stone,2016-07-09,Violin,,Pat Stone,555-0199",
  'Bo,"Lee, Jr",bo.lee@example.test,,Kai,Lee,2015-01-01,Guitar,Intermediate,,',
  "Cy,Ray,cy.ray@example.test,,Ida,Ray,2013-11-30,,,,",
];
const BAD_ROWS = [
  "Di,Fox,di.fox@example.test,,Jo,Fox,31/02/2015,Piano,,,",
  "Ed,Poe,not-an-email,,Al,Poe,2014-05-05,Piano,expert,,",
];
const FILE = [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], BAD_ROWS[0], GOOD_ROWS[2], BAD_ROWS[1], GOOD_ROWS[3]].join("\r\n") + "\r\n";

async function counts() {
  return db.run(async (tx) => ({
    users: await tx.user.count(),
    families: await tx.familyGroup.count(),
    students: await tx.student.count(),
  }));
}

beforeAll(async () => {
  // A school of its own, so other test files' data never meets this one's.
  const slug = `import-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const school = await services.platform.createSchool(null, { name: "Import Test School", slug, email: `admin@${slug}.test`, timezone: "UTC", currency: "USD" });
  db = services.platform.schoolDb(school.id);
});

afterAll(() => services.close());

describe("roster import", () => {
  it("previews without writing: 3 families, 4 students, and the two bad rows with their reasons", async () => {
    const plan = await db.run((tx) => previewRosterImport(tx, FILE));
    expect(plan.fileError).toBeNull();
    expect(plan.createFamilies.map((f) => f.parentEmail)).toEqual(["ann.stone@example.test", "bo.lee@example.test", "cy.ray@example.test"]);
    expect(plan.createStudents.map((s) => s.row)).toEqual([2, 3, 5, 7]);
    expect(plan.rejected).toEqual([
      { row: 4, reason: "Row 4: date_of_birth '31/02/2015' is not a date (use yyyy-mm-dd)" },
      { row: 6, reason: "Row 6: parent_email 'not-an-email' is not an email address; skill_level 'expert' is not one of beginner, elementary, intermediate, advanced, professional" },
    ]);
    expect(await counts()).toEqual({ users: 0, families: 0, students: 0 });
  });

  it("is one transaction: a failure half-way leaves nothing behind", async () => {
    // A plan whose last student points at a family that does not exist: the parents
    // and families are written first, then the database refuses the student.
    const plan = await db.run((tx) => previewRosterImport(tx, FILE));
    const broken = {
      ...plan,
      createStudents: plan.createStudents.map((s, i, all) => (i === all.length - 1 ? { ...s, family: { kind: "existing" as const, id: "no-such-family" } } : s)),
    };
    await expect(db.run((tx) => applyImportPlan(tx, broken))).rejects.toThrow();
    expect(await counts()).toEqual({ users: 0, families: 0, students: 0 });

    // And it runs in the caller's transaction: if that fails after the import, nothing stays.
    await expect(
      db.run(async (tx) => {
        await importRoster(tx, FILE);
        throw new Error("the caller fails after the import");
      }),
    ).rejects.toThrow("the caller fails after the import");
    expect(await counts()).toEqual({ users: 0, families: 0, students: 0 });
  });

  it("imports the good rows, rejects the two bad ones with reasons, and re-importing changes nothing", async () => {
    const { plan, applied } = await db.run((tx) => importRoster(tx, FILE));
    expect(applied).toEqual({ families: 3, students: 4, unchanged: 0, rejected: 2 });
    expect(plan.rejected.map((r) => r.row)).toEqual([4, 6]);
    // 3 parents + 4 students
    expect(await counts()).toEqual({ users: 7, families: 3, students: 4 });

    const stone = await db.run((tx) =>
      tx.familyGroup.findFirstOrThrow({
        where: { admin: { email: "ann.stone@example.test" } },
        select: {
          name: true,
          billingEmail: true,
          emergencyContactName: true,
          admin: { select: { firstName: true, lastName: true, role: true, phone: true, passwordHash: true, familyGroupId: true } },
          members: { where: { role: "STUDENT" }, orderBy: { firstName: "asc" }, select: { firstName: true, email: true, studentProfile: true } },
        },
      }),
    );
    expect(stone).toMatchObject({ name: "Stone family", billingEmail: "ann.stone@example.test", emergencyContactName: "Pat Stone" });
    expect(stone.admin).toMatchObject({ firstName: "Ann", lastName: "Stone", role: "PARENT", phone: "(212) 555-0101", passwordHash: null });
    expect(stone.admin.familyGroupId).not.toBeNull();
    expect(stone.members.map((m) => m.firstName)).toEqual(["Leo", "Mia"]);
    expect(stone.members[1]!.email).toMatch(/^mia\.stone\.[a-z0-9]+@students\.import-[a-z0-9-]+\.invalid$/);
    expect(stone.members[1]!.studentProfile).toMatchObject({
      parentName: "Ann Stone",
      parentEmail: "ann.stone@example.test",
      instrument: "Piano",
      skillLevel: "BEGINNER",
      emergencyContactPhone: "555-0199",
      dateOfBirth: new Date("2014-03-02T00:00:00Z"),
    });

    const before = await db.run((tx) => tx.student.findMany({ orderBy: { id: "asc" }, select: { id: true, updatedAt: true } }));
    const again = await db.run((tx) => importRoster(tx, FILE));
    expect(again.applied).toEqual({ families: 0, students: 0, unchanged: 4, rejected: 2 });
    expect(again.plan.unchanged.map((u) => u.row)).toEqual([2, 3, 5, 7]);
    expect(await counts()).toEqual({ users: 7, families: 3, students: 4 });
    expect(await db.run((tx) => tx.student.findMany({ orderBy: { id: "asc" }, select: { id: true, updatedAt: true } }))).toEqual(before);
  });

  it("imports a student into an existing family found by the parent's email", async () => {
    const text = `${HEADER}\nAnn,Stone,ANN.STONE@example.test,,Zoe,Stone,2019-02-02,Cello,,,\n`;
    const { applied } = await db.run((tx) => importRoster(tx, text));
    expect(applied).toMatchObject({ families: 0, students: 1 });
    const zoe = await db.run((tx) => tx.user.findFirstOrThrow({ where: { firstName: "Zoe" }, select: { familyGroup: { select: { name: true } } } }));
    expect(zoe.familyGroup?.name).toBe("Stone family");
  });

  it("two imports of the same new file at once create each family once", async () => {
    const text = `${HEADER}\nGil,Hart,gil.hart@example.test,,Nia,Hart,2012-12-12,,,,\nGil,Hart,gil.hart@example.test,,Ola,Hart,2014-04-14,,,,\n`;
    const results = await Promise.all([db.run((tx) => importRoster(tx, text)), db.run((tx) => importRoster(tx, text))]);
    expect(results.map((r) => r.applied.students).sort()).toEqual([0, 2]);
    const harts = await db.run((tx) => tx.familyGroup.count({ where: { name: "Hart family" } }));
    expect(harts).toBe(1);
  });

  it("an exported roster imports back unchanged", async () => {
    const rows = await db.run((tx) => exportRosterRows(tx, rosterFilters(new URLSearchParams())));
    const csv = writeCsv([[...EXPORT_HEADER], ...rows], { bom: true });
    const { applied } = await db.run((tx) => importRoster(tx, csv));
    expect(applied).toEqual({ families: 0, students: 0, unchanged: rows.length, rejected: 0 });
  });
});
