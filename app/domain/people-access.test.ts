import { describe, expect, it } from "vitest";
import { describeAuditEvent, lastAdminProblem, roleChangeProblem, rolesOnOffer, type RoleFacts } from "./people-access";

const teacher: RoleFacts = { name: "Sarah Johnson", role: "TEACHER", deactivated: false, hasStudentRecord: false, familyName: null };

describe("role changes", () => {
  it("lets staff move between teacher and admin", () => {
    expect(roleChangeProblem(teacher, "ADMIN")).toBeNull();
    expect(roleChangeProblem({ ...teacher, role: "ADMIN" }, "TEACHER")).toBeNull();
    expect(rolesOnOffer(teacher)).toEqual(["ADMIN"]);
  });

  it("keeps a student with a student record a student, and says why", () => {
    const emma: RoleFacts = { ...teacher, name: "Emma Smith", role: "STUDENT", hasStudentRecord: true };
    expect(roleChangeProblem(emma, "ADMIN")).toMatch(/^Emma Smith is a student of the school: .* stays Student\.$/);
    expect(rolesOnOffer(emma)).toEqual([]);
  });

  it("keeps a parent with a family a parent, and says what to do instead", () => {
    const parent: RoleFacts = { ...teacher, name: "Jennifer Smith", role: "PARENT", familyName: "Smith" };
    expect(roleChangeProblem(parent, "TEACHER")).toMatch(/parent in the Smith family.*second account/);
    expect(rolesOnOffer(parent)).toEqual([]);
  });

  it("corrects a mistaken invitation: a parent with no family may become staff", () => {
    const invited: RoleFacts = { ...teacher, role: "PARENT" };
    expect(rolesOnOffer(invited)).toEqual(["ADMIN", "TEACHER"]);
  });

  it("never makes a parent or a student by a role change", () => {
    expect(roleChangeProblem(teacher, "PARENT")).toMatch(/come with a family/);
    expect(roleChangeProblem(teacher, "STUDENT")).toMatch(/come with a family/);
  });

  it("refuses the same role and a deactivated person", () => {
    expect(roleChangeProblem(teacher, "TEACHER")).toBe("Sarah Johnson is already a teacher.");
    expect(roleChangeProblem({ ...teacher, role: "ADMIN" }, "ADMIN")).toBe("Sarah Johnson is already an admin.");
    expect(roleChangeProblem({ ...teacher, deactivated: true }, "ADMIN")).toMatch(/is deactivated\. Reactivate them first/);
    expect(rolesOnOffer({ ...teacher, deactivated: true })).toEqual([]);
  });
});

describe("the school keeps an active admin", () => {
  const base = { actorId: "a1", subjectName: "Ann Admin" };
  it("refuses to deactivate or demote the only active admin, in the first person for oneself", () => {
    expect(lastAdminProblem({ ...base, activeAdminIds: ["a1"], subjectId: "a1", change: { kind: "deactivate" } })).toMatch(/^You are the school's only active admin, so you cannot be deactivated/);
    expect(lastAdminProblem({ ...base, activeAdminIds: ["a1"], subjectId: "a1", change: { kind: "role", to: "TEACHER" } })).toMatch(/cannot be given another role/);
    expect(lastAdminProblem({ ...base, actorId: "x", activeAdminIds: ["a1"], subjectId: "a1", change: { kind: "deactivate" } })).toMatch(/^Ann Admin is the school's only active admin/);
  });

  it("allows it while another active admin stays, and for anyone who is not an active admin", () => {
    expect(lastAdminProblem({ ...base, activeAdminIds: ["a1", "a2"], subjectId: "a1", change: { kind: "deactivate" } })).toBeNull();
    expect(lastAdminProblem({ ...base, activeAdminIds: ["a1"], subjectId: "t1", change: { kind: "deactivate" } })).toBeNull();
    expect(lastAdminProblem({ ...base, activeAdminIds: ["a1"], subjectId: "a1", change: { kind: "role", to: "ADMIN" } })).toBeNull();
  });
});

describe("audit log sentences", () => {
  it("says what each change did", () => {
    expect(describeAuditEvent("person.invited", { role: "TEACHER", email: "t@x.test" })).toBe("Invited as teacher (t@x.test).");
    expect(describeAuditEvent("person.role_changed", { from: "TEACHER", to: "ADMIN" })).toBe("Role changed from teacher to admin; signed out everywhere.");
    expect(describeAuditEvent("person.deactivated", { sessionsEnded: 2, feedsRevoked: 1, linksVoided: 0 })).toBe(
      "Deactivated: can no longer sign in; 2 sessions ended, 1 calendar link revoked.",
    );
    expect(describeAuditEvent("person.deactivated", {})).toBe("Deactivated: can no longer sign in.");
    expect(describeAuditEvent("person.reactivated", { linkSent: true })).toBe("Reactivated; emailed a link to choose a new password.");
    expect(describeAuditEvent("something.else", null)).toBe("something.else");
  });
});
