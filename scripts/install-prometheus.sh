#!/usr/bin/env bash
# Installs Debian's `prometheus` package (the `prometheus` and `promtool` binaries) when either is
# missing; the observability tests run their own Prometheus on loopback with these binaries.
# A machine that already has both does nothing. Needs root (CI runs as root).
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-prometheus: cannot install (needs root and apt-get); the observability tests will say so" >&2
  exit 1
fi

# The package's maintainer script would start the system service; the tests never use it (they
# run their own instance with a temp config and data dir), so forbid service starts while
# installing unless the machine already has a policy in place.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  own_policy=true
fi
trap '[ "$own_policy" = true ] && rm -f "$policy"' EXIT

echo "install-prometheus: installing Debian's prometheus package"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "install-prometheus: $(prometheus --version 2>&1 | head -1)"
