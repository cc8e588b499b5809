#!/usr/bin/env bash
# Writes random secrets for deploy/compose.yaml into deploy/.env, which
# `docker compose -f deploy/compose.yaml` reads. An existing file is kept
# (its master key decrypts the stored artifacts); --force replaces it.
# MAAS_ENV_FILE names another file to write.
set -euo pipefail

env_file="${MAAS_ENV_FILE:-$(cd "$(dirname "$0")" && pwd)/.env}"
if [[ -e "$env_file" && "${1:-}" != "--force" ]]; then
  echo "$env_file exists; keeping it (--force replaces it)"
  exit 0
fi

# 32 random bytes: URL-safe base64 for tokens and the password, standard
# base64 for the master key (the control plane wants base64 of 32 bytes).
random_base64() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
token() { random_base64 | tr '+/' '-_' | tr -d '='; }

umask 077
{
  echo "MAAS_ADMIN_TOKEN=$(token)"
  echo "MAAS_CLUSTER_TOKEN=$(token)"
  echo "MAAS_MASTER_KEY=$(random_base64)"
  echo "MAAS_DB_PASSWORD=$(token)"
} >"$env_file"
echo "wrote $env_file"
