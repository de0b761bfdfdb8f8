// People of a school: invitations, the lists admins work with, and each person's
// access over time (role changes, deactivation and reactivation), every change of
// access written to the school's audit log.
import type { Prisma } from "../../server/db/clients.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import {
  describeAuditEvent,
  lastAdminProblem,
  roleChangeProblem,
  rolesOnOffer,
  type AccessChange,
  type AuditAction,
  type AuditDetails,
  type Role,
  type RoleFacts,
} from "../domain/people-access";
import { pageOf } from "../domain/paging";
import { createUserToken } from "../utils/auth.server";
import { choiceParam, pageParam, searchParam } from "../utils/list-query";
import type { SchoolRole } from "../utils/auth.server";

export class PersonExistsError extends Error {}

export interface InviteInput {
  email: string;
  firstName: string;
  lastName: string;
  role: SchoolRole;
}

/**
 * Creates a user with no password and emails them a link to set one.
 * `origin` is the school's own address, where the link must lead.
 */
export async function inviteUser(
  tx: Tx,
  /** `actorId`: who invites (written to the audit log); null for the platform, left out for no entry (the seed). */
  deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy?: string; actorId?: string | null },
  input: InviteInput,
) {
  const email = input.email.toLowerCase();
  const existing = await tx.user.findFirst({ where: { email }, select: { id: true, deactivatedAt: true } });
  if (existing?.deactivatedAt) throw new PersonExistsError(`${email} has a deactivated account at this school. Reactivate it from their page under People.`);
  if (existing) throw new PersonExistsError(`${email} already has an account at this school.`);
  const user = await tx.user.create({
    data: { email, firstName: input.firstName, lastName: input.lastName, role: input.role },
    select: { id: true, email: true },
  });
  await sendInvitation(tx, deps, { id: user.id, email, firstName: input.firstName, role: input.role });
  return user;
}

/** Invites a person just created without a password: the audit entry (as inviteUser writes it) and the email with the link. */
export async function sendInvitation(
  tx: Tx,
  deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy?: string; actorId?: string | null },
  user: { id: string; email: string; firstName: string; role: SchoolRole },
) {
  if (deps.actorId !== undefined) {
    await recordAuditEvent(tx, { actedById: deps.actorId, action: "person.invited", subjectId: user.id, details: { role: user.role, email: user.email } });
  }
  await emailInvitation(tx, deps, user);
}

/** Emails a person a fresh link (7 days) to set their first password. */
async function emailInvitation(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy?: string }, user: { id: string; email: string; firstName: string }) {
  const token = await createUserToken(tx, user.id, "INVITATION");
  const link = `${deps.origin}/set-password?token=${token}`;
  const who = deps.invitedBy ? `${deps.invitedBy} has invited you` : "You have been invited";
  await deps.mailer.send(tx, {
    to: user.email,
    subject: `Your invitation to ${deps.schoolName}`,
    text: `Hello ${user.firstName},\n\n${who} to ${deps.schoolName} on Encore.\n\nSet your password here (the link works for 7 days):\n${link}\n`,
    html: `<p>Hello ${escapeHtml(user.firstName)},</p><p>${escapeHtml(who)} to ${escapeHtml(deps.schoolName)} on Encore.</p><p><a href="${link}">Set your password</a> (the link works for 7 days).</p>`,
    secrets: [link],
  });
}

export async function sendPasswordReset(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string }, emailInput: string) {
  const email = emailInput.toLowerCase();
  const user = await tx.user.findFirst({ where: { email, deactivatedAt: null }, select: { id: true, firstName: true } });
  if (!user) return false; // The page says the same either way (a deactivated account gets nothing).
  const token = await createUserToken(tx, user.id, "PASSWORD_RESET");
  const link = `${deps.origin}/set-password?token=${token}`;
  await deps.mailer.send(tx, {
    to: email,
    subject: `Reset your ${deps.schoolName} password`,
    text: `Hello ${user.firstName},\n\nSomeone asked to reset your password at ${deps.schoolName}. If it was you, choose a new one here (the link works for 1 hour):\n${link}\n\nIf it was not you, ignore this email.`,
    html: `<p>Hello ${escapeHtml(user.firstName)},</p><p>Someone asked to reset your password at ${escapeHtml(deps.schoolName)}. If it was you, <a href="${link}">choose a new one</a> (the link works for 1 hour).</p><p>If it was not you, ignore this email.</p>`,
    secrets: [link],
  });
  return true;
}

/** Children without a login of their own have a placeholder address (see the seed and the import). */
function hasLogin(email: string) {
  return !email.endsWith(".invalid");
}

export type AccountStatus = "ACTIVE" | "INVITED" | "DEACTIVATED" | "NO_LOGIN";

function accountStatus(u: { email: string; passwordHash: string | null; deactivatedAt: Date | null }): AccountStatus {
  if (u.deactivatedAt) return "DEACTIVATED";
  if (!hasLogin(u.email)) return "NO_LOGIN";
  return u.passwordHash ? "ACTIVE" : "INVITED";
}

const PERSON_ORDER: Prisma.UserOrderByWithRelationInput[] = [{ role: "asc" }, { lastName: "asc" }, { firstName: "asc" }, { id: "asc" }];
const personRowSelect = { id: true, email: true, firstName: true, lastName: true, role: true, passwordHash: true, deactivatedAt: true } satisfies Prisma.UserSelect;

function personRow({ passwordHash, deactivatedAt, ...u }: Prisma.UserGetPayload<{ select: typeof personRowSelect }>) {
  const status = accountStatus({ email: u.email, passwordHash, deactivatedAt });
  return { ...u, status, hasLogin: hasLogin(u.email), invited: status === "INVITED" };
}

export function listPeople(tx: Tx) {
  return tx.user.findMany({ orderBy: PERSON_ORDER, select: personRowSelect }).then((rows) => rows.map(personRow));
}

export const PEOPLE_PAGE_SIZE = 25;
export const PEOPLE_ROLES = ["ADMIN", "TEACHER", "PARENT", "STUDENT"] as const;
export const PEOPLE_STATUSES = ["active", "invited", "deactivated"] as const;

/** The people list's query string: a name or email search, a role, an account status, the page. */
export const peopleQuery = { q: searchParam, role: choiceParam(PEOPLE_ROLES), status: choiceParam(PEOPLE_STATUSES), page: pageParam };
export type PeopleFilters = { q: string; role: (typeof PEOPLE_ROLES)[number] | ""; status: (typeof PEOPLE_STATUSES)[number] | ""; page: number };

function peopleWhere(f: PeopleFilters): Prisma.UserWhereInput {
  const and: Prisma.UserWhereInput[] = [];
  // Every word must match the first name, the last name or the email.
  for (const term of f.q.split(/\s+/).filter(Boolean).slice(0, 5)) {
    const contains = { contains: term, mode: "insensitive" as const };
    and.push({ OR: [{ firstName: contains }, { lastName: contains }, { email: contains }] });
  }
  if (f.role) and.push({ role: f.role });
  // The statuses of accountStatus(); people without a login (placeholder address) are none of them.
  if (f.status === "deactivated") and.push({ deactivatedAt: { not: null } });
  if (f.status === "active") and.push({ deactivatedAt: null, passwordHash: { not: null }, NOT: { email: { endsWith: ".invalid" } } });
  if (f.status === "invited") and.push({ deactivatedAt: null, passwordHash: null, NOT: { email: { endsWith: ".invalid" } } });
  return and.length ? { AND: and } : {};
}

/** One page of the school's people (by role, then name) matching the filters; a page past the end shows the last. */
export async function peoplePage(tx: Tx, f: PeopleFilters) {
  const where = peopleWhere(f);
  const info = pageOf(await tx.user.count({ where }), f.page, PEOPLE_PAGE_SIZE);
  const rows = await tx.user.findMany({ where, orderBy: PERSON_ORDER, skip: info.skip, take: PEOPLE_PAGE_SIZE, select: personRowSelect });
  return { ...info, people: rows.map(personRow) };
}

// ---- access over time ----------------------------------------------------------

/** A change of access that cannot be made; `status` is the HTTP answer (403, 404 or 409). */
export class PeopleAccessError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409 = 409,
  ) {
    super(message);
    this.name = "PeopleAccessError";
  }
}

const personName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`.trim();

/** Writes one entry of the school's audit log (in the transaction of the change itself). */
export async function recordAuditEvent(tx: Tx, event: { actedById: string | null; action: AuditAction; subjectId: string | null; details?: Prisma.InputJsonObject }) {
  await tx.schoolAuditEvent.create({ data: { actedById: event.actedById, action: event.action, subjectId: event.subjectId, details: event.details } });
}

/**
 * Serialises changes of access within the school: locks the rows of every active
 * admin, the actor and the person changed (in id order, so two changes never
 * deadlock), then reads them as they now are. Two admins demoting each other at
 * the same moment therefore run one after the other, and the second sees the first's
 * change. FOR NO KEY UPDATE leaves other work that merely points at these users
 * (foreign-key checks take KEY SHARE) unblocked.
 */
async function lockAccess(tx: Tx, actorId: string, userId: string) {
  const rows = await tx.$queryRaw<{ id: string; role: Role; deactivated: boolean }[]>`
    SELECT id, role::text AS role, "deactivatedAt" IS NOT NULL AS deactivated
      FROM "User"
     WHERE (role = 'ADMIN' AND "deactivatedAt" IS NULL) OR id = ${actorId} OR id = ${userId}
     ORDER BY id
       FOR NO KEY UPDATE`;
  const activeAdminIds = rows.filter((r) => r.role === "ADMIN" && !r.deactivated).map((r) => r.id);
  if (!activeAdminIds.includes(actorId)) {
    throw new PeopleAccessError("You are no longer an active admin of this school, so you cannot change anyone's access.", 403);
  }
  const person = await tx.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      role: true,
      deactivatedAt: true,
      studentProfile: { select: { id: true } },
      familyGroup: { select: { name: true } },
      familyGroupsOwned: { select: { name: true }, take: 1 },
    },
  });
  if (!person) throw new PeopleAccessError("That person is not part of this school.", 404);
  return { activeAdminIds, person };
}

type LockedPerson = Awaited<ReturnType<typeof lockAccess>>["person"];

function roleFacts(p: LockedPerson): RoleFacts {
  const family = p.familyGroupsOwned[0]?.name ?? (p.role === "PARENT" ? (p.familyGroup?.name ?? null) : null);
  return { name: personName(p), role: p.role, deactivated: Boolean(p.deactivatedAt), hasStudentRecord: Boolean(p.studentProfile), familyName: family };
}

function keepAnAdmin(activeAdminIds: string[], actorId: string, person: LockedPerson, change: AccessChange) {
  const problem = lastAdminProblem({ activeAdminIds, subjectId: person.id, actorId, subjectName: personName(person), change });
  if (problem) throw new PeopleAccessError(problem, 409);
}

/**
 * Ends a person's access at once and keeps their history: they can no longer sign
 * in, their sessions are deleted, their calendar feeds revoked and their unused
 * email links voided, all in this transaction. Their lessons, attendance and
 * records stay (a deactivated teacher's past lessons still carry their name).
 */
export async function deactivatePerson(tx: Tx, input: { actorId: string; userId: string; now: Date }) {
  const now = input.now;
  const { activeAdminIds, person } = await lockAccess(tx, input.actorId, input.userId);
  const name = personName(person);
  if (person.deactivatedAt) throw new PeopleAccessError(`${name} is already deactivated.`);
  if (!hasLogin(person.email)) throw new PeopleAccessError(`${name} has no login of their own, so there is no access to end.`);
  keepAnAdmin(activeAdminIds, input.actorId, person, { kind: "deactivate" });

  await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: now, deactivatedById: input.actorId } });
  const sessions = await tx.session.deleteMany({ where: { userId: person.id } });
  const feeds = await tx.calendarFeed.updateMany({ where: { userId: person.id, revokedAt: null }, data: { revokedAt: now } });
  const links = await tx.userToken.updateMany({ where: { userId: person.id, usedAt: null, voidedAt: null }, data: { voidedAt: now } });
  const upcomingDates = await tx.lessonOccurrence.count({ where: { instructorId: person.id, status: "SCHEDULED", startsAt: { gt: now } } });
  const result = { name, sessionsEnded: sessions.count, feedsRevoked: feeds.count, linksVoided: links.count };
  await recordAuditEvent(tx, { actedById: input.actorId, action: "person.deactivated", subjectId: person.id, details: result });
  return { ...result, upcomingDates };
}

/**
 * Gives a deactivated person their access back. Their old password does not come
 * back: they are emailed a link (valid 7 days) to choose a new one. Calendar feeds
 * stay revoked; they make new ones, never at the old addresses.
 */
export async function reactivatePerson(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string }, input: { actorId: string; userId: string }) {
  const { person } = await lockAccess(tx, input.actorId, input.userId);
  const name = personName(person);
  if (!person.deactivatedAt) throw new PeopleAccessError(`${name} is active already.`);
  await tx.user.update({ where: { id: person.id }, data: { deactivatedAt: null, deactivatedById: null, passwordHash: null } });
  const token = await createUserToken(tx, person.id, "INVITATION");
  const link = `${deps.origin}/set-password?token=${token}`;
  await deps.mailer.send(tx, {
    to: person.email,
    subject: `Welcome back to ${deps.schoolName}`,
    text: `Hello ${person.firstName},\n\nYour account at ${deps.schoolName} is active again. Choose a new password here (the link works for 7 days):\n${link}\n`,
    html: `<p>Hello ${escapeHtml(person.firstName)},</p><p>Your account at ${escapeHtml(deps.schoolName)} is active again. <a href="${link}">Choose a new password</a> (the link works for 7 days).</p>`,
    secrets: [link],
  });
  await recordAuditEvent(tx, { actedById: input.actorId, action: "person.reactivated", subjectId: person.id, details: { linkSent: true } });
  return { name, email: person.email };
}

/** Changes a person's role (see roleChangeProblem) and signs them out everywhere: what they may do has changed. */
export async function changeRole(tx: Tx, input: { actorId: string; userId: string; role: Role }) {
  const { activeAdminIds, person } = await lockAccess(tx, input.actorId, input.userId);
  const problem = roleChangeProblem(roleFacts(person), input.role);
  if (problem) throw new PeopleAccessError(problem);
  keepAnAdmin(activeAdminIds, input.actorId, person, { kind: "role", to: input.role });
  await tx.user.update({ where: { id: person.id }, data: { role: input.role } });
  const sessions = await tx.session.deleteMany({ where: { userId: person.id } });
  await recordAuditEvent(tx, { actedById: input.actorId, action: "person.role_changed", subjectId: person.id, details: { from: person.role, to: input.role } });
  return { name: personName(person), from: person.role, to: input.role, sessionsEnded: sessions.count };
}

export interface ContactInput {
  firstName: string;
  lastName: string;
  /** Left out for someone with no login of their own (a child on the family's account). */
  email?: string;
  phone: string | null;
}

/**
 * Changes a person's name, sign-in email and phone. A new email voids the links sent
 * to the old one (an invitation is sent again to the new address).
 */
export async function updateContact(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy: string }, input: { actorId: string; userId: string; contact: ContactInput; now?: Date }) {
  const { person } = await lockAccess(tx, input.actorId, input.userId);
  // Voiding links is a security time: the real clock unless told.
  const now = input.now ?? new Date();
  const { contact } = input;
  const email = contact.email && hasLogin(person.email) ? contact.email.toLowerCase() : person.email;
  const emailChanged = email !== person.email;
  if (emailChanged) {
    const holder = await tx.user.findFirst({ where: { email, id: { not: person.id } }, select: { id: true } });
    if (holder) throw new PeopleAccessError(`${email} already belongs to someone else at this school.`, 409);
  }
  const before = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { phone: true, passwordHash: true } });
  await tx.user.update({ where: { id: person.id }, data: { firstName: contact.firstName, lastName: contact.lastName, email, phone: contact.phone } });
  const changed = [
    person.firstName !== contact.firstName || person.lastName !== contact.lastName ? "name" : null,
    emailChanged ? "email" : null,
    (before.phone ?? null) !== contact.phone ? "phone" : null,
  ].filter((c): c is string => c !== null);
  let invitationResent = false;
  if (emailChanged) {
    await tx.userToken.updateMany({ where: { userId: person.id, usedAt: null, voidedAt: null }, data: { voidedAt: now } });
    if (!before.passwordHash && !person.deactivatedAt) {
      await emailInvitation(tx, deps, { id: person.id, email, firstName: contact.firstName });
      invitationResent = true;
    }
  }
  if (changed.length) {
    await recordAuditEvent(tx, { actedById: input.actorId, action: "person.contact_changed", subjectId: person.id, details: { changed, ...(emailChanged ? { from: person.email, to: email } : {}) } });
  }
  return { name: `${contact.firstName} ${contact.lastName}`, changed, invitationResent };
}

/** Sends an invited person (no password yet) a fresh invitation; their older links stop working. */
export async function resendInvitation(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy: string }, input: { actorId: string; userId: string; now?: Date }) {
  const { person } = await lockAccess(tx, input.actorId, input.userId);
  const name = personName(person);
  const row = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { passwordHash: true } });
  if (person.deactivatedAt) throw new PeopleAccessError(`${name} is deactivated: reactivate them instead.`);
  if (!hasLogin(person.email)) throw new PeopleAccessError(`${name} has no login of their own to be invited to.`);
  if (row.passwordHash) throw new PeopleAccessError(`${name} has set a password already. If they forgot it, they can choose a new one from the sign-in page.`);
  await tx.userToken.updateMany({ where: { userId: person.id, kind: "INVITATION", usedAt: null, voidedAt: null }, data: { voidedAt: input.now ?? new Date() } });
  await emailInvitation(tx, deps, { id: person.id, email: person.email, firstName: person.firstName });
  await recordAuditEvent(tx, { actedById: input.actorId, action: "person.invitation_resent", subjectId: person.id, details: { email: person.email } });
  return { name, email: person.email };
}

// ---- reading access and the audit log ----------------------------------------------

const auditSelect = {
  id: true,
  action: true,
  details: true,
  createdAt: true,
  actedBy: { select: { id: true, firstName: true, lastName: true } },
  subject: { select: { id: true, firstName: true, lastName: true } },
} satisfies Prisma.SchoolAuditEventSelect;

function auditEntry(e: Prisma.SchoolAuditEventGetPayload<{ select: typeof auditSelect }>) {
  const details = (e.details && typeof e.details === "object" && !Array.isArray(e.details) ? e.details : null) as AuditDetails;
  return {
    id: e.id,
    action: e.action,
    createdAt: e.createdAt,
    details,
    text: describeAuditEvent(e.action, details),
    actor: e.actedBy ? { id: e.actedBy.id, name: personName(e.actedBy) } : null,
    subject: e.subject ? { id: e.subject.id, name: personName(e.subject) } : null,
  };
}

export const AUDIT_PAGE_SIZE = 50;

/** The school's audit log, newest first, a page at a time (a page past the end shows the last). */
export async function listSchoolAudit(tx: Tx, input: { page: number; subjectId?: string }) {
  const where = input.subjectId ? { OR: [{ subjectId: input.subjectId }, { actedById: input.subjectId }] } : {};
  const total = await tx.schoolAuditEvent.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(input.page) || 1), pages);
  const rows = await tx.schoolAuditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
    select: auditSelect,
  });
  return { events: rows.map(auditEntry), page, pages, total, pageSize: AUDIT_PAGE_SIZE };
}

/** One person's access, for their page under People; null when they are not of this school. */
export async function personAccess(tx: Tx, userId: string, viewerId: string, now: Date) {
  const p = await tx.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      phone: true,
      role: true,
      passwordHash: true,
      createdAt: true,
      deactivatedAt: true,
      deactivatedBy: { select: { firstName: true, lastName: true } },
      studentProfile: { select: { id: true } },
      familyGroup: { select: { name: true } },
      familyGroupsOwned: { select: { name: true }, take: 1 },
      _count: {
        select: {
          sessions: { where: { expiresAt: { gt: now } } },
          calendarFeeds: { where: { revokedAt: null } },
          occurrencesAsInstructor: { where: { status: "SCHEDULED", startsAt: { gt: now } } },
        },
      },
    },
  });
  if (!p) return null;
  const facts = roleFacts({ ...p, studentProfile: p.studentProfile, familyGroup: p.familyGroup, familyGroupsOwned: p.familyGroupsOwned });
  const activeAdmins = await tx.user.count({ where: { role: "ADMIN", deactivatedAt: null } });
  const isActiveAdmin = p.role === "ADMIN" && !p.deactivatedAt;
  const trail = await listSchoolAudit(tx, { page: 1, subjectId: p.id });
  return {
    person: {
      id: p.id,
      name: personName(p),
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      phone: p.phone,
      role: p.role,
      status: accountStatus(p),
      hasLogin: hasLogin(p.email),
      createdAt: p.createdAt,
      deactivatedAt: p.deactivatedAt,
      deactivatedBy: p.deactivatedBy ? personName(p.deactivatedBy) : null,
      studentId: p.studentProfile?.id ?? null,
      familyName: facts.familyName,
      isViewer: p.id === viewerId,
    },
    counts: { sessions: p._count.sessions, feeds: p._count.calendarFeeds, upcomingDates: p._count.occurrencesAsInstructor },
    roles: {
      onOffer: rolesOnOffer(facts),
      // Why no other role is offered (the first reason that applies), for the page to say.
      whyNone: rolesOnOffer(facts).length ? null : roleChangeProblem(facts, facts.role === "ADMIN" ? "TEACHER" : "ADMIN"),
    },
    /** The school's only active admin: cannot be deactivated or lose the role. */
    lastActiveAdmin: isActiveAdmin && activeAdmins <= 1,
    trail: trail.events.slice(0, 20),
    trailTotal: trail.total,
  };
}

export function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The signed-in person's reminder choice (/account/notifications). */
export function reminderPreference(tx: Tx, userId: string) {
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { lessonReminders: true, email: true } });
}

export async function setReminderPreference(tx: Tx, userId: string, lessonReminders: boolean) {
  await tx.user.update({ where: { id: userId }, data: { lessonReminders }, select: { id: true } });
}
