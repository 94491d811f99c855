# Two stages on the same Node LTS base: build with dev dependencies, run with production ones only.
# Every step is an npm script that CI also runs (`npm ci`, `npm run build`).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node views ./views
COPY --chown=node:node public ./public
USER node
EXPOSE 3000
# node itself is PID 1 (no npm or shell wrapper), so SIGTERM reaches the app's graceful shutdown.
CMD ["node", "dist/main.js"]
