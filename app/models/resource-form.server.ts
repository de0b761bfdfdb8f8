// The share/edit form of a learning resource, for /teach/resources and /admin/resources:
// read the multipart body (the file part limited in size), parse the fields (zod), read
// the window in the school's time zone, store the file, and call the model. Every
// refusal is a 4xx with a message on its field and what the person typed kept.
import { MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, data, type AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import type { ResourceFormDefaults } from "../components/resources";
import { formatLocalTime, toLocalDate } from "../domain/time";
import { MAX_RESOURCE_FILE_BYTES, formatBytes, parseLinkUrl, parseWindow, RESOURCE_TYPES, VISIBILITIES, windowFormValues, type ResourceType, type Visibility } from "../domain/resources";
import type { SessionUser } from "../utils/auth.server";
import { requireSchool } from "../utils/auth.server";
import { parseForm, type FieldErrors, type FormValues } from "../utils/forms";
import {
  createResource,
  deleteResource,
  isResourceError,
  openResource,
  ResourceError,
  resourceForEdit,
  shareOptions,
  staffResources,
  storeResourceFile,
  updateResource,
  viewerFor,
  type StoredFile,
} from "./resources.server";

export type ResourceFormResult = { ok: false; errors: FieldErrors; values: FormValues; studentIds: string[]; message: string | null };

const resourceSchema = z.object({
  title: z
    .string({ required_error: "Give it a title." })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, "Give it a title.").max(200, "Keep the title under 200 characters.")),
  description: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(2000, "Keep the description under 2,000 characters."))
    .transform((v) => v || null),
  type: z.enum(RESOURCE_TYPES, { errorMap: () => ({ message: "Choose what kind of resource it is." }) }),
  visibility: z.enum(VISIBILITIES, { errorMap: () => ({ message: "Choose who gets it." }) }),
  lessonId: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim() || null),
  source: z.enum(["file", "link"]).optional(),
  linkUrl: z.string().optional(),
  releaseDate: z.string().optional().default(""),
  releaseTime: z.string().optional().default(""),
  expiryDate: z.string().optional().default(""),
});

/** The form, with its file part held in memory up to the largest file a resource may be. */
async function readForm(request: Request): Promise<FormData | ResourceFormResult> {
  try {
    return (request.headers.get("content-type") ?? "").startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_RESOURCE_FILE_BYTES + 1 }))
      : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { ok: false, errors: { file: `The file is larger than ${formatBytes(MAX_RESOURCE_FILE_BYTES)}, the most any resource may be. Use a smaller file, or share a link instead.` }, values: {}, studentIds: [], message: null };
    }
    throw new Response("The form could not be read.", { status: 400 });
  }
}

/**
 * The action of the new and edit pages: shares (`resourceId` null) or changes a
 * resource, or removes it (`intent=delete`), then goes back to `listPath`.
 */
export async function resourceFormAction(context: AppLoadContext, request: Request, user: SessionUser, opts: { resourceId: string | null; listPath: string }) {
  const { db, school } = requireSchool(context);
  const read = await readForm(request);
  if (!(read instanceof FormData)) return data(read, { status: 413 });
  const form = read;
  const now = context.clock.now();

  if (form.get("intent") === "delete" && opts.resourceId) {
    const id = opts.resourceId;
    try {
      const removed = await db.run(async (tx) => deleteResource(tx, await viewerFor(tx, user), id));
      if (removed.fileKey && removed.fileMimeType) await context.storage.deletePrivate(removed.fileKey).catch(() => {});
    } catch (error) {
      if (isResourceError(error)) throw new Response(error.message, { status: error.status });
      throw error;
    }
    return redirect(`${opts.listPath}?removed=1`);
  }

  const studentIds = form.getAll("studentIds").filter((v): v is string => typeof v === "string" && v !== "");
  const refuse = (errors: FieldErrors, values: FormValues, status = 400) => data<ResourceFormResult>({ ok: false, errors, values, studentIds, message: null }, { status });
  const parsed = parseForm(form, resourceSchema);
  if (!parsed.ok) return refuse(parsed.errors, parsed.values);
  const input = parsed.data;
  const window = parseWindow({ releaseDate: input.releaseDate, releaseTime: input.releaseTime, expiryDate: input.expiryDate }, school.timezone, now);
  if (!window.ok) return refuse(window.errors, parsed.values);
  if (input.visibility === "PRIVATE" && studentIds.length === 0 && form.get("staffOnly") !== "on") {
    return refuse({ studentIds: "Choose at least one student (or tick “Only staff for now”)." }, parsed.values);
  }
  const values = {
    title: input.title,
    description: input.description,
    type: input.type,
    visibility: input.visibility,
    lessonId: input.lessonId,
    studentIds: input.visibility === "PRIVATE" ? studentIds : [],
    releasedAt: window.releasedAt,
    expiresAt: window.expiresAt,
  };

  try {
    if (opts.resourceId) {
      const id = opts.resourceId;
      await db.run(async (tx) => updateResource(tx, await viewerFor(tx, user), id, values, now));
      return redirect(`${opts.listPath}?saved=1`);
    }
    let content: { file: StoredFile } | { linkUrl: string };
    if (input.source === "link") {
      const url = parseLinkUrl(input.linkUrl ?? "");
      if (!url) return refuse({ linkUrl: "Enter a web address like https://www.youtube.com/watch?v=…" }, parsed.values);
      content = { linkUrl: url };
    } else {
      const file = form.get("file");
      if (!file || typeof file === "string" || file.size === 0) return refuse({ file: "Choose the file to share (or share a link instead)." }, parsed.values);
      // Checked against the audience first, so a refused form stores no file.
      await db.run(async (tx) => {
        const viewer = await viewerFor(tx, user);
        if (viewer.role === "FAMILY") throw new ResourceError("Only teachers and admins share resources.", 403);
      });
      content = { file: await storeResourceFile(context.storage, school.id, input.type, file) };
    }
    try {
      await db.run(async (tx) => createResource(tx, await viewerFor(tx, user), values, content, now));
    } catch (error) {
      if ("file" in content) await context.storage.deletePrivate(content.file.key).catch(() => {});
      throw error;
    }
    return redirect(`${opts.listPath}?shared=1`);
  } catch (error) {
    if (isResourceError(error)) {
      if (error.status === 404 || error.status === 403) throw new Response(error.message, { status: error.status });
      return refuse({ [error.field ?? "title"]: error.message }, parsed.values, error.status);
    }
    throw error;
  }
}

/**
 * "Open" on the staff's list and the family's library: checks and records the open (a
 * family's, for the chosen child), then sends the viewer to the file's signed address
 * (`redirectToFile`) or answers it (`{ url }`) for a player in the page. A link answers
 * its address (never a redirect: forms may only lead to the school's own pages).
 */
export async function openAction(context: AppLoadContext, user: SessionUser, form: FormData, opts: { redirectToFile: boolean }) {
  const { db } = requireSchool(context);
  const resourceId = String(form.get("resourceId") ?? "");
  const studentId = String(form.get("studentId") ?? "") || null;
  if (!resourceId) throw new Response("Choose a resource to open.", { status: 400 });
  try {
    const opened = await db.run(async (tx) => openResource(tx, await viewerFor(tx, user), resourceId, studentId, context.clock.now()));
    if (opened.kind === "link") return { opened: { resourceId, studentId, kind: "link" as const, url: opened.url } };
    if (!context.files) throw new Response("Not found", { status: 404 });
    const url = context.files.signedPath(resourceId, user.id);
    if (opts.redirectToFile) return redirect(url);
    return { opened: { resourceId, studentId, kind: "file" as const, url, fileKind: opened.fileKind } };
  } catch (error) {
    if (isResourceError(error)) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/** The staff's list page: their resources with who opened them, and the notice after a change. */
export async function staffListPage(context: AppLoadContext, request: Request, user: SessionUser) {
  const { db, school } = requireSchool(context);
  const url = new URL(request.url);
  const notice = url.searchParams.has("shared") ? "Shared." : url.searchParams.has("saved") ? "Saved." : url.searchParams.has("removed") ? "Removed." : null;
  const rows = await db.run(async (tx) => staffResources(tx, await viewerFor(tx, user), context.clock.now()));
  return { rows, notice, timeZone: school.timezone };
}

/** The school's "now", as an instant and as its local date and time (the form's window is local). */
function schoolNow(context: AppLoadContext, zone: string) {
  const now = context.clock.now();
  return { at: now.toISOString(), local: `${toLocalDate(now, zone)}T${formatLocalTime(now, zone)}` };
}

/** The share page: the lessons and students this person may share with, and the empty form. */
export async function newResourcePage(context: AppLoadContext, user: SessionUser) {
  const { db, school } = requireSchool(context);
  const options = await db.run(async (tx) => shareOptions(tx, await viewerFor(tx, user)));
  const defaults: ResourceFormDefaults = { title: "", description: "", type: "BACKING_TRACK", visibility: "LESSON_GROUP", lessonId: options.lessons.length === 1 ? options.lessons[0]!.id : "", studentIds: [], releaseDate: "", releaseTime: "", expiryDate: "" };
  return { options, defaults, timeZone: school.timezone, existingFile: null, now: schoolNow(context, school.timezone) };
}

/** The edit page of a resource this person manages (404 otherwise). */
export async function editResourcePage(context: AppLoadContext, user: SessionUser, resourceId: string) {
  const { db, school } = requireSchool(context);
  try {
    return await db.run(async (tx) => {
      const viewer = await viewerFor(tx, user);
      const r = await resourceForEdit(tx, viewer, resourceId);
      const options = await shareOptions(tx, viewer);
      const defaults: ResourceFormDefaults = {
        title: r.title,
        description: r.description ?? "",
        type: r.type as ResourceType,
        visibility: r.visibility as Visibility,
        lessonId: r.lessonId ?? "",
        studentIds: r.studentIds,
        ...windowFormValues(r, school.timezone),
      };
      return { options, defaults, timeZone: school.timezone, existingFile: r.fileName, title: r.title, now: schoolNow(context, school.timezone) };
    });
  } catch (error) {
    if (isResourceError(error)) throw new Response(error.message, { status: error.status });
    throw error;
  }
}
