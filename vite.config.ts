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
  server: {
    hmr: { port: Number(process.env.HMR_PORT ?? 24678) },
    // Schools live on subdomains and custom domains: server/index.ts refuses every
    // host the platform does not serve before a request reaches Vite.
    allowedHosts: true,
    // Vite serves files (plain, ?raw, ?url, /@fs/) from these folders only: the
    // browser's sources and the packages. Never the data directory (the embedded
    // database's files), .env, the server's code or anything outside the project;
    // nor server-only modules inside app/.
    fs: {
      strict: true,
      allow: ["app", "public", "node_modules"],
      deny: [".env", ".env.*", "*.{crt,pem,key}", "**/.git/**", "**/.data/**", "**/*.server.ts", "**/*.server.tsx"],
    },
  },
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
