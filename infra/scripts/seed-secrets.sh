#!/bin/sh
# Creates every department secret the app settings reference that does not exist yet, with a random value, so that
# no Key Vault reference stays unresolved after a first deployment. Never changes a secret that exists.
# Runs as the azd postprovision hook (azd exports the deployment outputs as environment variables); by hand:
#   KEY_VAULT_NAME=<vault> KEY_VAULT_SECRET_NAMES="<names>" FUNCTION_APP_RESOURCE_ID=<id> infra/scripts/seed-secrets.sh
# Needs the Azure CLI, signed in as someone with Key Vault Secrets Officer on the vault (main.bicepparam grants it
# to the azd user through secretsOfficers).
set -eu

vault="${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set (an output of infra/main.bicep)}"
names="${KEY_VAULT_SECRET_NAMES:?KEY_VAULT_SECRET_NAMES is not set (an output of infra/main.bicep)}"

if ! command -v az >/dev/null 2>&1; then
  echo "seed-secrets: the Azure CLI (az) is not installed; set the secrets by hand (infra/README.md, 'Department keys')." >&2
  exit 1
fi

# A role assignment made by the deployment can take a few minutes to apply: retry listing until it works. Listing
# (rather than reading each secret) tells "missing" apart from "not allowed yet", so nothing is overwritten.
attempt=1
until existing="$(az keyvault secret list --vault-name "$vault" --query '[].name' --output tsv 2>/dev/null)"; do
  if [ "$attempt" -ge 20 ]; then
    echo "seed-secrets: cannot list the secrets of $vault (is Key Vault Secrets Officer granted to you?)" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 15
done

umask 077
value_file="$(mktemp)"
trap 'rm -f "$value_file"' EXIT

created=0
for name in $names; do
  if printf '%s\n' "$existing" | grep -qxF "$name"; then
    continue
  fi
  # 32 random bytes, hex: a key the department receives out of band. The value goes through a file, not argv.
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$value_file"
  az keyvault secret set --vault-name "$vault" --name "$name" --file "$value_file" --encoding utf-8 \
    --content-type "text/plain; generated placeholder, replace or hand over" --output none
  echo "seed-secrets: created $name"
  created=$((created + 1))
done

if [ "$created" -gt 0 ] && [ -n "${FUNCTION_APP_RESOURCE_ID:-}" ]; then
  # Make the app resolve its Key Vault references now instead of within 24 hours.
  az rest --method post \
    --url "${FUNCTION_APP_RESOURCE_ID}/config/configreferences/appsettings/refresh?api-version=2022-03-01" --output none \
    || echo "seed-secrets: could not ask the app to refresh its Key Vault references; it will within 24 hours." >&2
fi

echo "seed-secrets: $created secret(s) created in $vault; pull-*-api-key values are placeholders until a department's real key is set."
