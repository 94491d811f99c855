# Two stages on the same Node LTS base, pinned by major: build with dev dependencies, run with production
# ones only, as a non-root user. Every build step is an npm script CI also runs (`npm ci`, `npm run build`).
# `npm run test:container` builds this file unmodified with Podman and checks the image (README, Deployment).
#
# For builds that must not change under you, pin the base by digest as well, on both FROM lines:
#   FROM node:24-bookworm-slim@sha256:<digest>
# The digest of the current image: `docker buildx imagetools inspect node:24-bookworm-slim` (or
# `skopeo inspect docker://docker.io/library/node:24-bookworm-slim`). Update it with each Node 24 security
# release. (Not pinned here: this repository's CI has no registry and builds against a local stand-in.)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm's download cache survives between builds (Docker BuildKit and Podman/Buildah alike): a changed lockfile
# re-downloads only what changed. The cache stays out of the image.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
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
