// Small pieces for the few hand-written queries (where Prisma's relation loading is
// measurably slower; see bench/).
import { Prisma } from "../../prisma/generated/client";

/**
 * A UTC instant as the `timestamp(3)` our DateTime columns use (they hold UTC):
 * independent of the session's TimeZone setting.
 */
export function sqlTimestamp(d: Date): Prisma.Sql {
  return Prisma.sql`CAST(${d.toISOString().replace("Z", "")} AS timestamp(3))`;
}
