import { useFormat } from "~/utils/format";

interface Email {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  createdAt: string | Date;
  school?: { name: string } | null;
}

/** Emails as readable cards; links in the text are clickable so invitations work locally. */
export function EmailList({ emails, timeZone }: { emails: Email[]; timeZone: string }) {
  const fmt = useFormat();
  if (emails.length === 0) return <p className="card muted">No emails yet.</p>;
  return (
    <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
      {emails.map((e) => (
        <li key={e.id} className="card" aria-label={`Email to ${e.to}: ${e.subject}`}>
          <div className="spread">
            <h2 style={{ margin: 0 }}>{e.subject}</h2>
            {e.status === "FAILED" ? <span className="badge danger">Failed</span> : null}
          </div>
          <p className="muted">
            To {e.to}
            {e.school ? <> · {e.school.name}</> : null} · {fmt.dateTime(e.createdAt)}
          </p>
          <pre className="email">
            {e.text.split(/(https?:\/\/\S+)/g).map((part, i) =>
              /^https?:\/\//.test(part) ? (
                <a key={i} href={part}>
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </pre>
        </li>
      ))}
    </ul>
  );
}
