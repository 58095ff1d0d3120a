#!/usr/bin/env bash
# Builds and lints the Bicep of infra/ with the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64,
# version pinned in Directory.Packages.props); needs only the .NET SDK. Fails on any error *or warning*.
#
#   infra/check.sh         build + lint (what CI runs)
#   infra/check.sh build   build only
#   infra/check.sh lint    lint only
#
# Build writes to infra/out/ (git-ignored):
#   main.json                  the compiled ARM template
#   <params>.parameters.json   each .bicepparam compiled (bicep build-params)
#   <params>.snapshot.json     each .bicepparam expanded into the resources it would deploy (bicep snapshot: loops,
#                              modules and parameters resolved) for a fixed placeholder subscription and resource
#                              group; tests/IntegrationHub.Infra.Tests reads these.
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$infra_dir/out"
tool_project="$infra_dir/tools/bicep-cli.proj"
package_id="azure.bicep.commandline.linux-x64"

mode="${1:-all}"
case "$mode" in
  all | build | lint) ;;
  *)
    echo "usage: $0 [all|build|lint]" >&2
    exit 2
    ;;
esac

# --- The Bicep CLI, from the NuGet global packages folder ---------------------------------------------------------
dotnet restore "$tool_project" --nologo --verbosity quiet
version="$(dotnet msbuild "$tool_project" -nologo -getItem:PackageDownload \
  | sed -n 's/.*"Version": *"\[\([^]]*\)\]".*/\1/p' | head -n 1)"
packages_dir="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
bicep="${packages_dir%/}/$package_id/$version/tools/bicep"
if [[ -z "$version" || ! -f "$bicep" ]]; then
  echo "check.sh: Bicep CLI not found after restore (version '$version', looked for $bicep)" >&2
  exit 1
fi
[[ -x "$bicep" ]] || chmod +x "$bicep"
echo "Bicep CLI: $("$bicep" --version)"

# Compiled output must not depend on who runs this: the parameter files read these from azd's environment.
unset AZURE_PRINCIPAL_ID AZURE_PRINCIPAL_TYPE AZURE_ENV_NAME

failed=0
# Runs one bicep command; its diagnostics are printed, and any Warning or Error line (or a non-zero exit) fails.
run_bicep() {
  local output status=0
  output="$("$bicep" "$@" 2>&1)" || status=$?
  if [[ -n "$output" ]]; then
    printf '%s\n' "$output"
  fi
  if ((status != 0)) || grep -Eq ' : (Warning|Error) ' <<<"$output"; then
    echo "check.sh: FAILED: bicep $*" >&2
    failed=1
  fi
}

cd "$infra_dir"
mapfile -t bicep_files < <(find . \( -path ./out -o -path ./tools \) -prune -o -name '*.bicep' -print | sort)
mapfile -t param_files < <(find . \( -path ./out -o -path ./tools \) -prune -o -name '*.bicepparam' -print | sort)

# --- Build -------------------------------------------------------------------------------------------------------
if [[ "$mode" == all || "$mode" == build ]]; then
  rm -rf "$out_dir"
  mkdir -p "$out_dir"
  echo "== bicep build main.bicep"
  run_bicep build main.bicep --outfile "$out_dir/main.json"
  for params in "${param_files[@]}"; do
    name="$(basename "$params" .bicepparam)" # main, main.prod
    stage="${name#main}"
    stage="${stage#.}"
    stage="${stage:-dev}"
    echo "== bicep build-params $params"
    run_bicep build-params "$params" --outfile "$out_dir/$name.parameters.json"
    echo "== bicep snapshot $params"
    # snapshot writes <name>.snapshot.json beside the parameter file; it is moved to out/.
    run_bicep snapshot "$params" --mode overwrite \
      --subscription-id 00000000-0000-0000-0000-000000000000 \
      --resource-group "rg-integrationhub-$stage" \
      --location eastasia
    if [[ -f "$(dirname "$params")/$name.snapshot.json" ]]; then
      mv "$(dirname "$params")/$name.snapshot.json" "$out_dir/$name.snapshot.json"
    else
      echo "check.sh: bicep snapshot wrote no $name.snapshot.json" >&2
      failed=1
    fi
  done
fi

# --- Lint --------------------------------------------------------------------------------------------------------
if [[ "$mode" == all || "$mode" == lint ]]; then
  # One process per pattern (the CLI starts slowly); the files it covers are listed first.
  printf '== bicep lint %s\n' "${bicep_files[@]}" "${param_files[@]}"
  run_bicep lint --pattern '**/*.bicep'
  run_bicep lint --pattern '**/*.bicepparam'
fi

if ((failed)); then
  echo "check.sh: Bicep reported errors or warnings (see above)." >&2
  exit 1
fi
echo "check.sh: $mode OK (${#bicep_files[@]} .bicep and ${#param_files[@]} .bicepparam files, no warnings)."
