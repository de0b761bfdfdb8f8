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
