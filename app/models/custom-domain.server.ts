// A school's own domain, from its admin's side: claim it (the domain and a token are
// stored through the school-bound connection), then verify or remove it through the
// school's privileged capabilities (only the privileged module may mark a domain
// verified). See server/db/privileged.server.ts for the platform's side.
import { randomBytes } from "node:crypto";
import type { SchoolBoundDb } from "../../server/context";
import type { SchoolPlatform } from "../../server/capabilities.server";
import type { Tx } from "../../server/db/school-db.server";
import { isUniqueViolation } from "./sql.server";

export { DOMAIN_VERIFICATION_PATH, validateCustomDomain } from "../../server/db/privileged.server";

export function customDomainState(tx: Tx) {
  return tx.school.findFirstOrThrow({ select: { slug: true, customDomain: true, customDomainToken: true, customDomainVerifiedAt: true } });
}

export type ClaimOutcome = { ok: true; message: string } | { ok: false; status: 409; error: string };

/**
 * Makes `domain` (already validated) this school's domain, waiting for verification,
 * with a fresh token. Refused when another school uses or claims it.
 */
export async function claimCustomDomain(
  deps: { db: SchoolBoundDb; schoolPlatform: SchoolPlatform },
  request: Request,
  domain: string,
): Promise<ClaimOutcome> {
  const { db, schoolPlatform } = deps;
  const taken: ClaimOutcome = { ok: false, status: 409, error: `${domain} is already used by another school on this platform.` };
  const current = await db.run(customDomainState);
  if (current.customDomain === domain) return { ok: true, message: `${domain} is already this school's domain.` };
  if (await schoolPlatform.isCustomDomainTaken(request, domain)) return taken;
  // The old domain's verification must not carry over to the new one.
  await schoolPlatform.resetCustomDomainVerification(request, domain);
  const token = `encore-${randomBytes(16).toString("hex")}`;
  try {
    await db.run((tx) => tx.school.update({ where: { id: db.schoolId }, data: { customDomain: domain, customDomainToken: token } }));
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
  schoolPlatform.forgetCachedSchool();
  return { ok: true, message: `Saved ${domain}. Now create the DNS record below, then verify.` };
}
