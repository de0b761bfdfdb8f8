// A saturated database answers 503 with Retry-After, never 500: here the pools have
// one and two connections, held by open transactions, and a request waits 500 ms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { RETRY_AFTER_SECONDS } from "../../server/busy.server";
import { oneRouteBuild } from "../support/remix-build";
import { schoolId, testServices } from "../support/services";

const services = testServices({ DATABASE_POOL_SIZE: "1", DATABASE_POOL_TIMEOUT_MS: "500" });
afterAll(() => services.close());

const build = oneRouteBuild("probe", async ({ context }) => {
  const rows = await context.db!.run((tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`);
  return Response.json({ one: rows[0]!.one });
});
const app = createApp({ services, build });

let harmonyId: string;
beforeAll(async () => {
  harmonyId = await schoolId(services, "harmony"); // also warms the host cache
  // Open the pools' connections now: making one counts against the wait as well.
  await services.platform.schoolDb(harmonyId).run((tx) => tx.$queryRaw`SELECT 1`);
  await Promise.all([1, 2].map(() => services.clients.platform.$transaction((tx) => tx.$executeRaw`SELECT pg_sleep(0.05)`)));
});

/** Holds `count` connections of a pool in open transactions until the returned release is called. */
async function hold(count: number, open: (wait: Promise<void>) => Promise<unknown>): Promise<() => Promise<void>> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const started: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) started.push(open(gate));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the transactions have their connections
  return async () => {
    release();
    await Promise.all(started);
  };
}

describe("a saturated database", () => {
  it("serves the request normally while a connection is free", async () => {
    const res = await app.request("http://harmony.localhost:3000/probe");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ one: 1 });
  });

  it("answers 503 with Retry-After when the app role's pool stays full (a loader's transaction)", async () => {
    const release = await hold(1, (gate) => services.platform.schoolDb(harmonyId).run(() => gate, { timeout: 20_000 }));
    try {
      const res = await app.request("http://harmony.localhost:3000/probe");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
      expect(res.headers.get("cache-control")).toBe("no-store");

      const page = await app.request("http://harmony.localhost:3000/probe", { headers: { accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
      expect(await page.text()).toContain("We are very busy right now");
    } finally {
      await release();
    }
    const after = await app.request("http://harmony.localhost:3000/probe");
    expect(after.status).toBe(200);
  });

  it("answers 503 with Retry-After when the owner's pool stays full (the host lookup)", async () => {
    const owner = services.clients.platform;
    const release = await hold(2, (gate) => owner.$transaction(() => gate, { timeout: 20_000 }));
    try {
      // riverside is not in the host cache yet: resolving it needs the owner's pool.
      const res = await app.request("http://riverside.localhost:3000/probe");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    } finally {
      await release();
    }
    const after = await app.request("http://riverside.localhost:3000/probe");
    expect(after.status).toBe(200);
  });
});
