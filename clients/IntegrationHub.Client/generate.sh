#!/usr/bin/env bash
# Regenerates the C# client (Generated/) from the hub's OpenAPI document with Kiota, the repository's local dotnet
# tool (.config/dotnet-tools.json). Run it whenever the document changes: GeneratedClientTests fails until then.
#
#   clients/IntegrationHub.Client/generate.sh [DOCUMENT]
#
# DOCUMENT is a file or the URL of a running hub's document; by default the local hub's (local-dev/run.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source="${1:-http://localhost:7071/api/openapi.json}"
# Offline: no update check (Kiota asks the internet otherwise); no hints after the run.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false

# The snapshot the client is generated from, indented so that a change reads as a diff.
fetched="$(mktemp)"
trap 'rm -f "$fetched"' EXIT
case "$source" in
  http://* | https://*) curl -fsS "$source" -o "$fetched" ;;
  *) cp "$source" "$fetched" ;;
esac
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[2], JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), null, 2) + "\n");' \
  "$fetched" "$here/openapi.json"

(cd "$root" && dotnet tool restore >/dev/null)
# Relative paths: the lock file Kiota writes records them, and the check regenerates the same way elsewhere.
(cd "$here" && dotnet kiota generate --language CSharp --openapi openapi.json --output Generated \
  --class-name HubClient --namespace-name IntegrationHub.Client --exclude-backward-compatible --clean-output --log-level Warning)
echo "regenerated $here/Generated from $source"
