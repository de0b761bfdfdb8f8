// A teacher's public profile form: photo, bio, instruments, and the consent to be
// shown on the school's public page. The same on the teacher's own page and on
// the admin's page for that teacher.
import { Form } from "@remix-run/react";
import { useId } from "react";
import { FieldFrame, FormError } from "~/components/form";

export interface TeacherProfileView {
  firstName: string;
  lastName: string;
  bio: string | null;
  photoUrl: string | null;
  teachingInstruments: string[];
  showOnLanding: boolean;
  instrumentChoices: string[];
}

export interface TeacherProfileResult {
  ok: boolean;
  errors: Record<string, string>;
  values: Record<string, string | string[]>;
  message: string | null;
}

/** `announce`: the form has its own status line (off where the page already has one). */
export function TeacherProfileForm({
  profile,
  result,
  busy,
  own,
  bioMax,
  announce = true,
}: {
  profile: TeacherProfileView;
  result: TeacherProfileResult | null | undefined;
  busy: boolean;
  own: boolean;
  bioMax: number;
  announce?: boolean;
}) {
  const id = useId();
  const failed = result && !result.ok ? result : null;
  const e = failed?.errors ?? {};
  const typed = (name: string) => failed?.values[name];
  const bio = (typed("bio") as string | undefined) ?? profile.bio ?? "";
  const chosen = new Set(failed ? [typed("instruments") ?? []].flat() : profile.teachingInstruments);
  const shown = failed ? typed("showOnLanding") === "on" : profile.showOnLanding;
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="stack teacher-profile-form">
      <input type="hidden" name="intent" value="profile" />
      {announce ? (
        <div role="status" aria-live="polite">
          {result?.ok ? <p className="notice">{result.message}</p> : null}
        </div>
      ) : null}
      <FormError message={failed ? "Please correct the fields marked below." : null} />
      <div className="tp-photo">
        {profile.photoUrl ? <img src={profile.photoUrl} alt={`${profile.firstName} ${profile.lastName}`} width={96} height={96} /> : <span className="tp-initials" aria-hidden="true">{`${profile.firstName[0] ?? ""}${profile.lastName[0] ?? ""}`}</span>}
        <FieldFrame id={`${id}-photo`} label="Photo" hint="PNG, JPEG or WebP, up to 1 MB. A square photo looks best." error={e.photo}>
          <input id={`${id}-photo`} type="file" name="photo" accept="image/png,image/jpeg,image/webp" aria-invalid={e.photo ? true : undefined} aria-describedby={`${id}-photo-hint${e.photo ? ` ${id}-photo-error` : ""}`} />
        </FieldFrame>
        {profile.photoUrl ? (
          <label className="check inline">
            <input type="checkbox" name="removePhoto" /> Remove the photo
          </label>
        ) : null}
      </div>
      <FieldFrame id={`${id}-bio`} label="Bio" hint={`What families read about ${own ? "you" : profile.firstName}: training, style, who ${own ? "you teach" : "they teach"}. Up to ${bioMax} characters.`} error={e.bio}>
        <textarea id={`${id}-bio`} name="bio" rows={5} maxLength={bioMax + 200} defaultValue={bio} aria-invalid={e.bio ? true : undefined} aria-describedby={`${id}-bio-hint${e.bio ? ` ${id}-bio-error` : ""}`} />
      </FieldFrame>
      {profile.instrumentChoices.length ? (
        <fieldset className="ef-choices">
          <legend>Instruments {own ? "you teach" : "they teach"}</legend>
          <div className="ef-checks">
            {profile.instrumentChoices.map((i) => (
              <label key={i} className="check inline">
                <input type="checkbox" name="instruments" value={i} defaultChecked={chosen.has(i)} /> {i}
              </label>
            ))}
          </div>
          {e.instruments ? <p className="field-error-inline">{e.instruments}</p> : null}
        </fieldset>
      ) : null}
      <label className="check">
        <input type="checkbox" name="showOnLanding" defaultChecked={shown} />
        <span>
          <strong>{own ? "Show me" : `Show ${profile.firstName}`} on the school&rsquo;s public page</strong>: name, photo, bio and instruments.{" "}
          {own ? "" : "Only with their agreement."}
        </span>
      </label>
      <div>
        <button className="button" disabled={busy}>
          {busy ? "Saving…" : "Save profile"}
        </button>
      </div>
    </Form>
  );
}
