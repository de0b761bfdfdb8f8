// Learning resources, in a school of this spec's own: a teacher shares a backing track
// with one lesson, released two minutes from the school's "now" (a PDF offered as a
// backing track is refused first, in words, and the title stays); before the release
// the family's library does not have it; once the clock passes the release (the e2e
// clock advances with real time), the parent plays it in the page and the teacher sees
// who opened it. The pages are photographed at phone and desktop widths
// (test-results/resources/) and the page never scrolls sideways.
import path from "node:path";
import type { Page } from "@playwright/test";
import { makePdf, makeWav } from "../../prisma/seed/resources";
import { expect, signIn, test } from "./fixtures";
import { DEMO, schoolUrl } from "./support";

const SHOTS = path.join("test-results", "resources");
const SIZES = [
  { name: "390", viewport: { width: 390, height: 844 } },
  { name: "1440", viewport: { width: 1440, height: 900 } },
] as const;

async function screens(page: Page, name: string) {
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size.viewport);
    const overflow = await page.evaluate(() => {
      const main = document.querySelector("main");
      return main ? main.scrollWidth - main.clientWidth : 0;
    });
    expect(overflow, `${name} at ${size.name} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.name}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** "yyyy-MM-ddTHH:mm" plus `minutes`, as a local date and time (plain calendar arithmetic). */
function addMinutes(local: string, minutes: number): { date: string; time: string } {
  const t = new Date(`${local}:00Z`);
  const later = new Date(t.getTime() + minutes * 60_000).toISOString();
  return { date: later.slice(0, 10), time: later.slice(11, 16) };
}

test("a teacher shares a backing track with a lesson; after its release a parent plays it and the teacher sees it opened", async ({ browser, ownSchool }) => {
  test.setTimeout(300_000);
  const title = `Piano Foundation backing track ${Date.now().toString(36)}`;
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await signIn(teacher, ownSchool.slug, DEMO.harmony.teacher);

  await teacher.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: "Resources" })).toBeVisible();
  await screens(teacher, "teacher-list-before");
  await teacher.getByRole("link", { name: "Share a resource" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: "Share a resource" })).toBeVisible();

  // The school's "now" as the form shows it; the release is two minutes on (whole minutes).
  const nowLocal = (await teacher.locator("fieldset time").getAttribute("datetime"))!;
  const release = addMinutes(nowLocal, 2);

  await teacher.getByLabel("Title").fill(title);
  await teacher.getByLabel("Kind").selectOption("BACKING_TRACK");
  await teacher.getByLabel("Lesson").selectOption({ label: "Piano Foundation 1" });
  await teacher.getByLabel("Release on (empty: now)").fill(release.date);
  await teacher.getByLabel("At", { exact: true }).fill(release.time);
  // A PDF is not a backing track: refused in words, and what was typed stays.
  await teacher.getByLabel("File", { exact: true }).setInputFiles({ name: "score.pdf", mimeType: "application/pdf", buffer: Buffer.from(makePdf("Score", ["bars 1-8"])) });
  await teacher.getByRole("button", { name: "Share" }).click();
  await expect(teacher.getByText("This file is a PDF; a backing track must be an audio file (MP3, M4A, WAV or OGG).")).toBeVisible();
  await expect(teacher.getByLabel("Title")).toHaveValue(title);
  await screens(teacher, "teacher-share-refused");

  const track = makeWav([392, 440, 494, 523, 587, 523, 494, 440], 0.5);
  await teacher.getByLabel("Lesson").selectOption({ label: "Piano Foundation 1" });
  await teacher.getByLabel("File", { exact: true }).setInputFiles({ name: "piano-foundation-backing.wav", mimeType: "audio/wav", buffer: Buffer.from(track) });
  await teacher.getByRole("button", { name: "Share" }).click();
  await expect(teacher.getByRole("status")).toContainText("Shared.");
  const item = teacher.getByRole("listitem", { name: title });
  await expect(item.getByText("Scheduled")).toBeVisible();
  await expect(item.getByText("Opened by 0 of 6")).toBeVisible();
  await expect(item.getByText("Lily Smith")).toBeVisible();

  // The parent (Lily is in Piano Foundation 1): not in the library before its release.
  const parentContext = await browser.newContext();
  const parent = await parentContext.newPage();
  await signIn(parent, ownSchool.slug, DEMO.harmony.parent);
  await parent.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
  await expect(parent.getByRole("heading", { level: 1, name: "Resources" })).toBeVisible();
  await expect(parent.getByRole("heading", { level: 2, name: "Lily Smith" })).toBeVisible();
  await expect(parent.getByRole("listitem", { name: title })).toHaveCount(0);

  // The school's clock passes the release: the track is in Lily's library.
  await expect(async () => {
    await parent.reload();
    await expect(parent.getByRole("listitem", { name: title })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 200_000, intervals: [5_000] });
  const lily = parent.getByRole("region", { name: "Lily Smith" });
  const entry = lily.getByRole("listitem", { name: title });
  await expect(entry.getByText("New")).toBeVisible();
  await entry.getByRole("button", { name: "▶ Play" }).click();
  const audio = entry.locator("audio");
  await expect(audio).toBeVisible();
  // The browser fetched the signed address and read the track (its duration: 8 notes of half a second).
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration), { timeout: 15_000 }).toBeCloseTo(4, 1);
  await screens(parent, "family-library");

  // The teacher sees that Lily opened it.
  await teacher.reload();
  const opened = teacher.getByRole("listitem", { name: title });
  await expect(opened.getByText("Available")).toBeVisible();
  await expect(opened.getByText("Opened by 1 of 6")).toBeVisible();
  await expect(opened.getByText(/^Lily Smith — 1×/)).toBeVisible();
  await screens(teacher, "teacher-list-opened");

  // The signed address works for the parent only: another browser is refused.
  const src = (await audio.getAttribute("src"))!;
  const stranger = await browser.newContext();
  const res = await (await stranger.newPage()).goto(schoolUrl(ownSchool.slug, src));
  expect(res?.status()).toBe(403);
  await stranger.close();

  await teacher.goto(schoolUrl(ownSchool.slug, "/teach/resources/new"));
  await screens(teacher, "teacher-share-form");
  await teacherContext.close();
  await parentContext.close();

  // The admin sees every resource of the school, with who shared it.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ownSchool.slug, DEMO.harmony.admin);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
  const shared = admin.getByRole("listitem", { name: title });
  await expect(shared.getByText(/shared by Sarah Johnson/)).toBeVisible();
  await expect(shared.getByText("Opened by 1 of 6")).toBeVisible();
  await screens(admin, "admin-list");
  await adminContext.close();
});
