// A local stand-in for the parts of Stripe's API Encore uses (ARCHITECTURE.md, "Payments:
// Stripe Connect"). The app talks to it with the REAL `stripe` SDK pointed here with
// `host`/`port`/`protocol`, so the requests are Stripe's own: form-encoded bodies, the
// `Idempotency-Key` header (a repeated key answers the first response again, as Stripe
// does), objects shaped like Stripe's. It also serves what Stripe would show people: a
// checkout page (Pay / Cancel, a test card that succeeds and one that is declined) and a
// Connect onboarding page. Completing them sends webhooks signed with the SDK's
// `webhooks.generateTestHeaderString`, exactly as Stripe signs them.
//
// Endpoints: accounts (create, retrieve), account_links, checkout sessions (create in
// payment or setup mode, retrieve, expire), payment_intents (retrieve; create with confirm +
// off_session for autopay), customers (create, retrieve), setup_intents (retrieve),
// payment_methods (retrieve, list a customer's, detach), charges (retrieve), refunds (create,
// retrieve), transfers (create, retrieve, reversals), disputes (retrieve). The checkout page
// offers a bank debit when the session does: it completes unpaid, and settles later
// (checkout.session.async_payment_succeeded / _failed) through a test control. Saved test cards:
// 4242 charges, 0341 is saved but declined when charged, 3184 always asks for authentication.
// Test controls (not Stripe's): POST /_standin/charges/:id/dispute, /_standin/disputes/:id/close
// and /_standin/checkout/:id/settle (outcome=succeeded|failed), and the same as methods;
// for teacher pay (issue 12), methods that refuse transfers to an account, simulate an outage
// after n transfers, and reverse a transfer (transfer.created / transfer.reversed are sent).
//
// State is one JSON file (under DATA_DIR in development), so restarting `npm run dev`
// keeps accounts, sessions and charges; tests keep it in memory.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Stripe from "stripe";

type Obj = Record<string, unknown> & { id: string; object: string };

interface State {
  accounts: Record<string, Obj>;
  accountLinks: Record<string, { account: string; returnUrl: string; refreshUrl: string; expiresAt: number }>;
  sessions: Record<string, Obj>;
  paymentIntents: Record<string, Obj>;
  charges: Record<string, Obj>;
  refunds: Record<string, Obj>;
  transfers: Record<string, Obj>;
  disputes: Record<string, Obj>;
  customers: Record<string, Obj>;
  setupIntents: Record<string, Obj>;
  paymentMethods: Record<string, Obj>;
  events: Obj[];
  /** Idempotency-Key (with method and path) → the first answer. */
  idempotency: Record<string, { status: number; body: unknown }>;
}

const emptyState = (): State => ({
  accounts: {},
  accountLinks: {},
  sessions: {},
  paymentIntents: {},
  charges: {},
  refunds: {},
  transfers: {},
  disputes: {},
  customers: {},
  setupIntents: {},
  paymentMethods: {},
  events: [],
  idempotency: {},
});

/** The demo schools' connected accounts (prisma/seed/demo.ts), present in every stand-in (any other acct_demo_<slug> is made on first use). */
export const DEMO_ACCOUNTS: Record<string, string> = {
  acct_demo_harmony: "Harmony Music Academy",
  acct_demo_riverside: "Riverside Strings",
  // Teacher pay (issue 12): the first teacher of each demo school is connected for pay.
  acct_demo_harmony_teacher: "Harmony's first teacher",
  acct_demo_riverside_teacher: "Riverside's first teacher",
};

export const STANDIN_SECRET_KEY = "sk_test_encore_standin";
export const STANDIN_WEBHOOK_SECRET = "whsec_encore_standin";

/** A test card that is always declined (Stripe's own test number). */
export const DECLINED_CARD = "4000000000000002";
export const SUCCEEDING_CARD = "4242424242424242";
/** Saved without trouble, declined when charged later (Stripe's 4000 0000 0000 0341). */
export const DECLINED_LATER_CARD = "4000000000000341";
/** Always asks the card holder to authenticate, so an off-session charge fails (Stripe's 4000 0027 6000 3184). */
export const AUTHENTICATION_CARD = "4000002760003184";
/** The checkout page's choice that pays by bank debit (not a card number). */
export const BANK_DEBIT = "bank_debit";

export interface StandinOptions {
  /** The JSON file holding the state; in memory when unset. */
  stateFile?: string;
  /** Signs the webhooks (the app's STRIPE_WEBHOOK_SECRET). */
  webhookSecret?: string;
  /** Where webhooks go: a URL (POSTed like Stripe does), or a function (tests). Unset: none sent. */
  webhook?: string | ((payload: string, signature: string) => Promise<number>);
  /** The interface to listen on (127.0.0.1). */
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  log?: (message: string) => void;
}

export interface StripeStandin {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  /** Changes where webhooks go (the app's address is known only once it listens). */
  setWebhook(target: StandinOptions["webhook"]): void;
  /** Completes an open checkout as the payer would (the page's "Pay", or "Save card" in setup mode; `BANK_DEBIT` for a bank debit); the session after it. */
  payCheckout(sessionId: string, card?: string): Promise<Obj>;
  /** Test control: the bank settles a checkout's bank debit (checkout.session.async_payment_succeeded / _failed). */
  settleBankDebit(sessionId: string, outcome: "succeeded" | "failed"): Promise<Obj>;
  /** Every checkout session so far (tests find the one a page opened). */
  sessions(): Obj[];
  /** Every payment intent so far (tests count charges). */
  paymentIntents(): Obj[];
  /** A dispute opened by the card holder's bank (charge.dispute.created). */
  openDispute(chargeId: string, reason?: string): Promise<Obj>;
  /** The dispute's outcome (charge.dispute.closed): "won" or "lost". */
  closeDispute(disputeId: string, status: "won" | "lost"): Promise<Obj>;
  /** Test control: transfers to this account are refused (400) with this message; null lifts it. */
  failTransfersTo(accountId: string, message: string | null): void;
  /** Test control: after `after` more transfers succeed, transfer calls answer 500 (Stripe unreachable) until lifted with null. */
  interruptTransfers(after: number | null): void;
  /** Test control: reverses (part of) a transfer as the connected account's bank would (transfer.reversed). */
  reverseTransfer(transferId: string, amount?: number): Promise<Obj>;
  /** Every transfer made so far. */
  transfers(): Obj[];
  /** Every event sent so far, oldest first. */
  events(): Obj[];
  /** Sends an event again (a duplicate delivery), or a list in a chosen order. */
  redeliver(eventId: string): Promise<number>;
  /** Webhooks still being delivered (tests await it). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

class StandinError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly code?: string,
  ) {
    super(message);
  }
}

const now = () => Math.floor(Date.now() / 1000);
/** Stripe's fee on a dispute, in the charge's minor units (US$15.00). */
export const DISPUTE_FEE = 1500;
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function formatAmount(amount: number, currency: string) {
  const c = currency.toUpperCase();
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: c }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", { style: "currency", currency: c }).format(amount / 10 ** digits);
}

/** Stripe's form encoding: `a[b][0][c]=v` → { a: { b: [ { c: "v" } ] } }. */
export function parseForm(raw: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = root;
    for (const [i, segment] of path.entries()) {
      if (i === path.length - 1) node[segment] = value;
      else node = (node[segment] ??= {}) as Record<string, unknown>;
    }
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => arrays(o[k]));
    return Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
  };
  return arrays(root) as Record<string, unknown>;
}

export async function startStripeStandin(options: StandinOptions = {}): Promise<StripeStandin> {
  const secret = options.webhookSecret ?? STANDIN_WEBHOOK_SECRET;
  const signer = new Stripe(STANDIN_SECRET_KEY);
  let webhook = options.webhook;
  const log = options.log ?? (() => {});
  const pending = new Set<Promise<unknown>>();
  const refusedDestinations = new Map<string, string>();
  let transfersBeforeOutage: number | null = null;

  let state = emptyState();
  if (options.stateFile && existsSync(options.stateFile)) {
    try {
      state = { ...emptyState(), ...(JSON.parse(readFileSync(options.stateFile, "utf8")) as Partial<State>) };
    } catch {
      state = emptyState();
    }
  }
  for (const [id, name] of Object.entries(DEMO_ACCOUNTS)) {
    state.accounts[id] ??= account(id, { name, onboarded: true });
  }
  const save = () => {
    if (!options.stateFile) return;
    mkdirSync(path.dirname(options.stateFile), { recursive: true });
    const tmp = `${options.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, options.stateFile);
  };

  function account(id: string, { name, onboarded, metadata = {} }: { name: string | null; onboarded: boolean; metadata?: Record<string, string> }): Obj {
    return {
      id,
      object: "account",
      type: "express",
      country: "US",
      business_profile: { name },
      charges_enabled: onboarded,
      payouts_enabled: onboarded,
      details_submitted: onboarded,
      capabilities: { card_payments: onboarded ? "active" : "inactive", transfers: onboarded ? "active" : "inactive" },
      // What Stripe still needs (teacher pay shows it from account.updated).
      requirements: { currently_due: onboarded ? [] : ["individual.verification.document", "external_account", "tos_acceptance.date"], disabled_reason: onboarded ? null : "requirements.past_due" },
      metadata,
      created: now(),
    };
  }

  // ---- events and their delivery ----------------------------------------------------------

  function emit(type: string, object: Obj, accountId: string | null = null): Obj {
    const event: Obj = {
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      account: accountId ?? undefined,
      data: { object: structuredClone(object) },
    };
    state.events.push(event);
    save();
    track(deliver(event));
    return event;
  }

  function track<T>(p: Promise<T>) {
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  }

  async function send(payload: string): Promise<number> {
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret });
    if (!webhook) return 0;
    if (typeof webhook === "function") return webhook(payload, signature);
    const target = new URL(webhook);
    return new Promise<number>((resolve) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: target.port || 80, path: target.pathname, method: "POST", headers: { host: target.host, "content-type": "application/json; charset=utf-8", "stripe-signature": signature, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.setTimeout(20_000, () => req.destroy());
      req.end(payload);
    });
  }

  /** Like Stripe: retried (here a few times, seconds apart) until answered 2xx. */
  async function deliver(event: Obj) {
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 0; attempt < 5; attempt++) {
      const status = await send(payload);
      if (status === 0 && !webhook) return;
      if (status >= 200 && status < 300) return;
      log(`webhook ${event.type} (${event.id}) answered ${status}; retrying`);
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }

  // ---- the API ------------------------------------------------------------------------------

  const get = <T extends Obj>(table: Record<string, T>, id: string, what: string): T => {
    // Demo accounts (acct_demo_<school slug>, the demo seed's and its copies', and acct_demo_<slug>_teacher
    // for teacher pay) always exist, onboarded.
    if (table === (state.accounts as Record<string, T>) && !table[id] && /^acct_demo_[a-z0-9_-]+$/.test(id)) {
      state.accounts[id] = account(id, { name: DEMO_ACCOUNTS[id] ?? null, onboarded: true });
    }
    // The demo seed's saved card (cus_demo_<slug>, pm_demo_<slug>): a Visa ending 4242 on its customer.
    if (table === (state.customers as Record<string, T>) && !table[id] && /^cus_demo_[a-z0-9_-]+$/.test(id)) {
      state.customers[id] = { id, object: "customer", email: null, name: "Demo family", metadata: {}, created: now() };
    }
    if (table === (state.paymentMethods as Record<string, T>) && !table[id] && /^pm_demo_[a-z0-9_-]+$/.test(id)) {
      state.paymentMethods[id] = { id, object: "payment_method", type: "card", customer: id.replace(/^pm_/, "cus_"), card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, funding: "credit" }, metadata: {}, created: now(), _number: SUCCEEDING_CARD };
    }
    const found = table[id];
    if (!found) throw new StandinError(404, `No such ${what}: '${id}'`, "invalid_request_error", "resource_missing");
    return found;
  };
  const int = (v: unknown, name: string): number => {
    const n = Number(v);
    if (v === undefined || !Number.isSafeInteger(n)) throw new StandinError(400, `Invalid integer: ${name}`, "invalid_request_error", "parameter_invalid_integer");
    return n;
  };
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const meta = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, string>) : {});

  function chargeSucceeded(input: { amount: number; currency: string; metadata: Record<string, string>; onBehalfOf: string | null; transferGroup: string | null; customer: string | null; description: string | null; paymentMethod: string; methodType?: string }) {
    const pi: Obj = {
      id: newId("pi"),
      object: "payment_intent",
      amount: input.amount,
      amount_received: input.amount,
      currency: input.currency,
      status: "succeeded",
      metadata: input.metadata,
      on_behalf_of: input.onBehalfOf,
      transfer_group: input.transferGroup,
      customer: input.customer,
      description: input.description,
      payment_method: input.paymentMethod,
      latest_charge: null,
      created: now(),
    };
    const charge: Obj = {
      id: newId("ch"),
      object: "charge",
      amount: input.amount,
      amount_captured: input.amount,
      amount_refunded: 0,
      refunded: false,
      disputed: false,
      captured: true,
      paid: true,
      status: "succeeded",
      currency: input.currency,
      payment_intent: pi.id,
      metadata: input.metadata,
      on_behalf_of: input.onBehalfOf,
      transfer_group: input.transferGroup,
      payment_method: input.paymentMethod,
      payment_method_details: { type: input.methodType ?? "card" },
      refunds: { object: "list", data: [], has_more: false },
      created: now(),
    };
    pi.latest_charge = charge.id;
    state.paymentIntents[pi.id as string] = pi;
    state.charges[charge.id] = charge;
    return { pi, charge };
  }

  function api(method: string, parts: string[], body: Record<string, unknown>): Obj | { status: number; body: unknown } {
    const [resource, id, sub, subId] = parts;
    if (resource === "accounts") {
      if (method === "POST" && !id) {
        const created = account(newId("acct"), { name: str((body.business_profile as Record<string, unknown> | undefined)?.name), onboarded: false, metadata: meta(body.metadata) });
        if (str(body.type)) created.type = body.type;
        state.accounts[created.id] = created;
        return created;
      }
      if (method === "GET" && id) return get(state.accounts, id, "account");
    }
    if (resource === "account_links" && method === "POST") {
      const acct = get(state.accounts, String(body.account ?? ""), "account");
      const returnUrl = str(body.return_url);
      const refreshUrl = str(body.refresh_url);
      if (!returnUrl || !refreshUrl) throw new StandinError(400, "Missing required param: return_url and refresh_url.");
      const linkId = newId("link");
      const expiresAt = now() + 300;
      state.accountLinks[linkId] = { account: acct.id, returnUrl, refreshUrl, expiresAt };
      return { id: linkId, object: "account_link", created: now(), expires_at: expiresAt, url: `${base}/connect/onboarding/${linkId}` };
    }
    if (resource === "checkout" && id === "sessions") {
      const sessionId = sub;
      if (method === "POST" && !sessionId) return createSession(body);
      if (method === "GET" && sessionId && !subId) {
        const session = get(state.sessions, sessionId, "checkout.session");
        // (the page's address follows this server's port across restarts)
        if (session.status === "open") session.url = `${base}/checkout/${session.id}`;
        return session;
      }
      if (method === "POST" && sessionId && subId === "expire") {
        const session = get(state.sessions, sessionId, "checkout.session");
        if (session.status !== "open") throw new StandinError(400, `This Checkout Session is ${session.status} and cannot be expired.`);
        session.status = "expired";
        session.url = null;
        emit("checkout.session.expired", session);
        return session;
      }
    }
    if (resource === "payment_intents") {
      if (method === "GET" && id) return get(state.paymentIntents, id, "payment_intent");
      if (method === "POST" && !id) return offSessionPayment(body);
    }
    if (resource === "charges" && method === "GET" && id) return get(state.charges, id, "charge");
    if (resource === "disputes" && method === "GET" && id) return get(state.disputes, id, "dispute");
    if (resource === "refunds") {
      if (method === "GET" && id) return get(state.refunds, id, "refund");
      if (method === "GET" && !id) {
        const pi = str(body.payment_intent);
        const charge = str(body.charge);
        const data = Object.values(state.refunds).filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge)).sort((a, b) => (b.created as number) - (a.created as number));
        return { id: "", object: "list", url: "/v1/refunds", has_more: false, data } as Obj;
      }
      if (method === "POST" && !id) return createRefund(body);
    }
    if (resource === "customers" && method === "POST" && !id) {
      const customer: Obj = { id: newId("cus"), object: "customer", email: str(body.email), name: str(body.name), metadata: meta(body.metadata), created: now() };
      state.customers[customer.id] = customer;
      return customer;
    }
    if (resource === "customers" && method === "GET" && id && !sub) return get(state.customers, id, "customer");
    if (resource === "customers" && method === "GET" && id && sub === "payment_methods") {
      get(state.customers, id, "customer");
      const data = Object.values(state.paymentMethods).filter((pm) => pm.customer === id && (!str(body.type) || pm.type === body.type));
      return { id: "", object: "list", url: `/v1/customers/${id}/payment_methods`, has_more: false, data } as Obj;
    }
    if (resource === "setup_intents" && method === "GET" && id) return get(state.setupIntents, id, "setup_intent");
    if (resource === "payment_methods") {
      if (method === "GET" && id) return get(state.paymentMethods, id, "payment_method");
      if (method === "GET" && !id) {
        const customer = str(body.customer);
        const data = Object.values(state.paymentMethods).filter((pm) => (!customer || pm.customer === customer) && (!str(body.type) || pm.type === body.type));
        return { id: "", object: "list", url: "/v1/payment_methods", has_more: false, data } as Obj;
      }
      if (method === "POST" && id && sub === "detach") {
        const pm = get(state.paymentMethods, id, "payment_method");
        if (!pm.customer) throw new StandinError(400, `The payment method ${id} is not attached to a customer.`, "invalid_request_error", "payment_method_unexpected_state");
        pm.customer = null;
        emit("payment_method.detached", pm);
        return pm;
      }
    }
    if (resource === "transfers") {
      if (method === "POST" && !id) {
        const destination = get(state.accounts, String(body.destination ?? ""), "account");
        const amount = int(body.amount, "amount");
        if (amount <= 0) throw new StandinError(400, "This value must be greater than or equal to 1.");
        if (transfersBeforeOutage !== null && transfersBeforeOutage <= 0) return { status: 500, body: { error: { type: "api_error", message: "The stand-in is simulating an outage." } } };
        const refused = refusedDestinations.get(destination.id);
        if (refused) throw new StandinError(400, refused, "invalid_request_error", "account_invalid");
        if ((destination.capabilities as { transfers?: string }).transfers !== "active") throw new StandinError(400, `The destination account ${destination.id} cannot receive transfers yet (its onboarding is not complete).`, "invalid_request_error", "insufficient_capabilities_for_transfer");
        if (transfersBeforeOutage !== null) transfersBeforeOutage -= 1;
        const transfer: Obj = {
          id: newId("tr"),
          object: "transfer",
          amount,
          amount_reversed: 0,
          reversed: false,
          currency: String(body.currency ?? "usd").toLowerCase(),
          destination: destination.id,
          source_transaction: str(body.source_transaction),
          transfer_group: str(body.transfer_group),
          metadata: meta(body.metadata),
          reversals: { object: "list", data: [], has_more: false },
          created: now(),
        };
        state.transfers[transfer.id] = transfer;
        emit("transfer.created", transfer);
        return transfer;
      }
      if (method === "GET" && id && !sub) return get(state.transfers, id, "transfer");
      if (method === "POST" && id && sub === "reversals") {
        const transfer = get(state.transfers, id, "transfer");
        const left = (transfer.amount as number) - (transfer.amount_reversed as number);
        const amount = body.amount === undefined ? left : int(body.amount, "amount");
        if (amount <= 0 || amount > left) throw new StandinError(400, `Transfer ${id} has only ${left} left to reverse.`);
        const reversal: Obj = { id: newId("trr"), object: "transfer_reversal", amount, currency: transfer.currency, transfer: id, metadata: meta(body.metadata), created: now() };
        transfer.amount_reversed = (transfer.amount_reversed as number) + amount;
        transfer.reversed = transfer.amount_reversed === transfer.amount;
        (transfer.reversals as { data: Obj[] }).data.push(reversal);
        emit("transfer.reversed", transfer);
        return reversal;
      }
    }
    throw new StandinError(404, `Unrecognized request URL (${method}: /v1/${parts.join("/")}). The Encore stand-in speaks only the endpoints Encore uses.`);
  }

  function createSession(body: Record<string, unknown>): Obj {
    const mode = str(body.mode) ?? "payment";
    const items = (body.line_items as Record<string, unknown>[] | undefined) ?? [];
    if (mode === "setup") return createSetupSession(body);
    if (items.length === 0) throw new StandinError(400, "Missing required param: line_items.");
    let amount = 0;
    let currency = "";
    const names: string[] = [];
    for (const item of items) {
      const price = item.price_data as Record<string, unknown> | undefined;
      if (!price) throw new StandinError(400, "The stand-in takes line_items[][price_data] only.");
      amount += int(price.unit_amount, "unit_amount") * int(item.quantity ?? 1, "quantity");
      currency = String(price.currency ?? "").toLowerCase();
      names.push(String((price.product_data as Record<string, unknown> | undefined)?.name ?? "Payment"));
    }
    const successUrl = str(body.success_url);
    const cancelUrl = str(body.cancel_url);
    if (!successUrl || !cancelUrl) throw new StandinError(400, "Missing required param: success_url and cancel_url.");
    const pid = (body.payment_intent_data as Record<string, unknown> | undefined) ?? {};
    const onBehalfOf = str(pid.on_behalf_of);
    if (onBehalfOf) {
      const acct = get(state.accounts, onBehalfOf, "account");
      if (!acct.charges_enabled) throw new StandinError(400, `The account ${onBehalfOf} cannot take charges yet: its onboarding is not complete.`);
    }
    const { id, page } = newSessionPage(body, successUrl, cancelUrl);
    const session: Obj = {
      id,
      object: "checkout.session",
      mode,
      status: "open",
      payment_status: "unpaid",
      amount_total: amount,
      amount_subtotal: amount,
      currency,
      customer: str(body.customer),
      customer_email: str(body.customer_email),
      client_reference_id: str(body.client_reference_id),
      metadata: meta(body.metadata),
      payment_intent: null,
      ...page,
      // Not Stripe's: what the page shows and the payment intent carries.
      _description: names.join(", "),
      _payment_intent_data: { on_behalf_of: onBehalfOf, transfer_group: str(pid.transfer_group), metadata: meta(pid.metadata), description: str(pid.description), setup_future_usage: str(pid.setup_future_usage) },
    };
    state.sessions[id] = session;
    return session;
  }

  /**
   * A new session's id and the fields of its checkout page, alike in payment and setup mode:
   * how the payer may pay, where the page sends them back, until when it is open.
   */
  function newSessionPage(body: Record<string, unknown>, successUrl: string, cancelUrl: string): { id: string; page: Record<string, unknown> } {
    const expiresAt = body.expires_at === undefined ? now() + 24 * 3600 : int(body.expires_at, "expires_at");
    const id = newId("cs_test");
    return {
      id,
      page: {
        payment_method_types: Array.isArray(body.allowed_payment_method_types) ? body.allowed_payment_method_types : Array.isArray(body.payment_method_types) ? body.payment_method_types : ["card"],
        success_url: successUrl,
        cancel_url: cancelUrl,
        expires_at: expiresAt,
        url: `${base}/checkout/${id}`,
        created: now(),
      },
    };
  }

  /** A setup-mode session: saves a card to the customer (no line items, no charge). */
  function createSetupSession(body: Record<string, unknown>): Obj {
    const customer = str(body.customer);
    if (!customer) throw new StandinError(400, "The stand-in's setup mode needs a customer.");
    get(state.customers, customer, "customer");
    const successUrl = str(body.success_url);
    const cancelUrl = str(body.cancel_url);
    if (!successUrl || !cancelUrl) throw new StandinError(400, "Missing required param: success_url and cancel_url.");
    const currency = str(body.currency);
    if (!currency) throw new StandinError(400, "Missing required param: currency (setup mode with payment_method_types).");
    const { id, page } = newSessionPage(body, successUrl, cancelUrl);
    const sid = (body.setup_intent_data as Record<string, unknown> | undefined) ?? {};
    const session: Obj = {
      id,
      object: "checkout.session",
      mode: "setup",
      status: "open",
      payment_status: "no_payment_required",
      amount_total: null,
      currency: currency.toLowerCase(),
      customer,
      client_reference_id: str(body.client_reference_id),
      metadata: meta(body.metadata),
      payment_intent: null,
      setup_intent: null,
      ...page,
      _description: str(sid.description) ?? "Save a card for later payments",
      _payment_intent_data: { on_behalf_of: str(sid.on_behalf_of), transfer_group: null, metadata: meta(sid.metadata), description: str(sid.description), setup_future_usage: null },
    };
    state.sessions[id] = session;
    return session;
  }

  const CARD_BRANDS: Record<string, { brand: string; last4: string }> = {
    [SUCCEEDING_CARD]: { brand: "visa", last4: "4242" },
    [DECLINED_LATER_CARD]: { brand: "visa", last4: "0341" },
    [AUTHENTICATION_CARD]: { brand: "visa", last4: "3184" },
  };

  function offSessionPayment(body: Record<string, unknown>): Obj | { status: number; body: unknown } {
    const amount = int(body.amount, "amount");
    const paymentMethod = str(body.payment_method);
    if (!paymentMethod || !str(body.customer)) throw new StandinError(400, "The stand-in charges off-session only: customer, payment_method, confirm=true, off_session=true.");
    const onBehalfOf = str(body.on_behalf_of);
    const saved = /^pm_demo_/.test(paymentMethod) ? get(state.paymentMethods, paymentMethod, "payment_method") : state.paymentMethods[paymentMethod];
    if (saved && saved.customer !== str(body.customer)) throw new StandinError(400, `The payment method ${paymentMethod} does not belong to the customer ${String(body.customer)}.`);
    const card = saved ? String(saved._number) : paymentMethod.replace(/^pm_card_/, "");
    const declined = (code: string, message: string, decline_code?: string) => {
      // Like Stripe: the failed intent exists, and the error names it.
      const pi: Obj = { id: newId("pi"), object: "payment_intent", amount, amount_received: 0, currency: String(body.currency ?? "usd").toLowerCase(), status: "requires_payment_method", customer: str(body.customer), payment_method: paymentMethod, metadata: meta(body.metadata), last_payment_error: { code, decline_code, message }, latest_charge: null, created: now() };
      state.paymentIntents[pi.id] = pi;
      return { status: 402, body: { error: { type: "card_error", code, decline_code, message, payment_intent: strip(pi) } } };
    };
    if (card === DECLINED_CARD || card === DECLINED_LATER_CARD) return declined("card_declined", "Your card was declined.", "generic_decline");
    if (card === AUTHENTICATION_CARD) return declined("authentication_required", "Your card requires authentication.", "authentication_required");
    const { pi, charge } = chargeSucceeded({ amount, currency: String(body.currency ?? "usd").toLowerCase(), metadata: meta(body.metadata), onBehalfOf, transferGroup: str(body.transfer_group), customer: str(body.customer), description: str(body.description), paymentMethod });
    emit("payment_intent.succeeded", pi);
    void charge;
    return pi;
  }

  function createRefund(body: Record<string, unknown>): Obj {
    const charge = str(body.charge)
      ? get(state.charges, String(body.charge), "charge")
      : state.charges[String(get(state.paymentIntents, String(body.payment_intent ?? ""), "payment_intent").latest_charge)];
    if (!charge) throw new StandinError(400, "Missing required param: charge or payment_intent.");
    const left = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = body.amount === undefined ? left : int(body.amount, "amount");
    if (amount <= 0) throw new StandinError(400, "The refund amount must be more than zero.");
    if (amount > left) throw new StandinError(400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, "invalid_request_error", "amount_too_large");
    const refund: Obj = { id: newId("re"), object: "refund", amount, currency: charge.currency, charge: charge.id, payment_intent: charge.payment_intent, status: "succeeded", reason: str(body.reason), metadata: meta(body.metadata), created: now() };
    state.refunds[refund.id] = refund;
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    (charge.refunds as { data: Obj[] }).data.unshift(refund);
    emit("charge.refunded", charge);
    emit("refund.created", refund);
    return refund;
  }

  // ---- pages ----------------------------------------------------------------------------------

  const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem}
.note{background:#fff8e1;border:1px solid #f0c36d;border-radius:6px;padding:.5rem .75rem;font-size:.9rem}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem}
fieldset{border:1px solid #d8dee4;border-radius:8px;margin:1rem 0;padding:.75rem 1rem}
label{display:block;margin:.4rem 0}
button{background:#635bff;color:#fff;border:0;border-radius:6px;padding:.75rem 1.5rem;font-size:1rem;font-weight:600;cursor:pointer;width:100%}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #0a2540;outline-offset:2px}
a{color:#3c3bb3}
[role=alert]{background:#fde8e8;border:1px solid #e5484d;border-radius:6px;padding:.5rem .75rem}
</style></head><body><main>${body}</main></body></html>`;

  function checkoutPage(session: Obj, error?: string) {
    const pid = session._payment_intent_data as { on_behalf_of: string | null };
    const merchant = pid.on_behalf_of ? String((state.accounts[pid.on_behalf_of]?.business_profile as { name?: string } | undefined)?.name ?? "") : "";
    // (an account without a business name: the school's name from the line item, "<school>: invoice …")
    const who = merchant || String(session._description ?? "").split(": ")[0] || "Encore";
    const amount = formatAmount(session.amount_total as number, session.currency as string);
    if (session.status !== "open") {
      const said = session.status === "complete" ? "This payment is complete." : "This checkout has expired. Go back and start again.";
      return page(`Pay ${who}`, `<h1>Pay ${escapeHtml(who)}</h1><p>${said}</p>`);
    }
    if (session.mode === "setup") {
      return page(
        `Save a card with ${who}`,
        `<p class="note">Stripe stand-in for development and tests: no real card is saved.</p>
<h1>Save a card with ${escapeHtml(who)}</h1>
<p>The card is kept by Stripe for later payments you allow. Nothing is charged now.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/checkout/${escapeHtml(session.id)}">
<fieldset><legend>Test card</legend>
<label><input type="radio" name="card" value="${SUCCEEDING_CARD}" checked> Visa ending 4242 (later charges succeed)</label>
<label><input type="radio" name="card" value="${DECLINED_LATER_CARD}"> Visa ending 0341 (later charges are declined)</label>
<label><input type="radio" name="card" value="${AUTHENTICATION_CARD}"> Visa ending 3184 (asks for authentication)</label>
</fieldset>
<button type="submit">Save card</button>
</form>
<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel and go back</a></p>`,
      );
    }
    const debit = ((session.payment_method_types as string[] | undefined) ?? []).find((t) => t !== "card");
    return page(
      `Pay ${who} – ${amount}`,
      `<p class="note">Stripe stand-in for development and tests: no real card is charged.</p>
<h1>Pay ${escapeHtml(who)}</h1>
<p>${escapeHtml(String(session._description ?? ""))}</p>
<p class="amount" aria-label="Amount to pay">${escapeHtml(amount)}</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/checkout/${escapeHtml(session.id)}">
<fieldset><legend>Test card</legend>
<label><input type="radio" name="card" value="${SUCCEEDING_CARD}" checked> Visa ending 4242 (succeeds)</label>
<label><input type="radio" name="card" value="${DECLINED_CARD}"> Visa ending 0002 (is declined)</label>
</fieldset>
${debit ? `<fieldset><legend>Bank debit</legend>
<label><input type="radio" name="card" value="${BANK_DEBIT}"> Bank debit (${escapeHtml(debit)}): settles in a few working days</label>
</fieldset>` : ""}
<button type="submit">Pay</button>
</form>
<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel and go back</a></p>`,
    );
  }

  function payCheckoutNow(session: Obj, card: string): { ok: true; session: Obj } | { ok: false; error: string } {
    if (session.status !== "open") return { ok: false, error: `This checkout is ${session.status}.` };
    if ((session.expires_at as number) < now()) {
      session.status = "expired";
      session.url = null;
      emit("checkout.session.expired", session);
      return { ok: false, error: "This checkout has expired." };
    }
    if (session.mode === "setup") {
      const found = CARD_BRANDS[card];
      if (!found) return { ok: false, error: "Choose one of the test cards." };
      const pm: Obj = { id: newId("pm"), object: "payment_method", type: "card", customer: session.customer, card: { brand: found.brand, last4: found.last4, exp_month: 12, exp_year: 2034, funding: "credit" }, metadata: {}, created: now(), _number: card };
      state.paymentMethods[pm.id] = pm;
      const seti: Obj = { id: newId("seti"), object: "setup_intent", status: "succeeded", customer: session.customer, payment_method: pm.id, usage: "off_session", metadata: (session._payment_intent_data as { metadata: Record<string, string> }).metadata, created: now() };
      state.setupIntents[seti.id] = seti;
      session.status = "complete";
      session.setup_intent = seti.id;
      session.url = null;
      emit("checkout.session.completed", session);
      return { ok: true, session };
    }
    if (card === DECLINED_CARD) return { ok: false, error: "Your card was declined. Try another card." };
    const pid = session._payment_intent_data as { on_behalf_of: string | null; transfer_group: string | null; metadata: Record<string, string>; description: string | null; setup_future_usage: string | null };
    const { pi } = chargeSucceeded({
      amount: session.amount_total as number,
      currency: session.currency as string,
      metadata: pid.metadata,
      onBehalfOf: pid.on_behalf_of,
      transferGroup: pid.transfer_group,
      customer: (session.customer as string | null) ?? null,
      description: pid.description,
      paymentMethod: `pm_card_${card}`,
    });
    session.status = "complete";
    session.payment_status = "paid";
    session.payment_intent = pi.id;
    session.url = null;
    emit("checkout.session.completed", session);
    return { ok: true, session };
  }

  /** The payer chose the bank debit: the session completes unpaid, its intent is processing. */
  function startBankDebit(session: Obj): { ok: true; session: Obj } | { ok: false; error: string } {
    const debit = ((session.payment_method_types as string[] | undefined) ?? []).find((t) => t !== "card");
    if (!debit) return { ok: false, error: "This checkout takes cards only." };
    const pid = session._payment_intent_data as { on_behalf_of: string | null; transfer_group: string | null; metadata: Record<string, string>; description: string | null };
    const pi: Obj = {
      id: newId("pi"),
      object: "payment_intent",
      amount: session.amount_total,
      amount_received: 0,
      currency: session.currency,
      status: "processing",
      metadata: pid.metadata,
      on_behalf_of: pid.on_behalf_of,
      transfer_group: pid.transfer_group,
      customer: session.customer ?? null,
      description: pid.description,
      payment_method: `pm_${debit}_standin`,
      payment_method_types: [debit],
      latest_charge: null,
      created: now(),
    };
    state.paymentIntents[pi.id] = pi;
    session.status = "complete";
    session.payment_status = "unpaid";
    session.payment_intent = pi.id;
    session.url = null;
    session._bank_debit = debit;
    emit("checkout.session.completed", session);
    return { ok: true, session };
  }

  function settleBankDebitNow(sessionId: string, outcome: "succeeded" | "failed"): Obj {
    const session = get(state.sessions, sessionId, "checkout.session");
    const pi = session.payment_intent ? state.paymentIntents[String(session.payment_intent)] : undefined;
    if (!session._bank_debit || !pi || pi.status !== "processing") throw new StandinError(400, `Checkout ${sessionId} has no bank debit under way.`);
    if (outcome === "succeeded") {
      const charge: Obj = {
        id: newId("ch"),
        object: "charge",
        amount: pi.amount,
        amount_captured: pi.amount,
        amount_refunded: 0,
        refunded: false,
        disputed: false,
        captured: true,
        paid: true,
        status: "succeeded",
        currency: pi.currency,
        payment_intent: pi.id,
        metadata: pi.metadata,
        on_behalf_of: pi.on_behalf_of,
        transfer_group: pi.transfer_group,
        payment_method: pi.payment_method,
        payment_method_details: { type: session._bank_debit },
        refunds: { object: "list", data: [], has_more: false },
        created: now(),
      };
      state.charges[charge.id] = charge;
      Object.assign(pi, { status: "succeeded", amount_received: pi.amount, latest_charge: charge.id });
      session.payment_status = "paid";
      emit("checkout.session.async_payment_succeeded", session);
    } else {
      Object.assign(pi, { status: "requires_payment_method", last_payment_error: { code: "payment_method_provider_decline", message: "The bank refused the debit." } });
      emit("checkout.session.async_payment_failed", session);
    }
    save();
    return session;
  }

  function onboardingPage(linkId: string) {
    const link = state.accountLinks[linkId];
    if (!link) return null;
    const acct = state.accounts[link.account]!;
    const name = String((acct.business_profile as { name?: string }).name ?? "your business");
    return page(
      `Set up payments for ${name}`,
      `<p class="note">Stripe stand-in for development and tests: nothing is sent to Stripe.</p>
<h1>Set up payments for ${escapeHtml(name)}</h1>
<p>Stripe would now ask for the business's details, its representative and a bank account for payouts.</p>
<form method="post" action="/connect/onboarding/${escapeHtml(linkId)}"><button type="submit">Complete onboarding</button></form>
<p><a href="${escapeHtml(link.refreshUrl)}">Leave without finishing</a></p>`,
    );
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", "request-id": newId("req"), ...headers });
    res.end(JSON.stringify(body));
  }
  function html(res: ServerResponse, status: number, body: string) {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(body);
  }
  function redirect(res: ServerResponse, to: string) {
    res.writeHead(303, { location: to });
    res.end();
  }

  const strip = (o: unknown): unknown => {
    if (!o || typeof o !== "object") return o;
    if (Array.isArray(o)) return o.map(strip);
    return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith("_")).map(([k, v]) => [k, strip(v)]));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    const raw = method === "POST" ? await readBody(req) : url.search.slice(1);
    const body = parseForm(raw);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);

    if (parts[0] === "v1") {
      const auth = req.headers.authorization ?? "";
      if (!auth.startsWith("Bearer sk_test_")) return json(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
      const key = req.headers["idempotency-key"];
      const idemKey = typeof key === "string" && method === "POST" ? `${method} ${url.pathname} ${key}` : null;
      if (idemKey && state.idempotency[idemKey]) {
        const seen = state.idempotency[idemKey]!;
        return json(res, seen.status, seen.body, { "idempotent-replayed": "true" });
      }
      let status = 200;
      let answer: unknown;
      try {
        const out = api(method, parts.slice(1), body);
        if ("object" in out) answer = strip(out);
        else {
          status = out.status;
          answer = out.body;
        }
      } catch (error) {
        if (!(error instanceof StandinError)) throw error;
        status = error.status;
        answer = { error: { type: error.type, code: error.code, message: error.message } };
      }
      if (idemKey && status < 500) state.idempotency[idemKey] = { status, body: answer };
      save();
      return json(res, status, answer);
    }

    if (parts[0] === "checkout" && parts[1]) {
      const session = state.sessions[parts[1]];
      if (!session) return html(res, 404, page("Not found", "<h1>No such checkout</h1>"));
      if (method === "GET") return html(res, 200, checkoutPage(session));
      const choice = String(body.card ?? SUCCEEDING_CARD);
      const done = choice === BANK_DEBIT && session.mode !== "setup" && session.status === "open" ? startBankDebit(session) : payCheckoutNow(session, choice);
      save();
      if (!done.ok) return html(res, 402, checkoutPage(session, done.error));
      return redirect(res, String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id));
    }

    if (parts[0] === "connect" && parts[1] === "onboarding" && parts[2]) {
      const link = state.accountLinks[parts[2]];
      if (!link) return html(res, 404, page("Not found", "<h1>This onboarding link is not known</h1>"));
      if (link.expiresAt < now()) return redirect(res, link.refreshUrl);
      if (method === "GET") return html(res, 200, onboardingPage(parts[2])!);
      const acct = state.accounts[link.account]!;
      Object.assign(acct, { charges_enabled: true, payouts_enabled: true, details_submitted: true, capabilities: { card_payments: "active", transfers: "active" }, requirements: { currently_due: [], disabled_reason: null } });
      delete state.accountLinks[parts[2]];
      emit("account.updated", acct, acct.id);
      save();
      return redirect(res, link.returnUrl);
    }

    if (parts[0] === "_standin" && method === "POST") {
      if (parts[1] === "charges" && parts[3] === "dispute") return json(res, 200, strip(openDisputeNow(parts[2]!, str(body.reason) ?? "fraudulent")));
      if (parts[1] === "disputes" && parts[3] === "close") return json(res, 200, strip(closeDisputeNow(parts[2]!, body.status === "lost" ? "lost" : "won")));
      if (parts[1] === "checkout" && parts[3] === "settle") {
        try {
          return json(res, 200, strip(settleBankDebitNow(parts[2]!, body.outcome === "failed" ? "failed" : "succeeded")));
        } catch (error) {
          if (error instanceof StandinError) return json(res, error.status, { error: { message: error.message } });
          throw error;
        }
      }
    }
    return json(res, 404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` } });
  }

  // A dispute's money movements, as Stripe lists them on the dispute (`balance_transactions`):
  // the disputed amount withdrawn with Stripe's dispute fee; when won, the amount returned (the
  // fee is kept, as Stripe does for US accounts).
  function disputeBalanceTransaction(dispute: Obj, amount: number, fee: number): Obj {
    const feeDetails = fee > 0 ? [{ amount: fee, currency: dispute.currency, description: "Dispute fee", type: "stripe_fee" }] : [];
    return { id: newId("txn"), object: "balance_transaction", amount, fee, net: amount - fee, currency: dispute.currency, fee_details: feeDetails, reporting_category: amount < 0 ? "dispute" : "dispute_reversal", source: dispute.id, type: "adjustment", created: now() };
  }
  function openDisputeNow(chargeId: string, reason: string) {
    const charge = get(state.charges, chargeId, "charge");
    const dispute: Obj = { id: newId("dp"), object: "dispute", amount: (charge.amount as number) - (charge.amount_refunded as number), currency: charge.currency, charge: charge.id, payment_intent: charge.payment_intent, reason, status: "needs_response", created: now() };
    dispute.balance_transactions = [disputeBalanceTransaction(dispute, -(dispute.amount as number), DISPUTE_FEE)];
    state.disputes[dispute.id] = dispute;
    charge.disputed = true;
    emit("charge.dispute.created", dispute);
    return dispute;
  }
  function closeDisputeNow(disputeId: string, status: "won" | "lost") {
    const dispute = get(state.disputes, disputeId, "dispute");
    const movements = (dispute.balance_transactions as Obj[] | undefined) ?? [];
    if (status === "won" && dispute.status !== "won") dispute.balance_transactions = [...movements, disputeBalanceTransaction(dispute, dispute.amount as number, 0)];
    dispute.status = status;
    emit("charge.dispute.closed", dispute);
    return dispute;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`stand-in error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) json(res, 500, { error: { type: "api_error", message: "The stand-in failed." } });
      else res.end();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://${host}:${port}`;
  save();

  return {
    url: base,
    host,
    port,
    setWebhook(target) {
      webhook = target;
    },
    async payCheckout(sessionId, card = SUCCEEDING_CARD) {
      const session = get(state.sessions, sessionId, "checkout.session");
      const done = card === BANK_DEBIT && session.status === "open" ? startBankDebit(session) : payCheckoutNow(session, card);
      if (!done.ok) throw new Error(done.error);
      return strip(session) as Obj;
    },
    async settleBankDebit(sessionId, outcome) {
      return strip(settleBankDebitNow(sessionId, outcome)) as Obj;
    },
    sessions: () => Object.values(state.sessions).map((x) => strip(x) as Obj),
    paymentIntents: () => Object.values(state.paymentIntents).map((x) => strip(x) as Obj),
    async openDispute(chargeId, reason = "fraudulent") {
      return strip(openDisputeNow(chargeId, reason)) as Obj;
    },
    async closeDispute(disputeId, status) {
      return strip(closeDisputeNow(disputeId, status)) as Obj;
    },
    failTransfersTo(accountId, message) {
      if (message === null) refusedDestinations.delete(accountId);
      else refusedDestinations.set(accountId, message);
    },
    interruptTransfers(after) {
      transfersBeforeOutage = after;
    },
    async reverseTransfer(transferId, amount) {
      const transfer = get(state.transfers, transferId, "transfer");
      const left = (transfer.amount as number) - (transfer.amount_reversed as number);
      const value = amount ?? left;
      if (value <= 0 || value > left) throw new Error(`Transfer ${transferId} has only ${left} left to reverse.`);
      const reversal: Obj = { id: newId("trr"), object: "transfer_reversal", amount: value, currency: transfer.currency, transfer: transferId, metadata: {}, created: now() };
      transfer.amount_reversed = (transfer.amount_reversed as number) + value;
      transfer.reversed = transfer.amount_reversed === transfer.amount;
      (transfer.reversals as { data: Obj[] }).data.push(reversal);
      emit("transfer.reversed", transfer);
      save();
      return strip(reversal) as Obj;
    },
    transfers: () => Object.values(state.transfers).map((t) => strip(t) as Obj),
    events: () => state.events.map((e) => structuredClone(e)),
    async redeliver(eventId) {
      const event = state.events.find((e) => e.id === eventId);
      if (!event) throw new Error(`no event ${eventId}`);
      return send(JSON.stringify(event, null, 2));
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
