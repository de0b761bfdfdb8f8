// The header: the school's name and logo, and the menu of the signed-in person's role.
// On a phone the menu folds behind a "Menu" button (once the page has JavaScript;
// without it the menu simply stacks), and closes when a link is followed.
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useId, useState } from "react";

type HeaderData =
  | {
      kind: "school";
      school: { name: string; slug: string; logoUrl: string | null };
      user: { firstName: string; lastName: string; role: string } | null;
    }
  | { kind: "platform"; operator: { name: string; email: string } | null };

const SCHOOL_NAV: Record<string, { to: string; label: string }[]> = {
  ADMIN: [
    { to: "/admin", label: "Dashboard" },
    { to: "/admin/calendar", label: "Calendar" },
    { to: "/admin/lessons", label: "Lessons" },
    { to: "/admin/enrollments", label: "Enrollments" },
    { to: "/admin/requests", label: "Requests" },
    { to: "/admin/attendance", label: "Attendance" },
    { to: "/admin/messages", label: "Messages" },
    { to: "/admin/resources", label: "Resources" },
    { to: "/admin/reports", label: "Reports" },
    { to: "/admin/billing", label: "Billing" },
    { to: "/admin/pay", label: "Pay" },
    { to: "/admin/students", label: "Students" },
    { to: "/admin/exams", label: "Exams" },
    { to: "/admin/people", label: "People" },
    { to: "/admin/setup", label: "Setup" },
    { to: "/admin/outbox", label: "Outbox" },
  ],
  TEACHER: [
    { to: "/teach/today", label: "Today" },
    { to: "/teach/week", label: "My week" },
    { to: "/teach/students", label: "Students" },
    { to: "/teach/resources", label: "Resources" },
    { to: "/teach/availability", label: "Availability" },
    { to: "/teach/profile", label: "Profile" },
    { to: "/teach/pay", label: "Pay" },
    { to: "/teach/messages", label: "Messages" },
    { to: "/account/calendar", label: "Calendar feed" },
  ],
  PARENT: [
    { to: "/family", label: "My family" },
    { to: "/family/schedule", label: "Schedule" },
    { to: "/family/resources", label: "Resources" },
    { to: "/family/makeups", label: "Make-ups" },
    { to: "/family/progress", label: "Progress" },
    { to: "/family/billing", label: "Billing" },
    { to: "/account/calendar", label: "Calendar feed" },
    { to: "/account/notifications", label: "Reminders" },
  ],
  STUDENT: [
    { to: "/family", label: "My lessons" },
    { to: "/family/schedule", label: "Schedule" },
    { to: "/family/progress", label: "Progress" },
    { to: "/family/resources", label: "Resources" },
    { to: "/account/notifications", label: "Reminders" },
  ],
};

export function SiteHeader({ data }: { data: HeaderData }) {
  if (data.kind === "platform") {
    return (
      <header className="site-header">
        <Link to="/operator" className="brand-name">
          <span className="logo-mark" aria-hidden="true">
            E
          </span>
          Encore <span className="muted-on-brand">Operator</span>
        </Link>
        {data.operator ? (
          <nav aria-label="Operator">
            <NavLink to="/operator" end>
              Schools
            </NavLink>
            <NavLink to="/operator/billing">Billing</NavLink>
            <NavLink to="/operator/outbox">Outbox</NavLink>
            <NavLink to="/operator/audit">Audit log</NavLink>
            <Form method="post" action="/operator/logout">
              <button className="link-button">Sign out</button>
            </Form>
          </nav>
        ) : null}
      </header>
    );
  }
  return <SchoolHeader data={data} />;
}

function SchoolHeader({ data }: { data: Extract<HeaderData, { kind: "school" }> }) {
  const nav = data.user ? (SCHOOL_NAV[data.user.role] ?? []) : [];
  const menuId = useId();
  const location = useLocation();
  // Folding needs JavaScript: until the page is hydrated the menu stays open.
  const [hydrated, setHydrated] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => setHydrated(true), []);
  useEffect(() => setOpen(false), [location.pathname]);
  return (
    <header className="site-header" data-menu={hydrated && data.user ? (open ? "open" : "closed") : undefined}>
      <Link to="/" className="brand-name">
        {data.school.logoUrl ? (
          <img src={data.school.logoUrl} alt="" className="logo" />
        ) : (
          <span className="logo-mark" aria-hidden="true">
            {data.school.name.slice(0, 1)}
          </span>
        )}
        {data.school.name}
      </Link>
      {data.user ? (
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
          {open ? "Close menu" : "Menu"}
        </button>
      ) : null}
      <nav aria-label="Main" id={menuId}>
        {nav.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.to === "/admin" || item.to === "/family"}>
            {item.label}
          </NavLink>
        ))}
        {data.user ? (
          <div className="account">
            <span className="account-name" title={`Signed in as ${data.user.firstName} ${data.user.lastName}`}>
              <span className="sr-only">Signed in as </span>
              {data.user.firstName}
            </span>
            <Form method="post" action="/logout">
              <button className="link-button">Sign out</button>
            </Form>
          </div>
        ) : (
          <Link to="/login">Sign in</Link>
        )}
      </nav>
    </header>
  );
}
