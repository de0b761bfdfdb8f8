import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  // Any host may reach the dev server: schools live on subdomains and custom domains,
  // and the Hono tenant middleware (not Vite) decides what a host may see.
  server: { hmr: { port: Number(process.env.HMR_PORT ?? 24678) }, allowedHosts: true },
  build: { target: "es2022" },
  // Pre-bundle what the browser needs up front (no reload mid-session), and never
  // try to bundle server-only native packages for the browser.
  optimizeDeps: { include: ["luxon"], exclude: ["@node-rs/argon2"] },
  plugins: [
    remix({
      serverModuleFormat: "esm",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
