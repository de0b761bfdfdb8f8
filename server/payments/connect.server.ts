// Stripe Connect onboarding (ARCHITECTURE.md, "Payments: Stripe Connect"): the school's
// Express account, made once (idempotency key from the school's id, and the privileged
// module keeps the first account recorded), then an Account Link to Stripe's onboarding.
// The onboarding state on School is written only by `account.updated` processing.
import type Stripe from "stripe";
import type { Platform } from "../db/privileged.server";

export async function startConnectOnboarding(
  platform: Platform,
  stripe: Stripe,
  input: { schoolId: string; returnUrl: string; refreshUrl: string },
): Promise<{ url: string; accountId: string }> {
  const school = await platform.schoolStripeState(input.schoolId);
  if (!school) throw new Error(`No school ${input.schoolId}.`);
  let accountId = school.stripeAccountId;
  if (!accountId) {
    const account = await stripe.accounts.create(
      {
        type: "express",
        email: school.email,
        business_profile: { name: school.name },
        capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        metadata: { schoolId: school.id },
      },
      { idempotencyKey: `connect-account:${school.id}` },
    );
    accountId = await platform.setSchoolStripeAccount(school.id, account.id);
  }
  // A link is single-use and short-lived: its key is the account and the minute (a double click shares one).
  const minute = Math.floor(Date.now() / 60_000);
  const link = await stripe.accountLinks.create(
    { account: accountId, type: "account_onboarding", return_url: input.returnUrl, refresh_url: input.refreshUrl },
    { idempotencyKey: `account-link:${accountId}:${minute}` },
  );
  return { url: link.url, accountId };
}
