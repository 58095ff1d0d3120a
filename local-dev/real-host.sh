# Sourced by run.sh, tests/run.sh and the perf scripts: finds the real Azure Functions host (the program `func start`
# embeds and Azure runs) and starts the built app on it.
#   find_real_host            sets real_host_kind: "func" (Core Tools on PATH), "webhost" (a built
#                             Microsoft.Azure.WebJobs.Script.WebHost in $FUNCTIONS_HOST_DIR, exported from the default
#                             folder below when unset) or "" (none); real_host_text says which, for people.
#   start_real_host APP PORT WORK LOG
#                             starts it in the background on 127.0.0.1:PORT with the built app folder APP (the one
#                             with functions.metadata) as script root; secrets, logs and test data go under WORK; sets
#                             real_host_pid. Settings come from the environment: `func start` adds local.settings.json
#                             under them, so every other caller exports the sample settings first (export_sample_settings).
#   export_sample_settings    exports each Value of the committed local.settings.sample.json that is not set already.
real_host_default_dir="${XDG_CACHE_HOME:-$HOME/.cache}/integrationhub/functions-host"
real_host_dll="Microsoft.Azure.WebJobs.Script.WebHost.dll"

find_real_host() {
  real_host_kind="" real_host_text="none"
  if [[ -z "${FUNCTIONS_HOST_DIR:-}" && -f "$real_host_default_dir/$real_host_dll" ]]; then
    export FUNCTIONS_HOST_DIR="$real_host_default_dir"
  fi
  if command -v func >/dev/null 2>&1; then
    real_host_kind=func real_host_text="func start ($(command -v func))"
  elif [[ -n "${FUNCTIONS_HOST_DIR:-}" && -f "$FUNCTIONS_HOST_DIR/$real_host_dll" ]]; then
    real_host_kind=webhost real_host_text="the host built in $FUNCTIONS_HOST_DIR"
  fi
}

export_sample_settings() {
  local sample="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/functions/IntegrationHub.Functions/local.settings.sample.json}"
  eval "$(node -e '
    const values = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Values || {};
    const quote = (v) => "\x27" + String(v).replace(/\x27/g, "\x27\\\x27\x27") + "\x27";
    for (const [k, v] of Object.entries(values)) if (!(k in process.env)) console.log(`export ${k}=${quote(v)}`);' "$sample")"
}

start_real_host() { # app port work log
  local app="$1" port="$2" work="$3" log="$4"
  mkdir -p "$work/secrets" "$work/logs" "$work/testdata"
  case "$real_host_kind" in
    func)
      (cd "$app" && exec func start --port "$port") >"$log" 2>&1 &
      ;;
    webhost)
      # What `func start` sets for the host it embeds. The host targets .NET 8; roll forward to the runtime installed.
      ASPNETCORE_URLS="http://127.0.0.1:$port" WEBSITE_HOSTNAME="127.0.0.1:$port" \
      AZURE_FUNCTIONS_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
      AzureWebJobsScriptRoot="$app" AzureWebJobsSecretStorageType=files \
      FUNCTIONS_SECRETS_PATH="$work/secrets" FUNCTIONS_LOG_PATH="$work/logs" FUNCTIONS_TEST_DATA_PATH="$work/testdata" \
      DOTNET_ROLL_FORWARD=Major \
        dotnet "$FUNCTIONS_HOST_DIR/$real_host_dll" </dev/null >"$log" 2>&1 &
      ;;
    *)
      echo "no real Functions host: put Core Tools' func on PATH, or set FUNCTIONS_HOST_DIR to a built $real_host_dll folder" >&2
      return 2
      ;;
  esac
  real_host_pid=$!
}
