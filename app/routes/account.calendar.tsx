import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import {
  CalendarFeedError,
  createCalendarFeed,
  FEED_FUTURE_DAYS,
  FEED_PAST_DAYS,
  feedPath,
  listCalendarFeeds,
  MAX_ACTIVE_FEEDS,
  revokeCalendarFeed,
} from "~/models/calendar-feeds.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Calendar subscription" }];

const COVERS = {
  ADMIN: "the lessons you teach",
  TEACHER: "the lessons you teach",
  PARENT: "your children's lessons",
  STUDENT: "your lessons",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db, school } = requireSchool(context);
  const feeds = await db.run((tx) => listCalendarFeeds(tx, user.id));
  // After a password reset: how many links the reset revoked (set-password sends people here).
  const renewed = Math.max(0, Math.min(MAX_ACTIVE_FEEDS * 10, Number.parseInt(new URL(request.url).searchParams.get("renewed") ?? "", 10) || 0));
  return {
    feeds,
    renewed,
    covers: COVERS[user.role],
    timeZone: school.timezone,
    origin: context.links.origin,
    limits: { pastDays: FEED_PAST_DAYS, futureDays: FEED_FUTURE_DAYS, maxActive: MAX_ACTIVE_FEEDS },
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("revoke"), feedId: z.string().min(1).max(64) }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = requireSchool(context);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return data({ ok: false as const, error: "That request was not understood. Reload the page and try again.", created: null, message: null }, { status: 400 });
  if (parsed.data.intent === "revoke") {
    const { feedId } = parsed.data;
    const revoked = await db.run((tx) => revokeCalendarFeed(tx, user.id, feedId));
    if (!revoked) return data({ ok: false as const, error: "That calendar link was already revoked.", created: null, message: null }, { status: 404 });
    return { ok: true as const, error: null, created: null, message: "The calendar link is revoked. Calendars subscribed to it stop updating." };
  }
  try {
    const feed = await db.run((tx) => createCalendarFeed(tx, user.id));
    const url = `${context.links.origin}${feedPath(feed.token)}`;
    return { ok: true as const, error: null, created: { id: feed.id, url, webcal: url.replace(/^https?:/, "webcal:") }, message: null };
  } catch (error) {
    if (error instanceof CalendarFeedError) return data({ ok: false as const, error: error.message, created: null, message: null }, { status: 409 });
    throw error;
  }
}

export default function CalendarSubscription() {
  const fmt = useFormat();
  const { feeds, renewed, covers, timeZone, origin, limits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const active = feeds.filter((f) => !f.revokedAt);
  const created = actionData?.created ?? null;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">My account</p>
        <h1>Calendar subscription</h1>
        <p className="muted">
          Add {covers} to Google Calendar, Apple Calendar or Outlook. Your calendar app keeps itself up to date: moved and cancelled lessons change there too.
          The calendar shows the last {limits.pastDays} days and the next {limits.futureDays} days.
        </p>
      </div>

      {renewed && !actionData ? (
        <p className="notice" role="status">
          Your password was reset, so your {renewed === 1 ? "calendar link was" : `${renewed} calendar links were`} revoked: whoever had{" "}
          {renewed === 1 ? "it" : "them"} can no longer see your lessons. Make a new link below and add it to your calendar app in place of the old one.
        </p>
      ) : null}
      {actionData?.message ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}
      <FormError message={actionData?.error} />

      {created ? <NewFeed url={created.url} webcal={created.webcal} /> : null}

      <section className="card">
        <h2>Your calendar links</h2>
        <p className="muted">
          Each link is private: anyone who has it can see these lessons. If a link was shared by mistake, revoke it and make a new one. For safety the full
          address is shown only once, when it is made.
        </p>
        {feeds.length === 0 ? (
          <p>You have no calendar link yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  <th scope="col">Made</th>
                  <th scope="col">Status</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {feeds.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <code>{origin}/calendar/••••••.ics</code>
                      {created?.id === f.id ? <span className="badge"> new</span> : null}
                    </td>
                    <td data-label="Made">{fmt.dateTime(f.createdAt)}</td>
                    <td data-label="Status">{f.revokedAt ? <span className="badge danger">Revoked {fmt.dateTime(f.revokedAt)}</span> : <span className="badge">Active</span>}</td>
                    <td>
                      {f.revokedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="feedId" value={f.id} />
                          <button className="button secondary" disabled={busy}>
                            Revoke
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {active.length < limits.maxActive ? (
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <button className="button" disabled={busy}>
              {busy ? "Working…" : active.length ? "Make another calendar link" : "Make a calendar link"}
            </button>
          </Form>
        ) : (
          <p className="muted">You have {limits.maxActive} active links, the most allowed. Revoke one to make another.</p>
        )}
      </section>
    </div>
  );
}

function NewFeed({ url, webcal }: { url: string; webcal: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="card" aria-labelledby="new-feed-title">
      <h2 id="new-feed-title">Your new calendar link</h2>
      <p>
        <strong>Copy it now:</strong> it is shown only this once.
      </p>
      <div className="field">
        <label htmlFor="feed-url">Calendar address</label>
        <input id="feed-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
      </div>
      <div className="row">
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy address"}
        </button>
        <a className="button secondary" href={webcal}>
          Open in Apple Calendar
        </a>
        <span role="status" className="muted">
          {copied ? "The address is on your clipboard." : ""}
        </span>
      </div>
      <h3>Add it to your calendar</h3>
      <ul>
        <li>
          <strong>Google Calendar</strong> (on a computer): next to <em>Other calendars</em>, choose <em>+</em>, then <em>From URL</em>. Paste the address and
          choose <em>Add calendar</em>. Google refreshes subscribed calendars every few hours.
        </li>
        <li>
          <strong>Apple Calendar</strong>: on a Mac, <em>File → New Calendar Subscription…</em>, paste the address, then <em>Subscribe</em>. On iPhone or iPad,
          <em> Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar</em>. Or use the button above.
        </li>
        <li>
          <strong>Outlook</strong>: in Outlook on the web or the new Outlook, <em>Add calendar → Subscribe from web</em>, paste the address, give it a name and
          choose <em>Import</em>.
        </li>
      </ul>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
