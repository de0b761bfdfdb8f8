// Every link we send or show is built from configuration (PUBLIC_PROTOCOL, PUBLIC_PORT,
// PLATFORM_DOMAIN) and the school's own address, never from the request's Host: a
// forged port must not reach a victim's reset email, and behind TLS links are https.
// Through the real route actions, on a load context built as server/app.ts builds it.
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteUser } from "../../app/models/people.server";
import { renderEmail } from "../../server/services/email.server";
import { action as calendarAction } from "../../app/routes/account.calendar";
import { action as forgotPasswordAction } from "../../app/routes/forgot-password";
import { action as onboardAction } from "../../app/routes/operator.schools.new";
import { DEMO_PASSWORD, HARMONY, OPERATOR_EMAIL, seedSchool } from "../../prisma/seed/demo";
import { sendFamilyReminders } from "../../server/jobs/tasks.server";
import type { Tenant } from "../../server/context";
import type { SchoolSummary } from "../../server/db/privileged.server";
import type { RunningServices } from "../../server/services.server";
import { brandFor } from "../../tenants/branding";
import { createAdminSession } from "../support/db";
import { loadContextFor, testServices } from "../support/services";

const plain = testServices(); // NODE_ENV=test, PORT 3000: links on port 3000
const behindTls = testServices({ PUBLIC_PROTOCOL: "https" });
const production = testServices({ NODE_ENV: "production", PORT: "3000", FILE_URL_SECRET: "links-test-file-url-secret-0123456789" });
const port4000 = testServices({ PORT: "4000" });
let harmony: SchoolSummary;

beforeAll(async () => {
  const school = await plain.platform.findSchool({ slug: "harmony" });
  if (!school) throw new Error("the demo school is missing");
  harmony = school;
});

afterAll(async () => {
  await Promise.all([plain.close(), behindTls.close(), production.close(), port4000.close()]);
});

const contextFor = loadContextFor;
const schoolTenant = (school: SchoolSummary): Tenant => ({ kind: "school", school, brand: brandFor(school.brandColor) });

const runId = crypto.randomUUID().slice(0, 8);
let count = 0;
const uniqueEmail = () => `links-${runId}-${++count}@harmony.test`;

function formPost(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(url, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
}

/** The link in the newest email to `to` in `schoolId`'s outbox. */
async function linkMailedTo(schoolId: string, to: string): Promise<string> {
  const message = await plain.platform
    .schoolDb(schoolId)
    .run((tx) => tx.emailMessage.findFirst({ where: { to }, orderBy: { createdAt: "desc" }, select: { text: true, html: true, secrets: true } }));
  // As its recipient gets it: the stored email holds a marker in place of the link.
  const link = message && renderEmail(message, { reveal: true }).text.match(/https?:\/\/\S+\/set-password\?token=[a-z0-9]+/);
  if (!link) throw new Error(`no set-password link mailed to ${to}: ${message?.text}`);
  return link[0];
}

/** A reset requested at harmony's address with a forged port, through the forgot-password action. */
async function resetLinkFor(services: RunningServices): Promise<string> {
  const email = uniqueEmail();
  await plain.platform.schoolDb(harmony.id).run((tx) => inviteUser(tx, { mailer: plain.mailer, origin: "http://unused.invalid", schoolName: harmony.name }, { email, firstName: "Link", lastName: "Test", role: "TEACHER" }));
  const request = formPost("http://harmony.localhost:6666/forgot-password", { email }, { host: "harmony.localhost:6666" });
  const result = await forgotPasswordAction({ request, params: {}, context: contextFor(services, schoolTenant(harmony)) });
  expect(result).toMatchObject({ sent: true });
  return linkMailedTo(harmony.id, email);
}

describe("links from configuration", () => {
  it("a reset requested with a forged Host port emails a link to the school's configured address", async () => {
    const link = await resetLinkFor(plain);
    expect(link).not.toContain("6666");
    expect(link).toMatch(/^http:\/\/harmony\.localhost:3000\/set-password\?token=/);
  });

  it("behind TLS (PUBLIC_PROTOCOL=https) the link is https", async () => {
    expect(await resetLinkFor(behindTls)).toMatch(/^https:\/\/harmony\.localhost:3000\/set-password\?token=/);
  });

  it("in production links carry no port unless PUBLIC_PORT says so", async () => {
    expect(await resetLinkFor(production)).toMatch(/^https:\/\/harmony\.localhost\/set-password\?token=/);
  });

  it("a calendar feed's address is the school's configured address", async () => {
    const sessionId = await createAdminSession(plain, harmony.id);
    const request = formPost("http://harmony.localhost:6666/account/calendar", { intent: "create" }, { cookie: `encore_session=${sessionId}` });
    const result = (await calendarAction({ request, params: {}, context: contextFor(behindTls, schoolTenant(harmony)) })) as { created: { url: string; webcal: string } | null };
    expect(result.created?.url).toMatch(/^https:\/\/harmony\.localhost:3000\/calendar\/[a-z2-7]+\.ics$/);
    expect(result.created?.webcal).toMatch(/^webcal:\/\/harmony\.localhost:3000\//);
  });

  it("a new school's invitation leads to its configured address, whatever port the operator used", async () => {
    const context = contextFor(plain, { kind: "platform" });
    const cookie = await context.auth.signInOperator(OPERATOR_EMAIL, DEMO_PASSWORD);
    expect(cookie).not.toBeNull();
    const slug = `links-${runId}`;
    const adminEmail = `admin@${slug}.test`;
    const request = formPost(
      "http://localhost:6666/operator/schools/new",
      { name: "Links School", slug, timezone: "Europe/London", currency: "GBP", adminEmail, adminFirstName: "Lin", adminLastName: "Ks" },
      { cookie: cookie!.split(";")[0]! },
    );
    const result = (await onboardAction({ request, params: {}, context })) as { created: { origin: string } | null };
    expect(result.created?.origin).toBe(`http://${slug}.localhost:3000`);
    const school = await plain.platform.findSchool({ slug });
    expect(await linkMailedTo(school!.id, adminEmail)).toMatch(new RegExp(`^http://${slug}\\.localhost:3000/set-password\\?token=`));
  });

  it("the demo seed's invitations lead to the port the development server runs on (PORT=4000)", async () => {
    const slug = `seedport-${runId}`;
    const school = await seedSchool(port4000, { ...HARMONY, slug, name: `Seed Port ${runId}` }, { passwordHash: "x", now: new Date("2026-11-23T12:00:00Z") });
    const invitation = await port4000.platform.schoolDb(school.id).run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: HARMONY.pendingInvite.email }, select: { subject: true, text: true, html: true, secrets: true } }));
    expect(renderEmail(invitation, { reveal: true }).text).toContain(`http://${slug}.localhost:4000/set-password?token=`);
  });

  it("the background jobs' reminders link to the school's configured address", async () => {
    const slug = `links-jobs-${runId}`;
    const school = await plain.platform.createSchool(null, { name: "Links Jobs School", slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
    const now = new Date();
    await plain.platform.schoolDb(school.id).run(async (tx) => {
      const user = await tx.user.create({ data: { email: `kid@${slug}.test`, firstName: "Kit", lastName: "Link", role: "STUDENT" }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: user.id, parentEmail: `parent@${slug}.test` }, select: { id: true } });
      await tx.makeUpCredit.create({ data: { studentId: student.id, expiresAt: new Date(now.getTime() + 3 * 86_400_000), reason: "links test" } });
    });
    const report = await sendFamilyReminders(behindTls, now, { schoolIds: [school.id] });
    expect(report).toMatchObject({ errors: [], expiringCredits: 1 });
    const reminder = await plain.platform
      .schoolDb(school.id)
      .run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: `parent@${slug}.test` }, select: { text: true } }));
    expect(reminder.text).toContain(`https://${slug}.localhost:3000/family/makeups`);
  });
});
