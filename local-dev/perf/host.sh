# Sourced by the perf scripts: a fresh local host for one measurement. Needs $root. Sets $data (a temporary folder
# for Azurite and the logs) and $host_pid, stops everything on exit, and defines `hub` and `hub_bench` (the built
# hub tool and the measurement tool).
data="$(mktemp -d)"
host_pid=""
cleanup() { [[ -n "$host_pid" ]] && kill "$host_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

hub() { dotnet "$root/functions/IntegrationHub.Cli/bin/Release/net10.0/hub.dll" "$@"; }
hub_bench() { dotnet "$root/functions/IntegrationHub.Bench/bin/Release/net10.0/hub-bench.dll" "$@"; }
build_tools() {
  echo "building the hub and hub-bench tools" >&2
  dotnet build "$root/functions/IntegrationHub.Cli/IntegrationHub.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
  dotnet build "$root/functions/IntegrationHub.Bench/IntegrationHub.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
}

# start_local_host NAME: builds the tools, starts run.sh --no-samples (it builds and starts the host) and waits until it answers.
# PERF_REAL_HOST=1 runs the app under the real Functions host instead (run.sh --real-host; README).
start_local_host() {
  # Another hub on 7071 would answer the health check below and be measured instead.
  if node -e "fetch('http://localhost:7071/api/health').then(()=>process.exit(0),()=>process.exit(1))"; then
    echo "$1: something already answers on port 7071; stop it first (this script measures a hub of its own)" >&2
    exit 3
  fi
  build_tools
  local real=()
  [[ "${PERF_REAL_HOST:-0}" == 1 ]] && real=(--real-host)
  "$root/local-dev/run.sh" --no-samples "${real[@]}" --data "$data" >"$data/run.log" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 180); do
    if node -e "fetch('http://localhost:7071/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    kill -0 "$host_pid" 2>/dev/null || { echo "$1: the local host stopped:" >&2; tail -n 30 "$data/run.log" >&2; exit 1; }
    sleep 1
  done
  echo "$1: the local host did not answer within 3 minutes; see $data/run.log" >&2
  exit 1
}
