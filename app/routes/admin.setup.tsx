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
  { to: "/admin/credits", title: "Make-up credits", text: "Grant or void a family's make-up credits, with the reason kept." },
  { to: "/admin/settings/makeups", title: "Make-up and move policy", text: "Notice for credits, credits per term, expiry, and 1-on-1 moves." },
  { to: "/admin/settings/enrollment", title: "Enrollment and landing page", text: "Approval, registration fee, and what the public page shows." },
  { to: "/admin/settings/branding", title: "Branding", text: "Logo, brand color, website and contact details." },
  { to: "/admin/settings/domain", title: "Custom domain", text: "Serve the school at its own web address." },
  { to: "/admin/settings/payments", title: "Online payments", text: "Connect to Stripe so families can pay invoices by card." },
  { to: "/admin/billing/settings", title: "Billing", text: "Tax, invoice numbers, payment terms, late fees, reminders and sibling discounts." },
  { to: "/admin/billing/prices", title: "Price lists", text: "What each kind of lesson costs, per term." },
  { to: "/admin/import", title: "Import students", text: "Bring families and students in from a CSV file." },
  { to: "/admin/audit", title: "Audit log", text: "Who invited, deactivated or reactivated whom, and every change of role." },
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
