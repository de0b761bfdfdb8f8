// Forms that carry an image (a school's logo, a teacher's photo): read the body with
// a size limit, and store the image through the storage service, each refusal as a
// message for the field and the HTTP status to answer with.
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { isStorageError, type Storage } from "../../server/services/storage.server";

const MAX_FORM_BYTES = 4_000_000;
const MAX_PART_BYTES = 3_000_000;
const TOO_LARGE = "The image is larger than 1 MB. Use a smaller one.";

export type Refusal = { ok: false; status: number; message: string };

/** The form, multipart or not; a body past the limits is refused (413) before it is read whole. */
export async function readImageForm(request: Request): Promise<{ ok: true; form: FormData } | Refusal> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_FORM_BYTES) return { ok: false, status: 413, message: TOO_LARGE };
  try {
    const form = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_PART_BYTES }))
      : await request.formData();
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, status: 413, message: TOO_LARGE };
    throw new Response("The form could not be read.", { status: 400 });
  }
}

/**
 * Stores the file of `field` under "<schoolId>/<prefix>-<random>" when one was chosen.
 * Returns its URL, null when no file was sent, or the refusal (type, size, upload).
 */
export async function storeImageField(storage: Storage, form: FormData, field: string, key: { schoolId: string; prefix: string }): Promise<{ ok: true; url: string | null } | Refusal> {
  const file = form.get(field);
  if (!file || typeof file === "string" || file.size === 0) return { ok: true, url: null };
  try {
    const stored = await storage.put(`${key.schoolId}/${key.prefix}-${randomBytes(8).toString("hex")}`, new Uint8Array(await file.arrayBuffer()), file.type);
    return { ok: true, url: stored.url };
  } catch (error) {
    if (isStorageError(error)) return { ok: false, status: error.reason === "upload-failed" ? 502 : error.reason === "too-large" ? 413 : 400, message: error.message };
    throw error;
  }
}
