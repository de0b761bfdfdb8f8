// /family/resources — the library: for each child (or the signed-in student), what
// their teachers shared that is open now, newest first. Audio plays in the page; PDFs
// and videos open in a new tab; links open their site. Each open is recorded for the
// child (the teacher sees it), and files come only through short-lived signed addresses.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { openAction } from "~/models/resource-form.server";
import { familyLibrary, viewerFor, type LibraryItem } from "~/models/resources.server";
import resourcesCss from "~/styles/resources.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Resources");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: resourcesCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const { db } = requireSchool(context);
  const children = await db.run(async (tx) => familyLibrary(tx, await viewerFor(tx, user), context.clock.now()));
  return { children, role: user.role };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { role: ["PARENT", "STUDENT"] });
  const form = await request.formData();
  if (form.get("intent") !== "open") throw new Response("Unknown action.", { status: 400 });
  return openAction(context, user, form, { redirectToFile: form.get("mode") === "tab" });
}

export default function FamilyResources() {
  const { children, role } = useLoaderData<typeof loader>();
  const single = children.length === 1;
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">{role === "STUDENT" ? "My lessons" : "My family"}</p>
        <h1>Resources</h1>
        <p className="muted" style={{ margin: 0 }}>
          Scores, backing tracks and notes from your teachers, newest first.
        </p>
      </div>
      {children.length === 0 ? <p className="card muted">No students in this family yet.</p> : null}
      {children.map((child) => (
        <section key={child.studentId} className="stack" aria-labelledby={`child-${child.studentId}`}>
          {single && role === "STUDENT" ? null : (
            <h2 id={`child-${child.studentId}`} className="resource-child">
              {child.firstName} {child.lastName}
            </h2>
          )}
          {child.items.length ? (
            <ul className="resource-list">
              {child.items.map((item) => (
                <LibraryEntry key={item.id} item={item} studentId={child.studentId} />
              ))}
            </ul>
          ) : (
            <p className="card muted">Nothing shared with {child.firstName} yet.</p>
          )}
        </section>
      ))}
    </div>
  );
}

function LibraryEntry({ item, studentId }: { item: LibraryItem; studentId: string }) {
  const fmt = useFormat();
  const fetcher = useFetcher<typeof action>();
  const opened = fetcher.data && "opened" in fetcher.data ? fetcher.data.opened : null;
  const playable = item.fileKind === "audio";
  return (
    <li className="card resource-item" aria-label={item.title}>
      <div className="resource-head">
        <div>
          <h3 className="resource-title">{item.title}</h3>
          <p className="muted resource-meta">
            {item.typeLabel}
            {item.lessonTitle ? ` · ${item.lessonTitle}` : ""} · {item.sharedBy} · {fmt.date(item.releasedAt)}
            {item.expiresAt ? ` · until ${fmt.dateTime(item.expiresAt)}` : ""}
          </p>
        </div>
        {item.openedCount === 0 && !opened ? <span className="badge">New</span> : null}
      </div>
      {item.description ? <p className="resource-description">{item.description}</p> : null}
      {playable ? (
        opened && opened.kind === "file" ? (
          // eslint-disable-next-line jsx-a11y/media-has-caption -- practice audio has no words to caption
          <audio className="resource-audio" controls autoPlay preload="metadata" src={opened.url} aria-label={`${item.title} (audio)`} />
        ) : (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="open" />
            <input type="hidden" name="resourceId" value={item.id} />
            <input type="hidden" name="studentId" value={studentId} />
            <input type="hidden" name="mode" value="inline" />
            <button className="button small" disabled={fetcher.state !== "idle"}>
              ▶ Play
            </button>
          </fetcher.Form>
        )
      ) : item.link ? (
        <LinkEntry item={item} studentId={studentId} />
      ) : (
        <form method="post" target="_blank">
          <input type="hidden" name="intent" value="open" />
          <input type="hidden" name="resourceId" value={item.id} />
          <input type="hidden" name="studentId" value={studentId} />
          <input type="hidden" name="mode" value="tab" />
          <button className="button small">{item.fileKind === "pdf" ? "Open PDF" : "Open"}</button>
        </form>
      )}
    </li>
  );
}

/** A link: "Open" records the open first, then shows the address to follow. */
function LinkEntry({ item, studentId }: { item: LibraryItem; studentId: string }) {
  const fetcher = useFetcher<typeof action>();
  const opened = fetcher.data && "opened" in fetcher.data ? fetcher.data.opened : null;
  if (opened && opened.kind === "link") {
    return (
      <p>
        <a className="button small" href={opened.url} target="_blank" rel="noopener noreferrer">
          Go to the site ↗
        </a>{" "}
        <span className="muted resource-link">{opened.url}</span>
      </p>
    );
  }
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="open" />
      <input type="hidden" name="resourceId" value={item.id} />
      <input type="hidden" name="studentId" value={studentId} />
      <input type="hidden" name="mode" value="inline" />
      <button className="button small secondary" disabled={fetcher.state !== "idle"}>
        Open link
      </button>
    </fetcher.Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
