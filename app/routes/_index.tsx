// The school's public page: who they are, what a family can join (with open seats
// and "Enroll" buttons that preselect it on the form), teachers, places, contact.
// Server-rendered and complete without JavaScript; each section follows the
// school's landing settings. The platform's own domain goes to the operator console.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { cachedLandingPage } from "~/models/landing.server";
import { CLASS_TYPE_LABEL, programValue } from "~/models/online-enrollment-form";
import familiesCss from "~/styles/families.css?url";
import type { loader as rootLoader } from "~/root";
import { formatterFor, useFormat } from "~/utils/format";
import { formatAddress } from "~/domain/locale";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: familiesCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const { title, description, url, image } = data.meta;
  return [
    { title },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: title },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    ...(image ? [{ property: "og:image", content: image }, { property: "og:image:alt", content: `${title} logo` }] : []),
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: description },
  ];
};

function absolute(origin: string, url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url, origin).href;
  } catch {
    return null;
  }
}

function firstSentences(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).replace(/\s+\S*$/, "")}…`;
}

export async function loader({ context }: LoaderFunctionArgs) {
  // The platform's own domain is the operator console.
  if (context.tenant.kind !== "school" || !context.db) throw redirect("/operator");
  const { school } = context.tenant;
  // Who is signed in comes from the root loader (no second session lookup here).
  const page = await cachedLandingPage(context.db, { schoolId: school.id, fmt: formatterFor(school), now: context.clock.now() });
  const description = page.settings.tagline
    ? firstSentences(page.settings.tagline)
    : page.settings.about
      ? firstSentences(page.settings.about)
      : `${school.name} — music lessons, classes and ensembles for every age and level.`;
  return {
    school: { name: school.name, email: school.email, phone: school.phone, website: school.website, logoUrl: school.logoUrl, currency: school.currency, active: school.status === "ACTIVE" },
    ...page,
    meta: { title: school.name, description, url: `${context.links.origin}/`, image: absolute(context.links.origin, school.logoUrl) },
  };
}

const initials = (first: string, last: string) => `${first.slice(0, 1)}${last.slice(0, 1)}`.toUpperCase();

export default function SchoolHome() {
  const fmt = useFormat();
  const { school, settings, classes, instruments, teachers, locations } = useLoaderData<typeof loader>();
  const signedIn = useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
  const enrollOpen = school.active;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const facts = [
    classes.length ? plural(classes.length, "class open now", "classes open now") : null,
    instruments.length ? plural(instruments.length, "instrument", "instruments") : null,
    teachers.length ? plural(teachers.length, "teacher", "teachers") : null,
    locations.length ? plural(locations.length, "location", "locations") : null,
  ].filter((f): f is string => Boolean(f));
  const aboutParagraphs = (settings.about ?? "").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <div className="lp">
      <section className={`lp-hero${school.logoUrl ? " with-logo" : ""}`} aria-labelledby="school-name">
        {school.logoUrl ? <img className="lp-hero-logo" src={school.logoUrl} alt={`${school.name} logo`} width={112} height={112} /> : null}
        <div>
          <p className="eyebrow">Welcome to</p>
          <h1 id="school-name">{school.name}</h1>
          <p className="tagline">{settings.tagline ?? "Lessons, classes and ensembles for every age and level."}</p>
          {facts.length ? (
            <ul className="lp-facts" aria-label="At a glance" style={{ marginTop: "0.75rem" }}>
              {facts.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : null}
          <div className="lp-actions" style={{ marginTop: "1.25rem" }}>
            {enrollOpen ? (
              <Link className="button" to="/enroll">
                Enroll now
              </Link>
            ) : null}
            {enrollOpen && settings.trialLessonMinutes ? (
              <Link className="button secondary" to="/trial">
                Book a trial lesson
              </Link>
            ) : null}
            {signedIn ? (
              <Link className="button secondary" to="/dashboard">
                Go to your dashboard
              </Link>
            ) : (
              <Link className="button secondary" to="/login">
                Sign in
              </Link>
            )}
          </div>
        </div>
      </section>

      {!enrollOpen ? (
        <p className="card muted" role="status">
          Online enrollment is closed at the moment. Please contact the school.
        </p>
      ) : null}

      {aboutParagraphs.length ? (
        <section className="lp-section card" aria-labelledby="about">
          <h2 id="about">About us</h2>
          <div className="lp-about">
            {aboutParagraphs.map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        </section>
      ) : null}

      {settings.showPrograms ? (
        <section className="lp-section" aria-labelledby="programs">
          <h2 id="programs">Classes and lessons</h2>
          <p className="lead">
            {classes.length ? "Group classes with seats open now. " : ""}
            {settings.requireApproval ? "The school confirms each new place. " : ""}
            {settings.registrationFee ? `A one-time registration fee of ${fmt.money(settings.registrationFee)} applies to new families.` : ""}
          </p>
          <ul className="lp-cards">
            {classes.map((c) => (
              <li key={c.id} className="lp-card">
                <div className="lp-card-top">
                  <span className="badge">{CLASS_TYPE_LABEL[c.type] ?? "Class"}</span>
                  {c.instrument ? <span className="badge ok">{c.instrument}</span> : null}
                </div>
                <h3>{c.title}</h3>
                <p className="when">
                  {c.schedule} <span className="place">· {c.place}</span>
                  {c.seats ? <span className="seats"> · {c.seats}</span> : null}
                </p>
                <p className="who">with {c.teacher}</p>
                {c.description ? <p className="desc">{c.description}</p> : null}
                <span className="spacer" />
                {enrollOpen ? (
                  <Link className="button" to={`/enroll?program=${encodeURIComponent(programValue({ kind: "lesson", lessonId: c.id }))}`} aria-label={`Enroll in ${c.title}`}>
                    Enroll
                  </Link>
                ) : null}
              </li>
            ))}
            {instruments.length ? (
              <li className="lp-card lp-individual">
                <div className="lp-card-top">
                  <span className="badge">1-on-1</span>
                </div>
                <h3>Individual lessons</h3>
                <p>
                  Individual lessons in {instruments.join(" / ")}, at a time that suits you. Choose an instrument and the school will contact you to
                  arrange a teacher and a time.
                </p>
                {enrollOpen ? (
                  <ul className="lp-chips" aria-label="Enroll for individual lessons">
                    {instruments.map((name) => (
                      <li key={name}>
                        <Link to={`/enroll?program=${encodeURIComponent(programValue({ kind: "individual", instrument: name }))}`} aria-label={`Enroll for individual lessons in ${name}`}>
                          {name}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ) : null}
          </ul>
          {classes.length === 0 && instruments.length === 0 ? <p className="card muted">New classes are coming soon. Contact us to hear first.</p> : null}
        </section>
      ) : null}

      {settings.showTeachers && teachers.length ? (
        <section className="lp-section" aria-labelledby="teachers">
          <h2 id="teachers">Our teachers</h2>
          <ul className="lp-cards">
            {teachers.map((t) => (
              <li key={t.id} className="lp-card lp-teacher">
                {t.photoUrl ? (
                  <img className="lp-avatar" src={t.photoUrl} alt="" width={64} height={64} loading="lazy" />
                ) : (
                  <span className="lp-avatar" aria-hidden="true">
                    {initials(t.firstName, t.lastName)}
                  </span>
                )}
                <div>
                  <h3>
                    {t.firstName} {t.lastName}
                  </h3>
                  {t.instruments ? <p className="specialties">{t.instruments}</p> : null}
                  {t.bio ? <p className="desc">{t.bio}</p> : null}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {settings.showLocations && locations.length ? (
        <section className="lp-section" aria-labelledby="locations">
          <h2 id="locations">{locations.length === 1 ? "Where we are" : "Our locations"}</h2>
          <ul className="lp-cards">
            {locations.map((l) => (
              <li key={l.id} className="lp-card">
                <h3>{l.name}</h3>
                <address>
                  {l.address ? (
                    <>
                      {l.address}
                      <br />
                    </>
                  ) : null}
                  {formatAddress({ city: l.city, state: l.state, postcode: l.postcode }, fmt.locale)}
                </address>
                {l.phone ? <a href={`tel:${l.phone.replace(/[^\d+]/g, "")}`}>{l.phone}</a> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="lp-section card" aria-labelledby="contact">
        <h2 id="contact">Contact</h2>
        <div className="lp-contact">
          <dl>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${school.email}`}>{school.email}</a>
            </dd>
            {school.phone ? (
              <>
                <dt>Phone</dt>
                <dd>
                  <a href={`tel:${school.phone.replace(/[^\d+]/g, "")}`}>{school.phone}</a>
                </dd>
              </>
            ) : null}
          </dl>
          {settings.contactAddress || school.website ? (
            <dl>
              {settings.contactAddress ? (
                <>
                  <dt>Address</dt>
                  <dd>
                    <address style={{ whiteSpace: "pre-line" }}>{settings.contactAddress}</address>
                  </dd>
                </>
              ) : null}
              {school.website ? (
                <>
                  <dt>Website</dt>
                  <dd>
                    <a href={school.website} rel="noopener">
                      {school.website.replace(/^https?:\/\//, "").replace(/\/$/, "")}
                    </a>
                  </dd>
                </>
              ) : null}
            </dl>
          ) : null}
        </div>
      </section>

      {enrollOpen && !signedIn ? (
        <section className="lp-cta" aria-labelledby="join">
          <h2 id="join">Ready to start?</h2>
          <p>Enroll your children online in a few minutes. You can add more later from your family page.</p>
          <Link className="button" to="/enroll">
            Enroll now
          </Link>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
