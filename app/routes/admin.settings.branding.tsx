import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, SelectField } from "~/components/form";
import { LOCALE_INFO, SCHOOL_LOCALES } from "~/domain/locale";
import settingsCss from "~/styles/settings.css?url";
import { brandingSettings, saveBranding } from "~/models/school-settings.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { fields, parseForm, type FieldErrors, type FormValues } from "~/utils/forms";
import { readImageForm, storeImageField } from "~/utils/uploads.server";
import { brandFor, contrastRatio, DEFAULT_BRAND, isHexColor } from "../../tenants/branding";

export const meta: MetaFunction = () => [{ title: "Branding · Settings" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: settingsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const school = await db.run(brandingSettings);
  return { school: { ...school, brandColor: school.brandColor ?? DEFAULT_BRAND }, storage: context.storage.kind };
}

/** "#ABC", "abc", "#AABBCC" -> "#aabbcc"; anything else stays as typed (and is refused). */
function normalizeHex(value: string): string {
  let v = value.trim().toLowerCase();
  if (/^[0-9a-f]{3}$|^[0-9a-f]{6}$/.test(v)) v = `#${v}`;
  if (/^#[0-9a-f]{3}$/.test(v)) v = `#${v[1]}${v[1]}${v[2]}${v[2]}${v[3]}${v[3]}`;
  return v;
}

const brandingSchema = z.object({
  locale: z.enum(SCHOOL_LOCALES, { errorMap: () => ({ message: "Choose how dates and amounts are written from the list." }) }),
  brandColor: z
    .string({ required_error: "Choose a brand color." })
    .transform(normalizeHex)
    .refine(isHexColor, "Enter a color as # and six hex digits, like #6d28d9."),
  email: fields.email,
  phone: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || (v.length <= 40 && /^[0-9+()./\s-]*(?:(?:ext\.?|x)\s*\d+)?$/i.test(v) && /\d{3}/.test(v.replace(/\D/g, ""))), "Enter a phone number with digits, e.g. (212) 555-0142.")
    .transform((v) => v || null),
  website: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .transform((v) => (v && !/^[a-z][a-z0-9+.-]*:/i.test(v) ? `https://${v}` : v))
    .refine((v) => {
      if (!v) return true;
      try {
        const u = new URL(v);
        return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.includes(".") && v.length <= 300;
      } catch {
        return false;
      }
    }, "Enter a web address like https://www.example.com.")
    .transform((v) => v || null),
  removeLogo: z.string().optional(),
});

type Result = { ok: boolean; errors: FieldErrors; values: FormValues; message: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school, schoolPlatform } = requireSchool(context);
  const read = await readImageForm(request);
  if (!read.ok) return data<Result>({ ok: false, errors: { logo: read.message }, values: {}, message: null }, { status: read.status });
  const parsed = parseForm(read.form, brandingSchema);
  if (!parsed.ok) return data<Result>({ ok: false, errors: parsed.errors, values: parsed.values, message: null }, { status: 400 });

  const stored = await storeImageField(context.storage, read.form, "logo", { schoolId: school.id, prefix: "logo" });
  if (!stored.ok) return data<Result>({ ok: false, errors: { logo: stored.message }, values: parsed.values, message: null }, { status: stored.status });
  const logoUrl: string | null | undefined = stored.url ?? (parsed.data.removeLogo === "on" ? null : undefined);

  const { brandColor, email, phone, website, locale } = parsed.data;
  await db.run((tx) => saveBranding(tx, { brandColor, email, phone, website, locale, logoUrl }));
  // The host cache holds the school's brand and logo: drop it so every page follows now.
  schoolPlatform.forgetCachedSchool();
  const brand = brandFor(brandColor);
  return data<Result>({
    ok: true,
    errors: {},
    values: {},
    message: brand.lowContrast ? "Saved. Note: text on this brand color is hard to read; consider a darker or lighter shade." : "Saved. Your pages use the new branding now.",
  });
}

export default function Branding() {
  const { school, storage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const failed = result && !result.ok;
  const e: FieldErrors = result?.errors ?? {};
  const typed = (name: string, stored: string | null) => (failed && result.values[name] !== undefined ? result.values[name]! : (stored ?? ""));
  const [color, setColor] = useState(typed("brandColor", school.brandColor));
  // Follow the stored color when it changes (after a save)…
  useEffect(() => setColor(school.brandColor), [school.brandColor]);
  // …and show what was typed after a refused save.
  useEffect(() => {
    if (result && !result.ok && result.values.brandColor !== undefined) setColor(result.values.brandColor);
  }, [result]);
  const hex = normalizeHex(color);
  const valid = isHexColor(hex);
  const brand = brandFor(valid ? hex : school.brandColor);
  const ratio = contrastRatio(brand.color, brand.onColor);

  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/setup">← Setup</Link>
        </p>
        <h1>Branding</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          Your logo, color and contact details, on every page of the school and on its public page. Your own address: <Link to="/admin/settings/domain">custom domain</Link>.
        </p>
      </div>
      {result?.ok && result.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <div className="branding-layout">
        <section className="card" aria-labelledby="brand-form-title">
          <h2 id="brand-form-title" className="sr-only">
            Branding settings
          </h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <FormError message={failed ? "Please correct the fields marked below. Nothing was saved." : null} />
            <div className="field">
              <label htmlFor="logo">Logo</label>
              <span className="hint" id="logo-hint">
                PNG, JPEG or WebP, at most 1 MB. A wide logo about 64 px high looks best.
                {storage === "local" ? " Stored on this server." : ""}
              </span>
              {school.logoUrl ? (
                <div className="logo-current">
                  <img src={school.logoUrl} alt={`Current logo of ${school.name}`} />
                  <label className="check">
                    <input type="checkbox" name="removeLogo" defaultChecked={failed ? result.values.removeLogo === "on" : false} /> Remove the logo
                  </label>
                </div>
              ) : null}
              <input
                id="logo"
                type="file"
                name="logo"
                accept="image/png,image/jpeg,image/webp"
                aria-describedby={e.logo ? "logo-hint logo-error" : "logo-hint"}
                aria-invalid={e.logo ? true : undefined}
              />
              {e.logo ? (
                <p className="field-error" id="logo-error">
                  {e.logo}
                </p>
              ) : null}
            </div>

            <div className="field">
              <label htmlFor="brandColor">Brand color</label>
              <span className="hint" id="brandColor-hint">
                Used for the header and buttons. Pick it, or type it as # and six hex digits.
              </span>
              <div className="color-row">
                <input
                  type="color"
                  aria-label="Pick the brand color"
                  value={valid ? hex : school.brandColor}
                  onChange={(event) => setColor(event.target.value)}
                />
                <input
                  id="brandColor"
                  type="text"
                  name="brandColor"
                  value={color}
                  onChange={(event) => setColor(event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={7}
                  aria-invalid={e.brandColor || !valid ? true : undefined}
                  aria-describedby={`brandColor-hint${e.brandColor ? " brandColor-error" : ""} contrast-note`}
                />
              </div>
              {e.brandColor ? (
                <p className="field-error" id="brandColor-error">
                  {e.brandColor}
                </p>
              ) : null}
              <div id="contrast-note" aria-live="polite" className="contrast-note">
                {!valid ? (
                  e.brandColor ? null : <p className="warning">“{color}” is not a color yet: use # and six hex digits, like #6d28d9.</p>
                ) : brand.lowContrast ? (
                  <p className="warning">
                    Text on this color is hard to read (contrast {ratio.toFixed(1)}:1; 4.5:1 is needed). Choose a darker or lighter shade.
                  </p>
                ) : (
                  <p className="contrast muted">
                    Text contrast {ratio.toFixed(1)}:1 — easy to read ({brand.onColor === "#ffffff" ? "white" : "dark"} text).
                  </p>
                )}
              </div>
            </div>

            <h2>Contact details</h2>
            <div className="grid">
              <Field label="Email" name="email" type="email" required defaultValue={typed("email", school.email)} error={e.email} autoComplete="email" />
              <Field label="Phone" name="phone" type="tel" defaultValue={typed("phone", school.phone)} error={e.phone} autoComplete="tel" />
            </div>
            <Field label="Website" name="website" type="url" inputMode="url" defaultValue={typed("website", school.website)} error={e.website} placeholder="https://www.example.com" />

            <h2>Dates and amounts</h2>
            <SelectField
              label="Write dates, times and amounts as in"
              name="locale"
              defaultValue={typed("locale", school.locale)}
              error={e.locale}
              hint="Every page and email follows it: 12- or 24-hour clock, day or month first, the first day of the week, and the address fields of the country."
              options={SCHOOL_LOCALES.map((l) => ({ value: l, label: LOCALE_INFO[l].label }))}
            />
            <button className="button" disabled={busy}>
              {busy ? "Saving…" : "Save branding"}
            </button>
          </Form>
        </section>

        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <div className="preview" data-testid="brand-preview">
            <div className="preview-bar" style={{ background: brand.color, color: brand.onColor }}>
              {school.logoUrl ? (
                <img src={school.logoUrl} alt="" />
              ) : (
                <span className="preview-mark" style={{ background: brand.onColor, color: brand.color }} aria-hidden="true">
                  {school.name.slice(0, 1)}
                </span>
              )}
              {school.name}
            </div>
            <div className="preview-body" style={{ background: brand.soft }}>
              <span style={{ color: brand.ink, fontWeight: 700 }}>A link in your color</span>
              <span className="button" style={{ background: brand.color, color: brand.onColor }}>
                A button
              </span>
            </div>
          </div>
        </section>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
