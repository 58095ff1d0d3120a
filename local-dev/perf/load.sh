#!/usr/bin/env bash
# Push load on the local host with wrk (Debian package `wrk`): 10 KB and 1 MB feeds at 1, 8 and 32 concurrent
# clients, every request a new feed. Then waits until the pipeline has taken every landed feed and checks with the
# reconciliation that none is lost: every accepted (202) feed is landed, in the ledger and consolidated, and nothing
# is lost or twice. Prints one JSON line per level and the count, and keeps them in local-dev/perf/results/.
# Each level also says what a request cost the machine: CPU milliseconds of the hub, of Azurite and of wrk per request,
# and how many of the machine's cores were busy (all processes, so other work on the machine shows there).
#   local-dev/perf/load.sh [--settle] [SECONDS_PER_LEVEL]      (default 10)
# --settle: before each level, wait until the pipeline has finished the feeds of the levels before it (no feed or
# consolidation run pending or running), so a level meets an idle pipeline; the wait and its CPU are in the line.
# Needs the .NET 10 SDK, Node 20, npm and wrk; port 7071 must be free. The push rate limit is raised for the run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
settle=false
if [[ "${1:-}" == --settle ]]; then settle=true; shift; fi
seconds="${1:-10}"
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
results="$here/results"
mkdir -p "$results"
out="$results/load-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

# A load run measures the hub, not its per-caller limits (120 pushes a minute by default).
export Access__RateLimit__PushPermitsPerMinute=1000000 Access__RateLimit__PushBurst=1000000 Access__RateLimit__MaxConcurrentPushes=1000 Access__Quota__DailyPushBytes=1099511627776 Access__RateLimit__OpsPermitsPerMinute=1000000
source "$here/host.sh"
source "$here/cpu.sh"
source "$here/taskhub.sh"
start_local_host load.sh

# Templates: a real feed with a placeholder producer, compact and then padded with whitespace up to the size (valid
# JSON; parsing, hashing and storing see every byte, the schema and the domain rules see the real feed's records).
# Compact because the 1.1 sample feeds, indented, are already larger than 10 KB.
template() { # feed size out
  node -e '
    const fs = require("fs"); const [feed, size, out] = process.argv.slice(1);
    const doc = JSON.parse(fs.readFileSync(feed, "utf8")); doc.producer = "@@PRODUCER@@";
    const text = JSON.stringify(doc); const pad = Number(size) - Buffer.byteLength(text) - 10;
    if (pad < 0) throw new Error(feed + " is larger than " + size);
    fs.writeFileSync(out, text.slice(0, -1) + " ".repeat(pad) + "}");' "$@"
}
template "$root/local-dev/sample-feeds/2024/environment-2024-01-r0.json" 10240 "$data/10k.json"
template "$root/local-dev/sample-feeds/2024/statistics-2024-Q2-r0.json" 1048576 "$data/1m.json"

label="L$(date +%s)"
accepted=0
for size in 10k 1m; do
  if [[ $size == 10k ]]; then source=environment; key=local-environment-key; else source=statistics; key=local-statistics-key; fi
  for clients in 1 8 32; do
    settled="null" settle_cpu="null"
    if [[ $settle == true ]]; then
      read -r hub0 storage0 <<<"$(process_ticks "$host_pid")"; waited=$(date +%s)
      until [[ "$(task_hub_busy)" == 0 ]]; do sleep 1; done
      read -r hub1 storage1 <<<"$(process_ticks "$host_pid")"
      settled=$(( $(date +%s) - waited ))
      settle_cpu="{\"hubMs\":$(( (hub1 - hub0) * 1000 / clock_ticks )),\"storageMs\":$(( (storage1 - storage0) * 1000 / clock_ticks ))}"
    fi
    threads=$(( clients < 2 ? 1 : 2 ))
    read -r hub0 storage0 <<<"$(process_ticks "$host_pid")"; read -r busy0 total0 <<<"$(machine_ticks)"
    TIMEFORMAT='%U %S'
    { time FEED_TEMPLATE="$data/$size.json" FEED_SOURCE="$source" FEED_KEY="$key" RUN_LABEL="$label-$size-c$clients" \
      wrk -t "$threads" -c "$clients" -d "${seconds}s" --timeout 30s -s "$here/push.lua" http://localhost:7071 >"$data/wrk.out" ; } 2>"$data/wrk.time"
    read -r hub1 storage1 <<<"$(process_ticks "$host_pid")"; read -r busy1 total1 <<<"$(machine_ticks)"
    line="$(tail -n 1 "$data/wrk.out")"
    read -r wrk_user wrk_system <<<"$(tail -n 1 "$data/wrk.time")"
    cpu="$(node -e '
      const [requests, hub, storage, wrkUser, wrkSystem, busy, total, ticks, cores] = process.argv.slice(1).map(Number);
      const perRequest = (t) => Math.round(t * 1000 / ticks / Math.max(requests, 1) * 10) / 10;
      console.log(JSON.stringify({ hub: perRequest(hub), storage: perRequest(storage),
        client: Math.round((wrkUser + wrkSystem) * 1000 / Math.max(requests, 1) * 10) / 10,
        machineBusyCores: Math.round(busy / total * cores * 100) / 100 }));' \
      "$(node -e 'console.log(JSON.parse(process.argv[1]).requests)' "$line")" $(( hub1 - hub0 )) $(( storage1 - storage0 )) \
      "$wrk_user" "$wrk_system" $(( busy1 - busy0 )) $(( total1 - total0 )) "$clock_ticks" "$(nproc)")"
    line="{\"feed\":\"$size\",\"clients\":$clients,\"settledSeconds\":$settled,\"settleCpu\":$settle_cpu,\"cpuMsPerRequest\":$cpu,${line#\{}"
    echo "$line" | tee -a "$out"
    accepted=$(( accepted + $(node -e 'console.log(JSON.parse(process.argv[1]).accepted)' "$line") ))
  done
done

# Nothing accepted may be lost: wait until every landed feed (the accepted ones, and those whose client wrk cut off
# at the end of a level after sending the body) is in the ledger and consolidated, then the reconciliation must find
# nothing lost and nothing twice.
echo "waiting for the pipeline to take every landed feed ($accepted answered 202; progress every 15 s)" >&2
started=$(date +%s)
landed=0 ledger=0 consolidated=0
while true; do
  report="$(hub reconcile --hub http://localhost:7071 --key local-ops-key --timeout 300 --json 2>/dev/null || true)"
  counts="$(node -e '
    const t = (JSON.parse(process.argv[1] || "{}").totals) || {};
    console.log(`${t.landed || 0} ${t.inLedger || 0} ${t.consolidated || 0}`);' "$report" 2>/dev/null || echo "0 0 0")"
  read -r now_landed now_ledger now_consolidated <<<"$counts"
  if [[ "$now_landed" -gt 0 ]]; then landed=$now_landed ledger=$now_ledger consolidated=$now_consolidated; fi
  if [[ "$landed" -ge "$accepted" && "$consolidated" -ge "$landed" ]]; then break; fi
  if (( $(date +%s) - started > 1800 )); then echo "load.sh: after 30 min, $ledger of $landed landed feeds are in the ledger, $consolidated consolidated" >&2; break; fi
  echo "  landed $landed, in the ledger $ledger, consolidated $consolidated, after $(( $(date +%s) - started )) s" >&2
  sleep 15
done
drained=$(( $(date +%s) - started ))
hub reconcile --hub http://localhost:7071 --key local-ops-key --timeout 300 --grace-seconds 0 >"$data/reconcile.txt" 2>&1 && clean=true || clean=false
summary="{\"accepted\":$accepted,\"landed\":$landed,\"inLedger\":$ledger,\"consolidated\":$consolidated,\"drainedSeconds\":$drained,\"reconcileClean\":$clean}"
echo "$summary" | tee -a "$out"
tail -n 20 "$data/reconcile.txt" >&2
echo "results: $out" >&2
[[ "$ledger" -ge "$accepted" && "$consolidated" -eq "$landed" && $clean == true ]]
