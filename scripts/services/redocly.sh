#!/usr/bin/env bash
# Installs (once) Redocly's CLI, which lints the server's OpenAPI document in the tests (recommended rules, 0 errors).
set -euo pipefail

version=2.77.0
prefix=${SERAI_TOOLS:-/opt/serai-tools}/redocly
if [ -x "$prefix/node_modules/.bin/redocly" ] && grep -q "\"version\": \"$version\"" "$prefix/node_modules/@redocly/cli/package.json"; then
  exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@redocly/cli@$version"
"$prefix/node_modules/.bin/redocly" --version
