#!/usr/bin/env bash
# Drain time of a burst of feeds, before and after a change, side by side in one run on this machine. For each
# build and burst size: a fresh local host (run.sh --no-samples, its own Azurite data), N distinct feeds pushed by 16
# clients (burst.mjs), then the time from the last push's answer until no feed's or consolidation's run is pending or
# running any more (the task hub's instance query, polled every second), confirmed by a reconciliation that counts
# every accepted feed consolidated and announced; then the reconciliation must find nothing lost and nothing twice.
# drainCpu: CPU milliseconds the hub and Azurite spent per feed from the last push until the task hub was idle, and
# (…WithPush) from the first push on: what a feed costs the machine from its push to its announcement. The storage's own
# rate (blob creates and queue sends a second, StorageCeiling in the benchmarks) is measured on the first Azurite.
#   local-dev/perf/drain.sh [--before GIT_REF] [--rounds R] [SIZE...]     (default: no before build, 1 round, 100 1000)
# With --before, the ref is checked out into a temporary worktree and measured by its own run.sh, alternating with
# this tree round by round, so both see the same machine. Prints one JSON line per measurement and keeps them in
# local-dev/perf/results/. Needs the .NET 10 SDK, Node 20 and npm; port 7071 must be free.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
before_ref=""
rounds=1
sizes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --before) before_ref="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100 1000)
results="$here/results"
mkdir -p "$results"
out="$results/drain-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

if node -e "fetch('http://localhost:7071/api/health').then(()=>process.exit(0),()=>process.exit(1))"; then
  echo "drain.sh: something already answers on port 7071; stop it first (this script measures hubs of its own)" >&2
  exit 3
fi

work="$(mktemp -d)"
host_pid=""
cleanup() {
  [[ -n "$host_pid" ]] && kill -TERM "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
  [[ -n "$before_ref" && -d "$work/before" ]] && git -C "$root" worktree remove --force "$work/before" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

builds=("after=$root")
if [[ -n "$before_ref" ]]; then
  git -C "$root" worktree add --detach "$work/before" "$before_ref" >&2
  # Azurite from this tree's install, so the before build does not fetch it again.
  [[ -d "$root/local-dev/node_modules" && ! -e "$work/before/local-dev/node_modules" ]] && ln -s "$root/local-dev/node_modules" "$work/before/local-dev/node_modules"
  builds=("before=$work/before" "after=$root")
fi

source "$here/cpu.sh"
source "$here/taskhub.sh"

# A burst measures the pipeline, not the per-caller limits.
export Access__RateLimit__PushPermitsPerMinute=1000000 Access__RateLimit__PushBurst=1000000 Access__RateLimit__MaxConcurrentPushes=1000 Access__Quota__DailyPushBytes=1099511627776 Access__RateLimit__OpsPermitsPerMinute=1000000

reconcile() { # GRACE_SECONDS -> the reconciliation's totals as "landed consolidated published lost duplicates"
  # A background run (POST, then follow its status), as `hub reconcile` does: one request over a store of thousands of
  # feeds outlasts the HTTP timeout, and its 503 would read as "nothing consolidated yet".
  node -e '
    const hub = "http://localhost:7071", headers = { "x-api-key": "local-ops-key" };
    const sleep = ms => new Promise(r => setTimeout(r, ms));
    (async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const started = await fetch(`${hub}/api/ops/reconciliations?graceSeconds=${process.argv[1]}`, { method: "POST", headers });
          if (started.status !== 202) { await sleep(2000); continue; }
          const statusUrl = started.headers.get("location") ?? (await started.json()).status;
          for (;;) {
            await sleep(1000);
            const run = await fetch(new URL(statusUrl, hub), { headers }).then(r => r.json()).catch(() => ({}));
            if (run.status === "Completed") {
              const t = run.report?.totals || {};
              console.log(`${t.landed ?? 0} ${t.consolidated ?? 0} ${t.published ?? 0} ${t.lost ?? 0} ${t.duplicates ?? 0}`);
              return;
            }
            if (["Failed", "Terminated"].includes(run.status)) break;
          }
        } catch { await sleep(2000); }
      }
      console.log("0 0 0 0 0");
    })();' "$1"
}

ceiling_done=false
measure() { # NAME TREE SIZE
  local name="$1" tree="$2" size="$3" data
  data="$(mktemp -d -p "$work")"
  "$tree/local-dev/run.sh" --no-samples --data "$data" >"$data/run.log" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 300); do
    node -e "fetch('http://localhost:7071/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
    kill -0 "$host_pid" 2>/dev/null || { echo "drain.sh: the $name host stopped:" >&2; tail -n 30 "$data/run.log" >&2; exit 1; }
    sleep 1
  done

  if [[ $ceiling_done == false ]]; then
    local ports blob queue
    # The last port line: run.sh picks other ports when Azurite loses a race for the first ones.
    ports="$(grep -o 'ports [0-9]*/[0-9]*/[0-9]*' "$data/run.log" | tail -n 1 | cut -d' ' -f2)"
    blob="${ports%%/*}"; queue="$(echo "$ports" | cut -d/ -f2)"
    local account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    dotnet run --project "$root/tests/IntegrationHub.Benchmarks" -c Release -- --storage-ceiling \
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;" \
      | tail -n 1 | tee -a "$out"
    ceiling_done=true
  fi

  echo "$name: pushing $size feeds" >&2
  local burst hub_b storage_b
  read -r hub_b storage_b <<<"$(process_ticks "$host_pid")"
  burst="$(node "$here/burst.mjs" http://localhost:7071 "$size" 16 "$name-$size-$RANDOM" || true)"
  local accepted
  accepted="$(node -e 'console.log(JSON.parse(process.argv[1]).accepted)' "$burst")"
  local started landed consolidated published lost duplicates state quiet_at="" confirmed=false failed=0 polls=0
  local hub0 storage0 hub1 storage1
  read -r hub0 storage0 <<<"$(process_ticks "$host_pid")"
  started=$(date +%s.%N)
  while true; do
    state="$(task_hub_busy)"; polls=$((polls + 1))
    if [[ "$state" == "0" ]]; then
      quiet_at=$(date +%s.%N)
      read -r hub1 storage1 <<<"$(process_ticks "$host_pid")"
      # The idle task hub is the end only if the reconciliation agrees: every accepted feed consolidated and announced.
      read -r landed consolidated published lost duplicates <<<"$(reconcile 3600)"
      echo "$name: task hub idle; $consolidated of $accepted consolidated, $published announced" >&2
      if [[ "$published" -ge "$accepted" && "$consolidated" -ge "$accepted" ]]; then confirmed=true; break; fi
      failed="$(failed_runs)"
      if [[ "$failed" -gt 0 ]]; then echo "$name: $failed runs failed and wait for ops; not drained" >&2; break; fi
    elif (( polls % 30 == 0 )); then
      echo "$name: runs still pending or running after $(( $(date +%s) - ${started%.*} )) s" >&2
    fi
    if (( $(date +%s) - ${started%.*} > 3600 )); then echo "$name: not drained after 60 min ($consolidated of $accepted consolidated)" >&2; break; fi
    sleep 1
  done
  local drained="null" drain_cpu="null"
  [[ -n "$quiet_at" ]] && drain_cpu="{\"hubMsPerFeed\":$(( (hub1 - hub0) * 1000 / clock_ticks / accepted )),\"storageMsPerFeed\":$(( (storage1 - storage0) * 1000 / clock_ticks / accepted )),\"hubMsPerFeedWithPush\":$(( (hub1 - hub_b) * 1000 / clock_ticks / accepted )),\"storageMsPerFeedWithPush\":$(( (storage1 - storage_b) * 1000 / clock_ticks / accepted ))}"
  [[ $confirmed == true ]] && drained="$(node -e 'console.log((Number(process.argv[2]) - Number(process.argv[1])).toFixed(1))' "$started" "$quiet_at")"
  read -r landed consolidated published lost duplicates <<<"$(reconcile 0)"
  local line="{\"build\":\"$name\",\"feeds\":$size,\"burst\":$burst,\"drainSeconds\":$drained,\"failedRuns\":$failed,\"drainCpu\":$drain_cpu,\"landed\":$landed,\"consolidated\":$consolidated,\"published\":$published,\"lost\":$lost,\"duplicates\":$duplicates}"
  echo "$line" | tee -a "$out"
  kill -TERM "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null || true
  host_pid=""
  rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
  for size in "${sizes[@]}"; do
    # Alternate which build goes first, so neither always meets the machine in the same state.
    order=("${builds[@]}")
    if (( round % 2 == 0 )) && [[ ${#builds[@]} -gt 1 ]]; then order=("${builds[1]}" "${builds[0]}"); fi
    for build in "${order[@]}"; do
      measure "${build%%=*}" "${build#*=}" "$size"
    done
  done
done
echo "results: $out" >&2
