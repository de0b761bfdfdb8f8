// A teacher cancels one of their own upcoming lessons; the families are told.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/form";
import { cancelOccurrenceAsTeacher, teacherOccurrence } from "~/models/occurrence-changes.server";
import { SchedulingInputError } from "~/models/scheduling.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Cancel a lesson");

async function ownUpcoming(context: LoaderFunctionArgs["context"], teacherId: string, occurrenceId: string) {
  const { db } = requireSchool(context);
  const o = await db.run((tx) => teacherOccurrence(tx, occurrenceId, teacherId));
  // Another teacher's lesson does not exist for this teacher.
  if (!o) throw new Response("Not found", { status: 404 });
  return o;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { school } = requireSchool(context);
  const o = await ownUpcoming(context, user.id, params.occurrenceId ?? "");
  return { occurrence: o, timeZone: school.timezone, open: o.status === "SCHEDULED" && o.startsAt > context.clock.now() };
}

const schema = z.object({ reason: z.string().trim().min(3, "Tell the families why, in a few words.").max(300, "Keep the reason under 300 characters.") });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const o = await ownUpcoming(context, user.id, params.occurrenceId ?? "");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message }, { status: 400 });
  if (o.startsAt <= context.clock.now()) return data({ error: "This lesson has already started; ask the school to record what happened." }, { status: 400 });
  try {
    await db.run((tx) => cancelOccurrenceAsTeacher(tx, context.mailer, { occurrenceId: o.id, teacher: user, reason: parsed.data.reason, timeZone: school.timezone, now: context.clock.now() }));
  } catch (error) {
    if (error instanceof SchedulingInputError) return data({ error: error.message }, { status: 409 });
    throw error;
  }
  throw redirect("/teach");
}

export default function TeacherCancel() {
  const fmt = useFormat();
  const { occurrence, timeZone, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow">
      <h1>Cancel a lesson</h1>
      <p>
        <strong>{occurrence.lesson.title}</strong> · {fmt.dateTime(occurrence.startsAt)} · {occurrence.room?.name ?? "Online"}
      </p>
      {open ? (
        <Form method="post" noValidate>
          <FormError message={actionData?.error} />
          <div className="field">
            <label htmlFor="reason">Why (the families see this)</label>
            <textarea id="reason" name="reason" rows={3} required aria-invalid={actionData?.error ? true : undefined} />
          </div>
          <div className="row">
            <button className="button" disabled={busy}>
              {busy ? "Cancelling…" : "Cancel the lesson and tell the families"}
            </button>
            <Link to="/teach">Keep it</Link>
          </div>
        </Form>
      ) : (
        <p className="muted">This lesson is not upcoming any more, so it cannot be cancelled here.</p>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
