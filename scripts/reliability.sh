#!/usr/bin/env bash
# Runs the long reliability scenarios (docs/reliability-long.md) at full size and prints their
# table: scenario, figure, measured, target, met.
#
#   scripts/reliability.sh            # full size (about 15 minutes on 2 cores)
#   MAAS_RELIABILITY_SCALE=short scripts/reliability.sh   # the size the normal build runs
#   scripts/reliability.sh -o         # extra arguments go to Maven (here: offline)
#
# The table is left in standalone/target/reliability/results.md (and results.jsonl); the logs of
# the processes killed and restarted are in standalone/target/reliability/logs/. Exits non-zero
# when a scenario's invariants fail (wrong answers, usage counted twice, partial versions...);
# timing and percentage targets are reported as met or missed, not failed on.
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${MAAS_RELIABILITY_SCALE:-full}"
tests='ServingReliabilityTest,OverloadTest,NothingLostTest,MigrationHistoryTest'

rm -rf standalone/target/reliability
status=0
# -am builds the worker, gateway and control-plane jars the scenarios start as processes.
./mvnw --batch-mode --no-transfer-progress "$@" -pl standalone -am verify \
  -Dmaas.reliability.scale="$scale" \
  -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  || status=$?

echo
echo "Reliability scenarios, scale ${scale}, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores:"
echo
if [[ -f standalone/target/reliability/results.md ]]; then
  cat standalone/target/reliability/results.md
else
  echo "(no results: the build failed before the scenarios ran)"
fi
exit "$status"
