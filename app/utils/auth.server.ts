// Who is asking, and may they? Guards throw Responses (redirects, 403/404), so a
// loader reads as: `const user = await requireUser(request, context, { role: "ADMIN" })`.
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { Tx } from "../../server/db/school-db.server";
import { hashPassword, verifyPassword } from "./password.server";
import { readCookie, schoolLucia, schoolSessionAccount, SCHOOL_COOKIE, type AccountRole } from "./sessions.server";
import { hashToken, randomToken } from "./tokens.server";

export type SchoolRole = Exclude<AccountRole, "OPERATOR">;

export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: SchoolRole;
}

function isSecure(context: AppLoadContext) {
  return context.links.protocol === "https";
}

/** The school bound to this request, or a 404 on the platform's own domain. */
export function requireSchool(context: AppLoadContext) {
  if (context.tenant.kind !== "school" || !context.db || !context.schoolPlatform) {
    throw new Response("Not found", { status: 404 });
  }
  return { school: context.tenant.school, brand: context.tenant.brand, db: context.db, schoolPlatform: context.schoolPlatform };
}

export function requirePlatform(context: AppLoadContext) {
  if (context.tenant.kind !== "platform") throw new Response("Not found", { status: 404 });
}

/**
 * Session lookups in progress, per request (its load context) and session: the
 * loaders Remix runs in parallel for one page (root, layout, page) share one lookup
 * instead of one transaction each. Only while it runs: a later call (after an action
 * signed someone in or out) looks again.
 */
const lookups = new WeakMap<AppLoadContext, Map<string, Promise<SessionUser | null>>>();

export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  if (context.tenant.kind !== "school" || !context.db) return null;
  const sessionId = readCookie(request, SCHOOL_COOKIE);
  if (!sessionId) return null;
  let inProgress = lookups.get(context);
  if (!inProgress) lookups.set(context, (inProgress = new Map()));
  const pending = inProgress.get(sessionId);
  if (pending) return pending;
  const lookup = schoolSessionAccount(context.db, request, isSecure(context));
  inProgress.set(sessionId, lookup);
  try {
    return await lookup;
  } finally {
    inProgress.delete(sessionId);
  }
}

/**
 * The signed-in user of this school, with one of the given roles. Not signed in:
 * redirect to sign-in (coming back afterwards). Wrong role: 403.
 */
export async function requireUser(
  request: Request,
  context: AppLoadContext,
  opts: { role?: SchoolRole | SchoolRole[] } = {},
): Promise<SessionUser> {
  requireSchool(context);
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const roles = opts.role ? (Array.isArray(opts.role) ? opts.role : [opts.role]) : null;
  if (roles && !roles.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403 });
  }
  return user;
}

/** The password was right, but the account is deactivated (said only then, so no address is revealed). */
export class AccountDeactivatedError extends Error {}

export async function signIn(context: AppLoadContext, email: string, password: string): Promise<{ cookie: string; user: SessionUser } | null> {
  const { db } = requireSchool(context);
  return db.run(async (tx) => {
    const user = await tx.user.findUnique({
      where: { schoolId_email: { schoolId: db.schoolId, email: email.toLowerCase() } },
      select: { id: true, email: true, firstName: true, lastName: true, role: true, passwordHash: true, deactivatedAt: true },
    });
    if (!(await verifyPassword(user?.passwordHash, password)) || !user) return null;
    if (user.deactivatedAt) throw new AccountDeactivatedError("This account has been deactivated.");
    const lucia = schoolLucia(tx, isSecure(context));
    const session = await lucia.createSession(user.id, {});
    const { passwordHash: _, deactivatedAt: __, ...rest } = user;
    return { cookie: lucia.createSessionCookie(session.id).serialize(), user: rest };
  });
}

export async function signOut(request: Request, context: AppLoadContext): Promise<string> {
  const { db } = requireSchool(context);
  const sessionId = readCookie(request, SCHOOL_COOKIE);
  return db.run(async (tx) => {
    const lucia = schoolLucia(tx, isSecure(context));
    if (sessionId) await lucia.invalidateSession(sessionId);
    return lucia.createBlankSessionCookie().serialize();
  });
}

// ---- single-use links: invitations and password resets -------------------------

export const TOKEN_LIFETIME = { INVITATION: 7 * 24 * 3600_000, PASSWORD_RESET: 3600_000 } as const;

/** Creates a link token for a user in the school `tx` is bound to; returns the raw token. */
export async function createUserToken(tx: Tx, userId: string, kind: keyof typeof TOKEN_LIFETIME): Promise<string> {
  const token = randomToken();
  await tx.userToken.create({
    data: { userId, kind, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + TOKEN_LIFETIME[kind]) },
  });
  return token;
}

export async function findUsableToken(tx: Tx, token: string) {
  const row = await tx.userToken.findFirst({
    where: { tokenHash: hashToken(token) },
    select: { id: true, kind: true, usedAt: true, voidedAt: true, expiresAt: true, user: { select: { id: true, email: true, firstName: true, deactivatedAt: true } } },
  });
  if (!row || row.usedAt || row.voidedAt || row.expiresAt <= new Date() || row.user.deactivatedAt) return null;
  return row;
}

/**
 * Sets the password from a link and recovers the account: every other link of the
 * user (older resets, an unused invitation) stops working, every session ends, and
 * the calendar feeds are revoked (their secret addresses may be known to whoever
 * had the account) — the user makes fresh ones. Signs the user in.
 */
export async function setPasswordWithToken(context: AppLoadContext, token: string, password: string) {
  const { db } = requireSchool(context);
  return db.run(async (tx) => {
    const row = await findUsableToken(tx, token);
    if (!row) return null;
    const now = new Date();
    // Claim the token atomically: a second use of the same link finds nothing to update.
    const claimed = await tx.userToken.updateMany({ where: { id: row.id, usedAt: null, voidedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) return null;
    await tx.userToken.updateMany({ where: { userId: row.user.id, usedAt: null }, data: { usedAt: now } });
    const feeds = await tx.calendarFeed.updateMany({ where: { userId: row.user.id, revokedAt: null }, data: { revokedAt: now } });
    await tx.user.update({ where: { id: row.user.id }, data: { passwordHash: await hashPassword(password) } });
    const lucia = schoolLucia(tx, isSecure(context));
    await lucia.invalidateUserSessions(row.user.id);
    const session = await lucia.createSession(row.user.id, {});
    return { cookie: lucia.createSessionCookie(session.id).serialize(), feedsRevoked: feeds.count };
  });
}

// ---- platform operators ----------------------------------------------------------
// Operator sessions live behind the privileged module: the load context's `auth`
// (server/capabilities.server.ts) reads, opens and ends them.

export async function getOperator(request: Request, context: AppLoadContext) {
  return context.auth.currentOperator(request);
}

export async function requireOperator(request: Request, context: AppLoadContext) {
  requirePlatform(context);
  const operator = await getOperator(request, context);
  if (!operator) {
    const url = new URL(request.url);
    throw redirect(`/operator/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return operator;
}

export async function signInOperator(context: AppLoadContext, email: string, password: string) {
  requirePlatform(context);
  return context.auth.signInOperator(email, password);
}

export async function signOutOperator(request: Request, context: AppLoadContext) {
  return context.auth.signOutOperator(request);
}

/** The operator a one-time set-password link belongs to (npm run create-operator), or null. */
export async function findOperatorLink(context: AppLoadContext, token: string) {
  requirePlatform(context);
  return context.auth.findOperatorLink(token);
}

/** Sets the operator's password from a one-time link and signs them in; null when the link is not usable. */
export async function setOperatorPasswordWithLink(context: AppLoadContext, token: string, password: string) {
  requirePlatform(context);
  return context.auth.setOperatorPasswordWithLink(token, password);
}
