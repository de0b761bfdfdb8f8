// The node:http side of the server: what happens to a request before the Hono app
// sees it (and, in development, before Vite does).
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { classifyHost } from "../tenants/host";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;
/** Connect-style middleware, e.g. Vite's `vite.middlewares`. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface NodeHandlerOptions {
  fetch: Fetch;
  /** Development: Vite's middlewares (modules, HMR); what they do not serve goes to `fetch`. */
  vite?: NodeMiddleware;
  /**
   * Development: only these hosts reach the server at all (Vite included), so a
   * page on another site cannot read the dev server through DNS rebinding.
   */
  allowHost?: (host: string) => boolean | Promise<boolean>;
}

export function createNodeHandler({ fetch, vite, allowHost }: NodeHandlerOptions) {
  const listener = getRequestListener(fetch);
  return (req: IncomingMessage, res: ServerResponse) => {
    // Hosts match without case. @hono/node-server 1.x refuses a Host whose name is not
    // already lower-case when it carries a port ("Harmony.localhost:3000": an empty 400),
    // so the name is lower-cased here, before anything reads it.
    if (req.headers.host) req.headers.host = req.headers.host.toLowerCase();
    const serve = () => {
      const toApp = () => void listener(req, res);
      if (vite) vite(req, res, toApp);
      else toApp();
    };
    if (!allowHost) return serve();
    Promise.resolve(allowHost(req.headers.host ?? "")).then(
      (allowed) => {
        if (allowed) return serve();
        res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
        res.end("This host is not served here.\n");
      },
      (error: unknown) => {
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(`Host check failed: ${(error as Error).message}\n`);
      },
    );
  };
}

/**
 * The hosts the platform answers: its own domain, its schools' subdomains, and
 * custom domains a school has claimed (verified or not: the platform fetches its
 * verification token there before it is verified). Claims are remembered 10 s.
 */
export function platformHosts(platformDomain: string, findDomainClaim: (domain: string) => Promise<unknown>) {
  const claims = new Map<string, { at: number; claimed: boolean }>();
  return async (host: string): Promise<boolean> => {
    const match = classifyHost(host, platformDomain);
    if (match.kind === "platform" || match.kind === "subdomain") return true;
    if (match.kind !== "custom") return false;
    const known = claims.get(match.domain);
    if (known && Date.now() - known.at < 10_000) return known.claimed;
    const claimed = Boolean(await findDomainClaim(match.domain));
    if (claims.size > 1000) claims.clear();
    claims.set(match.domain, { at: Date.now(), claimed });
    return claimed;
  };
}
