#!/usr/bin/env bash
# What host.json's partitionCount costs or gains on this machine: end-to-end latency (latency.sh: the period's feeds
# pushed together until the data set serving them is served) under the real Functions host, with 4 partitions (what
# host.json sets for Azure) and with 1, alternating ROUNDS times, each on a fresh Azurite and a fresh host on free
# ports. Prints one line per measurement: partitions, p50, p95, min, max (ms). Results are kept in local-dev/perf/results/.
#   local-dev/perf/partitions.sh [ROUNDS] [RUNS]      (default: 2 10)
# Needs the real Functions host (README: "Running under the real Functions host").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-2}"
runs="${2:-10}"
source "$root/local-dev/real-host.sh"
find_real_host
[[ -n "$real_host_kind" ]] || { echo "partitions.sh: no real Functions host (README: 'Running under the real Functions host')" >&2; exit 2; }
[[ -f "$root/local-dev/node_modules/azurite/dist/src/azurite.js" ]] || npm ci --prefix "$root/local-dev" --no-audit --no-fund --loglevel=error
echo "building the app" >&2
dotnet build "$root/functions/IntegrationHub.Functions/IntegrationHub.Functions.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2

work="$(mktemp -d)"
pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap 'stop_all; rm -rf "$work"' EXIT
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

measure() { # partitions
  local b q t h; b="$(free_port)" q="$(free_port)" t="$(free_port)" h="$(free_port)"
  node "$root/local-dev/node_modules/azurite/dist/src/azurite.js" --inMemoryPersistence --skipApiVersionCheck --loose --disableProductStyleUrl \
    --blobHost 127.0.0.1 --blobPort "$b" --queueHost 127.0.0.1 --queuePort "$q" --tableHost 127.0.0.1 --tablePort "$t" >"$work/azurite-$1.log" 2>&1 &
  pids+=($!)
  sleep 2
  local key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public development key
  (
    export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$b/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$q/devstoreaccount1;TableEndpoint=http://127.0.0.1:$t/devstoreaccount1;"
    export HubStorage="$AzureWebJobsStorage" Access__RateLimit__PushPermitsPerMinute=1000000 Access__RateLimit__PushBurst=1000000 Access__RateLimit__MaxConcurrentPushes=1000 Access__Quota__DailyPushBytes=1099511627776
    export AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount="$1"
    for dept in Statistics PowerGrid Transport Environment; do export "Pull__${dept}__BaseUrl="; done
    export_sample_settings
    start_real_host "$root/functions/IntegrationHub.Functions/bin/Release/net10.0" "$h" "$work/host-$1" "$work/host-$1.log"
    echo "$real_host_pid" >"$work/pid"
  )
  pids+=("$(cat "$work/pid")")
  for _ in $(seq 1 120); do node -e "fetch('http://127.0.0.1:$h/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break; sleep 1; done
  HUB_URL="http://127.0.0.1:$h" bash "$here/latency.sh" "$runs" 2024-Q2 >"$work/latency-$1.json" 2>"$work/latency-$1.err" \
    || { tail -n 20 "$work/latency-$1.err" >&2; exit 1; }
  node -e 'const r=require(process.argv[1]).endToEnd.endToEndMs; console.log(`partitions ${process.argv[2]}: p50 ${r.p50} ms, p95 ${r.p95} ms, min ${r.min}, max ${r.max}`)' "$work/latency-$1.json" "$1"
  stop_all
}

for _ in $(seq 1 "$rounds"); do measure 4; measure 1; done
