// Learning resources: sharing (a stored file or a link), editing, the teacher's and
// admin's lists with who opened what, the family library per child, opening (which
// records the access), and the release announcements. The rules are in
// app/domain/resources.ts; files live in the storage's private namespace and are
// fetched only through the signed file route (app/routes/files.resources.$resourceId.ts).
import { randomBytes } from "node:crypto";
import { Prisma } from "../../prisma/generated/client";
import type { Tx } from "../../server/db/school-db.server";
import type { Mailer } from "../../server/services/email.server";
import { isStorageError, type Storage } from "../../server/services/storage.server";
import {
  checkResourceFile,
  decideAccess,
  fileKindOf,
  isInAudience,
  mayManage,
  refusalMessage,
  resolveAudience,
  TYPE_LABELS,
  windowState,
  type FileKind,
  type FileMime,
  type ResourceRules,
  type ResourceType,
  type StudentInLessons,
  type Viewer,
  type Visibility,
  type WindowState,
} from "../domain/resources";
import { formatterFor } from "../utils/format";
import { studentsOfAccount } from "./family-access.server";
import { familyAddresses } from "./notify.server";
import { sqlTimestamp } from "./sql.server";

/** A refusal to show the person: a 4xx status and a sentence. */
export class ResourceError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ResourceError";
  }
}

export function isResourceError(error: unknown): error is ResourceError {
  return error instanceof Error && error.name === "ResourceError" && typeof (error as ResourceError).status === "number";
}

// ---- who is looking ---------------------------------------------------------------------

/** The signed-in person as the rules see them. */
export async function viewerFor(tx: Tx, user: { id: string; role: string }): Promise<Viewer> {
  if (user.role === "ADMIN") return { role: "ADMIN", userId: user.id };
  if (user.role === "TEACHER") {
    const lessons = await tx.lesson.findMany({ where: { instructorId: user.id }, select: { id: true } });
    return { role: "TEACHER", userId: user.id, lessonIds: lessons.map((l) => l.id) };
  }
  const ids = await studentsOfAccount(tx, user.id);
  return { role: "FAMILY", userId: user.id, students: await studentsInLessons(tx, ids) };
}

async function studentsInLessons(tx: Tx, studentIds: string[] | null): Promise<StudentInLessons[]> {
  const students = await tx.student.findMany({
    where: studentIds ? { id: { in: studentIds } } : { user: { deactivatedAt: null } },
    select: { id: true, enrollments: { where: { status: "ACTIVE" }, select: { lessonId: true } } },
  });
  const order = studentIds ? new Map(studentIds.map((id, i) => [id, i])) : null;
  if (order) students.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return students.map((s) => ({ id: s.id, lessonIds: s.enrollments.map((e) => e.lessonId) }));
}

const RULES_SELECT = {
  id: true,
  visibility: true,
  lessonId: true,
  uploadedById: true,
  releasedAt: true,
  expiresAt: true,
  audience: { select: { studentId: true } },
} satisfies Prisma.ResourceSelect;

function rulesOf(r: Prisma.ResourceGetPayload<{ select: typeof RULES_SELECT }>): ResourceRules {
  return { ...r, visibility: r.visibility as Visibility, audienceStudentIds: r.audience.map((a) => a.studentId) };
}

// ---- sharing ------------------------------------------------------------------------------

export interface StoredFile {
  key: string;
  name: string;
  size: number;
  mime: FileMime;
}

/**
 * Checks an uploaded file against the type's rules (sniffed bytes, size) and stores it
 * in the private namespace. Throws ResourceError (400/413/502) with the reason.
 */
export async function storeResourceFile(storage: Storage, schoolId: string, type: ResourceType, file: File): Promise<StoredFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const check = checkResourceFile(type, bytes);
  if (!check.ok) throw new ResourceError(check.message, check.reason === "too-large" ? 413 : 400, "file");
  try {
    const { key } = await storage.putPrivate(`${schoolId}/resource-${randomBytes(12).toString("hex")}`, bytes, check.mime);
    const name = (file.name || `file.${check.ext}`).replace(/[^\p{L}\p{N} ._()-]/gu, "_").slice(0, 120);
    return { key, name, size: bytes.byteLength, mime: check.mime };
  } catch (error) {
    if (isStorageError(error)) throw new ResourceError(error.message, error.reason === "upload-failed" ? 502 : 400, "file");
    throw error;
  }
}

export interface ResourceInput {
  title: string;
  description: string | null;
  type: ResourceType;
  visibility: Visibility;
  lessonId: string | null;
  /** The chosen students (PRIVATE). */
  studentIds: string[];
  /** null: released now. */
  releasedAt: Date | null;
  expiresAt: Date | null;
}

/** The lessons and students a staff member may share with: an admin's are the school's; a teacher's, their own lessons and those lessons' students. */
export async function shareOptions(tx: Tx, viewer: Viewer) {
  if (viewer.role === "FAMILY") throw new ResourceError("Only teachers and admins share resources.", 403);
  const lessons = await tx.lesson.findMany({
    where: { status: { not: "CANCELLED" }, ...(viewer.role === "TEACHER" ? { instructorId: viewer.userId } : {}) },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    select: { id: true, title: true, enrollments: { where: { status: "ACTIVE" }, select: { studentId: true } } },
  });
  const studentIds = viewer.role === "ADMIN" ? null : [...new Set(lessons.flatMap((l) => l.enrollments.map((e) => e.studentId)))];
  const students = await tx.student.findMany({
    where: { ...(studentIds ? { id: { in: studentIds } } : {}), user: { deactivatedAt: null } },
    orderBy: [{ user: { firstName: "asc" } }, { user: { lastName: "asc" } }, { id: "asc" }],
    select: { id: true, user: { select: { firstName: true, lastName: true } } },
  });
  return {
    lessons: lessons.map((l) => ({ id: l.id, title: l.title })),
    students: students.map((s) => ({ id: s.id, name: `${s.user.firstName} ${s.user.lastName}` })),
  };
}

async function checkAudience(tx: Tx, viewer: Viewer, input: ResourceInput): Promise<void> {
  const options = await shareOptions(tx, viewer);
  if (input.lessonId && !options.lessons.some((l) => l.id === input.lessonId)) {
    throw new ResourceError(viewer.role === "TEACHER" ? "Choose one of your own lessons." : "Choose a lesson from the list.", 400, "lessonId");
  }
  if (input.visibility === "LESSON_GROUP" && !input.lessonId) throw new ResourceError("Choose the lesson whose students get it.", 400, "lessonId");
  if (input.visibility === "PRIVATE") {
    const allowed = new Set(options.students.map((s) => s.id));
    if (input.studentIds.some((id) => !allowed.has(id))) {
      throw new ResourceError(viewer.role === "TEACHER" ? "Choose students of your own lessons." : "Choose students from the list.", 400, "studentIds");
    }
  }
}

/** Shares a resource: a stored file (already checked and stored) or a link. */
export async function createResource(tx: Tx, viewer: Viewer, input: ResourceInput, content: { file: StoredFile } | { linkUrl: string }, now: Date): Promise<{ id: string }> {
  await checkAudience(tx, viewer, input);
  const file = "file" in content ? content.file : null;
  const created = await tx.resource.create({
    data: {
      title: input.title,
      description: input.description,
      type: input.type,
      visibility: input.visibility,
      lessonId: input.lessonId,
      uploadedById: viewer.userId,
      linkUrl: "linkUrl" in content ? content.linkUrl : null,
      fileKey: file?.key ?? null,
      fileName: file?.name ?? null,
      fileSize: file?.size ?? null,
      fileMimeType: file?.mime ?? null,
      releasedAt: input.releasedAt ?? now,
      expiresAt: input.expiresAt,
      audience: input.visibility === "PRIVATE" && input.studentIds.length ? { create: input.studentIds.map((studentId) => ({ studentId })) } : undefined,
    },
    select: { id: true },
  });
  return created;
}

async function managedResource(tx: Tx, viewer: Viewer, id: string) {
  const r = await tx.resource.findUnique({ where: { id }, select: { ...RULES_SELECT, fileKey: true, announcedAt: true } });
  if (!r || !mayManage(r, viewer)) throw new ResourceError("This resource was not found.", 404);
  return r;
}

/** Changes a resource's details, audience and window (not its file or link). */
export async function updateResource(tx: Tx, viewer: Viewer, id: string, input: ResourceInput, now: Date): Promise<void> {
  const existing = await managedResource(tx, viewer, id);
  await checkAudience(tx, viewer, input);
  const releasedAt = input.releasedAt ?? (existing.releasedAt.getTime() > now.getTime() ? now : existing.releasedAt);
  await tx.resource.update({
    where: { id },
    data: {
      title: input.title,
      description: input.description,
      type: input.type,
      visibility: input.visibility,
      lessonId: input.lessonId,
      releasedAt,
      // An announced resource is not announced again; one not yet announced is announced at its (new) release.
      expiresAt: input.expiresAt,
    },
  });
  await tx.resourceAudience.deleteMany({ where: { resourceId: id } });
  if (input.visibility === "PRIVATE" && input.studentIds.length) {
    await tx.resourceAudience.createMany({ data: input.studentIds.map((studentId) => ({ resourceId: id, studentId })) });
  }
}

/** Removes a resource with its access records; returns its file's key, to remove from storage once committed. */
export async function deleteResource(tx: Tx, viewer: Viewer, id: string): Promise<{ fileKey: string | null; fileMimeType: string | null }> {
  await managedResource(tx, viewer, id);
  const removed = await tx.resource.delete({ where: { id }, select: { fileKey: true, fileMimeType: true } });
  return removed;
}

/** A resource as its edit form shows it. */
export async function resourceForEdit(tx: Tx, viewer: Viewer, id: string) {
  await managedResource(tx, viewer, id);
  const r = await tx.resource.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      title: true,
      description: true,
      type: true,
      visibility: true,
      lessonId: true,
      releasedAt: true,
      expiresAt: true,
      linkUrl: true,
      fileName: true,
      fileSize: true,
      audience: { select: { studentId: true } },
    },
  });
  return { ...r, studentIds: r.audience.map((a) => a.studentId) };
}

// ---- the staff's list ----------------------------------------------------------------------

export interface StaffResourceRow {
  id: string;
  title: string;
  type: ResourceType;
  typeLabel: string;
  visibility: Visibility;
  lessonTitle: string | null;
  sharedBy: string;
  releasedAt: string;
  expiresAt: string | null;
  state: WindowState;
  link: boolean;
  linkUrl: string | null;
  fileName: string | null;
  fileKind: FileKind | null;
  /** Students it is for, each with their opens (none: not opened yet). */
  audience: { studentId: string; name: string; openedCount: number; firstAt: string | null; lastAt: string | null }[];
  openedCount: number;
  canManage: boolean;
}

/**
 * The resources a staff member manages (an admin: all of the school's; a teacher: the
 * ones they shared or that belong to their lessons), newest release first, each with
 * who it is for, who has opened it (how often, first and last time) and who has not.
 */
export async function staffResources(tx: Tx, viewer: Viewer, now: Date): Promise<StaffResourceRow[]> {
  if (viewer.role === "FAMILY") throw new ResourceError("Only teachers and admins see this list.", 403);
  const where: Prisma.ResourceWhereInput = viewer.role === "TEACHER" ? { OR: [{ uploadedById: viewer.userId }, { lessonId: { in: [...viewer.lessonIds] } }] } : {};
  const resources = await tx.resource.findMany({
    where,
    orderBy: [{ releasedAt: "desc" }, { id: "asc" }],
    select: {
      ...RULES_SELECT,
      title: true,
      type: true,
      linkUrl: true,
      fileName: true,
      fileMimeType: true,
      lesson: { select: { title: true } },
      uploadedBy: { select: { firstName: true, lastName: true } },
      resourceAccess: { select: { studentId: true, accessCount: true, firstAccessedAt: true, lastAccessedAt: true } },
    },
  });
  if (!resources.length) return [];
  const students = await studentsInLessons(tx, null);
  const names = new Map(
    (await tx.student.findMany({ select: { id: true, user: { select: { firstName: true, lastName: true } } } })).map((s) => [s.id, `${s.user.firstName} ${s.user.lastName}`]),
  );
  return resources.map((r) => {
    const rules = rulesOf(r);
    const access = new Map(r.resourceAccess.map((a) => [a.studentId, a]));
    // Those it is for now, plus anyone who opened it before leaving the audience.
    const ids = [...new Set([...resolveAudience(rules, students), ...access.keys()])];
    const audience = ids
      .map((studentId) => {
        const a = access.get(studentId);
        return { studentId, name: names.get(studentId) ?? "A former student", openedCount: a?.accessCount ?? 0, firstAt: a?.firstAccessedAt.toISOString() ?? null, lastAt: a?.lastAccessedAt.toISOString() ?? null };
      })
      .sort((a, b) => (b.openedCount > 0 ? 1 : 0) - (a.openedCount > 0 ? 1 : 0) || a.name.localeCompare(b.name));
    return {
      id: r.id,
      title: r.title,
      type: r.type as ResourceType,
      typeLabel: TYPE_LABELS[r.type as ResourceType],
      visibility: rules.visibility,
      lessonTitle: r.lesson?.title ?? null,
      sharedBy: `${r.uploadedBy.firstName} ${r.uploadedBy.lastName}`,
      releasedAt: r.releasedAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      state: windowState(rules, now),
      link: r.linkUrl !== null,
      linkUrl: r.linkUrl,
      fileName: r.fileName,
      fileKind: fileKindOf(r.fileMimeType),
      audience,
      openedCount: audience.filter((a) => a.openedCount > 0).length,
      canManage: mayManage(rules, viewer),
    };
  });
}

// ---- the family's library --------------------------------------------------------------------

export interface LibraryItem {
  id: string;
  title: string;
  description: string | null;
  typeLabel: string;
  lessonTitle: string | null;
  sharedBy: string;
  releasedAt: string;
  expiresAt: string | null;
  link: boolean;
  fileKind: FileKind | null;
  fileName: string | null;
  openedCount: number;
}

/**
 * What each child of the signed-in parent (or the signed-in student) may open now:
 * released, not expired, and meant for that child; newest release first.
 */
export async function familyLibrary(tx: Tx, viewer: Viewer, now: Date) {
  if (viewer.role !== "FAMILY") throw new ResourceError("The library is for families.", 403);
  if (!viewer.students.length) return [];
  const ids = viewer.students.map((s) => s.id);
  const lessonIds = [...new Set(viewer.students.flatMap((s) => s.lessonIds))];
  const resources = await tx.resource.findMany({
    where: {
      releasedAt: { lte: now },
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      AND: [
        {
          OR: [
            { visibility: "PUBLIC_SCHOOL" },
            { visibility: "LESSON_GROUP", lessonId: { in: lessonIds } },
            { visibility: "PRIVATE", audience: { some: { studentId: { in: ids } } } },
          ],
        },
      ],
    },
    orderBy: [{ releasedAt: "desc" }, { id: "asc" }],
    select: {
      ...RULES_SELECT,
      title: true,
      description: true,
      type: true,
      linkUrl: true,
      fileName: true,
      fileMimeType: true,
      lesson: { select: { title: true } },
      uploadedBy: { select: { firstName: true, lastName: true } },
      resourceAccess: { where: { studentId: { in: ids } }, select: { studentId: true, accessCount: true } },
    },
  });
  const students = await tx.student.findMany({ where: { id: { in: ids } }, select: { id: true, user: { select: { firstName: true, lastName: true } } } });
  const nameOf = new Map(students.map((s) => [s.id, { firstName: s.user.firstName, lastName: s.user.lastName }]));
  return viewer.students.map((student) => ({
    studentId: student.id,
    firstName: nameOf.get(student.id)?.firstName ?? "",
    lastName: nameOf.get(student.id)?.lastName ?? "",
    items: resources
      .filter((r) => isInAudience(rulesOf(r), student) && windowState(r, now) === "open")
      .map(
        (r): LibraryItem => ({
          id: r.id,
          title: r.title,
          description: r.description,
          typeLabel: TYPE_LABELS[r.type as ResourceType],
          lessonTitle: r.lesson?.title ?? null,
          sharedBy: `${r.uploadedBy.firstName} ${r.uploadedBy.lastName}`,
          releasedAt: r.releasedAt.toISOString(),
          expiresAt: r.expiresAt?.toISOString() ?? null,
          link: r.linkUrl !== null,
          fileKind: fileKindOf(r.fileMimeType),
          fileName: r.fileName,
          openedCount: r.resourceAccess.find((a) => a.studentId === student.id)?.accessCount ?? 0,
        }),
      ),
  }));
}

// ---- opening ----------------------------------------------------------------------------------

export type Opened = { kind: "link"; url: string } | { kind: "file"; fileKind: FileKind | null; fileName: string | null };

/**
 * Opens a resource for `viewer`: refuses (404 when it is not theirs to see, 403 before
 * its release or after its expiry), and for a family records the open for the child
 * (`studentId`, one of theirs in the audience; the first such child when not given):
 * first and last time and a count, incremented in one statement so concurrent opens
 * all count. Staff opens are not recorded.
 */
export async function openResource(tx: Tx, viewer: Viewer, resourceId: string, studentId: string | null, now: Date): Promise<Opened> {
  const r = await tx.resource.findUnique({ where: { id: resourceId }, select: { ...RULES_SELECT, linkUrl: true, fileKey: true, fileName: true, fileMimeType: true } });
  if (!r) throw new ResourceError(refusalMessage("not-for-you"), 404);
  const decision = decideAccess(rulesOf(r), viewer, now);
  if (!decision.ok) throw new ResourceError(refusalMessage(decision.reason), decision.reason === "not-for-you" ? 404 : 403);
  if (!decision.staff) {
    const student = studentId ?? decision.studentIds[0]!;
    if (!decision.studentIds.includes(student)) throw new ResourceError(refusalMessage("not-for-you"), 404);
    await recordAccess(tx, resourceId, student, now);
  }
  return r.linkUrl ? { kind: "link", url: r.linkUrl } : { kind: "file", fileKind: fileKindOf(r.fileMimeType), fileName: r.fileName };
}

/** One more open of the resource by the student: INSERT … ON CONFLICT DO UPDATE, race-free. */
export async function recordAccess(tx: Tx, resourceId: string, studentId: string, now: Date): Promise<void> {
  const at = sqlTimestamp(now);
  await tx.$executeRaw`
    INSERT INTO "ResourceAccess" ("id", "resourceId", "studentId", "firstAccessedAt", "lastAccessedAt", "accessCount")
    VALUES (${`ra_${randomBytes(12).toString("hex")}`}, ${resourceId}, ${studentId}, ${at}, ${at}, 1)
    ON CONFLICT ("schoolId", "resourceId", "studentId") DO UPDATE
      SET "accessCount" = "ResourceAccess"."accessCount" + 1,
          "lastAccessedAt" = GREATEST("ResourceAccess"."lastAccessedAt", EXCLUDED."lastAccessedAt"),
          "firstAccessedAt" = LEAST("ResourceAccess"."firstAccessedAt", EXCLUDED."firstAccessedAt")`;
}

/**
 * The file the signed route may stream to `viewer` now, or null (not theirs, not open,
 * no file). Checked on every fetch, after the signature: an address alone grants nothing.
 */
export async function fileForViewer(tx: Tx, viewer: Viewer, resourceId: string, now: Date): Promise<{ key: string; mime: FileMime; name: string; size: number } | { refused: string; status: number } | null> {
  const r = await tx.resource.findUnique({ where: { id: resourceId }, select: { ...RULES_SELECT, fileKey: true, fileName: true, fileMimeType: true, fileSize: true } });
  if (!r || !r.fileKey || !r.fileMimeType || !r.fileSize) return null;
  const decision = decideAccess(rulesOf(r), viewer, now);
  if (!decision.ok) return decision.reason === "not-for-you" ? null : { refused: refusalMessage(decision.reason), status: 403 };
  return { key: r.fileKey, mime: r.fileMimeType as FileMime, name: r.fileName ?? "file", size: r.fileSize };
}

// ---- release announcements ---------------------------------------------------------------------

/**
 * Emails the families of every resource released by `now` and not yet announced
 * (once per resource: the rows are claimed FOR UPDATE SKIP LOCKED and marked in the
 * same transaction), to those who keep "new resources" emails on. A resource that
 * expired before it could be announced is marked without an email.
 */
export async function announceReleases(tx: Tx, mailer: Mailer, opts: { now: Date; origin: string; school: { name: string; timezone: string; locale: string; currency: string } }): Promise<{ resources: number; emails: number }> {
  const due = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Resource"
     WHERE "announcedAt" IS NULL AND "releasedAt" <= ${sqlTimestamp(opts.now)}
     ORDER BY "releasedAt", "id"
     FOR UPDATE SKIP LOCKED`;
  if (!due.length) return { resources: 0, emails: 0 };
  const resources = await tx.resource.findMany({
    where: { id: { in: due.map((d) => d.id) } },
    select: { ...RULES_SELECT, title: true, type: true, description: true, lesson: { select: { title: true } }, uploadedBy: { select: { firstName: true, lastName: true } } },
  });
  const students = await studentsInLessons(tx, null);
  const format = formatterFor(opts.school);
  let emails = 0;
  for (const r of resources) {
    const rules = rulesOf(r);
    if (windowState(rules, opts.now) === "open") {
      const audience = resolveAudience(rules, students);
      const addresses = await familyAddresses(tx, audience, { resources: true });
      const to = new Set([...addresses.values()].flat());
      const what = TYPE_LABELS[r.type as ResourceType].toLowerCase();
      const lines = [
        `${r.uploadedBy.firstName} ${r.uploadedBy.lastName} shared a new ${what}${r.lesson ? ` for ${r.lesson.title}` : ""}: “${r.title}”.`,
        ...(r.description ? ["", r.description] : []),
        ...(r.expiresAt ? ["", `It is available until ${format.dateTime(r.expiresAt)}.`] : []),
        "",
        `Open it in your library: ${opts.origin}/family/resources`,
        "",
        `You can turn these emails off at ${opts.origin}/account/notifications.`,
        "",
        opts.school.name,
      ];
      for (const address of to) {
        await mailer.send(tx, { to: address, subject: `New ${what}: ${r.title}`, text: lines.join("\n") });
        emails++;
      }
    }
    await tx.resource.update({ where: { id: r.id }, data: { announcedAt: opts.now } });
  }
  return { resources: resources.length, emails };
}

// ---- the "new resources" email choice ----------------------------------------------------------

export async function resourceEmailPreference(tx: Tx, userId: string): Promise<{ resourceEmails: boolean }> {
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { resourceEmails: true } });
}

export async function setResourceEmailPreference(tx: Tx, userId: string, resourceEmails: boolean): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { resourceEmails }, select: { id: true } });
}
