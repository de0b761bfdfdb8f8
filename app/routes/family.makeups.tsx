// /family/makeups — for each child: the coming lessons with "Can't make it" (the
// teacher's register shows the absence as notified; with enough notice a make-up
// credit is issued at once), the child's credits, and for an available credit the
// places it can be used: an open seat in a fitting group class or a free time of
// the teacher.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { assertMayActFor, forbiddenOr } from "~/models/family-access.server";
import { announceFreedSeat, bookMakeUpSlot, bookOfferedMakeUpSeat, cancelForFamily, creditOwner, familyMakeUpsPage, MakeUpError } from "~/models/makeups.server";
import makeupsCss from "~/styles/makeups.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatterFor, useFormat } from "~/utils/format";
import { parseForm, type FormValues } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Cancellations and make-ups" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: makeupsCss }];

const UPCOMING_WEEKS = 8;

// ---- server -------------------------------------------------------------------------

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const timeZone = school.timezone;
  const now = context.clock.now();
  const page = await db.run((tx) => familyMakeUpsPage(tx, { accountId: user.id, timeZone, now, weeksAhead: UPCOMING_WEEKS }));
  return { timeZone, ...page };
}

const cancelSchema = z.object({
  studentId: z.string().min(1),
  occurrenceId: z.string().min(1, "Choose a lesson."),
  reason: z
    .string()
    .trim()
    .max(300, "Keep the reason under 300 characters.")
    .optional()
    .transform((v) => v || null),
});
const seatSchema = z.object({ creditId: z.string().min(1), occurrenceId: z.string().min(1, "Choose a class.") });
const slotSchema = z.object({
  creditId: z.string().min(1),
  start: z
    .string({ required_error: "Choose a time first." })
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, "Choose a time first.")
    .transform((v) => new Date(v))
    .refine((d) => !Number.isNaN(d.getTime()), "Choose a time first."),
});

type ActionResult = { ok: boolean; studentId: string; target: string | null; message: string; values: FormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db, school } = requireSchool(context);
  const fmt = formatterFor(school);
  const timeZone = school.timezone;
  const formData = await request.formData();
  const intent = formData.get("intent");
  const reply = (result: ActionResult, status = 200) => data<ActionResult>(result, { status });

  if (intent === "cancel") {
    const parsed = parseForm(formData, cancelSchema);
    const studentId = String(formData.get("studentId") ?? "");
    const target = String(formData.get("occurrenceId") ?? "");
    if (!parsed.ok) return reply({ ok: false, studentId, target, message: Object.values(parsed.errors)[0] ?? "Please check the form.", values: parsed.values }, 400);
    await db.run((tx) => assertMayActFor(tx, user.id, parsed.data.studentId)).catch(forbiddenOr);
    try {
      const result = await db.run((tx) =>
        cancelForFamily(tx, context.mailer, { occurrenceId: parsed.data.occurrenceId, studentId: parsed.data.studentId, timeZone, reason: parsed.data.reason, now: context.clock.now() }),
      );
      if (result.seatFreedOn) {
        const occurrenceId = result.seatFreedOn;
        // Telling others about the free seat must never undo the cancellation itself.
        await db.run((tx) => announceFreedSeat(tx, context.mailer, { occurrenceId, timeZone, origin: context.links.origin, now: context.clock.now() })).catch((error: unknown) => {
          console.error("announceFreedSeat failed", error);
        });
      }
      const message = result.credit
        ? `Cancelled. The teacher has been told, and a make-up credit was added: book the make-up before ${fmt.dateTime(result.credit.expiresAt)}.`
        : `Cancelled. The teacher has been told. No make-up credit was issued: ${result.reason}`;
      return reply({ ok: true, studentId, target, message, values: {} });
    } catch (error) {
      if (error instanceof MakeUpError) return reply({ ok: false, studentId, target, message: error.message, values: parsed.values }, 409);
      throw error;
    }
  }

  if (intent === "book-seat" || intent === "book-slot") {
    const creditId = String(formData.get("creditId") ?? "");
    const studentId = await db.run((tx) => creditOwner(tx, creditId));
    if (!studentId) return reply({ ok: false, studentId: "", target: creditId, message: "That credit does not exist any more. Reload the page.", values: {} }, 404);
    await db.run((tx) => assertMayActFor(tx, user.id, studentId)).catch(forbiddenOr);
    const base = { studentId, target: creditId };
    try {
      if (intent === "book-seat") {
        const parsed = parseForm(formData, seatSchema);
        if (!parsed.ok) return reply({ ok: false, ...base, message: "Choose a class first.", values: parsed.values }, 400);
        // Only a seat the credit may be used for (fitting, open, before expiry).
        const booked = await db.run((tx) => bookOfferedMakeUpSeat(tx, timeZone, { creditId, occurrenceId: parsed.data.occurrenceId, now: context.clock.now() }));
        return reply({ ok: true, ...base, message: `Booked: ${booked.title} on ${fmt.dateTime(booked.start)}. The credit has been used.`, values: {} });
      }
      const parsed = parseForm(formData, slotSchema);
      if (!parsed.ok) return reply({ ok: false, ...base, message: "Choose a time first.", values: parsed.values }, 400);
      await db.run((tx) => bookMakeUpSlot(tx, timeZone, { creditId, start: parsed.data.start, now: context.clock.now() }));
      return reply({ ok: true, ...base, message: `Booked a make-up session on ${fmt.dateTime(parsed.data.start)}. The credit has been used.`, values: {} });
    } catch (error) {
      if (error instanceof MakeUpError) {
        const values: FormValues = {};
        for (const [k, v] of formData) if (typeof v === "string") values[k] = v;
        return reply({ ok: false, ...base, message: error.message, values }, 409);
      }
      throw error;
    }
  }

  return reply({ ok: false, studentId: "", target: null, message: "Unknown action. Reload the page and try again.", values: {} }, 400);
}

// ---- page -----------------------------------------------------------------------------


function byDay<T extends { day: string }>(slots: T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const s of slots) map.set(s.day, [...(map.get(s.day) ?? []), s]);
  return [...map.entries()];
}

const STATUS: Record<string, { label: string; tone: string }> = {
  AVAILABLE: { label: "Available", tone: "ok" },
  USED: { label: "Used", tone: "muted" },
  EXPIRED: { label: "Expired", tone: "warn" },
  VOID: { label: "Void", tone: "danger" },
};

export default function FamilyMakeUps() {
  const fmt = useFormat();
  const { timeZone, policy, children, hybrid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" ? navigation.formData : null;

  return (
    <div className="stack">
      <div>
        <p className="eyebrow">Cancellations and make-ups</p>
        <h1>Can&apos;t make a lesson?</h1>
      </div>
      <section className="card">
        {policy.makeUpCreditsPerTerm > 0 ? (
          <p style={{ margin: 0 }}>
            Tell us here and the teacher knows at once. Cancel at least {policy.makeUpNoticeHours} {policy.makeUpNoticeHours === 1 ? "hour" : "hours"} before the
            lesson and your child gets a make-up credit (up to {policy.makeUpCreditsPerTerm} per term). A credit lasts {policy.makeUpExpiryDays} days: use it for an
            open seat in a fitting group class or a free time with the teacher.
          </p>
        ) : (
          <p style={{ margin: 0 }}>Tell us here and the teacher knows at once. This school does not offer make-up lessons.</p>
        )}
      </section>
      {hybrid.length ? (
        <section className="card" aria-labelledby="mk-hybrid">
          <h2 id="mk-hybrid">1-on-1 weeks to book</h2>
          <ul className="mk-list">
            {hybrid.map((h) => (
              <li key={h.id} className="mk-row">
                <span>
                  <strong>{h.title}</strong> <span className="mk-sub">· {h.term}</span>
                </span>
                <Link className="button secondary small" to={`/family/hybrid/${h.id}`}>
                  Choose times
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {actionData && !actionData.ok && !children.some((c) => c.id === actionData.studentId) ? (
        <p className="mk-result bad" role="alert">
          {actionData.message}
        </p>
      ) : null}
      {children.length === 0 ? <p className="card muted">No students are linked to your account yet.</p> : null}
      {children.map((child) => {
        const mine = actionData && actionData.studentId === child.id ? actionData : null;
        return (
          <section className="card" key={child.id} aria-labelledby={`mk-${child.id}`}>
            <h2 id={`mk-${child.id}`}>{child.name}</h2>
            {mine && (mine.ok || !mine.target || !(child.upcoming.some((o) => o.id === mine.target) || child.credits.some((c) => c.id === mine.target))) ? (
              <p className={`mk-result ${mine.ok ? "ok" : "bad"}`} role={mine.ok ? "status" : "alert"}>
                {mine.message}
              </p>
            ) : null}

            <h3 className="mk-h">Coming lessons</h3>
            {child.upcoming.length === 0 ? (
              <p className="muted">No lessons in the next {UPCOMING_WEEKS} weeks.</p>
            ) : (
              <ul className="mk-list">
                {child.upcoming.map((o) => {
                  const failedHere = mine && !mine.ok && mine.target === o.id ? mine : null;
                  const busy = pending?.get("intent") === "cancel" && pending.get("occurrenceId") === o.id && pending.get("studentId") === child.id;
                  return (
                    <li key={o.id} data-occurrence={o.id}>
                      <div className="mk-row">
                        <div>
                          <div className="mk-when">
                            {fmt.dateTime(o.startsAt)}–{fmt.time(o.endsAt)}
                          </div>
                          <div className="mk-sub">
                            {o.title}
                            {o.kind === "INDIVIDUAL_SESSION" ? " (1-on-1)" : ""} · {o.teacher} · {o.place}
                            {o.makeUp ? (
                              <>
                                {" "}
                                <span className="badge">Make-up</span>
                              </>
                            ) : null}
                          </div>
                        </div>
                        {o.cancelled ? (
                          <span className="badge muted">Cancelled · the teacher knows</span>
                        ) : o.makeUp ? null : (
                          <details className="mk-cancel mk-actions" open={Boolean(failedHere)}>
                            <summary className="button secondary small">Can&apos;t make it</summary>
                            <Form method="post" className="mk-cancel-box" preventScrollReset>
                              <input type="hidden" name="studentId" value={child.id} />
                              <input type="hidden" name="occurrenceId" value={o.id} />
                              <p className={`mk-hint ${o.earnsCredit ? "ok" : "warn"}`}>
                                {o.earnsCredit
                                  ? "Cancelling now gives enough notice for a make-up credit (if this term's limit is not reached)."
                                  : policy.makeUpCreditsPerTerm > 0
                                    ? `This is less than ${policy.makeUpNoticeHours} hours away, so cancelling now will not earn a make-up credit.`
                                    : "The teacher will be told you are not coming."}
                              </p>
                              {failedHere ? (
                                <p className="mk-result bad" role="alert">
                                  {failedHere.message}
                                </p>
                              ) : null}
                              <div className="field">
                                <label htmlFor={`reason-${child.id}-${o.id}`}>Reason (optional)</label>
                                <input id={`reason-${child.id}-${o.id}`} name="reason" maxLength={300} defaultValue={failedHere?.values.reason ?? ""} placeholder="e.g. school trip" />
                              </div>
                              <button className="button danger small" name="intent" value="cancel" disabled={busy}>
                                {busy ? "Cancelling…" : `Cancel ${child.firstName}'s lesson`}
                              </button>
                            </Form>
                          </details>
                        )}
                      </div>
                    </li>
                  );
                })}
              </ul>
            )}

            <h3 className="mk-h">Make-up credits</h3>
            {child.credits.length === 0 ? (
              <p className="muted">No make-up credits.</p>
            ) : (
              child.credits.map((c) => {
                const status = STATUS[c.status] ?? { label: c.status, tone: "muted" };
                const failedHere = mine && !mine.ok && mine.target === c.id ? mine : null;
                return (
                  <div className="mk-credit" key={c.id} data-credit={c.id}>
                    <div className="mk-row">
                      <div>
                        <span className={`badge ${status.tone}`}>{status.label}</span>{" "}
                        {c.sourceOccurrence ? (
                          <span>
                            for {c.sourceOccurrence.lesson.title} on {fmt.dateTime(c.sourceOccurrence.startsAt)}
                          </span>
                        ) : (
                          <span>from the school{c.reason ? `: ${c.reason}` : ""}</span>
                        )}
                      </div>
                      {c.status === "AVAILABLE" || c.status === "EXPIRED" ? (
                        <span className="mk-sub">
                          {c.status === "AVAILABLE" ? "Use by" : "Expired"} {fmt.dateTime(c.expiresAt, { hour: undefined, minute: undefined, year: "numeric" })}
                        </span>
                      ) : null}
                    </div>
                    {c.status === "VOID" && c.reason && c.sourceOccurrence ? <p className="mk-sub">Voided by the school: {c.reason}</p> : null}
                    {failedHere ? (
                      <p className="mk-result bad" role="alert">
                        {failedHere.message}
                      </p>
                    ) : null}
                    {c.options ? (
                      <>
                        <h4>Join a group class</h4>
                        {c.options.groups.length === 0 ? (
                          <p className="muted">No fitting group class has a free seat before this credit expires.</p>
                        ) : (
                          <ul className="mk-options">
                            {c.options.groups.map((g) => {
                              const busy = pending?.get("intent") === "book-seat" && pending.get("occurrenceId") === g.occurrenceId && pending.get("creditId") === c.id;
                              return (
                                <li key={g.occurrenceId}>
                                  <div>
                                    <div className="mk-when">
                                      {fmt.dateTime(g.start)}–{fmt.time(g.end)}
                                    </div>
                                    <div className="mk-sub">
                                      {g.title} · {g.teacher} · {g.room}
                                      {g.seatsLeft !== null ? ` · ${g.seatsLeft} ${g.seatsLeft === 1 ? "seat" : "seats"} left` : ""}
                                    </div>
                                  </div>
                                  <Form method="post" preventScrollReset>
                                    <input type="hidden" name="creditId" value={c.id} />
                                    <input type="hidden" name="occurrenceId" value={g.occurrenceId} />
                                    <button className="button secondary small" name="intent" value="book-seat" disabled={busy} aria-label={`Book ${g.title} on ${fmt.dateTime(g.start)}`}>
                                      {busy ? "Booking…" : "Book this class"}
                                    </button>
                                  </Form>
                                </li>
                              );
                            })}
                          </ul>
                        )}
                        <h4>Or a 1-on-1 make-up with the teacher</h4>
                        {c.options.slots.length === 0 ? (
                          <p className="muted">No free time with the teacher before this credit expires.</p>
                        ) : (
                          <Form method="post" className="mk-slots-form" preventScrollReset>
                            <input type="hidden" name="creditId" value={c.id} />
                            <fieldset>
                              <legend className="sr-only">Free times</legend>
                              {byDay(c.options.slots).map(([day, slots]) => (
                                <div className="hy-day" key={day}>
                                  <p className="hy-day-name">{fmt.day(day, { weekday: "long", month: "short", day: "numeric" })}</p>
                                  <div className="hy-slots">
                                    {slots.map((s) => (
                                      <label className="hy-slot" key={s.start}>
                                        <input type="radio" name="start" value={s.start} defaultChecked={failedHere?.values.start === s.start} />
                                        {fmt.time(s.start)}
                                      </label>
                                    ))}
                                  </div>
                                </div>
                              ))}
                            </fieldset>
                            <p style={{ margin: "0.75rem 0 0" }}>
                              <button className="button secondary small" name="intent" value="book-slot" disabled={pending?.get("intent") === "book-slot" && pending.get("creditId") === c.id}>
                                Book this time
                              </button>
                            </p>
                          </Form>
                        )}
                      </>
                    ) : null}
                  </div>
                );
              })
            )}
          </section>
        );
      })}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
