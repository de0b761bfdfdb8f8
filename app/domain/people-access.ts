// People's access over time: which role changes make sense, the rule that a school
// always keeps an active admin, and how the school's audit log reads. Pure rules,
// no framework or database: app/models/people.server.ts applies them under a lock.

export const ROLES = ["ADMIN", "TEACHER", "PARENT", "STUDENT"] as const;
export type Role = (typeof ROLES)[number];

const ROLE_NAME: Record<Role, string> = { ADMIN: "Admin", TEACHER: "Teacher", PARENT: "Parent", STUDENT: "Student" };

/** What decides whether a person's role can change. */
export interface RoleFacts {
  name: string;
  role: Role;
  deactivated: boolean;
  /** They are a student of the school (a Student record: lessons, attendance). */
  hasStudentRecord: boolean;
  /** The family they hold as a parent (its account or a guardian in it), if any. */
  familyName: string | null;
}

/** Staff roles: the ones a person without a family or student record can move between. */
export const STAFF_ROLES: readonly Role[] = ["ADMIN", "TEACHER"];

/**
 * Why `person` cannot become `to`, in words for the admin; null when they can.
 * - a student's role follows their student record: they stay Student;
 * - a parent's access comes with their family: they stay Parent (staff who are also
 *   parents at the school use a second account with another address);
 * - anyone else may be a Teacher or an Admin (this also corrects a mistaken
 *   invitation), but Parent and Student accounts come with a family, through
 *   enrollment or the student import, never by a role change.
 */
export function roleChangeProblem(person: RoleFacts, to: Role): string | null {
  if (person.deactivated) return `${person.name} is deactivated. Reactivate them first, then change the role.`;
  if (person.role === to) return `${person.name} is already ${article(to)} ${ROLE_NAME[to].toLowerCase()}.`;
  if (person.hasStudentRecord) {
    return `${person.name} is a student of the school: the role follows their student record (lessons, attendance, family), so it stays Student.`;
  }
  if (person.familyName !== null) {
    return `${person.name} is a parent in the ${person.familyName} family, and a parent's access comes with the family, so the role stays Parent. Staff who are also parents here use a second account with another email address.`;
  }
  if (!STAFF_ROLES.includes(to)) {
    return `Parent and student accounts come with a family, through online enrollment or the student import, not by changing a role. ${person.name} can be a teacher or an admin.`;
  }
  return null;
}

/** The roles `person` could be given now (for the form); empty when none. */
export function rolesOnOffer(person: RoleFacts): Role[] {
  return ROLES.filter((r) => r !== person.role && roleChangeProblem(person, r) === null);
}

export type AccessChange = { kind: "deactivate" } | { kind: "role"; to: Role };

/**
 * The school must always keep at least one active admin. `activeAdminIds` are the
 * school's active admins as the change sees them (read under a lock); returns why
 * the change would leave none, or null.
 */
export function lastAdminProblem(input: { activeAdminIds: readonly string[]; subjectId: string; actorId: string; subjectName: string; change: AccessChange }): string | null {
  const { activeAdminIds, subjectId, actorId, change } = input;
  if (!activeAdminIds.includes(subjectId)) return null; // not an active admin: no admin is lost
  if (change.kind === "role" && change.to === "ADMIN") return null;
  if (activeAdminIds.some((id) => id !== subjectId)) return null;
  const what = change.kind === "deactivate" ? "deactivated" : "given another role";
  return subjectId === actorId
    ? `You are the school's only active admin, so you cannot be ${what}: the school must always keep one. Make someone else an admin first.`
    : `${input.subjectName} is the school's only active admin, so they cannot be ${what}: the school must always keep one.`;
}

// ---- the audit log ---------------------------------------------------------------

export const AUDIT_ACTIONS = ["person.invited", "person.role_changed", "person.deactivated", "person.reactivated", "person.contact_changed", "person.invitation_resent", "student.added", "lesson_request.scheduled", "lesson_request.declined", "billing.settings_changed", "billing.invoice_voided", "billing.credit_note", "billing.payment_recorded"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetails = Record<string, unknown> | null;

function count(n: unknown, one: string, many: string): string | null {
  return typeof n === "number" && n > 0 ? `${n} ${n === 1 ? one : many}` : null;
}

function roleName(r: unknown): string {
  return typeof r === "string" && r in ROLE_NAME ? ROLE_NAME[r as Role] : "another role";
}

/** One sentence on what an audit event did, from its action and details. */
export function describeAuditEvent(action: string, details: AuditDetails): string {
  const d = details ?? {};
  switch (action) {
    case "person.invited":
      return `Invited as ${roleName(d.role).toLowerCase()}${typeof d.email === "string" ? ` (${d.email})` : ""}.`;
    case "person.role_changed":
      return `Role changed from ${roleName(d.from).toLowerCase()} to ${roleName(d.to).toLowerCase()}; signed out everywhere.`;
    case "person.deactivated": {
      const ended = [count(d.sessionsEnded, "session ended", "sessions ended"), count(d.feedsRevoked, "calendar link revoked", "calendar links revoked"), count(d.linksVoided, "email link voided", "email links voided")].filter(Boolean);
      return `Deactivated: can no longer sign in${ended.length ? `; ${ended.join(", ")}` : ""}.`;
    }
    case "person.reactivated":
      return d.linkSent === false ? "Reactivated." : "Reactivated; emailed a link to choose a new password.";
    case "person.contact_changed": {
      const changed = Array.isArray(d.changed) ? d.changed.filter((c): c is string => typeof c === "string") : [];
      const what = changed.length ? changed.join(", ").replace(/, ([^,]*)$/, " and $1") : "contact details";
      return `Changed ${what}${typeof d.from === "string" && typeof d.to === "string" ? ` (email ${d.from} → ${d.to})` : ""}.`;
    }
    case "person.invitation_resent":
      return `Invitation sent again${typeof d.email === "string" ? ` to ${d.email}` : ""}.`;
    case "student.added":
      return `Added as a student by hand${typeof d.enrolled === "string" ? `, ${d.outcome === "WAITLISTED" ? "waitlisted for" : "enrolled in"} ${d.enrolled}` : ""}.`;
    case "lesson_request.scheduled":
      return `Individual lessons requested online scheduled${typeof d.lesson === "string" ? `: ${d.lesson}` : ""}${typeof d.firstDate === "string" ? `, from ${d.firstDate}` : ""}.`;
    case "lesson_request.declined":
      return `Request for individual${typeof d.instrument === "string" ? ` ${d.instrument}` : ""} lessons declined; the family was emailed.`;
    case "billing.settings_changed":
      return "Billing settings changed.";
    case "billing.invoice_voided":
      return `Invoice${typeof d.invoice === "string" ? ` ${d.invoice}` : ""} voided${typeof d.reason === "string" ? `: ${d.reason}` : ""}.`;
    case "billing.credit_note":
      return `Credit note on invoice${typeof d.invoice === "string" ? ` ${d.invoice}` : ""}${typeof d.reason === "string" ? `: ${d.reason}` : ""}.`;
    case "billing.payment_recorded":
      return `Payment recorded${typeof d.method === "string" ? ` (${d.method.toLowerCase().replace("_", " ")})` : ""}${typeof d.reference === "string" ? `, reference ${d.reference}` : ""}.`;
    default:
      return action;
  }
}

function article(role: Role): string {
  return role === "ADMIN" ? "an" : "a";
}

export function roleLabel(role: string): string {
  return ROLE_NAME[role as Role] ?? role;
}
