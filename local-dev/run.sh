#!/usr/bin/env bash
# The hub's main job, locally: Azurite (from npm), the department simulators and the local Functions host, then
# the sample cycle (pull every sample period, follow each feed, print the data sets against the plan's targets).
# Needs only the .NET 10 SDK, Node 20 and npm.
#   local-dev/run.sh               run the sample cycle, then keep serving on http://localhost:7071 (Ctrl-C stops)
#   local-dev/run.sh --once        run the sample cycle and exit (0 when every sample period has a data set)
#   local-dev/run.sh --no-samples  an empty hub that pulls nothing and only serves, for your own feeds
#   local-dev/run.sh --data DIR    keep Azurite's data in DIR (default: local-dev/.data, git-ignored)
#   local-dev/run.sh --real-host   run the app under the real Functions host (func start, or a built host in
#                                  FUNCTIONS_HOST_DIR: README) instead of the local host
# Ports: AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT (default 10000-10002; free ones are picked when
# those are taken), SIMULATOR_PORT (default 7080, likewise). The hub itself is always on 7071.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
once=0
samples=1
real=0
data="$here/.data"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --once) once=1 ;;
    --no-samples) samples=0 ;;
    --real-host) real=1 ;;
    --data) data="${2:?--data needs a directory}"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is not installed; the hub needs the .NET 10 SDK, Node 20 and npm." >&2; exit 2; }
done

port_free() { node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'127.0.0.1',()=>s.close(()=>process.exit(0)))"; }
any_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
pick_port() { # wanted-port name
  if port_free "$1"; then echo "$1"; else local p; p="$(any_port)"; echo "run.sh: port $1 ($2) is taken; using $p" >&2; echo "$p"; fi
}
wait_port() { # port what seconds
  for _ in $(seq 1 $(( $3 * 5 ))); do port_free "$1" || return 0; sleep 0.2; done
  echo "run.sh: $2 did not start listening on port $1" >&2; return 1
}

if [[ $real -eq 1 ]]; then
  source "$here/real-host.sh"
  find_real_host
  if [[ -z "$real_host_kind" ]]; then
    echo "run.sh: --real-host needs the real Functions host: Azure Functions Core Tools ('func' on PATH) or FUNCTIONS_HOST_DIR set to a built Microsoft.Azure.WebJobs.Script.WebHost folder (README: 'Running under the real Functions host')." >&2
    exit 2
  fi
fi

if ! port_free 7071; then
  echo "run.sh: port 7071 is taken by another process. The hub serves on it: stop that process (or an earlier run.sh) and run again." >&2
  exit 3
fi

azurite_pid="" simulators_pid="" hub_pid=""
# Each child in its own session (where setsid exists): a terminal's Ctrl-C then reaches only this script, which stops
# the children in order (cleanup) instead of every one of them at once.
detach=()
if command -v setsid >/dev/null; then detach=(setsid); fi
stop() { # pid what seconds
  [[ -n "$1" ]] && kill "$1" 2>/dev/null || return 0
  echo "stopping $2…"
  for _ in $(seq 1 $(( $3 * 5 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  echo "run.sh: $2 did not stop within $3 s; killing it" >&2
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  # The hub first, awaited while storage still answers: it then stops in a second or two, where without storage it
  # waits out its own 20 s cap.
  stop "$hub_pid" 'the hub' 30
  stop "$simulators_pid" 'the department simulators' 5
  stop "$azurite_pid" Azurite 5
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

if [[ ! -f "$here/node_modules/azurite/dist/src/azurite.js" || ! -f "$here/node_modules/ajv-formats/package.json" ]]; then
  echo "installing Azurite and the simulators' schema validator (ajv) from npm (once)"
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi

mkdir -p "$data"
blob_port="$(pick_port "${AZURITE_BLOB_PORT:-10000}" 'Azurite blob')"
queue_port="$(pick_port "${AZURITE_QUEUE_PORT:-10001}" 'Azurite queue')"
table_port="$(pick_port "${AZURITE_TABLE_PORT:-10002}" 'Azurite table')"
# A port found free can still be taken before Azurite binds it, so Azurite's own word decides: its log says each
# service is listening, or it exits (EADDRINUSE: another free port, up to three tries). Anything else stops the
# script here, before the build, with Azurite's log.
for attempt in 1 2 3; do
  echo "starting Azurite (data in $data; ports $blob_port/$queue_port/$table_port)"
  : >"$data/azurite.log"
  "${detach[@]}" node "$here/node_modules/azurite/dist/src/azurite.js" --location "$data" --skipApiVersionCheck --loose --disableProductStyleUrl --disableTelemetry \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" --tableHost 127.0.0.1 --tablePort "$table_port" \
    >"$data/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 150); do
    [[ "$(grep -c 'successfully listening' "$data/azurite.log")" -ge 3 ]] && break
    kill -0 "$azurite_pid" 2>/dev/null || break
    sleep 0.2
  done
  if [[ "$(grep -c 'successfully listening' "$data/azurite.log")" -ge 3 ]]; then break; fi
  if kill -0 "$azurite_pid" 2>/dev/null; then
    echo "run.sh: Azurite did not start listening within 30 s; its log ($data/azurite.log):" >&2
    tail -n 20 "$data/azurite.log" >&2
    exit 4
  fi
  azurite_status=0; wait "$azurite_pid" || azurite_status=$?
  azurite_pid=""
  lost="$(sed -n 's/.*EADDRINUSE.*:\([0-9][0-9]*\)$/\1/p' "$data/azurite.log" | head -n 1)"
  if [[ -z "$lost" || $attempt -eq 3 ]]; then
    echo "run.sh: Azurite failed to start (exit $azurite_status); nothing else was started. Its log ($data/azurite.log):" >&2
    tail -n 20 "$data/azurite.log" >&2
    exit 4
  fi
  replacement="$(any_port)"
  echo "run.sh: port $lost was taken by another process after it was checked; Azurite tries $replacement instead" >&2
  if [[ "$blob_port" == "$lost" ]]; then blob_port="$replacement"; fi
  if [[ "$queue_port" == "$lost" ]]; then queue_port="$replacement"; fi
  if [[ "$table_port" == "$lost" ]]; then table_port="$replacement"; fi
done
echo "Azurite listening"

# Azurite's well-known development account: public by design, valid only against the emulator.
account_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export AzureWebJobsStorage="$storage" HubStorage="$storage"
# The hub's receipt-signing key lives with the data it signed for (created by the hub on its first start).
export Receipts__LocalKeyFile="${Receipts__LocalKeyFile:-$(cd "$data" && pwd)/receipt-signing-key.pem}"

if [[ $samples -eq 1 ]]; then
  sim_port="$(pick_port "${SIMULATOR_PORT:-7080}" 'department simulators')"
  "${detach[@]}" node "$here/simulators/departments.mjs" --port "$sim_port" >"$data/simulators.log" 2>&1 &
  simulators_pid=$!
  wait_port "$sim_port" 'the department simulators' 15
  for dept in Statistics PowerGrid Transport Environment; do export "Pull__${dept}__BaseUrl=http://127.0.0.1:$sim_port"; done
  # The simulators are on loopback, which pulls may reach only when private networks are allowed (a copied
  # local.settings.json may predate that setting).
  export Pull__AllowPrivateNetworks=true
  echo "department simulators on http://127.0.0.1:$sim_port"
else
  for dept in Statistics PowerGrid Transport Environment; do export "Pull__${dept}__BaseUrl="; done
fi

build() { # project
  # dotnet's own minimal output shown as it comes, a line per project restored or built ("X -> path" shortened to
  # "built X"), and kept whole in build.log; on a failure its errors are shown.
  dotnet build "$1" -c Release -nologo -v minimal -clp:NoSummary 2>&1 | tee "$data/build.log" \
    | sed -u -E -n 's#^ *([A-Za-z0-9_.]+) -> .*#  built \1#p; /[Rr]estored /s#^ *#  #p' \
    || { echo "run.sh: the build failed:" >&2; grep -E ': error ' "$data/build.log" | sort -u >&2 || cat "$data/build.log" >&2; exit 1; }
}

if [[ $real -eq 1 ]]; then
  echo "building the app for the real Functions host ($real_host_text)"
  build "$root/functions/IntegrationHub.Functions/IntegrationHub.Functions.csproj"
  # What func start does with local.settings.json: its Values, under what this script has set already.
  export_sample_settings
  start_real_host "$root/functions/IntegrationHub.Functions/bin/Release/net10.0" 7071 "$data/real-host" "$data/hub.log"
  hub_pid="$real_host_pid"
else
  echo "building the hub (the first build restores packages and takes a minute)"
  build "$here/LocalHost/IntegrationHub.LocalHost.csproj"
  "${detach[@]}" dotnet "$here/LocalHost/bin/Release/net10.0/IntegrationHub.LocalHost.dll" --port 7071 >"$data/hub.log" 2>&1 &
  hub_pid=$!
fi
healthy() { node -e "fetch('http://localhost:7071/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; }
for _ in $(seq 1 120); do
  if healthy; then break; fi
  if ! kill -0 "$hub_pid" 2>/dev/null; then echo "run.sh: the hub stopped; its log:" >&2; tail -n 40 "$data/hub.log" >&2; exit 1; fi
  sleep 1
done
healthy || { echo "run.sh: the hub did not become healthy; see $data/hub.log" >&2; exit 1; }
echo "hub ready on http://localhost:7071 (log: $data/hub.log)"

# Data left by an older build (data set 1.0) is moved to the current methodology once: each stored period whose
# current version is of another methodology gets a new version; the older versions stay readable.
HUB_OPS_KEY="${Access__Ops__Primary:-local-ops-key}" node --input-type=module -e '
const hub = "http://localhost:7071/api/";
const list = await (await fetch(hub + "datasets")).json();
let outdated = 0;
for (const p of list) {
  const doc = await (await fetch(hub + "datasets/" + encodeURIComponent(p.period) + "?area=XJNA&indicator=energy.totalTce")).json();
  if (!doc.methodology || doc.methodology.version !== "2.0") outdated++;
}
if (outdated === 0) process.exit(0);
console.log(`${outdated} stored period(s) on an older methodology: re-consolidating every period (hub ops reconsolidate --all)`);
const answer = await fetch(hub + "ops/reconsolidate", { method: "POST", headers: { "x-api-key": process.env.HUB_OPS_KEY } });
if (answer.status !== 202) {
  console.error(`run.sh: POST /api/ops/reconsolidate answered ${answer.status}; run it yourself: hub ops reconsolidate --all`);
} else {
  const report = await answer.json();
  console.log(`started ${report.started} consolidation(s), ${report.running} already running; new versions follow within minutes`);
}
' || echo "run.sh: could not check the stored data sets' methodology; after an upgrade run: hub ops reconsolidate --all" >&2

status=0
if [[ $samples -eq 1 ]]; then
  node "$here/demo/cycle.mjs" --hub http://localhost:7071 --ops-key "${Access__Ops__Primary:-local-ops-key}" --feeds "$here/sample-feeds" || status=$?
fi

if [[ $once -eq 1 ]]; then
  exit "$status"
fi
echo "serving on http://localhost:7071 — Ctrl-C stops everything"
wait "$hub_pid"
