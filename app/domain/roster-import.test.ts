import { describe, expect, it } from "vitest";
import { writeCsv } from "./csv";
import { isIsoDate, normalizeHeader, parseRoster, planImport, planRosterImport, summarizePlan, type ExistingRoster } from "./roster-import";

const TODAY = "2026-06-01";
const HEADER = "parent_first_name,parent_last_name,parent_email,parent_phone,student_first_name,student_last_name,date_of_birth,instrument,skill_level,emergency_contact_name,emergency_contact_phone";

const NOTHING: ExistingRoster = { families: [], accounts: [], instruments: [] };

function csv(...rows: string[]) {
  return [HEADER, ...rows].join("\n") + "\n";
}

describe("normalizeHeader", () => {
  it("accepts case, space and hyphen variations", () => {
    expect(normalizeHeader(" Parent First Name ")).toBe("parent_first_name");
    expect(normalizeHeader("PARENT_EMAIL")).toBe("parent_email");
    expect(normalizeHeader("date-of-birth")).toBe("date_of_birth");
    expect(normalizeHeader("Emergency  Contact  Phone")).toBe("emergency_contact_phone");
    expect(normalizeHeader("\ufeffparent_first_name")).toBe("parent_first_name");
  });
});

describe("isIsoDate", () => {
  it("accepts real calendar dates only", () => {
    expect(isIsoDate("2015-02-28")).toBe(true);
    expect(isIsoDate("2016-02-29")).toBe(true);
    expect(isIsoDate("2015-02-29")).toBe(false);
    expect(isIsoDate("2015-02-31")).toBe(false);
    expect(isIsoDate("31/02/2015")).toBe(false);
    expect(isIsoDate("2015-2-3")).toBe(false);
  });
});

describe("parseRoster", () => {
  it("reads rows with a header in any case and order, with blank lines and unknown columns", () => {
    const text = [
      "Student First Name,STUDENT LAST NAME,Date of Birth,Parent Email,Parent First Name,Parent Last Name,Notes",
      "Mia,Stone,2014-03-02,Ann.Stone@Example.com,Ann,Stone,likes jazz",
      "",
      "Leo,Stone,2016-07-09,ann.stone@example.com,Ann,Stone,",
    ].join("\r\n");
    const parsed = parseRoster(text, { today: TODAY });
    expect(parsed.fileError).toBeNull();
    expect(parsed.rejected).toEqual([]);
    expect(parsed.ignoredColumns).toEqual(["Notes"]);
    expect(parsed.totalRows).toBe(2);
    expect(parsed.rows.map((r) => [r.row, r.studentFirstName, r.parentEmail, r.instrument, r.skillLevel])).toEqual([
      [2, "Mia", "ann.stone@example.com", null, null],
      [4, "Leo", "ann.stone@example.com", null, null],
    ]);
  });

  it("gives a reason for every rejected row, with its spreadsheet row number", () => {
    const parsed = parseRoster(
      csv(
        "Ann,Stone,ann@example.com,,Mia,Stone,2014-03-02,Piano,beginner,,",
        "Bo,Lee,bo@example.com,,Kai,Lee,31/02/2015,Violin,,,",
        "Cy,Ray,not-an-email,,Ida,Ray,2013-01-01,,,,",
        "Di,Fox,di@example.com,,Jo,Fox,2012-05-05,,expert,,",
        ",Gray,gray@example.com,,,Gray,2030-01-01,,,,",
        "Ed,Poe,ed@example.com,call me,Al,Poe,2015-02-29,,,,",
      ),
      { today: TODAY },
    );
    expect(parsed.rows.map((r) => r.row)).toEqual([2]);
    expect(parsed.rejected).toEqual([
      { row: 3, reason: "Row 3: date_of_birth '31/02/2015' is not a date (use yyyy-mm-dd)" },
      { row: 4, reason: "Row 4: parent_email 'not-an-email' is not an email address" },
      { row: 5, reason: "Row 5: skill_level 'expert' is not one of beginner, elementary, intermediate, advanced, professional" },
      { row: 6, reason: "Row 6: parent_first_name is empty; student_first_name is empty; date_of_birth '2030-01-01' is in the future" },
      { row: 7, reason: "Row 7: parent_phone 'call me' is not a phone number; date_of_birth '2015-02-29' is not a date (use yyyy-mm-dd)" },
    ]);
  });

  it("normalises values: trims, lower-cases the email, reads the skill level in any case", () => {
    const parsed = parseRoster(csv("  Ann , Stone , ANN@Example.COM , +1 (212) 555-0101 ,Mia,Stone, 2014-03-02 , Piano ,Intermediate,Pat Doe,555-0199 ext 4"), { today: TODAY });
    expect(parsed.rows[0]).toMatchObject({
      parentFirstName: "Ann",
      parentEmail: "ann@example.com",
      parentPhone: "+1 (212) 555-0101",
      dateOfBirth: "2014-03-02",
      instrument: "Piano",
      skillLevel: "INTERMEDIATE",
      emergencyContactName: "Pat Doe",
      emergencyContactPhone: "555-0199 ext 4",
    });
  });

  it("reads a file written by the exporter (formula guards, quotes, CRLF, BOM)", () => {
    const text = writeCsv(
      [
        HEADER.split(","),
        ["Ann", "O'Neil, Jr", "ann@example.com", "+1 212 555 0101", "Mia", "O'Neil", "2014-03-02", "Piano", "beginner", "", ""],
      ],
      { bom: true },
    );
    const parsed = parseRoster(text, { today: TODAY });
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({ parentLastName: "O'Neil, Jr", parentPhone: "+1 212 555 0101" });
  });

  it("refuses a file without the required columns, naming them", () => {
    const parsed = parseRoster("first,last\nMia,Stone\n");
    expect(parsed.fileError).toMatch(/has no parent_first_name, parent_last_name, parent_email, student_first_name, student_last_name, date_of_birth columns/);
    expect(parseRoster("").fileError).toMatch(/The file is empty/);
    expect(parseRoster('parent_email\n"open').fileError).toMatch(/not valid CSV. Row 2/);
  });

  it("refuses too many rows at once", () => {
    const rows = Array.from({ length: 4 }, (_, i) => `A,B,a${i}@x.test,,C,D,2014-01-01,,,,`);
    expect(parseRoster(csv(...rows), { maxRows: 3 }).fileError).toMatch(/has 4 rows; import at most 3/);
  });
});

describe("planImport", () => {
  const existing: ExistingRoster = {
    families: [
      {
        id: "fam-smith",
        name: "Smith family",
        parentEmails: ["parent@harmony.test", "second.guardian@harmony.test"],
        students: [
          { id: "stu-emma", firstName: "Emma", lastName: "Smith", dateOfBirth: "2011-04-12" },
          { id: "stu-lily", firstName: "Lily", lastName: "Smith", dateOfBirth: "2016-09-02" },
        ],
      },
    ],
    accounts: [
      { id: "u-parent", email: "parent@harmony.test", role: "PARENT", familyGroupId: "fam-smith" },
      { id: "u-teacher", email: "sarah@harmony.test", role: "TEACHER", familyGroupId: null },
      { id: "u-lonely", email: "invited.parent@harmony.test", role: "PARENT", familyGroupId: null },
    ],
    instruments: ["Piano", "Violin"],
  };

  it("groups new students into new families by parent email, and reuses the school's instrument spelling", () => {
    const plan = planRosterImport(
      csv(
        "Ann,Stone,ann@example.com,555-0101,Mia,Stone,2014-03-02,piano,beginner,Pat,555-0199",
        "Ann,Stone,ANN@example.com,555-0101,Leo,Stone,2016-07-09,Drums,,,",
        "Bo,Lee,bo@example.com,,Kai,Lee,2015-01-01,VIOLIN,,,",
      ),
      existing,
      { today: TODAY },
    );
    expect(plan.createFamilies.map((f) => [f.key, f.name, f.rows, f.existingParentUserId])).toEqual([
      ["ann@example.com", "Stone family", [2, 3], null],
      ["bo@example.com", "Lee family", [4], null],
    ]);
    expect(plan.createStudents.map((s) => [s.row, s.firstName, s.family, s.instrument, s.parentName])).toEqual([
      [2, "Mia", { kind: "new", key: "ann@example.com" }, "Piano", "Ann Stone"],
      [3, "Leo", { kind: "new", key: "ann@example.com" }, "Drums", "Ann Stone"],
      [4, "Kai", { kind: "new", key: "bo@example.com" }, "Violin", "Bo Lee"],
    ]);
    expect(plan.unchanged).toEqual([]);
    expect(summarizePlan(plan)).toBe("2 new families, 3 new students, 0 unchanged, 0 rejected");
  });

  it("matches an existing family by any guardian's email, case-insensitively, and its students by name and birth date", () => {
    const plan = planRosterImport(
      csv(
        "Jennifer,Smith,Parent@Harmony.test,,emma,SMITH,2011-04-12,Piano,,,",
        "Jennifer,Smith,second.guardian@harmony.test,,Lily,Smith,2016-09-02,Piano,,,",
        "Jennifer,Smith,parent@harmony.test,,Lily,Smith,2016-09-03,Piano,,,",
        "Jennifer,Smith,parent@harmony.test,,Oscar,Smith,2019-01-01,,,,",
      ),
      existing,
      { today: TODAY },
    );
    expect(plan.createFamilies).toEqual([]);
    expect(plan.unchanged).toEqual([
      { row: 2, studentId: "stu-emma", name: "Emma Smith", familyName: "Smith family" },
      { row: 3, studentId: "stu-lily", name: "Lily Smith", familyName: "Smith family" },
    ]);
    // A different birth date is a different child (twins share names rarely; dates rarely).
    expect(plan.createStudents.map((s) => [s.row, s.firstName, s.dateOfBirth, s.family])).toEqual([
      [4, "Lily", "2016-09-03", { kind: "existing", id: "fam-smith" }],
      [5, "Oscar", "2019-01-01", { kind: "existing", id: "fam-smith" }],
    ]);
  });

  it("refuses a parent email that belongs to staff, and the same student twice in one file", () => {
    const plan = planRosterImport(
      csv(
        "Sarah,Johnson,sarah@harmony.test,,Tim,Johnson,2015-01-01,,,,",
        "Ann,Stone,ann@example.com,,Mia,Stone,2014-03-02,,,,",
        "Ann,Stone,ann@example.com,,mia,stone,2014-03-02,,,,",
      ),
      existing,
      { today: TODAY },
    );
    expect(plan.rejected).toEqual([
      { row: 2, reason: "Row 2: parent_email 'sarah@harmony.test' already belongs to a teacher's account at this school" },
      { row: 4, reason: "Row 4: the same student as row 3 (mia stone, born 2014-03-02)" },
    ]);
    expect(plan.createStudents.map((s) => s.row)).toEqual([3]);
  });

  it("gives an invited parent without a family their family", () => {
    const plan = planRosterImport(csv("Ivy,Park,invited.parent@harmony.test,,Sam,Park,2015-05-05,,,,"), existing, { today: TODAY });
    expect(plan.createFamilies).toHaveLength(1);
    expect(plan.createFamilies[0]!.existingParentUserId).toBe("u-lonely");
  });

  it("plans nothing but the file error for an unreadable file", () => {
    const plan = planRosterImport("nope\n1\n", existing);
    expect(plan.fileError).toBeTruthy();
    expect(plan.createStudents).toEqual([]);
  });

  it("applied to its own result, plans nothing new (re-import changes nothing)", () => {
    const text = csv("Ann,Stone,ann@example.com,,Mia,Stone,2014-03-02,,,,", "Ann,Stone,ann@example.com,,Leo,Stone,2016-07-09,,,,");
    const first = planRosterImport(text, NOTHING, { today: TODAY });
    // What the school has after applying `first`:
    const after: ExistingRoster = {
      families: first.createFamilies.map((f) => ({
        id: `id-${f.key}`,
        name: f.name,
        parentEmails: [f.parentEmail],
        students: first.createStudents
          .filter((s) => s.family.kind === "new" && s.family.key === f.key)
          .map((s, i) => ({ id: `s${i}`, firstName: s.firstName, lastName: s.lastName, dateOfBirth: s.dateOfBirth })),
      })),
      accounts: first.createFamilies.map((f) => ({ id: `u-${f.key}`, email: f.parentEmail, role: "PARENT" as const, familyGroupId: `id-${f.key}` })),
      instruments: [],
    };
    const second = planImport(parseRoster(text, { today: TODAY }), after);
    expect(second.createFamilies).toEqual([]);
    expect(second.createStudents).toEqual([]);
    expect(second.unchanged.map((u) => u.row)).toEqual([2, 3]);
  });
});
