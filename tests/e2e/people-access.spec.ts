// People's access over time: an admin deactivates a teacher who has left; the
// teacher's open browser is signed out on its next navigation, sign-in says the
// account is deactivated, and the admin finds the change in the audit log.
// The teacher is invited by the test itself (the demo teachers are shared).
import { expect, test } from "./fixtures";
import { escapeRegExp, schoolUrl } from "./support";

test("an admin deactivates a teacher: their open session ends and the audit log shows it", async ({ harmonyAdminPage: admin, page: teacher }) => {
  // A long journey (invitation, password, deactivation, sign-in, audit log) on a shared machine.
  test.setTimeout(90_000);
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `leaver-${tag}@harmony.test`;
  // Names are letters only (digits are refused in a name), so the tag is spelled out.
  const nameTag = tag.replace(/\d/g, (d) => "abcdefghij"[Number(d)]!);
  const password = "a-long-teacher-password";

  // The admin invites a teacher; the teacher sets a password from the email and signs in.
  await admin.goto(schoolUrl("harmony", "/admin/people"));
  await admin.getByLabel("First name").fill("Lena");
  await admin.getByLabel("Last name").fill(`Leaver ${nameTag}`);
  await admin.getByLabel("Email").fill(email);
  // The invitation form's role (the search form above the list has a "Role" filter too).
  await admin.getByLabel("Role").and(admin.locator("select:not(#people-role)")).selectOption("TEACHER");
  await admin.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin.getByRole("status")).toContainText(`Invitation sent to ${email}`);
  // The teacher's copy, in the development mailbox (no email service here; the admin's
  // outbox never shows another person's link).
  await admin.goto(schoolUrl("harmony", "/dev/mailbox"));
  const invitation = admin.getByRole("listitem", { name: `Email to ${email}: Your invitation to Harmony Music Academy` });
  const link = (await invitation.getByRole("link", { name: /\/set-password\?token=/ }).getAttribute("href")) ?? "";
  expect(link).toMatch(new RegExp(`^${escapeRegExp(schoolUrl("harmony", "/set-password?token="))}`));
  await teacher.goto(link);
  await teacher.getByLabel("New password").fill(password);
  await teacher.getByLabel("Repeat the password").fill(password);
  await teacher.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(teacher).toHaveURL(schoolUrl("harmony", "/teach"));

  // The admin opens the teacher's page from People and deactivates them.
  await admin.goto(schoolUrl("harmony", "/admin/people"));
  await admin.getByRole("link", { name: `Lena Leaver ${nameTag}` }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Lena Leaver ${nameTag}` })).toBeVisible();
  await expect(admin.getByText("On 1 device")).toBeVisible();
  await admin.getByRole("button", { name: `Deactivate Lena Leaver ${nameTag}` }).click();
  await expect(admin.getByRole("status")).toContainText(`Lena Leaver ${nameTag} is deactivated: signed out everywhere`);
  await expect(admin.getByText("Deactivated", { exact: true })).toBeVisible();
  await expect(admin.getByRole("button", { name: `Reactivate Lena Leaver ${nameTag}` })).toBeVisible();

  // The teacher's open page: the next navigation lands on sign-in.
  await teacher.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My week" }).click();
  await expect(teacher).toHaveURL(/\/login\?redirectTo=%2Fteach%2Fweek$/);
  // The right password is told the account is deactivated (a wrong one is not).
  await teacher.getByLabel("Email").fill(email);
  await teacher.getByLabel("Password").fill(`${password}-wrong`);
  await teacher.getByRole("button", { name: "Sign in" }).click();
  await expect(teacher.getByRole("alert")).toHaveText("That email and password do not match an account at this school.");
  await teacher.getByLabel("Password").fill(password);
  await teacher.getByRole("button", { name: "Sign in" }).click();
  await expect(teacher.getByRole("alert")).toContainText("Your account at Harmony Music Academy has been deactivated.");
  await expect(teacher).toHaveURL(/\/login/);

  // The audit log, from People, shows who did it.
  await admin.goto(schoolUrl("harmony", "/admin/people"));
  await admin.getByRole("link", { name: "Audit log" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const entry = admin.getByRole("row").filter({ hasText: `Lena Leaver ${nameTag}` }).filter({ hasText: "Deactivated" });
  await expect(entry).toContainText("can no longer sign in; 1 session ended");
  await expect(entry.getByRole("link", { name: "Alex Rivera" })).toBeVisible();
  await expect(admin.getByRole("row").filter({ hasText: `Lena Leaver ${nameTag}` }).filter({ hasText: "Invited" })).toContainText(`Invited as teacher (${email})`);
});

test("a teacher cannot open the audit log", async ({ page, signIn }) => {
  await signIn(page, "harmony", "david.chen@harmony.test");
  const response = await page.goto(schoolUrl("harmony", "/admin/audit"));
  expect(response?.status()).toBe(403);
});
