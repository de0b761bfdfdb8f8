// The whole app (Hono + Remix) for integration tests: the Remix build comes from
// Vite's dev server in middleware mode (no `npm run build` needed, no port opened),
// exactly as `npm run dev` loads it. Requests go through `app.request` with the
// school in the URL's host and the client address in the node bindings, so the
// middleware, the tenant, CSRF, rate limits and every loader and action run as
// they do for a browser.
import type { ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";
import { DEMO_PASSWORD, OPERATOR_EMAIL } from "../../prisma/seed/demo";
import { createApp } from "../../server/app";
import type { Services } from "../../server/context";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  /** The Remix build the app runs (its route manifest, for tests that walk every route). */
  build: ServerBuild;
  close(): Promise<void>;
}

export async function startTestApp(services: Services): Promise<TestApp> {
  const vite: ViteDevServer = await createServer({
    configFile: "vite.config.ts",
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  // Loaded once: the code does not change during a test run.
  const loaded = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  return { app: createApp({ services, build: loaded }), build: loaded, close: () => vite.close() };
}

/** A browser of one person: its own cookies and client address. */
export class Client {
  private cookies = new Map<string, string>();

  constructor(
    private readonly app: TestApp["app"],
    /** "harmony.localhost:3000", or "localhost:3000" for the operator. */
    readonly host: string,
    readonly ip = "127.0.0.1",
  ) {}

  get origin() {
    return `http://${this.host}`;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("host", this.host);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    if (init.method && init.method !== "GET" && !headers.has("origin")) headers.set("origin", this.origin);
    const res = await this.app.request(`${this.origin}${path}`, { ...init, headers, redirect: "manual" }, {
      incoming: { socket: { remoteAddress: this.ip, remotePort: 50000, remoteFamily: "IPv4" } },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string) {
    return this.fetch(path);
  }

  /** A form post, as a browser sends it (urlencoded). */
  post(path: string, fields: Record<string, string> | [string, string][], init: RequestInit = {}) {
    const body = new URLSearchParams(fields);
    return this.fetch(path, { ...init, method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...init.headers } });
  }

  /** Signs in through the school's (or the operator's) sign-in form; throws unless it worked. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<this> {
    const operator = !this.host.includes(".");
    const res = await this.post(operator ? "/operator/login" : "/login", { email, password, redirectTo: "" });
    if (res.status !== 302 && res.status !== 204) throw new Error(`sign-in as ${email} at ${this.host} answered ${res.status}: ${(await res.text()).slice(0, 2000)}`);
    return this;
  }
}

export const OPERATOR = OPERATOR_EMAIL;
