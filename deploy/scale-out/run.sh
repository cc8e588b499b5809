#!/usr/bin/env bash
# Scale-out proof on one machine: runs the built jars as a cluster (PostgreSQL,
# 2 control planes behind a TCP balancer, 3 workers, 2 gateways), deploys a
# model with 2 replicas, loads both gateways and kills a worker and the
# placement leader. Writes deploy/scale-out/.out/report.md (and logs/).
# Needs the jars (./mvnw package -DskipTests), Node 20, and Debian's
# postgresql server package (installed here when missing and run as root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
for jar in control-plane/target/maas-control-plane.jar gateway/target/maas-gateway.jar worker/target/maas-worker.jar; do
  [[ -f "$repo_root/$jar" ]] || { echo "$jar is missing: ./mvnw package -DskipTests first" >&2; exit 1; }
done
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || ! command -v psql >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { echo "install postgresql (server and psql) first" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
fi
if [[ ! -d "$here/node_modules/@grpc/grpc-js" ]]; then
  (cd "$here" && npm ci --silent --no-audit --no-fund)
fi
exec node "$here/proof.mjs" "${1:-$here/.out}"
