import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import settingsCss from "~/styles/settings.css?url";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/format";
import { DOMAIN_VERIFICATION_PATH, validateCustomDomain } from "../../server/db/privileged.server";

export const meta: MetaFunction = () => [{ title: "Custom domain · Settings" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: settingsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const state = await db.run((tx) =>
    tx.school.findFirstOrThrow({ select: { slug: true, customDomain: true, customDomainToken: true, customDomainVerifiedAt: true } }),
  );
  return {
    domain: state.customDomain,
    token: state.customDomainToken,
    verifiedAt: state.customDomainVerifiedAt,
    target: `${state.slug}.${context.env.PLATFORM_DOMAIN}`,
    platformDomain: context.env.PLATFORM_DOMAIN,
    protocol: context.env.protocol,
    timeZone: school.timezone,
    wellKnown: DOMAIN_VERIFICATION_PATH,
  };
}

type Result = { intent: string; ok: boolean; message: string; error?: string; value?: string };

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } };
  return e?.code === "P2002" || e?.meta?.driverAdapterError?.cause?.originalCode === "23505" || e?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const by = admin.email;

  if (intent === "claim") {
    const value = String(form.get("domain") ?? "").slice(0, 300);
    const checked = validateCustomDomain(value, context.env.PLATFORM_DOMAIN);
    if (!checked.ok) return data<Result>({ intent, ok: false, message: "", error: checked.error, value }, { status: 400 });
    const domain = checked.domain;
    const current = await db.run((tx) => tx.school.findFirstOrThrow({ select: { customDomain: true } }));
    if (current.customDomain === domain) return data<Result>({ intent, ok: true, message: `${domain} is already this school's domain.` });
    if (await context.platform.isCustomDomainTaken(domain, school.id)) {
      return data<Result>({ intent, ok: false, message: "", error: `${domain} is already used by another school on this platform.`, value }, { status: 409 });
    }
    // The old domain's verification must not carry over to the new one.
    await context.platform.resetCustomDomainVerification(school.id, domain);
    const token = `encore-${randomBytes(16).toString("hex")}`;
    try {
      await db.run((tx) => tx.school.update({ where: { id: school.id }, data: { customDomain: domain, customDomainToken: token } }));
    } catch (error) {
      if (isUniqueViolation(error)) {
        return data<Result>({ intent, ok: false, message: "", error: `${domain} is already used by another school on this platform.`, value }, { status: 409 });
      }
      throw error;
    }
    context.platform.forgetCachedSchools();
    return data<Result>({ intent, ok: true, message: `Saved ${domain}. Now create the DNS record below, then verify.` });
  }

  if (intent === "verify") {
    const outcome = await context.platform.verifyCustomDomain(school.id, { by });
    if (!outcome.ok) return data<Result>({ intent, ok: false, message: "", error: outcome.error }, { status: 422 });
    return data<Result>({ intent, ok: true, message: `${outcome.domain} is verified: your school is now served there.` });
  }

  if (intent === "remove") {
    await context.platform.removeCustomDomain(school.id, { by });
    return data<Result>({ intent, ok: true, message: "The custom domain was removed. Your school stays at its platform address." });
  }

  return data<Result>({ intent, ok: false, message: "", error: "That action is not known." }, { status: 400 });
}

export default function DomainSettings() {
  const { domain, token, verifiedAt, target, platformDomain, protocol, timeZone, wellKnown } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const claimError = result && !result.ok && result.intent === "claim" ? result.error : undefined;
  const otherError = result && !result.ok && result.intent !== "claim" ? result.error : undefined;
  return (
    <div className="stack">
      <div>
        <p style={{ margin: "0 0 0.25rem" }}>
          <Link to="/admin/settings/branding">← Branding</Link>
        </p>
        <h1>Custom domain</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          Your school always lives at <strong>{target}</strong>. It can also have an address of your own, like music.example.com.
        </p>
      </div>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <FormError message={otherError} />

      {domain ? (
        <section className="card" aria-labelledby="status-title">
          <div className="spread">
            <h2 id="status-title" style={{ margin: 0 }}>
              {domain}
            </h2>
            {verifiedAt ? <span className="badge ok">Verified</span> : <span className="badge warn">Waiting for verification</span>}
          </div>
          {verifiedAt ? (
            <p>
              Verified {formatDateTime(verifiedAt, timeZone, { year: "numeric" })}. Your school is served at{" "}
              <a href={`${protocol}://${domain}`}>
                {protocol}://{domain}
              </a>
              . Keep the DNS record in place.
            </p>
          ) : (
            <ol className="steps">
              <li>
                At your domain's DNS provider, create this record:
                <div className="table-wrap">
                  <table className="dns-table">
                    <thead>
                      <tr>
                        <th scope="col">Type</th>
                        <th scope="col">Name</th>
                        <th scope="col">Points to</th>
                      </tr>
                    </thead>
                    <tbody>
                      <tr>
                        <td>CNAME</td>
                        <td>
                          <code>{domain}</code>
                        </td>
                        <td>
                          <code>{target}</code>
                        </td>
                      </tr>
                    </tbody>
                  </table>
                </div>
              </li>
              <li>
                Wait until it is active (minutes, sometimes hours). The platform then answers{" "}
                <code>
                  http://{domain}
                  {wellKnown}
                </code>{" "}
                with this verification token:
                <code className="token" aria-label="Verification token">
                  {token}
                </code>
              </li>
              <li>Press “Verify now”: the platform fetches that address and, when it answers this token, starts serving your school there.</li>
            </ol>
          )}
          <div className="row">
            {!verifiedAt ? (
              <Form method="post" className="inline-form">
                <button className="button" name="intent" value="verify" disabled={Boolean(busyIntent)}>
                  {busyIntent === "verify" ? "Checking…" : "Verify now"}
                </button>
              </Form>
            ) : null}
            <Form
              method="post"
              className="inline-form"
              onSubmit={(event) => {
                if (!window.confirm(`Remove ${domain}? The school will only be reachable at ${target}.`)) event.preventDefault();
              }}
            >
              <button className="button danger" name="intent" value="remove" disabled={Boolean(busyIntent)}>
                {busyIntent === "remove" ? "Removing…" : "Remove domain"}
              </button>
            </Form>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="claim-title">
        <h2 id="claim-title">{domain ? "Use another domain" : "Add your domain"}</h2>
        <Form method="post" noValidate key={domain ?? "none"}>
          <Field
            label="Domain"
            name="domain"
            required
            autoCapitalize="off"
            autoComplete="off"
            spellCheck={false}
            placeholder="music.example.com"
            defaultValue={claimError ? result?.value : ""}
            error={claimError}
            hint={<>A domain you control, not under {platformDomain}. {domain ? "It replaces the current one and needs verifying again." : null}</>}
          />
          <button className="button" name="intent" value="claim" disabled={Boolean(busyIntent)}>
            {busyIntent === "claim" ? "Saving…" : domain ? "Use this domain" : "Add domain"}
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
