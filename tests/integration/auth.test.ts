// Signing in, session cookies, invitation and password-reset links, and attempt
// limits — through the real functions, on a load context built like server/app.ts
// builds it for a request to a school's address.
//
// The demo accounts are only signed in to, never changed: people whose password a
// test sets are invited by that test, with an address unique to the run.
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendarFeed, resolveCalendarFeed } from "../../app/models/calendar-feeds.server";
import { inviteUser, sendPasswordReset } from "../../app/models/people.server";
import { getUser, setPasswordWithToken, signIn } from "../../app/utils/auth.server";
import { checkRateLimit } from "../../app/utils/rate-limit.server";
import { hashToken } from "../../app/utils/tokens.server";
import { DEMO_PASSWORD } from "../../prisma/seed/demo";
import type { SchoolSummary } from "../../server/db/privileged.server";
import { renderEmail } from "../../server/services/email.server";
import type { RunningServices } from "../../server/services.server";
import { brandFor } from "../../tenants/branding";
import { loadContextFor, testServices } from "../support/services";

const services = testServices();
const limitedServices = testServices({ RATE_LIMIT_SIGNIN: "3" });
let harmony: SchoolSummary;
let riverside: SchoolSummary;

beforeAll(async () => {
  const [h, r] = await Promise.all([services.platform.findSchool({ slug: "harmony" }), services.platform.findSchool({ slug: "riverside" })]);
  if (!h || !r) throw new Error("the demo schools are missing");
  [harmony, riverside] = [h, r];
});

afterAll(async () => {
  await Promise.all([services.close(), limitedServices.close()]);
});

/** What Hono hands to Remix for a request to `school`'s own address. */
function contextFor(school: SchoolSummary, from: RunningServices = services): AppLoadContext {
  return loadContextFor(from, { kind: "school", school, brand: brandFor(school.brandColor) });
}

/** A request to the school's dashboard carrying the cookie a Set-Cookie header set. */
function requestWith(setCookie: string, school: SchoolSummary): Request {
  const pair = setCookie.split(";")[0]!;
  return new Request(`http://${school.slug}.localhost:3000/dashboard`, { headers: { cookie: pair } });
}

const runId = crypto.randomUUID().slice(0, 8);
let invitees = 0;
function uniqueEmail(school: SchoolSummary) {
  invitees += 1;
  return `test-${runId}-${invitees}@${school.slug}.test`;
}

/** Invites a new teacher to `school` and returns their address. */
async function invite(school: SchoolSummary): Promise<string> {
  const email = uniqueEmail(school);
  const context = contextFor(school);
  await context.db!.run((tx) =>
    inviteUser(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name }, { email, firstName: "Test", lastName: "Teacher", role: "TEACHER" }),
  );
  return email;
}

/** The token of the newest /set-password link mailed to `email`, read as its recipient gets it (the development mailbox). */
async function linkTokenFromOutbox(school: SchoolSummary, email: string, subject: RegExp): Promise<string> {
  const message = await services.platform
    .schoolDb(school.id)
    .run((tx) => tx.emailMessage.findFirst({ where: { to: email }, orderBy: { createdAt: "desc" }, select: { subject: true, text: true, html: true, secrets: true } }));
  if (!message) throw new Error(`no email to ${email} in ${school.slug}'s outbox`);
  expect(message.subject).toMatch(subject);
  expect(message.text, "the stored text holds no link").not.toMatch(/set-password\?token=/);
  const { text } = renderEmail(message, { reveal: true });
  const link = text.match(/(\S+)\/set-password\?token=([a-z0-9]+)/);
  if (!link) throw new Error(`no set-password link in: ${text}`);
  expect(link[1], "the link must lead to the school's own address").toBe(`http://${school.slug}.localhost:3000`);
  return link[2]!;
}

describe("sign-in", () => {
  it("accepts the right password, and the cookie identifies the user on later requests", async () => {
    const context = contextFor(harmony);
    const result = await signIn(context, "Admin@Harmony.test", DEMO_PASSWORD);
    expect(result?.user).toMatchObject({ email: "admin@harmony.test", role: "ADMIN" });
    expect(result?.cookie).toMatch(/^encore_session=[^;]+;.*HttpOnly/i);
    const user = await getUser(requestWith(result!.cookie, harmony), context);
    expect(user).toEqual(result!.user);
  });

  it("refuses a wrong password and an unknown address", async () => {
    const context = contextFor(harmony);
    expect(await signIn(context, "admin@harmony.test", `${DEMO_PASSWORD}x`)).toBeNull();
    expect(await signIn(context, `nobody-${runId}@harmony.test`, DEMO_PASSWORD)).toBeNull();
  });

  it("refuses one school's credentials at another school's address", async () => {
    expect(await signIn(contextFor(riverside), "admin@harmony.test", DEMO_PASSWORD)).toBeNull();
    // Control: riverside's own admin signs in there.
    expect(await signIn(contextFor(riverside), "admin@riverside.test", DEMO_PASSWORD)).not.toBeNull();
  });

  it("gives one school's session cookie no user at another school's address", async () => {
    const result = await signIn(contextFor(harmony), "admin@harmony.test", DEMO_PASSWORD);
    expect(result).not.toBeNull();
    expect(await getUser(requestWith(result!.cookie, riverside), contextFor(riverside))).toBeNull();
    expect(await getUser(requestWith(result!.cookie, harmony), contextFor(harmony))).toMatchObject({ email: "admin@harmony.test" });
  });

  it("gives no user for a missing or made-up cookie", async () => {
    const context = contextFor(harmony);
    expect(await getUser(new Request("http://harmony.localhost:3000/dashboard"), context)).toBeNull();
    expect(await getUser(requestWith("encore_session=madeup123", harmony), context)).toBeNull();
  });

  // Regression: the root, layout and page loaders Remix runs in parallel each
  // looked the session up in a transaction of its own (three per signed-in page).
  it("looks a session up once for the loaders of one request that ask together, and again after", async () => {
    const signedIn = await signIn(contextFor(harmony), "admin@harmony.test", DEMO_PASSWORD);
    const context = contextFor(harmony);
    const db = context.db!;
    let transactions = 0;
    const counted: AppLoadContext = { ...context, db: { schoolId: db.schoolId, run: (work, opts) => (transactions++, db.run(work, opts)) } };
    const request = requestWith(signedIn!.cookie, harmony);
    const users = await Promise.all([getUser(request, counted), getUser(request, counted), getUser(request, counted)]);
    expect(users.map((u) => u?.email)).toEqual(["admin@harmony.test", "admin@harmony.test", "admin@harmony.test"]);
    expect(transactions).toBe(1);
    // Once answered, a later call (after an action signed someone out) looks again.
    expect(await getUser(request, counted)).toMatchObject({ email: "admin@harmony.test" });
    expect(transactions).toBe(2);
    // Another request (another load context) has its own lookup.
    await Promise.all([getUser(request, counted), getUser(request, { ...counted })]);
    expect(transactions).toBe(4);
  });

  // Regression: a malformed percent-escape in the cookie once threw from readCookie
  // and broke every page of the school for that browser.
  it("treats a malformed session cookie as signed out", async () => {
    expect(await getUser(requestWith("encore_session=%E0%A4%A", harmony), contextFor(harmony))).toBeNull();
  });
});

describe("invitation and password-reset links", () => {
  it("an invitation link sets the password once, and the new password signs in", async () => {
    const context = contextFor(harmony);
    const email = await invite(harmony);
    expect(await signIn(context, email, "anything at all"), "no password before the link is used").toBeNull();

    const token = await linkTokenFromOutbox(harmony, email, /invitation to Harmony Music Academy/);
    const set = await setPasswordWithToken(context, token, "first-password-1");
    expect(set).not.toBeNull();
    expect(await getUser(requestWith(set!.cookie, harmony), context), "the link signs the user in").toMatchObject({ email, role: "TEACHER" });
    expect(await signIn(context, email, "first-password-1")).not.toBeNull();

    expect(await setPasswordWithToken(context, token, "second-password-2"), "the same link a second time").toBeNull();
    expect(await signIn(context, email, "second-password-2")).toBeNull();
    expect(await signIn(context, email, "first-password-1")).not.toBeNull();
  });

  it("a password-reset link replaces the password and ends the sessions signed in with the old one", async () => {
    const context = contextFor(harmony);
    const email = await invite(harmony);
    await setPasswordWithToken(context, await linkTokenFromOutbox(harmony, email, /invitation/), "old-password-1");
    const before = await signIn(context, email, "old-password-1");
    expect(before).not.toBeNull();

    const sent = await context.db!.run((tx) => sendPasswordReset(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: harmony.name }, email.toUpperCase()));
    expect(sent).toBe(true);
    const token = await linkTokenFromOutbox(harmony, email, /Reset your Harmony Music Academy password/);
    expect(await setPasswordWithToken(context, token, "new-password-2")).not.toBeNull();

    expect(await signIn(context, email, "new-password-2")).not.toBeNull();
    expect(await signIn(context, email, "old-password-1")).toBeNull();
    expect(await getUser(requestWith(before!.cookie, harmony), context), "the old session is over").toBeNull();
    expect(await setPasswordWithToken(context, token, "third-password-3"), "the same link a second time").toBeNull();
  });

  // Regression: a successful reset left the user's other reset links working, and
  // their calendar feeds kept serving the family's whereabouts.
  it("a successful reset voids every other link of the user and revokes their calendar feeds", async () => {
    const context = contextFor(harmony);
    const email = await invite(harmony);
    const invitation = await linkTokenFromOutbox(harmony, email, /invitation/);
    const userId = await context.db!.run(async (tx) => (await tx.user.findFirstOrThrow({ where: { email }, select: { id: true } })).id);
    const feeds = await context.db!.run(async (tx) => [await createCalendarFeed(tx, userId), await createCalendarFeed(tx, userId)]);
    const reset = () => context.db!.run((tx) => sendPasswordReset(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: harmony.name }, email));
    await reset();
    const first = await linkTokenFromOutbox(harmony, email, /Reset your/);
    await reset();
    const second = await linkTokenFromOutbox(harmony, email, /Reset your/);
    expect(second).not.toBe(first);
    for (const feed of feeds) expect(await context.db!.run((tx) => resolveCalendarFeed(tx, feed.token)), "feeds work before").not.toBeNull();

    const done = await setPasswordWithToken(context, second, "recovered-password-1");
    expect(done).toMatchObject({ feedsRevoked: 2 });

    expect(await setPasswordWithToken(context, first, "attacker-password-1"), "the older reset link").toBeNull();
    expect(await setPasswordWithToken(context, invitation, "attacker-password-2"), "the unused invitation").toBeNull();
    expect(await signIn(context, email, "recovered-password-1")).not.toBeNull();
    for (const feed of feeds) expect(await context.db!.run((tx) => resolveCalendarFeed(tx, feed.token)), "the old feed addresses").toBeNull();
    // A fresh address works again.
    const fresh = await context.db!.run((tx) => createCalendarFeed(tx, userId));
    expect(await context.db!.run((tx) => resolveCalendarFeed(tx, fresh.token))).not.toBeNull();
  });

  it("a reset for an unknown address sends nothing", async () => {
    const context = contextFor(harmony);
    const email = uniqueEmail(harmony);
    const sent = await context.db!.run((tx) => sendPasswordReset(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: harmony.name }, email));
    expect(sent).toBe(false);
    expect(await context.db!.run((tx) => tx.emailMessage.count({ where: { to: email } }))).toBe(0);
  });

  it("an expired link does nothing", async () => {
    const context = contextFor(harmony);
    const email = await invite(harmony);
    const token = await linkTokenFromOutbox(harmony, email, /invitation/);
    const expired = await context.db!.run((tx) =>
      tx.userToken.updateMany({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } }),
    );
    expect(expired.count).toBe(1);
    expect(await setPasswordWithToken(context, token, "too-late-password")).toBeNull();
    expect(await signIn(context, email, "too-late-password")).toBeNull();
  });

  it("the same link used twice at once sets the password only once", async () => {
    const context = contextFor(harmony);
    const email = await invite(harmony);
    const token = await linkTokenFromOutbox(harmony, email, /invitation/);
    const results = await Promise.all([
      setPasswordWithToken(context, token, "racing-password-1"),
      setPasswordWithToken(context, token, "racing-password-2"),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const winner = results[0] ? "racing-password-1" : "racing-password-2";
    const loser = results[0] ? "racing-password-2" : "racing-password-1";
    expect(await signIn(context, email, winner)).not.toBeNull();
    expect(await signIn(context, email, loser)).toBeNull();
  });

  it("one school's link does nothing at another school's address", async () => {
    const email = await invite(harmony);
    const token = await linkTokenFromOutbox(harmony, email, /invitation/);
    expect(await setPasswordWithToken(contextFor(riverside), token, "wrong-school-password")).toBeNull();
    // Control: the link is still good where it was sent from.
    expect(await setPasswordWithToken(contextFor(harmony), token, "right-school-password")).not.toBeNull();
  });
});

describe("one address at two schools", () => {
  it("is two separate accounts, each signing in only at its own school", async () => {
    const email = `both-${runId}@example.test`;
    for (const [school, password] of [[harmony, "harmony-password"], [riverside, "riverside-password"]] as const) {
      const context = contextFor(school);
      await context.db!.run((tx) =>
        inviteUser(tx, { mailer: context.mailer, origin: context.links.origin, schoolName: school.name }, { email, firstName: "Dual", lastName: "Member", role: "PARENT" }),
      );
      expect(await setPasswordWithToken(context, await linkTokenFromOutbox(school, email, /invitation/), password)).not.toBeNull();
    }
    expect(await signIn(contextFor(harmony), email, "harmony-password")).not.toBeNull();
    expect(await signIn(contextFor(harmony), email, "riverside-password")).toBeNull();
    expect(await signIn(contextFor(riverside), email, "riverside-password")).not.toBeNull();
    expect(await signIn(contextFor(riverside), email, "harmony-password")).toBeNull();
  });
});

describe("attempt limits of password resets (RATE_LIMIT_SIGNIN=3)", () => {
  it("allows the configured number of attempts, then blocks with a clear message", async () => {
    const context = contextFor(harmony, limitedServices);
    const keys = [`ip:test-${runId}-a`, `account:limited-${runId}@harmony.test`];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await checkRateLimit(context, "reset", keys), `attempt ${attempt}`).toBeNull();
    }
    const message = await checkRateLimit(context, "reset", keys);
    expect(message).toMatch(/^Too many attempts\. For your security, please wait \d+ minutes? and try again\.$/);
    const minutes = Number(message!.match(/wait (\d+) minute/)![1]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(limitedServices.env.RATE_LIMIT_WINDOW_SECONDS / 60);
  });

  it("blocks on any one key over its limit, and counts each school separately", async () => {
    const harmonyContext = contextFor(harmony, limitedServices);
    const account = `account:shared-${runId}@example.test`;
    for (let i = 1; i <= 3; i++) {
      expect(await checkRateLimit(harmonyContext, "reset", [`ip:test-${runId}-${i}`, account])).toBeNull();
    }
    // A fresh address, but the account has used its attempts.
    expect(await checkRateLimit(harmonyContext, "reset", [`ip:test-${runId}-fresh`, account])).toMatch(/Too many attempts/);
    // The same keys at another school are counted on their own.
    expect(await checkRateLimit(contextFor(riverside, limitedServices), "reset", [`ip:test-${runId}-1`, account])).toBeNull();
  });
});
