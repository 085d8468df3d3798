# syntax=docker/dockerfile:1
# Pass in a container (docs/deploy.md). Multi-stage: the dependencies and the build happen in
# throw-away stages; the runtime stage holds the built app and its production node_modules, runs
# as the unprivileged `node` user and keeps its data in the DATA_DIR volume (/data).
#   docker build -t pass .                      # the node (default target: runtime)
#   docker build -t pass-nginx --target nginx . # Debian's nginx with deploy/nginx.conf
# deploy/compose.yaml builds both and runs two nodes, PostgreSQL, Redis and nginx.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies: the locked tree, with what better-sqlite3 needs to compile ----------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: Next and the server bundle, then the dev dependencies go -------------------------
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- nginx: Debian's, with the one site (deploy/nginx.conf) ----------------------------------
FROM debian:bookworm-slim AS nginx
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY deploy/nginx.conf /etc/nginx/conf.d/pass.conf
COPY deploy/nginx-entrypoint.sh /usr/local/bin/nginx-entrypoint
EXPOSE 80 443
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/local/bin/nginx-entrypoint"]
CMD ["nginx", "-g", "daemon off;"]

# --- runtime: the node ---------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/next.config.mjs /app/security-headers.mjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# SIGTERM: streams are told to come back (another node takes them), then the node exits (~1 s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.mjs"]
