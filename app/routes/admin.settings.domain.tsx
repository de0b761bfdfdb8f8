import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError } from "~/components/form";
import settingsCss from "~/styles/settings.css?url";
import { claimCustomDomain, customDomainState, validateCustomDomain } from "~/models/custom-domain.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { useFormat } from "~/utils/format";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Custom domain · Settings" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: settingsCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db, school } = requireSchool(context);
  const state = await db.run(customDomainState);
  return {
    domain: state.domain,
    record: state.record,
    claimedAt: state.claimedAt,
    expiresAt: state.expiresAt,
    // Past its hold, the claim stays this school's until another school claims the domain.
    expired: state.expiresAt !== null && state.expiresAt.getTime() <= Date.now(),
    verifiedAt: state.verifiedAt,
    target: `${state.slug}.${context.links.platformDomain}`,
    servedAt: state.verifiedAt ? context.links.school({ slug: state.slug, customDomain: state.domain, customDomainVerifiedAt: state.verifiedAt }) : null,
    platformDomain: context.links.platformDomain,
    timeZone: school.timezone,
  };
}

type Result = { intent: string; ok: boolean; message: string; error?: string; value?: string };

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("claim"), domain: z.string().default("").transform((v) => v.slice(0, 300)) }),
  z.object({ intent: z.literal("verify") }),
  z.object({ intent: z.literal("remove") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { schoolPlatform } = requireSchool(context);
  const parsed = parseForm(await request.formData(), actionSchema);
  if (!parsed.ok) return data<Result>({ intent: parsed.values.intent ?? "", ok: false, message: "", error: "That action is not known." }, { status: 400 });
  const { intent } = parsed.data;

  if (parsed.data.intent === "claim") {
    const value = parsed.data.domain;
    const checked = validateCustomDomain(value, context.links.platformDomain);
    if (!checked.ok) return data<Result>({ intent, ok: false, message: "", error: checked.error, value }, { status: 400 });
    const outcome = await claimCustomDomain({ schoolPlatform }, request, checked.domain);
    if (!outcome.ok) return data<Result>({ intent, ok: false, message: "", error: outcome.error, value }, { status: outcome.status });
    return data<Result>({ intent, ok: true, message: outcome.message });
  }

  if (parsed.data.intent === "verify") {
    const outcome = await schoolPlatform.verifyCustomDomain(request);
    if (!outcome.ok) return data<Result>({ intent, ok: false, message: "", error: outcome.error }, { status: 422 });
    return data<Result>({ intent, ok: true, message: `${outcome.domain} is verified: your school is now served there.` });
  }

  await schoolPlatform.removeCustomDomain(request);
  return data<Result>({ intent, ok: true, message: "The custom domain was removed. Your school stays at its platform address." });
}

export default function DomainSettings() {
  const fmt = useFormat();
  const { domain, record, claimedAt, expiresAt, expired, verifiedAt, target, servedAt, platformDomain, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const claimError = result && !result.ok && result.intent === "claim" ? result.error : undefined;
  const otherError = result && !result.ok && result.intent !== "claim" ? result.error : undefined;
  const when = (d: string | Date) => fmt.dateTime(d, { year: "numeric" });
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
            {verifiedAt ? (
              <span className="badge ok">Verified</span>
            ) : expired ? (
              <span className="badge warn">Claim expired</span>
            ) : (
              <span className="badge warn">Waiting for verification</span>
            )}
          </div>
          {verifiedAt ? (
            <p>
              Verified {when(verifiedAt)}. Your school is served at{" "}
              <a href={servedAt ?? undefined}>{servedAt}</a>
              . Keep the CNAME record in place.
            </p>
          ) : (
            <>
              <p className="muted" data-testid="claim-status">
                {claimedAt ? <>Claimed {when(claimedAt)}. </> : null}
                {expiresAt && !expired ? (
                  <>
                    Held for this school until <strong>{when(expiresAt)}</strong>: verify before then, or another school may claim {domain}.
                  </>
                ) : (
                  <>The claim has expired: another school may claim {domain} now. Verify it, or add it again to hold it for 72 more hours.</>
                )}
              </p>
              <ol className="steps">
                <li>
                  At your domain's DNS provider, create these two records:
                  <div className="table-wrap">
                    <table className="stack-table dns-table">
                      <caption className="sr-only">DNS records to create</caption>
                      <thead>
                        <tr>
                          <th scope="col">Type</th>
                          <th scope="col">Name</th>
                          <th scope="col">Value</th>
                        </tr>
                      </thead>
                      <tbody>
                        {record ? (
                          <tr>
                            <td data-label="Type">{record.type}</td>
                            <td data-label="Name">
                              <code data-testid="txt-name">{record.name}</code>
                            </td>
                            <td data-label="Value">
                              <code data-testid="txt-value">{record.value}</code>
                            </td>
                          </tr>
                        ) : null}
                        <tr>
                          <td data-label="Type">CNAME</td>
                          <td data-label="Name">
                            <code>{domain}</code>
                          </td>
                          <td data-label="Value">
                            <code>{target}</code>
                          </td>
                        </tr>
                      </tbody>
                    </table>
                  </div>
                  The TXT record proves the domain is yours; the CNAME record sends its visitors to the platform. Some DNS providers want only the first part of the
                  name (<code>{record ? record.name.slice(0, -(domain.length + 1)) : "_encore-challenge"}</code>) and add the domain themselves.
                </li>
                <li>Wait until they are active (minutes, sometimes hours).</li>
                <li>Press “Verify now”: the platform looks up the TXT record, checks that the domain reaches it, and then starts serving your school there.</li>
              </ol>
            </>
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
