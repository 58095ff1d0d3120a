#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite and writes its tables to docs/benchmark-results.md.
#   tests/IntegrationHub.Benchmarks/run.sh                          # everything (15-20 minutes on a busy 2-core machine)
#   tests/IntegrationHub.Benchmarks/run.sh --filter '*Intake*'      # some classes; any BenchmarkDotNet option works
# Needs only the .NET 10 SDK. The raw reports stay in tests/IntegrationHub.Benchmarks/BenchmarkDotNet.Artifacts.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
project="$root/tests/IntegrationHub.Benchmarks"
out="$root/docs/benchmark-results.md"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

args=("$@")
if [ ${#args[@]} -eq 0 ]; then args=(--filter '*'); fi

cd "$project"
rm -rf BenchmarkDotNet.Artifacts/results
started=$(date +%s)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
status=0
dotnet run -c Release --project "$project" -- "${args[@]}" || status=$?

{
  echo "# Benchmark results"
  echo
  echo "Written by \`tests/IntegrationHub.Benchmarks/run.sh ${args[*]}\` on $(date -u +%Y-%m-%dT%H:%MZ) in $(( $(date +%s) - started )) s"
  echo "($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), .NET SDK $(dotnet --version))."
  echo "Load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Medians and ratios are of this one run; see docs/performance.md for how to read them."
  for report in BenchmarkDotNet.Artifacts/results/*-report-github.md; do
    [ -e "$report" ] || continue
    name="$(basename "$report" -report-github.md)"
    echo
    echo "## ${name##*.}"
    echo
    cat "$report"
  done
} > "$out"
echo "tables: $out"
exit "$status"
