// A Remix server build of one resource route, with the app's real entry module
// (app/entry.server.tsx, and so its handleError): enough to drive a request through
// Hono, the load context and Remix's error handling without building the whole app.
import type { LoaderFunction, ServerBuild } from "@remix-run/node";
import * as entry from "../../app/entry.server";

export function oneRouteBuild(path: string, loader: LoaderFunction): ServerBuild {
  return {
    mode: "production",
    entry: { module: entry },
    routes: {
      root: { id: "root", path: "", module: { default: () => null, ErrorBoundary: () => null } },
      probe: { id: "probe", parentId: "root", path, module: { loader } },
    },
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}
