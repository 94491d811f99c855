# Sourced by the container scripts and tests' shells: how Podman is run here, and the shared helpers.
#  - runc, not crun: crun 1.8 fails in this sandbox with "cgroups in hybrid mode not supported";
#  - ulimits it may grant: Podman asks for more nofile/nproc than the sandbox allows ("setrlimit").
# A containers.conf of our own, through CONTAINERS_CONF: /etc/containers stays untouched.
CACHE_DIR=${RCAPP_CONTAINER_CACHE:-/var/cache/rcapp-container}
mkdir -p "$CACHE_DIR"
export CONTAINERS_CONF="$CACHE_DIR/containers.conf"
nproc_limit=$(ulimit -Hu)
if [ "$nproc_limit" = unlimited ] || [ "$nproc_limit" -gt 32768 ]; then nproc_limit=32768; fi
cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=$nproc_limit:$nproc_limit"]
[engine]
runtime = "runc"
CONF

# A minimal Debian bookworm root in $1, with the packages in $2 (comma-separated, may be empty), without
# docs and locales as the official slim images. Nothing here touches the new root's /tmp or apt config:
# mmdebstrap keeps its own apt state there until it ends, and a hook that changes it can make its cleanup
# run against the host's apt instead.
debian_root() {
  local root=$1 include=$2
  # Its chatter goes to a log, shown only if it fails.
  mmdebstrap --quiet --variant=minbase --mode=root \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    ${include:+--include="$include"} \
    bookworm "$root" http://deb.debian.org/debian >"$CACHE_DIR/mmdebstrap.log" 2>&1 ||
    { cat "$CACHE_DIR/mmdebstrap.log"; return 1; }
}
