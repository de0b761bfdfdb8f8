// Security holes of issue 9, each shown through the whole app (Hono + Remix, as a
// browser drives it) and the real database: sign-in limits that slow an attacker
// without locking the owner out, and where sign-in may send someone afterwards.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendarFeed, resolveCalendarFeed } from "../../app/models/calendar-feeds.server";
import { inviteUser } from "../../app/models/people.server";
import { createUserToken, findUsableToken } from "../../app/utils/auth.server";
import { hashPassword } from "../../app/utils/password.server";
import { createApp } from "../../server/app";
import { deliverQueuedEmails } from "../../server/jobs/tasks.server";
import { Mailer } from "../../server/services/email.server";
import { DEMO_PASSWORD } from "../../prisma/seed/demo";
import { Client, OPERATOR, startTestApp, type TestApp } from "../support/app";
import { schoolId, testServices } from "../support/services";

// RATE_LIMIT_SIGNIN=4: four attempts per address and account (until one succeeds),
// forty per address.
const services = testServices({ RATE_LIMIT_SIGNIN: "4" });
let t: TestApp;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let addresses = 0;
/** A client address never used before in this run (each test its own attacker or owner). */
const freshIp = () => `10.${(run.charCodeAt(0) % 200) + 20}.${Math.floor(++addresses / 250)}.${addresses % 250}`;

beforeAll(async () => {
  t = await startTestApp(services);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await services.close();
});

const harmony = (ip = freshIp()) => new Client(t.app, "harmony.localhost:3000", ip);
const platform = (ip = freshIp()) => new Client(t.app, "localhost:3000", ip);

/** One sign-in attempt from `ip`, by a browser with no session yet. */
async function signInStatus(ip: string, email: string, password: string, path = "/login") {
  const client = path.startsWith("/operator") ? platform(ip) : harmony(ip);
  const res = await client.post(path, { email, password, redirectTo: "" });
  await res.arrayBuffer();
  return res.status;
}

describe("sign-in attempt limits", () => {
  // Regression: ten wrong passwords from ten addresses locked the real owner out for 15 minutes.
  it("never refuses the owner's right password from a new address, however many addresses tried wrong ones", async () => {
    const email = "david.chen@harmony.test";
    for (let i = 0; i < 12; i++) expect(await signInStatus(freshIp(), email, `wrong-${i}`)).toBe(400);
    expect(await signInStatus(freshIp(), email, DEMO_PASSWORD)).toBe(302);
  });

  it("slows an attacker down per address and account: after the limit even the right password waits", async () => {
    const attacker = freshIp();
    const email = "maria.garcia@harmony.test";
    for (let i = 0; i < 4; i++) expect(await signInStatus(attacker, email, `guess-${i}`)).toBe(400);
    const res = await harmony(attacker).post("/login", { email, password: DEMO_PASSWORD, redirectTo: "" });
    expect(res.status).toBe(429);
    expect(await res.text()).toMatch(/Too many attempts\. For your security, please wait \d+ minutes? and try again\./);
    // The owner, elsewhere, is not affected.
    expect(await signInStatus(freshIp(), email, DEMO_PASSWORD)).toBe(302);
  });

  it("slows an attacker down per address, across accounts", async () => {
    const attacker = freshIp();
    let refused = 0;
    for (let i = 0; i < 45; i++) {
      const status = await signInStatus(attacker, `nobody-${run}-${i}@harmony.test`, "Summer2026!");
      if (status === 429) refused++;
      else expect(status).toBe(400);
    }
    expect(refused).toBeGreaterThan(0);
    expect(await signInStatus(attacker, "sarah.johnson@harmony.test", DEMO_PASSWORD), "this address is held back for every account").toBe(429);
    expect(await signInStatus(freshIp(), "sarah.johnson@harmony.test", DEMO_PASSWORD)).toBe(302);
  });

  it("lets a busy address (a school office) sign many people in", async () => {
    const office = freshIp();
    for (let i = 0; i < 20; i++) expect(await signInStatus(office, "parent@harmony.test", DEMO_PASSWORD)).toBe(302);
  });

  it("holds the operator's sign-in to the same rules", async () => {
    for (let i = 0; i < 6; i++) expect(await signInStatus(freshIp(), "operator@encore.test", `wrong-${i}`, "/operator/login")).toBe(400);
    expect(await signInStatus(freshIp(), "operator@encore.test", DEMO_PASSWORD, "/operator/login")).toBe(302);
    const attacker = freshIp();
    for (let i = 0; i < 4; i++) expect(await signInStatus(attacker, "operator@encore.test", `guess-${i}`, "/operator/login")).toBe(400);
    expect(await signInStatus(attacker, "operator@encore.test", DEMO_PASSWORD, "/operator/login")).toBe(429);
  });
});

describe("after signing in", () => {
  // Regression: redirectTo=/%09/evil.example (a tab, which browsers drop) led to //evil.example.
  it("goes only to a path of the school's own address", async () => {
    for (const redirectTo of ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
      const res = await harmony().post("/login", { email: "parent@harmony.test", password: DEMO_PASSWORD, redirectTo });
      expect(res.status).toBe(302);
      const location = res.headers.get("location")!;
      expect(new URL(location, "http://harmony.localhost:3000").origin, JSON.stringify(redirectTo)).toBe("http://harmony.localhost:3000");
    }
    const ok = await harmony().post("/login", { email: "parent@harmony.test", password: DEMO_PASSWORD, redirectTo: "/family/schedule?week=2" });
    expect(ok.headers.get("location")).toBe("/family/schedule?week=2");
  });
});

describe("recovering an account", () => {
  it("revokes the calendar addresses and sends the person to make fresh ones", async () => {
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    const { token, feed } = await db.run(async (tx) => {
      const user = await tx.user.create({ data: { email: `recovered-${run}@harmony.test`, firstName: "Rae", lastName: "Covered", role: "PARENT" }, select: { id: true } });
      return { feed: await createCalendarFeed(tx, user.id), token: await createUserToken(tx, user.id, "PASSWORD_RESET") };
    });
    const browser = harmony();
    const res = await browser.post("/set-password", { token, password: "a-brand-new-password", confirm: "a-brand-new-password" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account/calendar?renewed=1");
    expect(await db.run((tx) => resolveCalendarFeed(tx, feed.token))).toBeNull();
    const page = (await (await browser.get("/account/calendar?renewed=1")).text()).replace(/<!-- -->/g, "");
    expect(page).toContain("Your password was reset, so your calendar link was revoked");
    expect(page).toContain("Make a calendar link");
  });
});

// ---- outboxes -------------------------------------------------------------------------

/** A stand-in for Resend's API that keeps what it was sent. */
async function fakeResend() {
  const received: { to: unknown; subject: unknown; text: unknown; html: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      received.push(JSON.parse(raw || "{}"));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `re_${randomUUID()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const tokenIn = (text: string) => /set-password\?token=([a-z0-9]+)/.exec(text)?.[1] ?? null;
const visibleText = (html: string) => html.replace(/<!-- -->/g, "");

describe("outboxes", () => {
  // Regression: admins and the operator could read (and use) other people's
  // invitation and reset links in the outbox, even with Resend delivering them.
  it("keep no usable secret once an email is delivered, and never show one while it waits", async () => {
    const resend = await fakeResend();
    try {
      const mailer = new Mailer({ from: "Encore <tests@encore.test>", resendApiKey: "re_test", resendBaseUrl: resend.url });
      const harmonyId = await schoolId(services, "harmony");
      const db = services.platform.schoolDb(harmonyId);
      const email = `delivered-${run}@example.test`;
      await db.run((tx) => inviteUser(tx, { mailer, origin: "http://harmony.localhost:3000", schoolName: "Harmony Music Academy" }, { email, firstName: "Del", lastName: "Ivered", role: "TEACHER" }));
      const stored = () => db.run((tx) => tx.emailMessage.findFirstOrThrow({ where: { to: email } }));
      expect((await stored()).status).toBe("QUEUED");

      // While it waits, neither the school's admin nor the operator sees a link.
      const admin = await harmony().signIn("admin@harmony.test");
      const adminPage = visibleText(await (await admin.get("/admin/outbox")).text());
      expect(adminPage).toContain(`Email to ${email}`);
      expect(tokenIn(adminPage)).toBeNull();

      await deliverQueuedEmails({ platform: services.platform, mailer }, 25, { schoolIds: [harmonyId] });
      const sent = resend.received.find((m) => m.to === email || (Array.isArray(m.to) && m.to.includes(email)));
      const token = tokenIn(String(sent?.text ?? ""));
      expect(token, "the recipient gets a working link").not.toBeNull();
      expect(String(sent?.html)).toContain(`/set-password?token=${token}`);
      expect(await db.run((tx) => findUsableToken(tx, token!))).not.toBeNull();

      const row = await stored();
      expect(row.status).toBe("SENT");
      expect(JSON.stringify(row), "the stored email").not.toContain(token!);
      expect(visibleText(await (await admin.get("/admin/outbox")).text())).not.toContain(token!);
    } finally {
      await resend.close();
    }
  });

  it("show the school's admin and the operator who was emailed, never another person's link", async () => {
    const email = `invitee-${run}@example.test`;
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    await db.run((tx) => inviteUser(tx, { mailer: services.mailer, origin: "http://harmony.localhost:3000", schoolName: "Harmony Music Academy" }, { email, firstName: "In", lastName: "Vitee", role: "PARENT" }));
    const admin = await harmony().signIn("admin@harmony.test");
    const operator = await platform().signIn(OPERATOR);
    for (const [who, page] of [
      ["admin", visibleText(await (await admin.get("/admin/outbox")).text())],
      ["operator", visibleText(await (await operator.get("/operator/outbox")).text())],
    ] as const) {
      expect(page, who).toContain(`Email to ${email}: Your invitation to Harmony Music Academy`);
      expect(page, who).toContain("private link");
      expect(tokenIn(page), who).toBeNull();
    }
  });

  it("leave links to the development mailbox, which exists only without an email service", async () => {
    const email = `devmail-${run}@example.test`;
    const db = services.platform.schoolDb(await schoolId(services, "harmony"));
    await db.run((tx) => inviteUser(tx, { mailer: services.mailer, origin: "http://harmony.localhost:3000", schoolName: "Harmony Music Academy" }, { email, firstName: "Dev", lastName: "Mail", role: "TEACHER" }));
    const res = await harmony().get("/dev/mailbox");
    expect(res.status).toBe(200);
    const page = visibleText(await res.text());
    expect(page).toContain(`Email to ${email}`);
    const token = tokenIn(page.slice(page.indexOf(`Email to ${email}`)));
    expect(token).not.toBeNull();
    expect(await db.run((tx) => findUsableToken(tx, token!))).not.toBeNull();
    // Not on the platform's own address.
    expect((await platform().get("/dev/mailbox")).status).toBe(404);

    // Switched off (the default in production) or with an email service: no mailbox.
    for (const overrides of [{ DEV_MAILBOX: "off" }, { RESEND_API_KEY: "re_test", RESEND_BASE_URL: "http://127.0.0.1:9" }] as Record<string, string>[]) {
      const other = testServices(overrides);
      try {
        const app = createApp({ services: other, build: t.build });
        const closed = await new Client(app, "harmony.localhost:3000").get("/dev/mailbox");
        expect(closed.status, JSON.stringify(overrides)).toBe(404);
      } finally {
        await other.close();
      }
    }
  });
});

// ---- invitations and enrollment --------------------------------------------------------

interface SchoolUnderTest {
  id: string;
  host: string;
  db: ReturnType<typeof services.platform.schoolDb>;
}

/** A school of its own (the limits count per school), offering individual piano lessons online. */
async function freshSchool(tag: string): Promise<SchoolUnderTest> {
  const slug = `sec-${tag}-${run}`;
  const school = await services.platform.createSchool(null, { name: `Security ${tag}`, slug, email: `office@${slug}.test`, timezone: "America/New_York", currency: "USD" });
  const db = services.platform.schoolDb(school.id);
  await db.run((tx) => tx.instrument.create({ data: { name: "Piano" } }));
  return { id: school.id, host: `${slug}.localhost:3000`, db };
}

let demoHash: Promise<string> | null = null;
let people = 0;

/** A parent account (the holder of a family to be) in `school`, signed in. */
async function signedInParent(school: SchoolUnderTest): Promise<{ client: Client; email: string }> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  const passwordHash = await demoHash;
  const email = `parent-${++people}-${run}@example.test`;
  await school.db.run((tx) => tx.user.create({ data: { email, firstName: "Pat", lastName: `Parent`, role: "PARENT", passwordHash } }));
  const client = new Client(t.app, school.host, freshIp());
  await client.signIn(email);
  return { client, email };
}

async function addGuardian(client: Client, fields: Partial<Record<"firstName" | "lastName" | "email" | "phone", string>>) {
  const res = await client.post("/family/guardians", { firstName: "Sam", lastName: "Lee", phone: "", ...fields });
  return { status: res.status, text: visibleText(await res.text()) };
}

/** The public enrollment form, filled in as a family would. */
function enrollment(guardianEmail: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "submit",
    key: `key-${randomUUID()}`,
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
    ...extra,
  };
}

async function enroll(school: SchoolUnderTest, fields: Record<string, string>, ip = freshIp()) {
  const res = await new Client(t.app, school.host, ip).post("/enroll", fields);
  return { status: res.status, text: visibleText(await res.text()) };
}

const emailsTo = (school: SchoolUnderTest, to: string) => school.db.run((tx) => tx.emailMessage.findMany({ where: { to }, orderBy: { createdAt: "asc" }, select: { subject: true, text: true } }));

describe("invitation spam", () => {
  // Regression: any parent could have the school email unlimited invitations to any address.
  it("limits the invitations one account can have the school send", async () => {
    const school = await freshSchool("acct");
    const { client } = await signedInParent(school);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await addGuardian(client, { email: `guardian-${i}-${run}@example.test` }));
    expect(sent.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(sent[2]!.text).toMatch(/Too many attempts\. For your security, please wait \d+ minutes? and try again\./);
    expect(await emailsTo(school, `guardian-2-${run}@example.test`)).toEqual([]);
  });

  it("limits the emails one address receives, whoever asks", async () => {
    const school = await freshSchool("rcpt");
    const victim = `victim-${run}@example.test`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await addGuardian((await signedInParent(school)).client, { email: victim })).status);
    // The first invites; the second is told the address has an account; the third is held back.
    expect(statuses).toEqual([200, 409, 429]);
    const viaForm = await enroll(school, enrollment(`someone-${run}@example.test`, { "guardian2.firstName": "Vic", "guardian2.lastName": "Tim", "guardian2.email": victim }));
    expect(viaForm.status).toBe(429);
    expect(await emailsTo(school, victim)).toHaveLength(1);
  });

  it("limits the invitations a school's families can send in an hour", async () => {
    const school = await freshSchool("school");
    const statuses: number[] = [];
    for (let p = 0; p < 11; p++) {
      const { client } = await signedInParent(school);
      for (let i = 0; i < 2; i++) statuses.push((await addGuardian(client, { email: `g-${p}-${i}-${run}@example.test` })).status);
    }
    // RATE_LIMIT_SIGNIN=4: twenty an hour.
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("limits the enrollment forms a school accepts in an hour, from any number of addresses", async () => {
    const school = await freshSchool("enroll");
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await enroll(school, enrollment(`family-${i}-${run}@example.test`))).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("refuses a name that is not a name, and sends nothing", async () => {
    const school = await freshSchool("names");
    const { client } = await signedInParent(school);
    const phishing = await addGuardian(client, { firstName: "Your account is locked: verify at https://evil.example", email: `named-${run}@example.test` });
    expect(phishing.status).toBe(400);
    expect(phishing.text).toContain("Enter a first name using letters");
    expect(phishing.text).toContain("Your account is locked: verify at https://evil.example");
    const viaForm = await enroll(school, enrollment(`named-form-${run}@example.test`, { "guardian.lastName": "www.evil.example" }));
    expect(viaForm.status).toBe(400);
    expect(await emailsTo(school, `named-${run}@example.test`)).toEqual([]);
    expect(await emailsTo(school, `named-form-${run}@example.test`)).toEqual([]);
  });
});

describe("account discovery", () => {
  /** The answer as a visitor reads it (the page's main part), with the address typed taken out. */
  const answer = (text: string, email: string) =>
    text
      .slice(text.indexOf("<main"), text.indexOf("</main>"))
      .replaceAll(email, "EMAIL")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");

  // Regression: the form said "There is already an account for this email" for any address.
  it("answers the enrollment form the same way for an address with an account, and emails its holder instead", async () => {
    const school = await freshSchool("disc");
    const existing = (await signedInParent(school)).email;
    const fresh = `new-family-${run}@example.test`;
    const before = await school.db.run((tx) => tx.user.count());

    const forExisting = await enroll(school, enrollment(existing));
    const forNew = await enroll(school, enrollment(fresh));
    expect(forExisting.status).toBe(forNew.status);
    expect(forExisting.status).toBe(200);
    expect(answer(forExisting.text, existing)).toBe(answer(forNew.text, fresh));
    expect(forExisting.text).not.toMatch(/already/i);

    // The holder of the existing account is told, with where to sign in; nothing was created for it.
    const told = await emailsTo(school, existing);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toMatch(/enrollment form/i);
    expect(told[0]!.text).toContain(`http://${school.host}/login`);
    expect(told[0]!.text).not.toMatch(/set-password/);
    const created = (await school.db.run((tx) => tx.user.count())) - before;
    expect(created, "a new family's accounts only (the parent and the child)").toBe(2);
  });

  it("answers the same way when the second contact has an account, which is not touched", async () => {
    const school = await freshSchool("disc2");
    const existing = (await signedInParent(school)).email;
    const other = `other-${run}@example.test`;
    const withExisting = await enroll(school, enrollment(`first-${run}@example.test`, { "guardian2.firstName": "Sam", "guardian2.lastName": "Lee", "guardian2.email": existing }));
    const withNew = await enroll(school, enrollment(`second-${run}@example.test`, { "guardian2.firstName": "Sam", "guardian2.lastName": "Lee", "guardian2.email": other }));
    expect(withExisting.status).toBe(200);
    expect(withNew.status).toBe(200);
    expect(answer(withExisting.text, `first-${run}@example.test`)).toBe(answer(withNew.text, `second-${run}@example.test`));
    const holder = await school.db.run((tx) => tx.user.findFirstOrThrow({ where: { email: existing }, select: { familyGroupId: true } }));
    expect(holder.familyGroupId, "the existing account stays where it was").toBeNull();
    expect(await emailsTo(school, existing)).toHaveLength(1);
  });
});
