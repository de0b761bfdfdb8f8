// GET /files/resources/:id?exp=…&sig=… — a learning resource's file, streamed from the
// storage's private namespace. Every fetch checks, in this order:
// 1. the school is this host's (the signature covers the school: another school's
//    host, or the platform's, never accepts it);
// 2. a signed-in person, and the signature made for that person, not expired;
// 3. that person may see the resource now (audience, release, expiry).
// An address alone (someone else's, an old one, on another host) grants nothing.
// Ranges are served (206), so audio seeks; PDFs and audio are shown inline.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { fileForViewer, viewerFor } from "~/models/resources.server";
import { getUser, requireSchool } from "~/utils/auth.server";
import { parseRange } from "../../server/services/storage.server";

function refuse(status: number, message: string) {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { db } = requireSchool(context);
  if (!context.files) return refuse(404, "Not found");
  const resourceId = params.resourceId!;
  const user = await getUser(request, context);
  if (!user) return refuse(403, "Sign in to open this file, then open it again from its page.");
  const url = new URL(request.url);
  const check = context.files.check(resourceId, user.id, url.searchParams.get("exp"), url.searchParams.get("sig"));
  if (check === "expired") return refuse(403, "This link has expired. Open the resource again from its page.");
  if (check !== "ok") return refuse(403, "This link is not valid. Open the resource again from its page.");

  const file = await db.run(async (tx) => fileForViewer(tx, await viewerFor(tx, user), resourceId, context.clock.now()));
  if (!file) return refuse(404, "Not found");
  if ("refused" in file) return refuse(file.status, file.refused);

  const range = parseRange(request.headers.get("range"), file.size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${file.size}` } });
  const found = await context.storage.readPrivate(file.key, file.mime, range);
  if (!found) return refuse(404, "The file is missing. Ask the school to share it again.");
  const headers = new Headers({
    "Content-Type": file.mime,
    "Content-Length": String(found.end - found.start + 1),
    "Accept-Ranges": "bytes",
    "Content-Disposition": `inline; filename="${file.name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    // Personal and short-lived: no shared cache keeps it, and it is never sniffed as anything else.
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
  if (range) headers.set("Content-Range", `bytes ${found.start}-${found.end}/${found.size}`);
  if (request.method === "HEAD") {
    await found.body.cancel().catch(() => {});
    return new Response(null, { status: range ? 206 : 200, headers });
  }
  return new Response(found.body, { status: range ? 206 : 200, headers });
}
