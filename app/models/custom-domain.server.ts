// A school's own domain, from its admin's side: its state for the settings page, and
// claiming it. Claiming, verifying and removing go through the school's privileged
// capabilities (server/capabilities.server.ts): the app role may read the domain
// columns but not write them. See server/db/privileged.server.ts for the platform's
// side and app/domain/custom-domain.ts for the rules (the TXT record, the hold).
import { challengeRecord, claimExpiresAt } from "../domain/custom-domain";
import type { SchoolPlatform } from "../../server/capabilities.server";
import type { Tx } from "../../server/db/school-db.server";

export { validateCustomDomain } from "../../server/db/privileged.server";

/** What the settings page shows: the domain, the TXT record to create, the claim's times. */
export async function customDomainState(tx: Tx) {
  const school = await tx.school.findFirstOrThrow({
    select: { slug: true, customDomain: true, customDomainToken: true, customDomainClaimedAt: true, customDomainVerifiedAt: true },
  });
  const claim = { claimedAt: school.customDomainClaimedAt, verifiedAt: school.customDomainVerifiedAt };
  return {
    slug: school.slug,
    domain: school.customDomain,
    record: school.customDomain && school.customDomainToken ? challengeRecord(school.customDomain, school.customDomainToken) : null,
    claimedAt: school.customDomainClaimedAt,
    expiresAt: claimExpiresAt(claim),
    verifiedAt: school.customDomainVerifiedAt,
  };
}

export type ClaimOutcome = { ok: true; message: string } | { ok: false; status: 409; error: string };

/**
 * Makes `domain` (already validated) this school's domain, waiting for verification,
 * with a fresh token. Refused while another school holds it.
 */
export async function claimCustomDomain(deps: { schoolPlatform: SchoolPlatform }, request: Request, domain: string): Promise<ClaimOutcome> {
  const claimed = await deps.schoolPlatform.claimCustomDomain(request, domain);
  if (!claimed.ok) {
    return { ok: false, status: 409, error: `${domain} is already used by another school on this platform, or waiting for its verification.` };
  }
  if (claimed.unchanged) return { ok: true, message: `${domain} is already this school's domain.` };
  return { ok: true, message: `Saved ${domain}. Now create the DNS records below, then verify.` };
}
