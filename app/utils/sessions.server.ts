// lucia v3 sessions for school users and for platform operators. Two adapters,
// both storing sha256(session id): school sessions in the school's own Session
// table through the school-bound client (so a session of school A cannot even be
// looked up on school B's address), operator sessions through the privileged module
// (only server/capabilities.server.ts builds the operator's lucia).
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { Platform } from "../../server/db/privileged.server";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import { hashToken } from "./tokens.server";

export type AccountRole = "ADMIN" | "TEACHER" | "PARENT" | "STUDENT" | "OPERATOR";

export interface AccountAttributes {
  email: string;
  firstName: string;
  lastName: string;
  role: AccountRole;
}

declare module "lucia" {
  interface Register {
    Lucia: Lucia<Record<never, never>, AccountAttributes>;
    DatabaseUserAttributes: AccountAttributes;
  }
}

export const SCHOOL_COOKIE = "encore_session";
export const OPERATOR_COOKIE = "encore_operator";

/** The privileged module's operator-session table access. */
export type OperatorSessionStore = Platform["operatorSessions"];

/** A cookie's value from the request, or null (a malformed cookie is no session, never an error page). */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return null;
    }
  }
  return null;
}

function buildLucia(adapter: Adapter, cookieName: string, secure: boolean) {
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: { name: cookieName, expires: true, attributes: { secure, sameSite: "lax" } },
    getUserAttributes: (a) => ({ email: a.email, firstName: a.firstName, lastName: a.lastName, role: a.role }),
  });
}

class SchoolSessionAdapter implements Adapter {
  constructor(private readonly tx: Tx) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.tx.session.findUnique({
      where: { id: hashToken(sessionId) },
      select: { expiresAt: true, user: { select: { id: true, email: true, firstName: true, lastName: true, role: true, deactivatedAt: true } } },
    });
    // A deactivated person has no session, even one that somehow outlived the deactivation.
    if (!row || row.user.deactivatedAt) return [null, null];
    const { id: userId, deactivatedAt: _, ...attributes } = row.user;
    return [
      { id: sessionId, userId, expiresAt: row.expiresAt, attributes: {} },
      { id: userId, attributes },
    ];
  }
  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.tx.session.findMany({ where: { userId }, select: { id: true, expiresAt: true } });
    return rows.map((r) => ({ id: r.id, userId, expiresAt: r.expiresAt, attributes: {} }));
  }
  async setSession(session: DatabaseSession) {
    await this.tx.session.create({ data: { id: hashToken(session.id), userId: session.userId, expiresAt: session.expiresAt } });
  }
  async updateSessionExpiration(sessionId: string, expiresAt: Date) {
    await this.tx.session.updateMany({ where: { id: hashToken(sessionId) }, data: { expiresAt } });
  }
  async deleteSession(sessionId: string) {
    await this.tx.session.deleteMany({ where: { id: hashToken(sessionId) } });
  }
  async deleteUserSessions(userId: string) {
    await this.tx.session.deleteMany({ where: { userId } });
  }
  async deleteExpiredSessions() {
    await this.tx.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  }
}

class OperatorSessionAdapter implements Adapter {
  constructor(private readonly sessions: OperatorSessionStore) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.sessions.get(hashToken(sessionId));
    if (!row) return [null, null];
    const [firstName = row.operator.name, ...rest] = row.operator.name.split(" ");
    return [
      { id: sessionId, userId: row.operator.id, expiresAt: row.expiresAt, attributes: {} },
      { id: row.operator.id, attributes: { email: row.operator.email, firstName, lastName: rest.join(" "), role: "OPERATOR" } },
    ];
  }
  async getUserSessions(): Promise<DatabaseSession[]> {
    return [];
  }
  async setSession(session: DatabaseSession) {
    await this.sessions.create({ id: hashToken(session.id), operatorId: session.userId, expiresAt: session.expiresAt });
  }
  async updateSessionExpiration(sessionId: string, expiresAt: Date) {
    await this.sessions.updateExpiry(hashToken(sessionId), expiresAt);
  }
  async deleteSession(sessionId: string) {
    await this.sessions.delete(hashToken(sessionId));
  }
  async deleteUserSessions(operatorId: string) {
    await this.sessions.deleteForOperator(operatorId);
  }
  async deleteExpiredSessions() {
    await this.sessions.deleteExpired();
  }
}

export function schoolLucia(tx: Tx, secure: boolean) {
  return buildLucia(new SchoolSessionAdapter(tx), SCHOOL_COOKIE, secure);
}

/** The school account signed in by `request`'s session cookie, read through the school-bound database; null without one. */
export async function schoolSessionAccount(
  db: Pick<SchoolDb, "run">,
  request: Request,
  secure: boolean,
): Promise<({ id: string } & AccountAttributes & { role: Exclude<AccountRole, "OPERATOR"> }) | null> {
  const sessionId = readCookie(request, SCHOOL_COOKIE);
  if (!sessionId) return null;
  const result = await db.run((tx) => schoolLucia(tx, secure).validateSession(sessionId));
  if (!result.user || result.user.role === "OPERATOR") return null;
  const { id, email, firstName, lastName, role } = result.user;
  return { id, email, firstName, lastName, role };
}

export function operatorLucia(sessions: OperatorSessionStore, secure: boolean) {
  return buildLucia(new OperatorSessionAdapter(sessions), OPERATOR_COOKIE, secure);
}
