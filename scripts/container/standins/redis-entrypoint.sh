#!/bin/sh
# What the official redis image's entrypoint does that the compose file relies on: `redis-server ...` runs
# with protected mode off (the official build turns it off), so the app replicas on the compose network may
# connect. Only for the test stand-in: production pulls the official image.
set -e
if [ "$1" = redis-server ]; then
  shift
  exec redis-server --protected-mode no "$@"
fi
exec "$@"
