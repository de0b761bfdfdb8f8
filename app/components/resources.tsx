// Learning resources on the teacher's and admin's pages: the share/edit form and the
// list with who opened what (and who has not).
import { Form, Link, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { FILE_RULES, formatBytes, RESOURCE_TYPES, TYPE_LABELS, VISIBILITY_LABELS, VISIBILITIES, type ResourceType, type Visibility } from "~/domain/resources";
import { useFormat } from "~/utils/format";
import { Field, FormError, SelectField, useFocusFirstInvalid } from "./form";

export interface ResourceFormDefaults {
  title: string;
  description: string;
  type: ResourceType;
  visibility: Visibility;
  lessonId: string;
  studentIds: string[];
  releaseDate: string;
  releaseTime: string;
  expiryDate: string;
}

type Result = { ok: false; errors: Record<string, string>; values: Record<string, string>; studentIds: string[]; message: string | null } | undefined;

const KIND_HINT: Record<string, string> = { pdf: "PDF", audio: "MP3, M4A, WAV or OGG", video: "MP4" };

export function ResourceForm({
  options,
  defaults,
  result,
  editing,
  cancelTo,
  timeZone,
  existingFile,
  now,
}: {
  options: { lessons: { id: string; title: string }[]; students: { id: string; name: string }[] };
  defaults: ResourceFormDefaults;
  result: Result;
  editing: boolean;
  cancelTo: string;
  timeZone: string;
  existingFile?: string | null;
  /** The school's now: the instant, and its local "yyyy-MM-ddTHH:mm". */
  now: { at: string; local: string };
}) {
  const fmt = useFormat();
  const busy = useNavigation().state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const e = result?.errors ?? {};
  useFocusFirstInvalid(formRef, result?.errors);
  const v = (name: keyof ResourceFormDefaults) => (result?.values[name] !== undefined ? result.values[name]! : (defaults[name] as string));
  // What was typed, when it is one of the choices (a forged value falls back to the stored one).
  const typed = v("type");
  const chosenVisibility = v("visibility");
  const [type, setType] = useState<ResourceType>((RESOURCE_TYPES as readonly string[]).includes(typed) ? (typed as ResourceType) : defaults.type);
  const [visibility, setVisibility] = useState<Visibility>((VISIBILITIES as readonly string[]).includes(chosenVisibility) ? (chosenVisibility as Visibility) : defaults.visibility);
  const [source, setSource] = useState<"file" | "link">(result?.values.source === "link" ? "link" : "file");
  const chosen = new Set(result ? result.studentIds : defaults.studentIds);
  const rule = FILE_RULES[type];

  return (
    <Form method="post" encType="multipart/form-data" ref={formRef} className="card stack resource-form" noValidate>
      <FormError message={result?.message} />
      <Field label="Title" name="title" defaultValue={v("title")} error={e.title} required maxLength={200} />
      <div className="field">
        <label htmlFor="resource-description">Description (optional)</label>
        <textarea id="resource-description" name="description" rows={3} defaultValue={v("description")} maxLength={2000} />
        {e.description ? <p className="field-error">{e.description}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="resource-type">Kind</label>
        <select id="resource-type" name="type" value={type} onChange={(ev) => setType(ev.target.value as ResourceType)}>
          {RESOURCE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        {e.type ? <p className="field-error">{e.type}</p> : null}
      </div>

      {editing ? (
        <p className="muted">{existingFile ? `File: ${existingFile}. To change the file, share a new resource and remove this one.` : "A link. To change it, share a new resource and remove this one."}</p>
      ) : (
        <fieldset className="field">
          <legend>What to share</legend>
          <div className="row">
            <input type="radio" id="source-file" name="source" value="file" checked={source === "file"} onChange={() => setSource("file")} />
            <label htmlFor="source-file">A file</label>
          </div>
          <div className="row">
            <input type="radio" id="source-link" name="source" value="link" checked={source === "link"} onChange={() => setSource("link")} />
            <label htmlFor="source-link">A link (a video, a website)</label>
          </div>
          {source === "file" ? (
            <Field
              label="File"
              name="file"
              type="file"
              accept={rule.kinds.map((k) => (k === "pdf" ? "application/pdf,.pdf" : k === "audio" ? "audio/*,.mp3,.m4a,.wav,.ogg" : "video/mp4,.mp4")).join(",")}
              hint={`${rule.kinds.map((k) => KIND_HINT[k]).join(" or ")}, up to ${formatBytes(rule.maxBytes)}.`}
              error={e.file}
            />
          ) : (
            <Field label="Web address" name="linkUrl" type="url" defaultValue={result?.values.linkUrl ?? ""} placeholder="https://" error={e.linkUrl} />
          )}
        </fieldset>
      )}

      <fieldset className="field">
        <legend>Who gets it</legend>
        <div className="field">
          <label htmlFor="resource-visibility">Audience</label>
          <select id="resource-visibility" name="visibility" value={visibility} onChange={(ev) => setVisibility(ev.target.value as Visibility)}>
            {VISIBILITIES.map((vis) => (
              <option key={vis} value={vis}>
                {VISIBILITY_LABELS[vis]}
              </option>
            ))}
          </select>
        </div>
        <SelectField
          label={visibility === "LESSON_GROUP" ? "Lesson" : "Lesson (optional)"}
          name="lessonId"
          defaultValue={v("lessonId")}
          error={e.lessonId}
          options={[{ value: "", label: visibility === "LESSON_GROUP" ? "Choose a lesson" : "No lesson" }, ...options.lessons.map((l) => ({ value: l.id, label: l.title }))]}
        />
        {visibility === "PRIVATE" ? (
          <div className="field">
            <span className="label-like">Students</span>
            {options.students.length ? (
              <div className="resource-students">
                {options.students.map((s) => (
                  <div className="row" key={s.id}>
                    <input type="checkbox" id={`student-${s.id}`} name="studentIds" value={s.id} defaultChecked={chosen.has(s.id)} />
                    <label htmlFor={`student-${s.id}`}>{s.name}</label>
                  </div>
                ))}
              </div>
            ) : (
              <p className="muted">No students yet.</p>
            )}
            <div className="row">
              <input type="checkbox" id="staff-only" name="staffOnly" />
              <label htmlFor="staff-only">Only staff for now (nobody chosen)</label>
            </div>
            {e.studentIds ? <p className="field-error">{e.studentIds}</p> : null}
          </div>
        ) : null}
      </fieldset>

      <fieldset className="field">
        <legend>When ({timeZone})</legend>
        <p className="muted" style={{ marginTop: 0 }}>
          It is now <time dateTime={now.local}>{fmt.dateTime(now.at)}</time> there. Families see it from its release until the end of its last day.
        </p>
        <div className="grid">
          <Field label="Release on (empty: now)" name="releaseDate" type="date" defaultValue={v("releaseDate")} error={e.releaseDate} />
          <Field label="At" name="releaseTime" type="time" defaultValue={v("releaseTime")} error={e.releaseTime} />
          <Field label="Last day (optional)" name="expiryDate" type="date" defaultValue={v("expiryDate")} error={e.expiryDate} />
        </div>
      </fieldset>

      <div className="row">
        <button className="button" disabled={busy}>
          {busy ? "Saving…" : editing ? "Save changes" : "Share"}
        </button>
        <Link className="button secondary" to={cancelTo}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}

export interface StaffRow {
  id: string;
  title: string;
  typeLabel: string;
  visibility: Visibility;
  lessonTitle: string | null;
  sharedBy: string;
  releasedAt: string;
  expiresAt: string | null;
  state: "scheduled" | "open" | "expired";
  link: boolean;
  linkUrl: string | null;
  fileName: string | null;
  audience: { studentId: string; name: string; openedCount: number; firstAt: string | null; lastAt: string | null }[];
  openedCount: number;
  canManage: boolean;
}

const STATE_BADGE = { scheduled: { label: "Scheduled", className: "badge warn" }, open: { label: "Available", className: "badge ok" }, expired: { label: "Expired", className: "badge muted" } } as const;

export function StaffResourceList({ rows, base, showSharer }: { rows: StaffRow[]; base: string; showSharer: boolean }) {
  const fmt = useFormat();
  if (!rows.length) return <p className="card muted">Nothing shared yet.</p>;
  return (
    <ul className="resource-list">
      {rows.map((r) => {
        const opened = r.audience.filter((a) => a.openedCount > 0);
        const notYet = r.audience.filter((a) => a.openedCount === 0);
        return (
          <li key={r.id} className="card resource-item" aria-label={r.title}>
            <div className="resource-head">
              <div>
                <h2 className="resource-title">{r.title}</h2>
                <p className="muted resource-meta">
                  {r.typeLabel} · {VISIBILITY_LABELS[r.visibility]}
                  {r.lessonTitle ? ` · ${r.lessonTitle}` : ""}
                  {showSharer ? ` · shared by ${r.sharedBy}` : ""}
                </p>
              </div>
              <span className={STATE_BADGE[r.state].className}>{STATE_BADGE[r.state].label}</span>
            </div>
            <p className="resource-meta">
              {r.state === "scheduled" ? "Released " : "Since "}
              {fmt.dateTime(r.releasedAt)}
              {r.expiresAt ? ` · until ${fmt.dateTime(r.expiresAt)}` : ""}
              {r.fileName ? ` · ${r.fileName}` : r.link ? " · link" : ""}
            </p>
            <p className="resource-opened">
              <strong>
                Opened by {r.openedCount} of {r.audience.length}
              </strong>
            </p>
            {r.audience.length ? (
              <div className="resource-who">
                {opened.length ? (
                  <div>
                    <p className="eyebrow">Opened</p>
                    <ul>
                      {opened.map((a) => (
                        <li key={a.studentId}>
                          {a.name} — {a.openedCount}× · last {fmt.dateTime(a.lastAt!)}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {notYet.length ? (
                  <div>
                    {notYet.length > 8 ? (
                      // A whole school is a long list: folded, with its count.
                      <details>
                        <summary className="eyebrow">Not yet ({notYet.length})</summary>
                        <ul>
                          {notYet.map((a) => (
                            <li key={a.studentId}>{a.name}</li>
                          ))}
                        </ul>
                      </details>
                    ) : (
                      <>
                        <p className="eyebrow">Not yet</p>
                        <ul>
                          {notYet.map((a) => (
                            <li key={a.studentId}>{a.name}</li>
                          ))}
                        </ul>
                      </>
                    )}
                  </div>
                ) : null}
              </div>
            ) : (
              <p className="muted">{r.visibility === "PRIVATE" ? "Only staff see it (nobody chosen)." : "Nobody is in its audience yet."}</p>
            )}
            <div className="row">
              {r.linkUrl ? (
                <a className="button small secondary" href={r.linkUrl} target="_blank" rel="noopener noreferrer">
                  Open link
                </a>
              ) : (
                <form method="post" action={`${base}?index`} target="_blank">
                  <input type="hidden" name="intent" value="open" />
                  <input type="hidden" name="resourceId" value={r.id} />
                  <button className="button small secondary">Open file</button>
                </form>
              )}
              {r.canManage ? (
                <Link className="button small secondary" to={`${base}/${r.id}/edit`}>
                  Edit
                </Link>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
