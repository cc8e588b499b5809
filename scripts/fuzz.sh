#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest for real, one target per JVM, for N minutes each (default 10), and
# prints executions and findings per target.
#
#   scripts/fuzz.sh [minutes-per-target] [filter]
#
# filter: only targets whose "module Class#method" line contains it (e.g. "gateway").
#
# The normal build (./mvnw verify) only replays each target's committed corpus under
# src/test/resources/<package>/<Class>Inputs/<method>/, in a JVM of its own (the surefire execution
# fuzz-corpus-replay). Here JAZZER_FUZZ=1 makes Jazzer mutate for real, one target per JVM. A
# finding fails the target and Jazzer writes the crashing input into that corpus directory: fix
# the bug and commit the input, so the normal build replays it from then on. The corpus Jazzer
# grows while fuzzing stays in <module>/.cifuzz-corpus/ (ignored by git) and is reused next run.
# Logs: target/fuzz-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes="${1:-10}"
filter="${2:-}"
seconds=$((minutes * 60))

# module  test class  method
targets=(
  "worker dev.maas.worker.grpc.InferRequestDecoderFuzzTest#decode_structuredRequest_decodesOrRefusesAsInvalidInput"
  "worker dev.maas.worker.grpc.InferRequestDecoderFuzzTest#decode_rawMessageBytes_decodesOrRefusesAsInvalidInput"
  "gateway dev.maas.gateway.fuzz.RequestPathFuzzTest#admit_arbitraryKeyNameVersionAndBytes_failsOnlyWithMappedStatuses"
  "gateway dev.maas.gateway.fuzz.RequestPathFuzzTest#admit_rawRequestBytes_failsOnlyWithMappedStatuses"
  "control-plane dev.maas.controlplane.upload.ArchiveInspectorFuzzTest#inspect_structuredTar_rejectsUnsafeArchives"
  "control-plane dev.maas.controlplane.upload.ArchiveInspectorFuzzTest#inspect_rawBytes_acceptsOnlySafeSavedModels"
  "worker dev.maas.worker.cluster.ArtifactUnpackerFuzzTest#unpack_arbitraryTar_writesNothingOutsideTheTarget"
)

logs="target/fuzz-logs"
mkdir -p "$logs"
summary=()
failed=0
for target in "${targets[@]}"; do
  [[ -n "$filter" && "$target" != *"$filter"* ]] && continue
  module="${target%% *}"
  test="${target#* }"
  echo "== fuzzing $test for ${minutes} min"
  log="$logs/${test//[#.]/_}.log"
  status=0
  # libFuzzer takes the last of repeated flags, and Jazzer appends these after the @FuzzTest's own
  # maxDuration, so -max_total_time here wins. libFuzzer prints to the console, kept in $log.
  JAZZER_FUZZ=1 ./mvnw -o -B -pl "$module" -am test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.replay.skip=true \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1="-max_total_time=${seconds}" \
    -Djazzer.internal.arg.2=-print_final_stats=1 >"$log" 2>&1 || status=$?
  executions="$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}' || true)"
  rate="$(grep -a -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}' || true)"
  coverage="$(grep -a -o ' cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)"
  findings="$(grep -a -c 'Test unit written to' "$log" || true)"
  if [[ "$status" -ne 0 && "${findings:-0}" -eq 0 ]]; then
    findings="run failed (exit $status)"
  fi
  echo "   executions=${executions:-?} exec/s=${rate:-?} findings=${findings} (log: $log)"
  [[ "$status" -ne 0 ]] && failed=1
  summary+=("$(printf '%-100s executions=%-10s exec/s=%-6s cov=%-5s findings=%s' \
    "$test" "${executions:-?}" "${rate:-?}" "${coverage:-?}" "${findings}")")
done

echo
echo "== fuzzing summary (${minutes} min per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
