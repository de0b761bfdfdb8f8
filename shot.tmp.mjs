import { chromium } from "@playwright/test";
const base = (p) => `http://harmony.localhost:3400${p}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await ctx.newPage();
await page.goto(base("/login"));
await page.getByLabel("Email").fill("admin@harmony.test");
await page.getByLabel("Password").fill("encore-demo");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/\/admin/);
const [,, ...steps] = process.argv;
for (const spec of steps) {
  const [path, name, width] = spec.split(",");
  await page.setViewportSize({ width: Number(width ?? 1440), height: 900 });
  await page.goto(base(path));
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  console.log(name, "overflow", overflow);
}
if (process.env.SUBMIT) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(base("/admin/students/new"));
  await page.getByRole("button", { name: "Add student" }).click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shots/new-errors.png`, fullPage: true });
  await page.getByLabel("First name").first().fill("Robin");
  await page.getByLabel("Last name").first().fill("Okafor");
  await page.getByLabel("Email").first().fill(`robin${Date.now()}@example.test`);
  await page.locator('input[name="children.0.firstName"]').fill("Ife");
  await page.locator('input[name="children.0.dateOfBirth"]').fill("2016-02-03");
  await page.getByRole("button", { name: "+ Add another child" }).click();
  await page.locator('input[name="children.1.firstName"]').fill("Tunde");
  await page.locator('input[name="children.1.dateOfBirth"]').fill("2018-02-03");
  const sel = page.locator('select[name="children.0.program"]');
  const opts = await sel.locator("option").allTextContents();
  await sel.selectOption({ index: 1 });
  for (const i of [0, 1]) await page.locator(`input[name="children.${i}.parentalConsent"]`).check();
  await page.getByRole("button", { name: "Add 2 students" }).click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `/tmp/shots/new-done.png`, fullPage: true });
  console.log(opts.slice(0, 4));
}
await browser.close();
