// lucia v3 sessions for school users and for platform operators. Two adapters,
// both storing sha256(session id): school sessions in the school's own Session
// table through the school-bound client (so a session of school A cannot even be
// looked up on school B's address), operator sessions through the privileged module.
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { Platform } from "../../server/db/privileged.server";
import type { Tx } from "../../server/db/school-db.server";
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
  constructor(private readonly platform: Platform) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.platform.operatorSessions.get(hashToken(sessionId));
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
    await this.platform.operatorSessions.create({ id: hashToken(session.id), operatorId: session.userId, expiresAt: session.expiresAt });
  }
  async updateSessionExpiration(sessionId: string, expiresAt: Date) {
    await this.platform.operatorSessions.updateExpiry(hashToken(sessionId), expiresAt);
  }
  async deleteSession(sessionId: string) {
    await this.platform.operatorSessions.delete(hashToken(sessionId));
  }
  async deleteUserSessions(operatorId: string) {
    await this.platform.operatorSessions.deleteForOperator(operatorId);
  }
  async deleteExpiredSessions() {
    await this.platform.operatorSessions.deleteExpired();
  }
}

export function schoolLucia(tx: Tx, secure: boolean) {
  return buildLucia(new SchoolSessionAdapter(tx), SCHOOL_COOKIE, secure);
}

export function operatorLucia(platform: Platform, secure: boolean) {
  return buildLucia(new OperatorSessionAdapter(platform), OPERATOR_COOKIE, secure);
}
