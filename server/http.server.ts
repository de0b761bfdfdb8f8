// The node:http side of the server: what happens to a request before the Hono app
// sees it (and, in development, before Vite does).
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;
/** Connect-style middleware, e.g. Vite's `vite.middlewares`. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface NodeHandlerOptions {
  fetch: Fetch;
  /** Development: Vite's middlewares (modules, HMR); what they do not serve goes to `fetch`. */
  vite?: NodeMiddleware;
}

export function createNodeHandler({ fetch, vite }: NodeHandlerOptions) {
  const listener = getRequestListener(fetch);
  return (req: IncomingMessage, res: ServerResponse) => {
    // Hosts match without case. @hono/node-server 1.x refuses a Host whose name is not
    // already lower-case when it carries a port ("Harmony.localhost:3000": an empty 400),
    // so the name is lower-cased here, before anything reads it.
    if (req.headers.host) req.headers.host = req.headers.host.toLowerCase();
    const toApp = () => void listener(req, res);
    if (vite) vite(req, res, toApp);
    else toApp();
  };
}
