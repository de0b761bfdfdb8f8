// The node:http layer in front of the Hono app, over a real socket: what reaches
// the app from a raw request (Host header case, ports).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { createNodeHandler } from "../../server/http.server";
import { testServices } from "../support/services";

const services = testServices();
afterAll(() => services.close());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over a real socket, with the Host header exactly as given. */
function get(port: number, path: string, host: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers: { ...headers, host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function listen(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the Host header", () => {
  it("reaches the app lower-cased, whatever its case, with or without a port", async () => {
    const echo = await listen(createNodeHandler({ fetch: (request) => new Response(new URL(request.url).host) }));
    try {
      for (const [host, seen] of [
        ["harmony.localhost", "harmony.localhost"],
        ["Harmony.localhost", "harmony.localhost"],
        [`Harmony.localhost:${echo.port}`, `harmony.localhost:${echo.port}`],
        [`HARMONY.LocalHost:${echo.port}`, `harmony.localhost:${echo.port}`],
      ]) {
        const res = await get(echo.port, "/", host!);
        expect({ host, status: res.status, body: res.body }).toEqual({ host, status: 200, body: seen });
      }
    } finally {
      await echo.close();
    }
  });

  it("matches schools without case through the whole server", async () => {
    const app = createApp({ services, build: async () => { throw new Error("not used"); } });
    const server = await listen(createNodeHandler({ fetch: app.fetch }));
    try {
      const health = await get(server.port, "/healthz", `Harmony.localhost:${server.port}`);
      expect(health.status).toBe(200);
      const unknown = await get(server.port, "/", `NoSuchSchool.Localhost:${server.port}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain("No school uses this address");
    } finally {
      await server.close();
    }
  });
});
