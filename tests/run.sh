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
# Azurite (storage emulator) for the integration tests, ajv for the sample checker and the simulators, Redocly CLI
# for the OpenAPI lint: pinned in local-dev/package-lock.json.
npm ci --prefix local-dev --no-audit --no-fund --loglevel=error
# Kiota, the generator of clients/IntegrationHub.Client, as a local dotnet tool (.config/dotnet-tools.json): the
# client tests regenerate it to check the checked-in one is current.
dotnet tool restore
# The browser tests drive the system Chromium and its chromedriver (Debian packages), with a CJK font so the
# dashboard's Chinese area names render; installed when missing and this user may (root, or sudo without a password).
# Otherwise those tests are skipped, and the closing lines name them with the reason.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! dpkg -s fonts-wqy-zenhei >/dev/null 2>&1; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo -n); fi
  if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    echo "installing chromium, chromium-driver and a CJK font (browser tests)"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-zenhei >/dev/null
  else
    echo "no Chromium and no way to install it here: the browser tests will be SKIPPED (install the Debian packages chromium, chromium-driver, fonts-wqy-zenhei)"
  fi
fi

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

echo "== pack: the hub tool into artifacts/ (README, 'The hub tool': dotnet tool install --add-source artifacts)"
rm -rf "$root/artifacts"
dotnet pack functions/IntegrationHub.Cli/IntegrationHub.Cli.csproj -c Release --no-build -nologo -v minimal -o "$root/artifacts"

echo "== test"
status=0
dotnet test IntegrationHub.sln -c Release --no-build -nologo -v minimal \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

echo "== test: sample feeds (check.mjs: every sample valid, every invalid case refused as expected, plausible totals)"
node "$root/local-dev/sample-feeds/check.mjs" || status=$?

echo "== test: department simulators, the sample checker and the closing summary (node:test)"
node --test --test-reporter=spec "$root/local-dev/simulators/" "$root/local-dev/webhook-receiver/" "$root/local-dev/sample-feeds/" "$root/tests/summarise-trx/" || status=$?

if [ -n "$real_host_kind" ]; then
  echo "== real-host suite ran under $real_host_text"
else
  echo "== real-host suite SKIPPED: no real Functions host on this machine"
fi

# The closing lines for people and for CI, summed over every test project's TRX file: each skipped test with its
# reason, then "tests: N passed, N failed, N skipped", last.
node "$root/tests/summarise-trx.mjs" "$results"
exit "$status"
