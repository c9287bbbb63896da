# sep-bot's GitHub App server (`sep-bot serve`). Build: docker build -t sep-bot .
# Run: docker run -p 3000:3000 --env-file .env --stop-timeout 30 sep-bot
# (the server drains the reconciles in flight on SIGTERM for up to
# SEP_BOT_SHUTDOWN_SECONDS, 25 by default; Docker's own default grace is 10 s).
# test/e2e/serve-lifecycle.test.ts runs this file's start command, environment and
# health check as a process, since no image can be built on the test machines.
# Register the GitHub App outside the container first (`npm start` with no
# APP_ID opens Probot's setup page, which writes .env); the image only serves.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json app.yml ./
COPY rules ./rules
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/run/bin.js", "serve"]
