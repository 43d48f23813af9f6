# syntax=docker/dockerfile:1
# The buildx-fix bot as an image for linux/amd64 and linux/arm64:
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/buildx-fix:<tag> --push .
# Stages: `build` compiles the TypeScript once, on the machine that builds (its output is plain
# JavaScript, the same for every platform, so nothing is compiled under QEMU); `deps` installs
# the runtime dependencies for each target platform; the final stage holds only what runs, as
# the unprivileged `node` user.
ARG NODE_VERSION=20

FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY rules ./rules
# The compiled rule pack (dist/rules-pack.*) is written from rules/ by the build's second step.
RUN npx tsc -p tsconfig.json --outDir dist/src --rootDir src && node dist/src/rules/build-pack-main.js

FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY rules ./rules
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/rules-pack.json /src/dist/rules-pack.bin ./dist/
COPY src/web/assets ./src/web/assets
USER node
EXPOSE 3000
# /readyz: rules loaded, the store answering, each chat adapter connected (503 otherwise).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same as `npm start`, without npm in between: SIGTERM reaches the bot, which shuts down
# gracefully (docker stop waits 10 s by default; SHUTDOWN_TIMEOUT_MS is the bot's own bound).
CMD ["node", "dist/src/main.js"]
