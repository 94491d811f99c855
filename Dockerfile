# Two stages on the same Node LTS base, pinned by major: build with dev dependencies, run with production
# ones only, as a non-root user. Every build step is an npm script CI also runs (`npm ci`, `npm run build`),
# and test/deploy/production-install.test.ts repeats the runtime steps outside Docker.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node views ./views
COPY --chown=node:node public ./public
USER node
EXPOSE 3000
# Node's fetch against /healthz: no curl in the image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.js"]
# node itself is PID 1 (no npm or shell wrapper), so SIGTERM reaches the app's graceful shutdown.
CMD ["node", "dist/main.js"]
