#!/usr/bin/env bash
# Installs what the tests need (idempotently) and runs every test: unit, property, integration and browser.
# Usage: bash scripts/test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Each service script installs and starts one thing the integration tests need (PostgreSQL, Slurm, Chromium).
for service in scripts/services/*.sh; do
  [ -f "$service" ] || continue
  echo "== service: $service"
  bash "$service"
done

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
dotnet build Serai.slnx -c Release -warnaserror -nologo -v quiet
status=0
dotnet test Serai.slnx -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line over every test project, from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); t=${t:-0}
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit $status
