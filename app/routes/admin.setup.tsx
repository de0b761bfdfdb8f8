import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Setup");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  return null;
}

const SECTIONS = [
  { to: "/admin/terms", title: "Terms and closures", text: "The school year: terms, holidays and days a location is shut." },
  { to: "/admin/places", title: "Locations and rooms", text: "Where lessons happen, and how many students each room holds." },
  { to: "/admin/lists", title: "Instruments and durations", text: "The school's own lists used in lessons and enrollment forms." },
  { to: "/admin/availability", title: "Teacher availability", text: "When each teacher works, and their time off." },
  { to: "/admin/handover", title: "Hand over lessons", text: "Give a leaving teacher's future lessons to a colleague." },
];

export default function Setup() {
  return (
    <div className="stack">
      <h1>Setup</h1>
      <div className="grid">
        {SECTIONS.map((s) => (
          <section key={s.to} className="card">
            <h2>
              <Link to={s.to}>{s.title}</Link>
            </h2>
            <p className="muted">{s.text}</p>
          </section>
        ))}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
