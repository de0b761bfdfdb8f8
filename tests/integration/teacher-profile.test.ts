// A teacher's public profile against the real database and the real (local) storage:
// saved from the multipart form with a photo, shown on the public page only with the
// teacher's agreement, and a wrong photo or instrument refused with nothing saved.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { landingPage } from "../../app/models/landing.server";
import { submitTeacherProfile } from "../../app/models/teacher-profile.server";
import type { SchoolDb } from "../../server/db/school-db.server";
import { testServices } from "../support/services";
import { formatterFor } from "../../app/utils/format";

const services = testServices();
let db: SchoolDb;
let schoolId: string;
let teacherId: string;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const GIF = new TextEncoder().encode("GIF89a........");

function profileRequest(fields: Record<string, string | string[]>, photo?: { bytes: Uint8Array<ArrayBuffer>; type: string; name: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
  if (photo) form.set("photo", new File([photo.bytes], photo.name, { type: photo.type }));
  return new Request("http://profile.localhost:3000/teach/profile", { method: "POST", body: form });
}

const submit = (request: Request) => submitTeacherProfile(request, { db, storage: services.storage, schoolId }, teacherId);
const shown = async () => (await db.run((tx) => landingPage(tx, { schoolId, fmt: formatterFor({ locale: "en-GB", timezone: "Europe/London", currency: "GBP" }), now: new Date("2031-01-01T12:00:00Z") }))).teachers;

beforeAll(async () => {
  const slug = `profile-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Profile School", slug, email: `office@${slug}.test`, timezone: "Europe/London", currency: "GBP" });
  schoolId = school.id;
  db = services.platform.schoolDb(school.id);
  teacherId = await db.run(async (tx) => {
    await tx.instrument.createMany({ data: [{ name: "Cello" }, { name: "Piano" }] });
    await tx.school.update({ where: { id: school.id }, data: { landingShowTeachers: true } });
    return (await tx.user.create({ data: { email: `tess@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash: "x" }, select: { id: true } })).id;
  });
});

afterAll(() => services.close());

describe("a teacher's public profile", () => {
  it("is not shown on the public page until the teacher agrees; then shows photo, bio and instruments", async () => {
    expect(await shown()).toEqual([]);
    const saved = await submit(profileRequest({ bio: "Cellist, patient with beginners.", instruments: ["Cello", "Piano"] }, { bytes: PNG, type: "image/png", name: "me.png" }));
    expect(saved).toMatchObject({ status: 200, result: { ok: true, message: "Saved. The profile is not shown on the school's public page." } });
    expect(await shown()).toEqual([]);

    const agreed = await submit(profileRequest({ bio: "Cellist, patient with beginners.", instruments: ["Cello", "Piano"], showOnLanding: "on" }));
    expect(agreed.result.ok).toBe(true);
    const [teacher] = await shown();
    expect(teacher).toMatchObject({ firstName: "Tess", bio: "Cellist, patient with beginners.", instruments: "Cello, Piano" });
    // The photo stored with the first save is kept by a save without a file, and can be fetched.
    expect(teacher!.photoUrl).toMatch(new RegExp(`/uploads/${schoolId}/teacher-${teacherId}-[0-9a-f]{16}\\.png$`));
    const key = teacher!.photoUrl!.replace(/^.*\/uploads\//, "");
    expect((await services.storage.read(key))?.contentType).toBe("image/png");
  });

  it("refuses a photo that is not a PNG, JPEG or WebP and an instrument the school does not teach, saving nothing", async () => {
    const before = await db.run((tx) => tx.user.findUniqueOrThrow({ where: { id: teacherId }, select: { bio: true, photoUrl: true, teachingInstruments: true } }));
    const gif = await submit(profileRequest({ bio: "Changed", showOnLanding: "on" }, { bytes: GIF, type: "image/png", name: "me.png" }));
    expect(gif.status).toBe(400);
    expect(gif.result.errors.photo).toMatch(/PNG, JPEG or WebP/);
    expect(gif.result.values).toMatchObject({ bio: "Changed" });
    const tuba = await submit(profileRequest({ bio: "Changed", instruments: "Tuba" }));
    expect(tuba).toMatchObject({ status: 400, result: { errors: { instruments: "Choose instruments from the list." } } });
    const long = await submit(profileRequest({ bio: "x".repeat(801) }));
    expect(long.result.errors.bio).toBe("Keep the bio under 800 characters.");
    expect(await db.run((tx) => tx.user.findUniqueOrThrow({ where: { id: teacherId }, select: { bio: true, photoUrl: true, teachingInstruments: true } }))).toEqual(before);
  });
});
