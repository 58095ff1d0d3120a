#!/bin/sh
# Creates every department secret the app settings reference that does not exist yet, with a random value, so that
# no Key Vault reference stays unresolved after a first deployment. Never changes a secret that exists.
# An access-* secret (a key the hub accepts) is stored as "sha256:" and the digest of a new random key: the vault
# never holds a key a caller could present. The key itself is written once, readable by you only, to
# SEED_KEYS_DIR/<name> (default .azure/seeded-keys, git-ignored) to hand to its department; delete it after.
# pull-* secrets (keys the hub sends to a department) must stay plain: they are created as placeholders.
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

sha256_hex() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  fi
}

umask 077
value_file="$(mktemp)"
trap 'rm -f "$value_file"' EXIT
keys_dir="${SEED_KEYS_DIR:-.azure/seeded-keys}"

created=0
for name in $names; do
  if printf '%s\n' "$existing" | grep -qxF "$name"; then
    continue
  fi
  # 32 random bytes, hex (64 characters): a key the department receives out of band. Values go through files, not argv.
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$value_file"
  case "$name" in
    access-*)
      mkdir -p "$keys_dir"
      cp "$value_file" "$keys_dir/$name"
      printf 'sha256:%s' "$(sha256_hex "$value_file")" >"$value_file"
      content_type="text/plain; sha256 digest of a generated key"
      ;;
    *)
      content_type="text/plain; generated placeholder, replace or hand over"
      ;;
  esac
  az keyvault secret set --vault-name "$vault" --name "$name" --file "$value_file" --encoding utf-8 \
    --content-type "$content_type" --output none
  case "$name" in
    access-*) echo "seed-secrets: created $name as a sha256 digest; the key is in $keys_dir/$name" ;;
    *) echo "seed-secrets: created $name" ;;
  esac
  created=$((created + 1))
done

if [ "$created" -gt 0 ] && [ -n "${FUNCTION_APP_RESOURCE_ID:-}" ]; then
  # Make the app resolve its Key Vault references now instead of within 24 hours.
  az rest --method post \
    --url "${FUNCTION_APP_RESOURCE_ID}/config/configreferences/appsettings/refresh?api-version=2022-03-01" --output none \
    || echo "seed-secrets: could not ask the app to refresh its Key Vault references; it will within 24 hours." >&2
fi

echo "seed-secrets: $created secret(s) created in $vault; pull-*-api-key values are placeholders until a department's real key is set."
