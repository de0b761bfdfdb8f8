// A private calendar feed: GET /calendar/<token>.ics on the school's own address.
// Calendar apps fetch it without a session; the token is the credential. Unknown
// or revoked tokens (and tokens of another school) get the same plain 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ICAL_CONTENT_TYPE } from "~/domain/ical";
import { calendarFeedIcs } from "~/models/calendar-feeds.server";
import { requireSchool } from "~/utils/auth.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { db, school } = requireSchool(context);
  const body = await db.run((tx) => calendarFeedIcs(tx, params.token ?? "", { schoolName: school.name, now: context.clock.now() }));
  if (body === null) {
    return new Response("Calendar not found.\n", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
    });
  }
  return new Response(body, {
    headers: {
      "Content-Type": ICAL_CONTENT_TYPE,
      "Content-Disposition": `inline; filename="${school.slug}-lessons.ics"`,
      // Personal data behind a secret URL: no shared caches, and a revoked link stops at once.
      "Cache-Control": "private, no-cache",
      "X-Robots-Tag": "noindex",
    },
  });
}
