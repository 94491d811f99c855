#!/bin/sh
# What the official nginx image's entrypoint does that the compose file relies on: each
# /etc/nginx/templates/*.template becomes /etc/nginx/conf.d/<name>, with only the variables set in the
# environment substituted (nginx's own $host and the like stay). Only for the test stand-in.
set -e
rm -f /etc/nginx/sites-enabled/default
defined=$(printf '${%s} ' $(env | cut -d= -f1))
for template in /etc/nginx/templates/*.template; do
  [ -f "$template" ] || continue
  target=/etc/nginx/conf.d/$(basename "$template" .template)
  envsubst "$defined" <"$template" >"$target"
done
exec "$@"
