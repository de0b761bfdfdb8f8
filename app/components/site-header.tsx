import { Form, Link, NavLink } from "@remix-run/react";

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
    { to: "/admin/attendance", label: "Attendance" },
    { to: "/admin/messages", label: "Messages" },
    { to: "/admin/reports", label: "Reports" },
    { to: "/admin/students", label: "Students" },
    { to: "/admin/people", label: "People" },
    { to: "/admin/setup", label: "Setup" },
    { to: "/admin/outbox", label: "Outbox" },
  ],
  TEACHER: [
    { to: "/teach/today", label: "Today" },
    { to: "/teach/week", label: "My week" },
    { to: "/teach/availability", label: "Availability" },
    { to: "/teach/messages", label: "Messages" },
    { to: "/account/calendar", label: "Calendar feed" },
  ],
  PARENT: [
    { to: "/family", label: "My family" },
    { to: "/family/schedule", label: "Schedule" },
    { to: "/family/makeups", label: "Make-ups" },
    { to: "/account/calendar", label: "Calendar feed" },
    { to: "/account/notifications", label: "Reminders" },
  ],
  STUDENT: [
    { to: "/family", label: "My lessons" },
    { to: "/family/schedule", label: "Schedule" },
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
  const nav = data.user ? (SCHOOL_NAV[data.user.role] ?? []) : [];
  return (
    <header className="site-header">
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
      <nav aria-label="Main">
        {nav.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.to === "/admin"}>
            {item.label}
          </NavLink>
        ))}
        {data.user ? (
          <Form method="post" action="/logout">
            <button className="link-button">Sign out {data.user.firstName}</button>
          </Form>
        ) : (
          <Link to="/login">Sign in</Link>
        )}
      </nav>
    </header>
  );
}
