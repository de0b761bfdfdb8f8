// The registration fee paid by card at the end of the online enrollment form, through the whole
// app (Hono + Remix) against the Stripe stand-in and the real database: the confirmation offers
// "Pay now" with a pay link whose shape does not depend on whether the address had an account;
// the link opens a checkout for its own form's fee invoice only; a forged, spliced or expired
// link is refused in words; paying twice charges once; the thank-you page shows the fee paid
// once the webhook has landed; the school's books reconcile.
import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { reconcileSchool } from "../../app/models/billing.server";
import { enrollmentFeeStatus } from "../../app/models/enrollment-fee.server";
import { heldReconciliation } from "../../app/models/teacher-pay.server";
import { createPrismaClient } from "../../server/db/clients.server";
import { SchoolDb } from "../../server/db/school-db.server";
import { startConnectOnboarding } from "../../server/payments/connect.server";
import { createFeeLinkSigner, FEE_LINK_SECONDS } from "../../server/services/fee-links.server";
import type { StripeStandin } from "../../server/stripe-standin/standin.server";
import { hashPassword } from "../../app/utils/password.server";
import { DEMO_PASSWORD } from "../../prisma/seed/demo";
import { Client, startTestApp, type TestApp } from "../support/app";
import { connectOwner } from "../support/db";
import { testServices } from "../support/services";

const SECRET = "enrollment-fee-test-secret-0123456789abcdef";
const services = testServices({ FILE_URL_SECRET: SECRET });
let t: TestApp;
let standin: StripeStandin;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let addresses = 0;
const freshIp = () => `10.77.${Math.floor(++addresses / 250)}.${addresses % 250}`;

interface School {
  id: string;
  host: string;
  db: ReturnType<typeof services.platform.schoolDb>;
}

async function connectedSchoolWithFee(tag: string, fee = "45.00"): Promise<School> {
  const slug = `fee-${tag}-${run}`;
  const school = await services.platform.createSchool(null, { name: `Fee ${tag}`, slug, email: `office@${slug}.test`, timezone: "America/New_York", currency: "USD" });
  const db = services.platform.schoolDb(school.id);
  await db.run(async (tx) => {
    await tx.instrument.create({ data: { name: "Piano" } });
    await tx.school.update({ where: { id: school.id }, data: { registrationFee: fee } });
  });
  const { url } = await startConnectOnboarding(services.platform, await services.payments.stripe(), { schoolId: school.id, returnUrl: "http://x.test/back", refreshUrl: "http://x.test/again" });
  await fetch(url, { method: "POST", redirect: "manual" });
  await standin.idle();
  expect(await services.platform.schoolStripeState(school.id)).toMatchObject({ stripeChargesEnabled: true });
  return { id: school.id, host: `${slug}.localhost:3000`, db };
}

function enrollment(guardianEmail: string, key = `key-${randomUUID()}`): Record<string, string> {
  return {
    intent: "submit",
    key,
    "guardian.firstName": "Robin",
    "guardian.lastName": "Okafor",
    "guardian.email": guardianEmail,
    "guardian.phone": "(212) 555-0101",
    "emergency.name": "Pat Okafor",
    "emergency.phone": "(212) 555-0199",
    "emergency.relation": "Grandparent",
    "children.0.uid": "a",
    "children.0.firstName": "Ada",
    "children.0.dateOfBirth": "2016-09-02",
    "children.0.program": "individual:Piano",
    "children.0.parentalConsent": "on",
  };
}

/** Sends the form as a new visitor; the page's text and its pay link. */
async function enroll(school: School, fields: Record<string, string>) {
  const res = await new Client(t.app, school.host, freshIp()).post("/enroll", fields);
  const html = await res.text();
  return { status: res.status, html, token: /name="t" value="([^"]+)"/.exec(html)?.[1] ?? null };
}

const visitor = (school: School) => new Client(t.app, school.host, freshIp());
const pay = (school: School, token: string) => visitor(school).post(`/enroll/fee?t=${encodeURIComponent(token)}`, { t: token });
const feePage = (school: School, token: string) => visitor(school).fetch(`/enroll/fee?t=${encodeURIComponent(token)}`);
const mainText = (html: string) =>
  html
    .slice(html.indexOf("<main"), html.indexOf("</main>"))
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&rsquo;|’/g, "'")
    .replace(/\s+/g, " ");

beforeAll(async () => {
  t = await startTestApp(services);
  standin = await services.payments.standin();
  // Stripe's webhooks reach the app's own route.
  standin.setWebhook(async (payload, signature) => {
    const res = await new Client(t.app, "localhost:3000").fetch("/webhooks/stripe", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } });
    return res.status;
  });
}, 120_000);

afterAll(async () => {
  await standin?.idle();
  await t?.close();
  await services.close();
});

describe("the confirmation's pay choice", () => {
  it("is the same for an address that already had an account as for a new family: same text, a pay link of the same shape", async () => {
    const school = await connectedSchoolWithFee("same");
    const existing = `parent-${run}@example.test`;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await school.db.run((tx) => tx.user.create({ data: { email: existing, firstName: "Pat", lastName: "Parent", role: "PARENT", passwordHash } }));
    const fresh = `new-${run}@example.test`;

    const forExisting = await enroll(school, enrollment(existing));
    const forNew = await enroll(school, enrollment(fresh));
    expect(forExisting.status).toBe(200);
    expect(forNew.status).toBe(200);
    expect(mainText(forExisting.html).replaceAll(existing, "EMAIL")).toBe(mainText(forNew.html).replaceAll(fresh, "EMAIL"));
    expect(mainText(forNew.html)).toContain("Pay the registration fee now");
    expect(mainText(forNew.html)).toContain("Registration fee: $45.00");
    const shape = (token: string) => token.replace(/[A-Za-z0-9_-]/g, "x");
    expect(forExisting.token).toBeTruthy();
    expect(forNew.token).toBeTruthy();
    // The form keys are the same length here, so the links are too: nothing in them says which is which.
    expect(shape(forExisting.token!)).toBe(shape(forNew.token!));
    // The address with an account was not enrolled: its link has no fee behind it.
    const res = await pay(school, forExisting.token!);
    expect(res.status).toBe(404);
    expect(mainText(await res.text())).toContain("There is no registration fee to pay with this link.");
  });

  it("is not offered when the school does not take card payments", async () => {
    const slug = `fee-off-${run}`;
    const school = await services.platform.createSchool(null, { name: "Fee off", slug, email: `office@${slug}.test`, timezone: "America/New_York", currency: "USD" });
    const db = services.platform.schoolDb(school.id);
    await db.run(async (tx) => {
      await tx.instrument.create({ data: { name: "Piano" } });
      await tx.school.update({ where: { id: school.id }, data: { registrationFee: "45.00" } });
    });
    const done = await enroll({ id: school.id, host: `${slug}.localhost:3000`, db }, enrollment(`off-${run}@example.test`));
    expect(done.status).toBe(200);
    expect(done.token).toBeNull();
    expect(mainText(done.html)).not.toContain("Pay the registration fee now");
  });
});

describe("paying the fee with the pay link", () => {
  it("opens a checkout for that form's fee invoice only; paying twice charges once; the page shows it paid after the webhook", async () => {
    const school = await connectedSchoolWithFee("pay");
    const a = await enroll(school, enrollment(`a-${run}@example.test`));
    const b = await enroll(school, enrollment(`b-${run}@example.test`));
    const invoiceOf = (email: string) =>
      school.db.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroup: { billingEmail: email } }, select: { id: true, familyGroupId: true } }));
    const invA = await invoiceOf(`a-${run}@example.test`);
    const invB = await invoiceOf(`b-${run}@example.test`);

    // Before paying: due.
    const before = await feePage(school, a.token!);
    expect(before.status).toBe(200);
    expect(mainText(await before.text())).toContain("Not paid yet");

    // Two clicks: one checkout, for A's invoice.
    const first = await pay(school, a.token!);
    const second = await pay(school, a.token!);
    expect(first.status).toBe(302);
    const checkoutUrl = first.headers.get("location")!;
    expect(second.headers.get("location")).toBe(checkoutUrl);
    const payments = await school.db.run((tx) => tx.payment.findMany({ where: { invoiceId: { in: [invA.id, invB.id] } } }));
    expect(payments).toEqual([expect.objectContaining({ invoiceId: invA.id, status: "PENDING", amountMinor: 4_500 })]);
    const stripe = await services.payments.stripe();
    const session = await stripe.checkout.sessions.retrieve(payments[0]!.stripeCheckoutSessionId!);
    expect(session.metadata).toMatchObject({ invoiceId: invA.id, schoolId: school.id });
    // Stripe sends the payer back to the school's own host, with the same link.
    expect(session.success_url).toBe(`http://${school.host}/enroll/fee?t=${encodeURIComponent(a.token!)}&back=paid`);
    expect(session.cancel_url).toBe(`http://${school.host}/enroll/fee?t=${encodeURIComponent(a.token!)}&back=cancelled`);

    // Paid on the stand-in's page, with the webhook held back: "processing".
    standin.setWebhook(undefined);
    const eventsBefore = standin.events().length;
    await standin.payCheckout(session.id);
    const processing = await feePage(school, a.token!);
    expect(mainText(await processing.text())).toContain("your payment is being confirmed");
    // A click meanwhile makes no second checkout: back to the page.
    const meanwhile = await pay(school, a.token!);
    expect(meanwhile.status).toBe(302);
    expect(meanwhile.headers.get("location")).toBe(`/enroll/fee?t=${encodeURIComponent(a.token!)}`);
    // The webhook lands.
    standin.setWebhook(async (payload, signature) => (await new Client(t.app, "localhost:3000").fetch("/webhooks/stripe", { method: "POST", body: payload, headers: { "content-type": "application/json", "stripe-signature": signature } })).status);
    for (const e of standin.events().slice(eventsBefore)) await standin.redeliver(e.id);
    await standin.idle();

    const paid = await feePage(school, a.token!);
    const paidText = mainText(await paid.text());
    expect(paidText).toContain("the registration fee is paid");
    expect(paidText).toContain("$45.00");
    // Paying again: no checkout, the page says paid; one charge in all.
    const again = await pay(school, a.token!);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe(`/enroll/fee?t=${encodeURIComponent(a.token!)}`);
    const completed = standin.events().filter((e) => e.type === "checkout.session.completed" && ((e.data as { object: { metadata: Record<string, string> } }).object.metadata.invoiceId === invA.id));
    expect(completed).toHaveLength(1);
    const ledger = await school.db.run((tx) => tx.ledgerEntry.findMany({ where: { familyGroupId: invA.familyGroupId, kind: "PAYMENT" }, select: { amountMinor: true } }));
    expect(ledger).toEqual([{ amountMinor: 4_500 }]);
    // B's invoice is untouched.
    expect(await school.db.run((tx) => tx.payment.count({ where: { invoiceId: invB.id } }))).toBe(0);
    expect(await school.db.run(reconcileSchool)).toEqual([]);
    expect((await school.db.run(heldReconciliation)).problems).toEqual([]);
  });

  it("refuses a forged, spliced or expired link in words (400, 410) and opens nothing", async () => {
    const school = await connectedSchoolWithFee("forged");
    const keyA = `key-${randomUUID()}`;
    const keyB = `key-${randomUUID()}`;
    const a = await enroll(school, enrollment(`fa-${run}@example.test`, keyA));
    await enroll(school, enrollment(`fb-${run}@example.test`, keyB));
    const invoiceB = await school.db.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroup: { billingEmail: `fb-${run}@example.test` } }, select: { id: true } }));
    const [, exp, sig] = a.token!.split(".");
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    const signer = createFeeLinkSigner(SECRET);
    const cases: [string, string, number, string][] = [
      ["garbage", "not-a-token", 400, "This payment link is not valid."],
      ["A's signature on B's form", `${b64(keyB)}.${exp}.${sig}`, 400, "This payment link is not valid."],
      ["a later expiry", `${b64(keyA)}.${Number(exp) + 3600}.${sig}`, 400, "This payment link is not valid."],
      // Signed with the right secret, but for B's invoice under A's form: bound to the invoice A's form issued.
      ["A's form with B's invoice", signer.sign({ schoolId: school.id, key: keyA, invoiceId: invoiceB.id }), 400, "This payment link is not valid."],
      ["another school", signer.sign({ schoolId: "another-school", key: keyA, invoiceId: null }), 400, "This payment link is not valid."],
      ["expired", signer.sign({ schoolId: school.id, key: keyA, invoiceId: (await school.db.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroup: { billingEmail: `fa-${run}@example.test` } }, select: { id: true } }))).id }, new Date(Date.now() - (FEE_LINK_SECONDS + 60) * 1000)), 410, "This payment link has expired."],
    ];
    for (const [label, token, status, words] of cases) {
      const clicked = await pay(school, token);
      expect(clicked.status, label).toBe(status);
      expect(mainText(await clicked.text()), label).toContain(words);
      const shown = await feePage(school, token);
      expect(shown.status, label).toBe(status);
    }
    expect(await school.db.run((tx) => tx.payment.count())).toBe(0);
    // The genuine link works.
    expect((await pay(school, a.token!)).status).toBe(302);
  });
});

describe("the fee page's state", () => {
  it("asks Stripe about the open checkout with no transaction open", async () => {
    const school = await connectedSchoolWithFee("notx");
    const a = await enroll(school, enrollment(`notx-${run}@example.test`));
    expect((await pay(school, a.token!)).status).toBe(302);
    const { id: invoiceId } = await school.db.run((tx) => tx.invoice.findFirstOrThrow({ where: { familyGroup: { billingEmail: `notx-${run}@example.test` } }, select: { id: true } }));

    // The school's database over a pool of its own, named, so Postgres can say what its sessions are doing.
    const name = `fee-notx-${run}`;
    const url = new URL(inject("appUrl"));
    url.searchParams.set("application_name", name);
    const prisma = createPrismaClient(url.toString(), 2);
    const owner = await connectOwner();
    try {
      const real = await services.payments.stripe();
      const seen: { sessionId: string; openTransactions: number }[] = [];
      // Stripe's client, watched: when the session is read, how many of the pool's sessions are inside a transaction.
      const watched = {
        checkout: {
          sessions: {
            async retrieve(sessionId: string) {
              const { rows } = await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'", [name]);
              seen.push({ sessionId, openTransactions: rows[0]!.n });
              return real.checkout.sessions.retrieve(sessionId);
            },
          },
        },
      } as unknown as Stripe;

      const view = await enrollmentFeeStatus(new SchoolDb(prisma, school.id), watched, invoiceId);
      expect(view).toMatchObject({ state: "due", payable: true, amountMinor: 4_500 });
      const pending = await school.db.run((tx) => tx.payment.findFirstOrThrow({ where: { invoiceId, status: "PENDING" }, select: { stripeCheckoutSessionId: true } }));
      expect(seen).toEqual([{ sessionId: pending.stripeCheckoutSessionId, openTransactions: 0 }]);
    } finally {
      await owner.end();
      await prisma.$disconnect();
    }
  });
});
