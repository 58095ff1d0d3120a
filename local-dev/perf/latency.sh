#!/usr/bin/env bash
# End-to-end latency on the local host: Azurite (fresh data), the local host with no department simulators, the 2020
# baseline of the period pushed once, then `hub-bench --hub ... --end-to-end-only` over RUNS runs (default 20) of the
# period's feeds pushed together. Prints the JSON report and keeps it in local-dev/perf/results/.
#   local-dev/perf/latency.sh [RUNS] [PERIOD]      (default: 20 2024-Q2)
# Needs only the .NET 10 SDK, Node 20 and npm; port 7071 must be free. HUB_URL=http://… measures a hub already
# running there instead (its storage fresh: partitions.sh starts one per measurement).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-20}"
period="${2:-2024-Q2}"
results="$here/results"
mkdir -p "$results"

# A run pushes every feed of the period at once: the per-department burst and concurrency limits would refuse most.
export Access__RateLimit__PushPermitsPerMinute=1000000 Access__RateLimit__PushBurst=1000000 Access__RateLimit__MaxConcurrentPushes=1000 Access__Quota__DailyPushBytes=1099511627776
source "$here/host.sh"
if [[ -n "${HUB_URL:-}" ]]; then
  hub_url="${HUB_URL%/}"
  build_tools
else
  hub_url=http://localhost:7071
  start_local_host latency.sh
fi

key_of() { case "$1" in statistics*) echo local-statistics-key ;; power-grid*) echo local-power-grid-key ;; transport*) echo local-transport-key ;; environment*) echo local-environment-key ;; esac; }

# The baseline the period's data set reads (2020, same quarter or year), pushed once and untimed.
quarter="${period:5}"
for file in "$root/local-dev/sample-feeds/2020/"*.json; do
  name="$(basename "$file" .json)"
  feed_period="$(node -e "console.log(require(process.argv[1]).period)" "$file")"
  case "$quarter" in
    "") ;;
    Q1) [[ "$feed_period" =~ ^2020-(01|02|03|Q1)$ ]] || continue ;;
    Q2) [[ "$feed_period" =~ ^2020-(04|05|06|Q2)$ ]] || continue ;;
    Q3) [[ "$feed_period" =~ ^2020-(07|08|09|Q3)$ ]] || continue ;;
    Q4) [[ "$feed_period" =~ ^2020-(10|11|12|Q4)$ ]] || continue ;;
  esac
  [[ -z "$quarter" && "$feed_period" =~ ^2020-Q ]] && continue
  hub push --hub "$hub_url" --key "$(key_of "$name")" "$file" >/dev/null
done
echo "2020 baseline of $period pushed" >&2

out="$results/latency-$period-$(date -u +%Y%m%dT%H%M%SZ).json"
(cd "$root" && hub_bench --hub "$hub_url" --end-to-end-only --runs "$runs" --period "$period") | tee "$out"
echo "report: $out" >&2
