// Database helpers for the integration tests: the owner connection, the Postgres
// error behind a failed statement, and transactions that never commit (so a check
// that writes — even one that wrongly succeeds — leaves the shared database as it was).
import pg from "pg";
import { inject } from "vitest";
import { schoolLucia } from "../../app/utils/sessions.server";
import type { PrismaClient } from "../../server/db/clients.server";
import type { SchoolDb, Tx } from "../../server/db/school-db.server";
import type { RunningServices } from "../../server/services.server";

/** A plain `pg` connection as the owner role: no row-level security, all tables. */
export async function connectOwner(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject("ownerUrl") });
  await client.connect();
  return client;
}

export interface PgErrorInfo {
  /** SQLSTATE, e.g. "42501" (insufficient privilege / RLS), "23503" (foreign key). */
  code: string;
  message: string;
  constraint?: string;
}

/**
 * The Postgres error behind `error`: thrown by `pg` itself, wrapped by Prisma's
 * driver adapter (known kinds: P2xxx with `meta.driverAdapterError`), or the
 * adapter's own DriverAdapterError (others, e.g. a CHECK violation).
 */
export function pgErrorOf(error: unknown): PgErrorInfo | null {
  if (typeof error !== "object" || error === null) return null;
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    constraint?: unknown;
    cause?: { originalCode?: unknown; originalMessage?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } };
  };
  // Wrapped by Prisma (meta.driverAdapterError), or the adapter's own error (cause).
  const cause = e.meta?.driverAdapterError?.cause ?? (e.name === "DriverAdapterError" ? e.cause : undefined);
  if (cause && typeof cause.originalCode === "string") {
    return { code: cause.originalCode, message: String(cause.originalMessage ?? "") };
  }
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
    return { code: e.code, message: String(e.message), ...(typeof e.constraint === "string" ? { constraint: e.constraint } : {}) };
  }
  return null;
}

/** Runs `work`, which must be refused by the database; returns the refusal. */
export async function refusal(work: () => Promise<unknown>): Promise<PgErrorInfo> {
  try {
    await work();
  } catch (error) {
    const info = pgErrorOf(error);
    if (info) return info;
    throw error;
  }
  throw new Error("expected the database to refuse the statement, but it succeeded");
}

class RolledBack extends Error {}

/**
 * Runs `work` in one transaction of `db` (a SchoolDb, or `withoutSchool(...)`) and
 * then rolls the transaction back, whatever `work` did.
 */
export async function rolledBack<T>(db: Pick<SchoolDb, "run">, work: (tx: Tx) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  try {
    await db.run(async (tx) => {
      result = { value: await work(tx) };
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  if (!result) throw new Error("unreachable: the transaction ended without a result");
  return (result as { value: T }).value;
}

/** The app role with no school chosen: a plain transaction, `app.school_id` never set. */
export function withoutSchool(app: PrismaClient): Pick<SchoolDb, "run"> {
  return { run: <T>(work: (tx: Tx) => Promise<T>) => app.$transaction(work) };
}

/** Runs one statement as the owner inside a transaction that is always rolled back. */
export async function ownerAttempt(owner: pg.Client, sql: string, params: unknown[] = []): Promise<PgErrorInfo | null> {
  await owner.query("BEGIN");
  try {
    await owner.query(sql, params);
    return null;
  } catch (error) {
    const info = pgErrorOf(error);
    if (!info) throw error;
    return info;
  } finally {
    await owner.query("ROLLBACK");
  }
}

/** A fresh primary key for a test row. */
export function newId(prefix = "test"): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Quotes a table or column name for SQL built by a test. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Sign-in makes Session rows, the seed does not: gives the school's first admin a
 * session, exactly as lucia does on sign-in (through the school-bound transaction).
 */
export async function createAdminSession(services: RunningServices, schoolId: string): Promise<string> {
  return services.platform.schoolDb(schoolId).run(async (tx) => {
    const admin = await tx.user.findFirstOrThrow({ where: { schoolId, role: "ADMIN" }, orderBy: { createdAt: "asc" }, select: { id: true } });
    const session = await schoolLucia(tx, false).createSession(admin.id, {});
    return session.id;
  });
}
