# syntax=docker/dockerfile:1
# The Signalbox dashboard as a container: Next's standalone server
# (`output: 'standalone'`), its embedded DuckDB store on the /data volume.
#
#   docker build -t signalbox .
#   docker run --read-only --tmpfs /tmp -v signalbox-data:/data \
#     -e SIGNALBOX_AUTH=none -p 127.0.0.1:3000:3000 -p 127.0.0.1:4318:4318 signalbox
#
# The container listens on every address of its network namespace (that is
# how a published port reaches it), and there is no sign-in yet: it refuses to
# start until SIGNALBOX_AUTH=none says that is accepted (lib/config/auth.ts).
# Settings: .env.example.

# Debian, not Alpine: DuckDB's prebuilt addon is linked against glibc.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY instrumentation/package.json instrumentation/
COPY examples/demo-pipeline/package.json examples/demo-pipeline/
# The postinstall builds the workspaces, whose sources are not here yet: the build stage does it.
RUN npm ci --ignore-scripts

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    # server.js binds HOSTNAME; without it Docker's HOSTNAME (the container id) would be used.
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    SIGNALBOX_OTLP_HOST=0.0.0.0 \
    SIGNALBOX_DATA_DIR=/data \
    # lib/runtime.ts handles SIGTERM: readiness off, drain the write queue, close the store.
    NEXT_MANUAL_SIG_HANDLE=true
# Owned by root and not writable by the server's user: only /data is (and /tmp, as a tmpfs).
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
# serve.mjs runs server.js, or serves HTTPS itself with SIGNALBOX_TLS_CERT_FILE and _KEY_FILE (mount them).
COPY --from=build /app/scripts/serve.mjs /app/scripts/healthcheck.mjs ./
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000 4317 4318
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "healthcheck.mjs"]
# `docker stop` sends SIGTERM and waits 10 s by default; give the drain time: `docker stop -t 30`.
STOPSIGNAL SIGTERM
CMD ["node", "serve.mjs"]
