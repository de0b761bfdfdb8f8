# syntax=docker/dockerfile:1
# Encore production image. Multi-stage: build with dev dependencies, run with
# production dependencies only, as a non-root user.
#
#   docker build -t encore .
#   docker run -p 3000:3000 \
#     -e DATABASE_URL=postgresql://owner:…@db/encore \
#     -e APP_DATABASE_URL=postgresql://encore_app:…@db/encore \
#     -e PLATFORM_DOMAIN=encore.example encore
#
# DATABASE_URL is the owner role (runs migrations); APP_DATABASE_URL the
# row-level-security-bound app role (see README, "Configuration").

ARG NODE_VERSION=20.20
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# --- dependencies (all, for the build) ---------------------------------------
FROM base AS deps
COPY package.json package-lock.json ./
COPY scripts/prisma-cli.mjs scripts/prisma-cli.mjs
COPY prisma/schema.prisma prisma/schema.prisma
RUN npm ci

# --- build ----------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# --- production dependencies ---------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY scripts/prisma-cli.mjs scripts/prisma-cli.mjs
COPY prisma/schema.prisma prisma/schema.prisma
# The generated Prisma client is bundled into build/server.js; its runtime comes
# from @prisma/client. The postinstall `prisma generate` needs the dev-only CLI,
# so skip scripts here.
RUN npm ci --omit=dev --ignore-scripts

# --- runtime -------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production PORT=3000 SEED=none
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "build/server.js"]
