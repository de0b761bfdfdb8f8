// Small pieces for the few hand-written queries (where Prisma's relation loading is
// measurably slower; see bench/).
import { Prisma } from "../../prisma/generated/client";

/**
 * An instant as the `timestamptz(3)` our DateTime columns use: ISO text with its
 * "Z", so it never depends on the session's TimeZone setting.
 */
export function sqlTimestamp(d: Date): Prisma.Sql {
  return Prisma.sql`CAST(${d.toISOString()} AS timestamptz(3))`;
}

/** Whether `error` (Prisma's, its driver adapter's, or pg's, however wrapped) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 6 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (code === "P2002" || code === "23505") return true;
    const text = `${(e as { message?: unknown }).message ?? ""} ${JSON.stringify((e as { meta?: unknown }).meta ?? "")}`;
    if (/23505|unique constraint|UniqueConstraintViolation/i.test(text)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
