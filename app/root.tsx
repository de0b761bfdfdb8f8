import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { brandCss, brandFor } from "../tenants/branding";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { SiteHeader } from "./components/site-header";
import appCss from "./styles/app.css?url";
import { getOperator, getUser } from "./utils/auth.server";
import { formatSettingsOf, PLATFORM_FORMAT } from "./utils/format";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: appCss }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = context;
  if (tenant.kind === "school") {
    const user = await getUser(request, context);
    const { school, brand } = tenant;
    return {
      kind: "school" as const,
      school: { name: school.name, slug: school.slug, logoUrl: school.logoUrl, status: school.status },
      format: formatSettingsOf(school),
      css: brandCss(brand),
      user: user && { firstName: user.firstName, lastName: user.lastName, role: user.role },
      operator: null,
    };
  }
  const operator = await getOperator(request, context);
  return { kind: "platform" as const, school: null, format: PLATFORM_FORMAT, css: brandCss(brandFor(null)), user: null, operator };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.school?.name ?? "Encore — the music-school platform" },
];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang={data?.format.locale.startsWith("en") ? data.format.locale : "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href={data?.school?.logoUrl ?? "/icon.svg"} />
        <Meta />
        <Links />
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: data?.css ?? brandCss(brandFor(null)) }} />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader data={data} />
      <main id="main" className="page">
        <Outlet />
      </main>
      <footer className="site-footer">
        {data.school ? (
          <span>
            {data.school.name} · powered by <strong>Encore</strong>
          </span>
        ) : (
          <span>Encore — the music-school platform</span>
        )}
      </footer>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <main id="main" className="page">
      <GeneralErrorBoundary />
    </main>
  );
}
