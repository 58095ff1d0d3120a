#!/usr/bin/env bash
# The README's test command: builds everything (warnings are errors in product code) and runs every test project.
# Needs only the .NET 10 SDK, Node 20 and npm; installs what the tests need itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="$root/tests/TestResults"
rm -rf "$results"

echo "== tools"
# Azurite (storage emulator) for the integration tests, pinned in local-dev/package-lock.json.
npm ci --prefix local-dev --no-audit --no-fund --loglevel=error

echo "== infra: bicep build + lint (zero warnings)"
bash infra/check.sh

echo "== real Functions host (tests/IntegrationHub.RealHost.Tests)"
# The real-host suite runs the app under the host that `func start` and Azure run: Core Tools' `func` on PATH, or a
# built Microsoft.Azure.WebJobs.Script.WebHost in FUNCTIONS_HOST_DIR (default: the folder README "Running under the
# real Functions host" builds it into). Without either it skips, and says so here and in the closing lines.
source "$root/local-dev/real-host.sh"
find_real_host
if [ -n "$real_host_kind" ]; then
  echo "runs under $real_host_text"
else
  echo "none found: the real-host suite will be SKIPPED (install Core Tools, or build the host: README, 'Running under the real Functions host')"
fi

echo "== build"
dotnet build IntegrationHub.sln -c Release -nologo -v minimal

echo "== test"
status=0
dotnet test IntegrationHub.sln -c Release --no-build -nologo -v minimal \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

echo "== test: department simulators (node:test)"
node --test --test-reporter=spec "$root/local-dev/simulators/" || status=$?

if [ -n "$real_host_kind" ]; then
  echo "== real-host suite ran under $real_host_text"
else
  echo "== real-host suite SKIPPED: no real Functions host on this machine"
fi

# One closing line for people and for CI, summed over every test project's TRX file.
node "$root/tests/summarise-trx.mjs" "$results"
exit "$status"
