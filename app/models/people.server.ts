// People of a school: invitations and the lists admins work with.
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { createUserToken } from "../utils/auth.server";
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
  deps: { mailer: Mailer; origin: string; schoolName: string; invitedBy?: string },
  input: InviteInput,
) {
  const email = input.email.toLowerCase();
  const existing = await tx.user.findFirst({ where: { email }, select: { id: true } });
  if (existing) throw new PersonExistsError(`${email} already has an account at this school.`);
  const user = await tx.user.create({
    data: { email, firstName: input.firstName, lastName: input.lastName, role: input.role },
    select: { id: true, email: true },
  });
  const token = await createUserToken(tx, user.id, "INVITATION");
  const link = `${deps.origin}/set-password?token=${token}`;
  const who = deps.invitedBy ? `${deps.invitedBy} has invited you` : "You have been invited";
  await deps.mailer.send(tx, {
    to: email,
    subject: `Your invitation to ${deps.schoolName}`,
    text: `Hello ${input.firstName},\n\n${who} to ${deps.schoolName} on Encore.\n\nSet your password here (the link works for 7 days):\n${link}\n`,
    html: `<p>Hello ${escapeHtml(input.firstName)},</p><p>${escapeHtml(who)} to ${escapeHtml(deps.schoolName)} on Encore.</p><p><a href="${link}">Set your password</a> (the link works for 7 days).</p>`,
    secrets: [link],
  });
  return user;
}

export async function sendPasswordReset(tx: Tx, deps: { mailer: Mailer; origin: string; schoolName: string }, emailInput: string) {
  const email = emailInput.toLowerCase();
  const user = await tx.user.findFirst({ where: { email }, select: { id: true, firstName: true } });
  if (!user) return false; // The page says the same either way.
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

export function listPeople(tx: Tx) {
  return tx.user.findMany({
    orderBy: [{ role: "asc" }, { lastName: "asc" }, { firstName: "asc" }],
    select: { id: true, email: true, firstName: true, lastName: true, role: true, passwordHash: true },
  }).then((rows) =>
    rows.map(({ passwordHash, ...u }) => ({
      ...u,
      // Children without a login of their own have a placeholder address (see the seed).
      hasLogin: !u.email.endsWith(".invalid"),
      invited: !passwordHash && !u.email.endsWith(".invalid"),
    })),
  );
}

export function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
