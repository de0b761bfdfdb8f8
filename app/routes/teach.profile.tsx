// A teacher's own public profile: photo, bio, instruments, and whether they agree to
// be shown on the school's public page.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { TeacherProfileForm } from "~/components/teacher-profile-form";
import { BIO_MAX } from "~/models/teacher-profile";
import { submitTeacherProfile, teacherProfile } from "~/models/teacher-profile.server";
import familiesCss from "~/styles/families.css?url";
import { pageTitle } from "~/utils/meta";
import { requireSchool, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My profile");
// families.css: the checkbox lists of the profile form (shared with the admin's page of a person).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db } = requireSchool(context);
  const profile = await db.run((tx) => teacherProfile(tx, user.id));
  if (!profile) throw new Response("Not found", { status: 404 });
  return { profile };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: "TEACHER" });
  const { db, school } = requireSchool(context);
  const { status, result } = await submitTeacherProfile(request, { db, storage: context.storage, schoolId: school.id }, user.id);
  return data(result, { status });
}

export default function TeacherProfile() {
  const { profile } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack" style={{ maxWidth: "46rem" }}>
      <div>
        <p className="eyebrow">My teaching</p>
        <h1>My profile</h1>
        <p className="muted" style={{ margin: 0 }}>
          What families see about you on the school&rsquo;s public page, if you agree to be shown there.
        </p>
      </div>
      <section className="card">
        <TeacherProfileForm profile={profile} result={result} busy={busy} own bioMax={BIO_MAX} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
