import { describe, expect, it } from "vitest";
import { bandLabel, examMoveRefusal, examMovesFor, markBand, parseExamResult } from "./exams";

describe("ABRSM marks out of 150", () => {
  it("bands at pass 100, merit 120, distinction 130", () => {
    expect(markBand("ABRSM", 0)).toBe("BELOW_PASS");
    expect(markBand("ABRSM", 99)).toBe("BELOW_PASS");
    expect(markBand("ABRSM", 100)).toBe("PASS");
    expect(markBand("ABRSM", 119)).toBe("PASS");
    expect(markBand("ABRSM", 120)).toBe("MERIT");
    expect(markBand("ABRSM", 129)).toBe("MERIT");
    expect(markBand("ABRSM", 130)).toBe("DISTINCTION");
    expect(markBand("ABRSM", 150)).toBe("DISTINCTION");
  });
  it("reads a typed mark, refuses one past 150 or not whole", () => {
    expect(parseExamResult("ABRSM", " 125 ")).toEqual({ ok: true, result: { board: "ABRSM", mark: 125, grade: null, band: "MERIT", passed: true, label: "Merit (125/150)" } });
    expect(parseExamResult("ABRSM", "99")).toMatchObject({ ok: true, result: { passed: false, label: "Below pass (99/150)" } });
    expect(parseExamResult("ABRSM", "151")).toEqual({ ok: false, error: "ABRSM marks are out of 150: 151 is too high." });
    expect(parseExamResult("ABRSM", "12.5").ok).toBe(false);
    expect(parseExamResult("ABRSM", "").ok).toBe(false);
    expect(parseExamResult("ABRSM", "-3").ok).toBe(false);
  });
});

describe("Trinity marks out of 100", () => {
  it("bands at pass 60, merit 75, distinction 87", () => {
    expect([59, 60, 74, 75, 86, 87, 100].map((m) => markBand("TRINITY", m))).toEqual(["BELOW_PASS", "PASS", "PASS", "MERIT", "MERIT", "DISTINCTION", "DISTINCTION"]);
  });
  it("refuses a mark past 100 that ABRSM would take", () => {
    expect(parseExamResult("TRINITY", "120")).toEqual({ ok: false, error: "Trinity College London marks are out of 100: 120 is too high." });
    expect(parseExamResult("TRINITY", "87")).toMatchObject({ ok: true, result: { band: "DISTINCTION", label: "Distinction (87/100)" } });
  });
});

describe("AMEB grades", () => {
  it("passes A+ to C with Honours, Credit and Pass", () => {
    expect(parseExamResult("AMEB", "a+")).toEqual({ ok: true, result: { board: "AMEB", mark: null, grade: "A+", band: "DISTINCTION", passed: true, label: "Honours (A+)" } });
    expect(parseExamResult("AMEB", "B")).toMatchObject({ ok: true, result: { band: "MERIT", label: "Credit (B)" } });
    expect(parseExamResult("AMEB", "C")).toMatchObject({ ok: true, result: { band: "PASS", passed: true } });
  });
  it("records 'not shown' as no pass, and refuses anything else", () => {
    expect(parseExamResult("AMEB", "not shown")).toMatchObject({ ok: true, result: { grade: "NOT_SHOWN", passed: false, label: "Not shown" } });
    expect(parseExamResult("AMEB", "D")).toEqual({ ok: false, error: "Enter an AMEB grade: A+, A, B+, B, C+, C, or “not shown”." });
    expect(parseExamResult("AMEB", "130").ok).toBe(false);
  });
  it("names bands in each board's words", () => {
    expect(bandLabel("AMEB", "MERIT")).toBe("Credit");
    expect(bandLabel("ABRSM", "MERIT")).toBe("Merit");
  });
});

describe("exam entry moves", () => {
  it("lets only a guardian accept, and the family or the school decline a recommendation", () => {
    expect(examMoveRefusal("PENDING", "APPROVED", "PARENT")).toBeNull();
    expect(examMoveRefusal("PENDING", "APPROVED", "TEACHER")).toBe("Only a guardian of the student can accept an exam entry.");
    expect(examMoveRefusal("PENDING", "APPROVED", "ADMIN")).toBe("Only a guardian of the student can accept an exam entry.");
    expect(examMoveRefusal("PENDING", "REJECTED", "PARENT")).toBeNull();
    expect(examMoveRefusal("PENDING", "REJECTED", "TEACHER")).toBeNull();
  });
  it("lets only an admin book, mark as sat and record results, in order", () => {
    expect(examMoveRefusal("APPROVED", "SCHEDULED", "ADMIN")).toBeNull();
    expect(examMoveRefusal("APPROVED", "SCHEDULED", "TEACHER")).toBe("Only an admin can do this.");
    expect(examMoveRefusal("APPROVED", "SCHEDULED", "PARENT")).toBe("Only the school can do this.");
    expect(examMoveRefusal("PENDING", "SCHEDULED", "ADMIN")).toBe("This entry is “Waiting for the family”: you cannot book it now.");
    expect(examMoveRefusal("SCHEDULED", "RESULTS_RECEIVED", "ADMIN")).toBeNull();
    expect(examMoveRefusal("COMPLETED", "RESULTS_RECEIVED", "ADMIN")).toBeNull();
    expect(examMoveRefusal("APPROVED", "RESULTS_RECEIVED", "ADMIN")).not.toBeNull();
  });
  it("ends at a decline and at a recorded result", () => {
    for (const to of ["PENDING", "APPROVED", "SCHEDULED", "COMPLETED", "RESULTS_RECEIVED"] as const) {
      expect(examMoveRefusal("REJECTED", to, "ADMIN")).not.toBeNull();
      expect(examMoveRefusal("RESULTS_RECEIVED", to, "ADMIN")).not.toBeNull();
    }
    expect(examMoveRefusal("APPROVED", "APPROVED", "PARENT")).toBe("This entry is “Accepted, to book”: you cannot accept it now.");
  });
  it("lists the moves open to each person", () => {
    expect(examMovesFor("PENDING", "PARENT")).toEqual(["APPROVED", "REJECTED"]);
    expect(examMovesFor("PENDING", "ADMIN")).toEqual(["REJECTED"]);
    expect(examMovesFor("SCHEDULED", "ADMIN")).toEqual(["COMPLETED", "RESULTS_RECEIVED"]);
    expect(examMovesFor("SCHEDULED", "TEACHER")).toEqual([]);
  });
});
