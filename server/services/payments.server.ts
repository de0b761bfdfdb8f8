// Online payments (ARCHITECTURE.md, "Payments: Stripe Connect"): the real `stripe` SDK,
// talking either to Stripe (STRIPE_SECRET_KEY) or to the local stand-in
// (server/stripe-standin), which the server starts itself in development and tests. In
// production without a key (and without STRIPE_STANDIN=on) payments are switched off,
// and the admin's payments settings say so.
import path from "node:path";
import Stripe from "stripe";
import type { Env } from "../env.server";
import { STANDIN_SECRET_KEY, STANDIN_WEBHOOK_SECRET, startStripeStandin, type StandinOptions, type StripeStandin } from "../stripe-standin/standin.server";

export type PaymentsMode = "stripe" | "standin" | "off";

export class PaymentsOffError extends Error {
  constructor() {
    super("Online payments are switched off on this server: it has no STRIPE_SECRET_KEY.");
  }
}

export class Payments {
  private client: Promise<Stripe> | null = null;
  private standinStarted: Promise<StripeStandin> | null = null;
  private listeners: (() => void)[] = [];

  constructor(
    readonly mode: PaymentsMode,
    private readonly opts: { secretKey?: string; webhookSecrets: string[]; standin?: StandinOptions & { preferredPort?: number } },
  ) {}

  get enabled(): boolean {
    return this.mode !== "off";
  }

  /** The secrets a webhook's signature may be made with. */
  get webhookSecrets(): readonly string[] {
    return this.opts.webhookSecrets;
  }

  /** Where a person's browser is sent for checkout and onboarding (CSP form-action). */
  get formActionSources(): string[] {
    if (this.mode === "stripe") return ["https://checkout.stripe.com", "https://connect.stripe.com"];
    if (this.mode === "standin") return ["http://127.0.0.1:*"];
    return [];
  }

  /** The SDK, pointed at Stripe or at the stand-in (started on first use). */
  stripe(): Promise<Stripe> {
    if (this.mode === "off") return Promise.reject(new PaymentsOffError());
    this.client ??=
      this.mode === "stripe"
        ? Promise.resolve(new Stripe(this.opts.secretKey!, { maxNetworkRetries: 2, timeout: 20_000 }))
        : this.standin().then(
            (s) => new Stripe(STANDIN_SECRET_KEY, { host: s.host, port: s.port, protocol: "http", maxNetworkRetries: 1, timeout: 20_000, telemetry: false }),
          );
    return this.client;
  }

  /** The local stand-in (standin mode only). */
  standin(): Promise<StripeStandin> {
    if (this.mode !== "standin") return Promise.reject(new Error("No Stripe stand-in: payments talk to Stripe or are off."));
    this.standinStarted ??= (async () => {
      const { preferredPort, ...options } = this.opts.standin ?? {};
      try {
        return await startStripeStandin({ ...options, port: preferredPort ?? 0 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
        return startStripeStandin({ ...options, port: 0 });
      }
    })();
    return this.standinStarted;
  }

  /** A webhook event was stored: the jobs process it (server/jobs/worker.server.ts). */
  onEventStored(listener: () => void) {
    this.listeners.push(listener);
  }

  get hasEventListener(): boolean {
    return this.listeners.length > 0;
  }

  eventStored() {
    for (const l of this.listeners) l();
  }

  async close() {
    if (this.standinStarted) await (await this.standinStarted.catch(() => null))?.close();
  }
}

export function createPayments(env: Env, log: (message: string) => void = () => {}): Payments {
  if (env.STRIPE_SECRET_KEY) {
    const secrets = (env.STRIPE_WEBHOOK_SECRET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    return new Payments("stripe", { secretKey: env.STRIPE_SECRET_KEY, webhookSecrets: secrets });
  }
  const standin = env.STRIPE_STANDIN ?? (env.isProduction ? "off" : "on");
  if (standin === "off") return new Payments("off", { webhookSecrets: [] });
  const test = env.NODE_ENV === "test";
  return new Payments("standin", {
    webhookSecrets: [STANDIN_WEBHOOK_SECRET],
    standin: {
      webhookSecret: STANDIN_WEBHOOK_SECRET,
      // Tests hand events over themselves; a server delivers to its own webhook route.
      webhook: test ? undefined : `http://localhost:${env.PORT}/webhooks/stripe`,
      stateFile: test ? undefined : path.join(env.DATA_DIR, "stripe-standin.json"),
      preferredPort: test ? 0 : env.PORT + 100,
      log,
    },
  });
}
