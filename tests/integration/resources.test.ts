// Learning resources against the real database (RLS on) and the whole app: who may
// open what and when (audience, release, expiry), the signed file addresses (expired,
// another viewer, another host, no session), ranges, exact access counts under 50
// concurrent opens, the teacher's "who opened it", the family library, and release
// announcements sent once and only to those who want them. A school of its own; the
// school's clock starts at a fixed instant (CLOCK_START), and the models get `now`.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePdf, makeWav } from "../../prisma/seed/resources";
import { announceReleases, familyLibrary, fileForViewer, openResource, ResourceError, staffResources, viewerFor } from "../../app/models/resources.server";
import { hashPassword } from "../../app/utils/password.server";
import type { Tx } from "../../server/db/school-db.server";
import { brandFor } from "../../tenants/branding";
import { Client, startTestApp, type TestApp } from "../support/app";
import { loadContextFor, testServices } from "../support/services";

const NOW = new Date("2026-12-02T17:00:00Z"); // Wed 2 Dec, 12:00 in New York
const DAY = 86_400_000;
const ZONE = "America/New_York";
const PASSWORD = "resources-test-pass";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "encore-resources-"));
const services = testServices({ DATA_DIR: dataDir, CLOCK_START: NOW.toISOString() });
let app: TestApp;
let schoolId: string;
let slug: string;
const run = <T>(work: (tx: Tx) => Promise<T>) => services.platform.schoolDb(schoolId).run(work);

const WAV = makeWav([440, 494, 523, 0], 0.25);
const PDF = makePdf("Scales", ["C major, two octaves."]);

interface Fixture {
  teacherId: string;
  otherTeacherId: string;
  parentIn: { userId: string; email: string; studentId: string };
  parentOut: { userId: string; email: string; studentId: string };
  res: { released: string; scheduled: string; expired: string; privateToOut: string; link: string };
}
let f: Fixture;

beforeAll(async () => {
  slug = `res-${randomUUID().slice(0, 8)}`;
  const school = await services.platform.createSchool(null, { name: "Resource Test School", slug, email: `office@${slug}.test`, timezone: ZONE, currency: "USD" });
  schoolId = school.id;
  const passwordHash = await hashPassword(PASSWORD);
  const wavKey = (await services.storage.putPrivate(`${schoolId}/track`, WAV, "audio/wav")).key;
  const pdfKey = (await services.storage.putPrivate(`${schoolId}/scales`, PDF, "application/pdf")).key;
  f = await run(async (tx) => {
    const location = await tx.location.create({ data: { name: "Main" }, select: { id: true } });
    const room = await tx.room.create({ data: { name: "Room A", locationId: location.id }, select: { id: true } });
    const teacher = await tx.user.create({ data: { email: `teacher@${slug}.test`, firstName: "Tess", lastName: "Teacher", role: "TEACHER", passwordHash }, select: { id: true } });
    const other = await tx.user.create({ data: { email: `other@${slug}.test`, firstName: "Otto", lastName: "Other", role: "TEACHER" }, select: { id: true } });
    async function lesson(title: string, instructorId: string, hour: number) {
      const start = new Date(Date.UTC(2026, 11, 7, hour));
      return tx.lesson.create({
        data: { title, type: "GROUP", instrument: "Piano", instructorId, locationId: location.id, roomId: room.id, startTime: start, endTime: new Date(start.getTime() + 3_600_000), duration: 60, recurrence: "ONCE", maxStudents: 6 },
        select: { id: true },
      });
    }
    const piano = await lesson("Piano Group", teacher.id, 20);
    const violin = await lesson("Violin Group", other.id, 22);
    async function family(name: string, lessonId: string) {
      const email = `parent-${name}@${slug}.test`;
      const parent = await tx.user.create({ data: { email, firstName: `Parent`, lastName: name, role: "PARENT", passwordHash }, select: { id: true } });
      const group = await tx.familyGroup.create({ data: { name: `${name} family`, adminId: parent.id }, select: { id: true } });
      await tx.user.update({ where: { id: parent.id }, data: { familyGroupId: group.id } });
      const kid = await tx.user.create({ data: { email: `${name}@students.${slug}.invalid`, firstName: `Kid`, lastName: name, role: "STUDENT", familyGroupId: group.id }, select: { id: true } });
      const student = await tx.student.create({ data: { userId: kid.id, instrument: "Piano" }, select: { id: true } });
      await tx.enrollment.create({ data: { lessonId, studentId: student.id, status: "ACTIVE" } });
      return { userId: parent.id, email, studentId: student.id };
    }
    const parentIn = await family("in", piano.id);
    const parentOut = await family("out", violin.id);
    const file = (key: string, mime: string, size: number, name: string) => ({ fileKey: key, fileMimeType: mime, fileSize: size, fileName: name });
    const base = { type: "BACKING_TRACK" as const, visibility: "LESSON_GROUP" as const, lessonId: piano.id, uploadedById: teacher.id };
    const released = await tx.resource.create({ data: { ...base, title: "Released track", releasedAt: new Date(NOW.getTime() - DAY), ...file(wavKey, "audio/wav", WAV.byteLength, "track.wav") } });
    const scheduled = await tx.resource.create({ data: { ...base, title: "Next week's track", releasedAt: new Date(NOW.getTime() + 5 * DAY), ...file(wavKey, "audio/wav", WAV.byteLength, "track.wav") } });
    const expired = await tx.resource.create({
      data: { ...base, title: "Old track", releasedAt: new Date(NOW.getTime() - 30 * DAY), expiresAt: new Date(NOW.getTime() - DAY), ...file(wavKey, "audio/wav", WAV.byteLength, "track.wav") },
    });
    const privateToOut = await tx.resource.create({
      data: { title: "Notes for Kid out", type: "LESSON_NOTE", visibility: "PRIVATE", uploadedById: other.id, releasedAt: new Date(NOW.getTime() - 2 * DAY), audience: { create: [{ studentId: parentOut.studentId }] }, ...file(pdfKey, "application/pdf", PDF.byteLength, "notes.pdf") },
    });
    const link = await tx.resource.create({ data: { title: "A video", type: "EXAMPLE_RECORDING", visibility: "PUBLIC_SCHOOL", uploadedById: teacher.id, releasedAt: new Date(NOW.getTime() - 3 * DAY), linkUrl: "https://video.example.org/watch?v=1" } });
    return {
      teacherId: teacher.id,
      otherTeacherId: other.id,
      parentIn,
      parentOut,
      res: { released: released.id, scheduled: scheduled.id, expired: expired.id, privateToOut: privateToOut.id, link: link.id },
    };
  });
  app = await startTestApp(services);
});

afterAll(async () => {
  await app?.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function refusal(work: Promise<unknown>): Promise<ResourceError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ResourceError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const asUser = (userId: string, role: string) => run(async (tx) => viewerFor(tx, { id: userId, role }));

describe("who may open what, and when", () => {
  it("refuses a family outside the audience as if the resource did not exist", async () => {
    const out = await asUser(f.parentOut.userId, "PARENT");
    const error = await refusal(run((tx) => openResource(tx, out, f.res.released, null, NOW)));
    expect(error.status).toBe(404);
    expect(await run((tx) => fileForViewer(tx, out, f.res.released, NOW))).toBeNull();
    // …and the other way round: a private resource for someone else's child.
    const inFamily = await asUser(f.parentIn.userId, "PARENT");
    expect((await refusal(run((tx) => openResource(tx, inFamily, f.res.privateToOut, null, NOW)))).status).toBe(404);
  });

  it("refuses a resource before its release and after its expiry, file included", async () => {
    const inFamily = await asUser(f.parentIn.userId, "PARENT");
    const early = await refusal(run((tx) => openResource(tx, inFamily, f.res.scheduled, null, NOW)));
    expect([early.status, early.message]).toEqual([403, "This resource is not available yet."]);
    const late = await refusal(run((tx) => openResource(tx, inFamily, f.res.expired, null, NOW)));
    expect([late.status, late.message]).toEqual([403, "This resource is no longer available."]);
    expect(await run((tx) => fileForViewer(tx, inFamily, f.res.scheduled, NOW))).toEqual({ refused: "This resource is not available yet.", status: 403 });
    expect(await run((tx) => fileForViewer(tx, inFamily, f.res.expired, NOW))).toEqual({ refused: "This resource is no longer available.", status: 403 });
    // Once its release comes, the scheduled one opens.
    const later = new Date(NOW.getTime() + 6 * DAY);
    await expect(run((tx) => openResource(tx, inFamily, f.res.scheduled, null, later))).resolves.toMatchObject({ kind: "file" });
  });

  it("lets the sharing teacher in at any time, but not a teacher of another lesson", async () => {
    const teacher = await asUser(f.teacherId, "TEACHER");
    await expect(run((tx) => openResource(tx, teacher, f.res.scheduled, null, NOW))).resolves.toMatchObject({ kind: "file" });
    const other = await asUser(f.otherTeacherId, "TEACHER");
    expect((await refusal(run((tx) => openResource(tx, other, f.res.released, null, NOW)))).status).toBe(404);
  });

  it("shows each child's library: open now, in the audience, newest first", async () => {
    const inFamily = await asUser(f.parentIn.userId, "PARENT");
    const [child] = await run((tx) => familyLibrary(tx, inFamily, NOW));
    expect(child!.items.map((i) => i.title)).toEqual(["Released track", "A video"]);
    const out = await asUser(f.parentOut.userId, "PARENT");
    const [outChild] = await run((tx) => familyLibrary(tx, out, NOW));
    expect(outChild!.items.map((i) => i.title)).toEqual(["Notes for Kid out", "A video"]);
  });
});

describe("access counts", () => {
  it("counts 50 concurrent opens exactly, with the first and last time", async () => {
    const viewer = await asUser(f.parentOut.userId, "PARENT");
    const times = Array.from({ length: 50 }, (_, i) => new Date(NOW.getTime() + i * 1000));
    await Promise.all(times.map((at) => run((tx) => openResource(tx, viewer, f.res.link, f.parentOut.studentId, at))));
    const row = await run((tx) => tx.resourceAccess.findUniqueOrThrow({ where: { schoolId_resourceId_studentId: { schoolId, resourceId: f.res.link, studentId: f.parentOut.studentId } } }));
    expect(row.accessCount).toBe(50);
    expect(row.firstAccessedAt).toEqual(times[0]);
    expect(row.lastAccessedAt).toEqual(times[49]);
  });

  it("shows the teacher who opened it and who has not", async () => {
    const parentIn = await asUser(f.parentIn.userId, "PARENT");
    await run((tx) => openResource(tx, parentIn, f.res.released, null, NOW));
    const teacher = await asUser(f.teacherId, "TEACHER");
    const rows = await run((tx) => staffResources(tx, teacher, NOW));
    expect(rows.map((r) => r.title)).toEqual(["Next week's track", "Released track", "A video", "Old track"]);
    const released = rows.find((r) => r.id === f.res.released)!;
    expect(released.audience).toEqual([{ studentId: f.parentIn.studentId, name: "Kid in", openedCount: 1, firstAt: NOW.toISOString(), lastAt: NOW.toISOString() }]);
    const video = rows.find((r) => r.id === f.res.link)!;
    expect(video.audience.map((a) => [a.name, a.openedCount])).toEqual([
      ["Kid out", 50],
      ["Kid in", 0],
    ]);
    expect(video.openedCount).toBe(1);
  });
});

describe("the signed file route", () => {
  const client = () => new Client(app.app, `${slug}.localhost:3000`);

  async function signedPathFor(parent: Client, resourceId: string) {
    const res = await parent.post("/family/resources", { intent: "open", resourceId, mode: "tab" });
    expect(res.status).toBe(302);
    return res.headers.get("location")!;
  }

  it("serves the file to the signed-in viewer it was signed for, inline, with ranges", async () => {
    const parent = await client().signIn(f.parentIn.email, PASSWORD);
    const url = await signedPathFor(parent, f.res.released);
    expect(url).toMatch(new RegExp(`^/files/resources/${f.res.released}\\?exp=\\d+&sig=[\\w-]{43}$`));
    const whole = await parent.get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("audio/wav");
    expect(whole.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(WAV);
    const part = await parent.fetch(url, { headers: { range: "bytes=4-11" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-11/${WAV.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(WAV.subarray(4, 12));
    expect((await parent.fetch(url, { headers: { range: `bytes=${WAV.byteLength}-` } })).status).toBe(416);
  });

  it("opens any of the teacher's own files from their list, a scheduled one included", async () => {
    const teacher = await client().signIn(`teacher@${slug}.test`, PASSWORD);
    const res = await teacher.post("/teach/resources?index", { intent: "open", resourceId: f.res.scheduled });
    expect(res.status).toBe(302);
    const file = await teacher.get(res.headers.get("location")!);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(WAV);
    // Another teacher's lesson resource: not found for them.
    expect((await teacher.post("/teach/resources?index", { intent: "open", resourceId: f.res.privateToOut })).status).toBe(404);
  });

  it("refuses the address without a session, for another viewer, altered, or expired", async () => {
    const parent = await client().signIn(f.parentIn.email, PASSWORD);
    const url = await signedPathFor(parent, f.res.released);
    expect((await client().get(url)).status).toBe(403);
    const other = await client().signIn(f.parentOut.email, PASSWORD);
    expect((await other.get(url)).status).toBe(403);
    expect((await parent.get(url.replace(/sig=./, "sig=A"))).status).toBe(403);
    expect((await parent.get(url.replace(/exp=(\d+)/, (_, e) => `exp=${Number(e) + 3600}`))).status).toBe(403);
    // An address signed eleven minutes ago (the real clock signs; they last ten minutes).
    const old = services.fileSigner.sign({ schoolId, resourceId: f.res.released, viewerId: f.parentIn.userId }, new Date(Date.now() - 11 * 60_000));
    const expired = await parent.get(`/files/resources/${f.res.released}?exp=${old.exp}&sig=${old.sig}`);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
  });

  it("refuses a valid address once the resource has expired or for a resource not released", async () => {
    const parent = await client().signIn(f.parentIn.email, PASSWORD);
    for (const id of [f.res.expired, f.res.scheduled]) {
      const { exp, sig } = services.fileSigner.sign({ schoolId, resourceId: id, viewerId: f.parentIn.userId });
      expect((await parent.get(`/files/resources/${id}?exp=${exp}&sig=${sig}`)).status).toBe(403);
    }
  });

  it("never accepts the address on another host, and never serves the file publicly", async () => {
    const parent = await client().signIn(f.parentIn.email, PASSWORD);
    const url = await signedPathFor(parent, f.res.released);
    const params = new URL(url, "http://x").searchParams;
    // Another school's host checks with its own school: the signature does not match.
    const harmony = (await services.platform.findSchool({ slug: "harmony" }))!;
    const elsewhere = loadContextFor(services, { kind: "school", school: harmony, brand: brandFor(harmony.brandColor) });
    expect(elsewhere.files!.check(f.res.released, f.parentIn.userId, params.get("exp"), params.get("sig"))).toBe("bad");
    expect((await new Client(app.app, "harmony.localhost:3000").get(url)).status).toBe(403);
    expect((await new Client(app.app, "localhost:3000").get(url)).status).toBe(404);
    // The stored file is outside the public /uploads folder.
    const key = await run((tx) => tx.resource.findUniqueOrThrow({ where: { id: f.res.released }, select: { fileKey: true } }));
    expect((await parent.get(`/uploads/${key.fileKey}`)).status).toBe(404);
  });
});

describe("release announcements", () => {
  it("emails the audience once, honouring the choice, and announces a scheduled resource at its release", async () => {
    const school = { name: "Resource Test School", timezone: ZONE, locale: "en-US", currency: "USD" };
    await run((tx) => tx.user.update({ where: { id: f.parentOut.userId }, data: { resourceEmails: false } }));
    const first = await run((tx) => announceReleases(tx, services.mailer, { now: NOW, origin: "http://x", school }));
    // Released, expired and private ones are claimed; the scheduled one waits.
    expect(first.resources).toBe(4);
    const sent = await run((tx) => tx.emailMessage.findMany({ where: { subject: { startsWith: "New " } }, select: { to: true, subject: true } }));
    expect(sent.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { to: f.parentIn.email, subject: "New backing track: Released track" },
      { to: f.parentIn.email, subject: "New example recording: A video" },
    ]);
    expect((await run((tx) => announceReleases(tx, services.mailer, { now: NOW, origin: "http://x", school }))).resources).toBe(0);
    const atRelease = await run((tx) => announceReleases(tx, services.mailer, { now: new Date(NOW.getTime() + 5 * DAY), origin: "http://x", school }));
    expect(atRelease).toEqual({ resources: 1, emails: 1 });
  });
});
