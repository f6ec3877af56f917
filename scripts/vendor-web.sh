#!/usr/bin/env bash
# Fetches the dashboard's front-end libraries from the npm registry (pinned by package-lock.json) and copies the
# few built files into src/Serai.Server/wwwroot/vendor, which is committed: `dotnet build` never needs node.
# Run after changing src/Serai.Server/Dashboard/client/package.json, then commit wwwroot/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
client=src/Serai.Server/Dashboard/client
vendor=src/Serai.Server/wwwroot/vendor
(cd "$client" && npm ci --no-audit --no-fund)
mkdir -p "$vendor"
cp "$client/node_modules/htmx.org/dist/htmx.min.js" "$vendor/htmx.min.js"
cp "$client/node_modules/uplot/dist/uPlot.iife.min.js" "$vendor/uPlot.iife.min.js"
cp "$client/node_modules/uplot/dist/uPlot.min.css" "$vendor/uPlot.min.css"
cp "$client/node_modules/htmx.org/LICENSE" "$vendor/htmx.LICENSE"
cp "$client/node_modules/uplot/LICENSE" "$vendor/uPlot.LICENSE"
ls -l "$vendor"
