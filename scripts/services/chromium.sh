#!/usr/bin/env bash
# Installs (once) Debian's Chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# update the package lists once: only when installing fails without it
if ! apt-get install -y --no-install-recommends chromium fonts-dejavu-core; then
  apt-get update
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi
/usr/bin/chromium --version
